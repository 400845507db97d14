"""The mart's ``violation_id`` (dbt/macros/violation_id.sql): the rules that
existed when the key was written once keep the key their rule models gave
(compliance_case keeps one case per key, so a changed key would orphan the
case and open a duplicate), and two rules of one family on the same grain
never share a key."""

import hashlib
import json

import pytest
from django.db import connection

from compliance.models import PipelineNodeResult
from compliance.pipeline.dbt_runner import run_dbt

# Per family: the key its rule models gave before the macro, copied from them
# as SQL on the mart's columns (`state_scope`: the state of a state rule,
# null for federal and company rules, as macros/rule_catalog.sql derives it),
# and the catalog's rules of that family at that time. The id was
# md5(violation_type || ':' || key). A rule added since has no old key.
OLD_KEYS = {
    "outside_allowed_hours": (
        # int_violations__outside_allowed_hours: the attempt for the federal
        # rules (47 CFR 64.1200(c)(1), 12 CFR 1006.6(b)(1)(i)), attempt/rule
        # for the state windows.
        "case when state_scope is null then attempt_id else attempt_id || '/' || rule_id end",
        "QH-FED-1 QH-FED-2 QH-FL-1 QH-OK-1 QH-MD-1 QH-WA-1 QH-CT-1 QH-TX-1 QH-LA-1 QH-MS-1 QH-AL-1 QH-RI-1"
        " QH-KY-1 QH-MA-1 QH-MI-1 QH-MN-1 QH-NV-1 QH-NM-1",
    ),
    "too_many_attempts_per_day": (
        # int_violations__too_many_attempts_per_day (the company cap): the
        # lead and local day; int_violations__rolling_caps (the state caps):
        # attempt/rule.
        "case when state_scope is null then lead_id || '/' || local_date::text"
        " else attempt_id || '/' || rule_id end",
        "CAP-CCI-1 CAP-FL-1 CAP-OK-1 CAP-MD-1 CAP-MA-1",
    ),
    "attempt_after_opt_out": ("attempt_id", "OPT-FED-1 OPT-FED-2 OPT-FED-3 OPT-CS-1"),
    "dnc_match": (
        "case when rule_id = 'DNC-FED-1' then attempt_id else attempt_id || '/' || rule_id end",
        "DNC-FED-1 DNC-ST-1 DNC-LIT-1",
    ),
    "no_consent": ("attempt_id", "CON-FED-1"),
    "reg_f_call_frequency": ("attempt_id || '/' || rule_id", "RF-FREQ-1 RF-FREQ-2"),
    "restricted_day": ("attempt_id || '/' || rule_id", "RD-LA-1 RD-MS-1 RD-AL-1 RD-UT-1 RD-RI-1 RD-PA-1"),
}

MART_WITH_SCOPE = """
    select m.rule_id, m.attempt_id, m.violation_id, m.lead_id, m.local_date, m.violation_type,
           case when r.jurisdiction ~ '^[A-Z]{2}$' and r.jurisdiction <> 'US' then r.jurisdiction end
               as state_scope
    from analytics.mart_compliance_risk as m
    inner join reference.rule_catalog as r on r.rule_id = m.rule_id
"""


def rows(sql: str, params=None) -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return set(cursor.fetchall())


@pytest.mark.parametrize("family", sorted(OLD_KEYS))
def test_existing_rules_keep_their_old_violation_ids(family, pipeline_build, db):
    """Every mart row of a rule that existed has the id its old formula gives
    for the same row, and every such rule has rows in the build (so each
    formula is compared, not skipped)."""
    old_key, rule_ids = OLD_KEYS[family]
    rules = rule_ids.split()
    where = "where violation_type = %s and rule_id = any(%s)"
    built = rows(f"select rule_id, attempt_id, violation_id from ({MART_WITH_SCOPE}) as m {where}", [family, rules])
    old = rows(f"select rule_id, attempt_id, md5(violation_type || ':' || ({old_key}))"
               f" from ({MART_WITH_SCOPE}) as m {where}", [family, rules])
    assert built == old
    assert {rule for rule, _, _ in built} == set(rules)


def rendered_ids(family: str, grain: list[str], rule_ids: list[str]) -> dict[str, str]:
    """rule id -> the key violation_id(family, rule_id, grain...) gives on one
    row of the given grain values, as dbt renders the macro (``dbt compile
    --inline``) and PostgreSQL computes it."""
    columns = [f"g{number}" for number in range(len(grain))]
    values = ", ".join("(" + ", ".join(f"'{v}'" for v in [rule, *grain]) + ")" for rule in rule_ids)
    macro = "{{ violation_id('%s', 'rule_id', %s) }}" % (family, ", ".join(f"'{c}'" for c in columns))
    inline = f"select rule_id, {macro} from (values {values}) as r(rule_id, {', '.join(columns)})"
    result = run_dbt(["compile", "--inline", inline])
    assert result.success, result.log_tail
    (compiled,) = [node["compiled_code"] for node in json.loads((result.target / "run_results.json").read_text())
                   ["results"]]
    return dict(rows(compiled))


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


@pytest.mark.parametrize("family, grain, legacy_rule, new_rules", [
    # Hypothetical new rules (not in the catalog): a second and third company cap on the lead and day of CAP-CCI-1.
    ("too_many_attempts_per_day", ["L1", "2025-03-03"], "CAP-CCI-1", ["second company cap", "third company cap"]),
    # Hypothetical new calling windows on the attempt of QH-FED-1 (47 CFR 64.1200(c)(1)).
    ("outside_allowed_hours", ["A1"], "QH-FED-1", ["another federal window", "a new state window"]),
    # Two rules of a family without legacy keys (RF-FREQ-1, RF-FREQ-2: 12 CFR 1006.14(b)).
    ("reg_f_call_frequency", ["A1"], None, ["RF-FREQ-1", "RF-FREQ-2"]),
])
def test_two_rules_of_a_family_on_one_grain_get_different_ids(family, grain, legacy_rule, new_rules, db):
    """Rules on the same row of their family's grain get one key each: a new
    rule's key is md5('family:grain/rule_id'); a legacy rule keeps
    md5('family:grain')."""
    ids = rendered_ids(family, grain, [rule for rule in [legacy_rule, *new_rules] if rule])
    assert len(set(ids.values())) == len(ids)
    key = f"{family}:{'/'.join(grain)}"
    for rule in new_rules:
        assert ids[rule] == md5(f"{key}/{rule}")
    if legacy_rule:
        assert ids[legacy_rule] == md5(key)


def test_mart_families_are_checked_against_the_rule_catalog(pipeline_build, db):
    """The mart's violation_type is tested against the catalog's families (a
    relationships test), not against a copied list, and the test ran and passed."""
    tests = PipelineNodeResult.objects.filter(
        run=pipeline_build.run, resource_type="test",
        name__startswith="relationships_mart_compliance_risk_violation_type__violation_type__",
    )
    assert list(tests.values_list("status", flat=True)) == ["pass"]
