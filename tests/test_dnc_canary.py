"""Pre-hashed DNC lists must contain the canary number's cci-phone-v1 hash
(docs/data-contract.md#pre-hashed-dnc-lists-the-canary, worked example HS-02):
otherwise the build fails with a message naming the list, instead of
silently matching nothing. An operator's flow in subprocesses on an empty
database."""

import csv
import hashlib

import pytest

from compliance.ingest.formats import NATIVE_FORMAT

from .conftest import manage, query

pytestmark = pytest.mark.slow

CANARY = "+12025550123"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def write_native(directory, dnc_rows: list[dict]) -> None:
    """A one-lead native dataset with the given DNC entries."""
    rows = {spec.stem: [] for spec in NATIVE_FORMAT}
    rows["leads"] = [{"lead_id": "C-1", "phone": "(212) 555-0160", "created_at": "2025-01-01T00:00:00Z"}]
    rows["contact_attempts"] = [{"attempt_id": "C-A1", "lead_id": "C-1", "channel": "call", "purpose": "telemarketing",
                                 "attempted_at": "2025-07-15T15:00:00Z"}]
    rows["dnc_entries"] = dnc_rows
    directory.mkdir(parents=True, exist_ok=True)
    for spec in NATIVE_FORMAT:
        with open(directory / f"{spec.stem}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=spec.columns, restval="")
            writer.writeheader()
            writer.writerows(rows[spec.stem])


def entry(list_name: str, digest: str) -> dict:
    return {"list": list_name, "phone_hash": digest}


@pytest.mark.rules("DNC-ST-1")
def test_a_list_hashed_another_way_fails_the_build_with_a_clear_message(scratch_database, tmp_path):
    url = scratch_database
    lead_hash = sha256("+12125550160")
    # The first load on a fresh database: a right list (uppercase hex is the same hash).
    write_native(tmp_path / "first", [entry("state:NY", sha256(CANARY).upper()), entry("state:NY", lead_hash)])
    write_native(tmp_path / "bad", [
        entry("internal", sha256("2025550123")),              # canary hashed from 10 digits (HS-02)
        entry("internal", sha256("2125550160")),
        entry("litigator", sha256("+1 212-555-0199")),        # no form of the canary at all
    ])
    manage(url, "migrate", "--verbosity", "0")
    assert "dnc_entries.csv: 2 read\n" in manage(url, "load_raw", "--format", "native",
                                                             str(tmp_path / "first")).stdout
    # Loading only loads; the pipeline's build refuses the lists.
    manage(url, "load_raw", "--format", "native", str(tmp_path / "bad"))
    failed = manage(url, "run_pipeline", check=False)
    assert failed.returncode != 0
    (message,) = query(url, "select error from compliance_pipelinerun order by id desc limit 1")[0]
    assert "DNC list 'internal' (2 pre-hashed entries) does not contain the canary +12025550123" in message
    assert "SHA-256 of '2025550123' instead: the list was hashed from a different canonical form" in message
    assert "DNC list 'litigator'" in message and "no known form of it matches" in message
    assert "state:NY" not in message
    assert query(url, "select to_regclass('analytics.mart_compliance_risk')")[0][0] is None
    assert "pending" in manage(url, "load_raw", "--report", "2").stdout  # a failed run judges no load

    # The lists re-sent hashed from E.164, canary included: the build passes and
    # the state list (right from the start) matches the lead's number.
    write_native(tmp_path / "fixed", [entry("internal", sha256(CANARY)), entry("litigator", sha256(CANARY))])
    manage(url, "load_raw", "--format", "native", str(tmp_path / "fixed"))
    assert "succeeded" in manage(url, "run_pipeline").stdout
    ((kind, rule, details),) = query(url, "select violation_type, rule_id, details from analytics.mart_compliance_risk")
    assert (kind, rule) == ("dnc_match", "DNC-ST-1")
    assert details.startswith(f"Call attempt to a number on a Do-Not-Call list (phone hash {lead_hash[:12]}...): "
                              "state:NY: no list version on record for the scrub.")
