"""The mart's rows match the rules exactly: hand-written scenarios named
after worked examples (docs/worked_examples.csv), a generated seed dataset checked against an
independent Python statement of the rules (tests/oracle.py), and the planted
ground truth (compliance/datasets/planted.py) with its expected rows."""

from collections import Counter

import pytest
from django.db import connection

from compliance.datasets.planted import read_expected
from compliance.datasets.seed import DST_DATES
from compliance.models import RuleCatalogEntry

from .oracle import expected_violations
from .scenarios import SCENARIOS

# The seed's severities for its five families, kept by their federal
# and company rules for definite rows.
SEED_SEVERITIES = {
    "QH-FED-1": "high",
    "CAP-CCI-1": "medium",
    "OPT-FED-1": "high",
    "DNC-FED-1": "critical",
    "CON-FED-1": "high",
}


def rows_for_lead(mart_rows, lead_id):
    return [r for r in mart_rows if r["lead_id"] == lead_id]


@pytest.mark.rules("QH-FED-1", "CAP-CCI-1", "OPT-FED-1", "DNC-FED-1", "CON-FED-1")
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_scenario_produces_exactly_the_expected_violations(scenario, mart_rows):
    rows = rows_for_lead(mart_rows, scenario.lead_id)
    found = {(r["violation_type"], r["attempt_id"]): r["certainty"] for r in rows}
    assert {key for key, certainty in found.items() if certainty == "definite"} == scenario.expected
    assert {key for key, certainty in found.items() if certainty == "possible"} == scenario.possible
    assert len(rows) == len(scenario.expected) + len(scenario.possible)


@pytest.mark.rules("CAP-CCI-1")
@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s.day_counts], ids=lambda s: s.name)
def test_daily_cap_row_carries_the_days_attempt_count(scenario, mart_rows):
    for row in rows_for_lead(mart_rows, scenario.lead_id):
        if row["violation_type"] == "too_many_attempts_per_day":
            assert row["attempts_on_local_day"] == scenario.day_counts[row["attempt_id"]]
            assert f"{row['attempts_on_local_day']} attempts" in row["details"]


@pytest.mark.rules("QH-FED-1")
@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s.local_times], ids=lambda s: s.name)
def test_local_wall_clock_time_uses_the_iana_zone(scenario, mart_rows, db):
    """Every attempt with an expected local time, violating or not (the
    localized attempts hold them all; the mart rows must agree)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "select attempt_id, attempt_ts_local::text from intermediate.int_contact_attempts_localized"
            " where attempt_id = any(%s)",
            [list(scenario.local_times)],
        )
        localized = dict(cursor.fetchall())
    assert localized == scenario.local_times
    for row in rows_for_lead(mart_rows, scenario.lead_id):
        if row["attempt_id"] in scenario.local_times:
            assert str(row["attempt_ts_local"]) == scenario.local_times[row["attempt_id"]]


@pytest.mark.rules("QH-FED-1")
def test_arizona_mountain_label_resolves_to_phoenix(mart_rows):
    (row,) = [r for r in rows_for_lead(mart_rows, "QH-AZ") if r["attempt_id"] == "QH-06"]
    assert row["local_timezone"] == "America/Phoenix"
    assert row["candidate_zones"] == ["America/Denver", "America/Phoenix"]
    assert (row["certainty"], row["deciding_zones"]) == ("possible", ["America/Phoenix"])


@pytest.mark.rules("QH-FED-1", "QH-FED-2", "CAP-CCI-1", "OPT-FED-1", "DNC-FED-1", "CON-FED-1", "QH-FL-1")
def test_severity_and_citation_per_rule(mart_rows, db):
    """The catalog's severity for definite rows (the seed's for its five
    families), medium for possible rows (docs/rules.md#severities); the
    citation is in the details."""
    severities = {rule.rule_id: rule.default_severity for rule in RuleCatalogEntry.objects.all()}
    assert {rule: severities[rule] for rule in SEED_SEVERITIES} == SEED_SEVERITIES
    assert severities["QH-FL-1"] == "critical"  # Florida hours, definite: critical
    for row in mart_rows:
        expected = severities[row["rule_id"]] if row["certainty"] == "definite" else "medium"
        assert row["severity"] == expected
        assert row["rule_citation"] and row["rule_citation"] in row["details"]


def test_violation_ids_are_unique(mart_rows):
    assert len({r["violation_id"] for r in mart_rows}) == len(mart_rows)


@pytest.mark.rules("QH-FED-1", "CAP-CCI-1", "OPT-FED-1", "DNC-FED-1", "CON-FED-1", "QH-FL-1", "QH-WA-1", "QH-TX-1")
def test_generated_dataset_matches_independent_oracle(pipeline_build, mart_rows):
    expected = expected_violations(pipeline_build.synthetic_dir)
    synthetic = {
        (r["violation_type"], r["attempt_id"], r["rule_id"]): (r["attempts_on_local_day"], r["certainty"])
        for r in mart_rows
        if r["lead_id"].startswith("L0")
    }
    assert set(synthetic) == set(expected)
    for key, count in expected.items():
        assert synthetic[key] == count, key


def test_generated_dataset_exercises_every_rule_and_dst_dates(pipeline_build):
    expected = expected_violations(pipeline_build.synthetic_dir)
    rules = Counter(rule for _, _, rule in expected)
    assert rules.keys() >= SEED_SEVERITIES.keys() | {"QH-FL-1", "QH-WA-1", "QH-TX-1"}
    attempts = (pipeline_build.synthetic_dir / "contact_attempts.csv").read_text()
    assert any(day.isoformat() in attempts for day in DST_DATES)
    leads = (pipeline_build.synthetic_dir / "leads.csv").read_text()
    assert ",AZ,MST," in leads


@pytest.mark.rules("QH-FED-1", "QH-FED-2", "QH-FL-1", "RD-UT-1", "CAP-CCI-1", "CAP-FL-1", "RF-FREQ-1", "RF-FREQ-2",
                   "OPT-FED-1", "OPT-FED-2", "DNC-FED-1", "CON-FED-1")
def test_planted_ground_truth_matches_exactly(pipeline_build, mart_rows):
    """Every planted violation is in the mart and nothing else is for the
    planted leads (near misses included: 08:00:00, 21:00:00, 20:00:00 in
    Florida, day 7 vs day 8, the 10th vs the 11th business day, 24 hours
    and a second)."""
    expected = read_expected(pipeline_build.planted_dir)
    found = {(r["attempt_id"], r["violation_type"], r["rule_id"], r["certainty"])
             for r in mart_rows if r["lead_id"].startswith("G")}
    assert found - expected == set(), "extra rows"
    assert expected - found == set(), "missing rows"
    assert {rule for _, _, rule, _ in expected} >= {"QH-FED-1", "QH-FL-1", "RF-FREQ-2", "OPT-FED-1", "DNC-FED-1"}
