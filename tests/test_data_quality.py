"""Nothing lost: every raw row is staged, superseded or quarantined; counts by
reason code; a jump in quarantine counts is a warning."""

from django.db import connection
from django.urls import reverse

from compliance.pipeline.data_quality import file_balances, quarantine_counts, quarantine_jumps

from .conftest import user_in_role
from .scenarios import EXPECTED_QUARANTINE


def test_every_raw_row_is_staged_superseded_or_quarantined(pipeline_build, db):
    balances = {b.file_name: b for b in file_balances() if b.file_name.startswith("seed/")}
    assert set(balances) == {f"seed/{name}" for name in EXPECTED_QUARANTINE}
    for balance in balances.values():
        assert balance.raw == balance.staged + balance.superseded + balance.quarantined
        assert balance.quarantined == EXPECTED_QUARANTINE[balance.file_name.removeprefix("seed/")]
    # Raw tables are append-only: the scenarios' leads.csv was loaded four times (the third a changed export),
    # and every row of the first three loads is superseded: by load 4's identical copy, or (CLEAN's changed
    # version) by the reloaded original.
    leads = len((pipeline_build.scenario_dir / "leads.csv").read_bytes().strip().splitlines()) - 1
    assert balances["seed/leads.csv"].superseded == 3 * leads
    with connection.cursor() as cursor:
        cursor.execute("select consent_flag, status from staging.base_seed__leads "
                       "where lead_id = 'CLEAN' and not repeated order by load_id")
        assert cursor.fetchall() == [(False, "superseded"), (True, "valid")]


def test_quarantine_counts_by_reason_code(pipeline_build, db):
    counts = quarantine_counts()
    assert counts["seed/leads.csv"] == {"bad_boolean": 1, "bad_timestamp": 1, "timestamp_out_of_range": 2,
                                        "unknown_zone": 1}
    assert counts["seed/contact_attempts.csv"] == {
        "bad_timestamp": 1, "duplicate_id": 2, "malformed_record": 1, "quarantined_lead": 1,
        "timestamp_out_of_range": 2, "unknown_channel": 1, "unknown_lead": 1,
    }
    assert counts["seed/conversions.csv"] == {"bad_number": 1, "malformed_record": 2, "timestamp_out_of_range": 1}
    assert counts["seed/dnc.csv"] == {"bad_hash": 1}


def test_a_jump_is_a_doubling_of_more_than_ten_rows():
    before = {"seed/leads.csv": {"bad_timestamp": 20, "bad_boolean": 3}}
    now = {"seed/leads.csv": {"bad_timestamp": 41, "bad_boolean": 12, "unknown_zone": 11},
           "native/leads.jsonl": {"naive_timestamp": 10}}
    assert quarantine_jumps(before, now) == [
        {"file": "seed/leads.csv", "code": "bad_timestamp", "before": 20, "now": 41},
        {"file": "seed/leads.csv", "code": "unknown_zone", "before": 0, "now": 11},
    ]


def test_runs_recorded_before_the_native_format_compare_as_seed_files():
    before = {"leads.csv": {"bad_timestamp": 20}}
    assert quarantine_jumps(before, {"seed/leads.csv": {"bad_timestamp": 30}}) == []


def test_data_quality_page(client, pipeline_build, db):
    client.force_login(user_in_role("auditor", "dana"))
    page = client.get(reverse("compliance:data_quality")).content.decode()
    assert "Where every raw row went" in page
    assert "unknown_zone 1" in page
    # Each load's files, judged by the session's pipeline run.
    assert f"run #{pipeline_build.run.pk}" in page and "pending" not in page
    assert "unknown lead NOPE" in page
