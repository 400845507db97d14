"""The native data contract: loading (CSV and JSON Lines), nothing lost,
candidate time zones with definite/possible verdicts, and results that do not
depend on the database session's TimeZone."""

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse

from compliance.ingest.formats import NATIVE_FORMAT
from compliance.models import Case, ComplianceViolation, QuarantinedRow, RawLoadFile, RuleCatalogEntry
from compliance.pipeline.data_quality import file_balances, quarantine_counts, warning_counts

from .conftest import user_in_role
from .native_scenarios import (
    BROKEN_LINES,
    CONSENT_SCENARIOS,
    DNC_SCENARIOS,
    EXPOSURE_SCENARIOS,
    OPT_OUT_SCENARIOS,
    REG_F_SCENARIOS,
    STATE_SCENARIOS,
    ZONE_SCENARIOS,
)

SCENARIO_ATTEMPTS = {
    attempt_id: (scenario, attempted_at, verdict)
    for scenario in ZONE_SCENARIOS
    for attempt_id, (attempted_at, verdict) in scenario.attempts.items()
}
# generate_native's add_defects: file -> (rows quarantined, {reason code: rows}).
GENERATED_DEFECTS = {
    "ads.csv": (1, {"missing_id": 1}),
    "leads.csv": (4, {"bad_phone": 1, "unknown_zone": 1, "naive_timestamp": 1, "phone_hash_mismatch": 1}),
    "contact_attempts.csv": (4, {"naive_timestamp": 1, "unknown_lead": 1, "unknown_channel": 1, "duplicate_id": 1}),
    "consents.csv": (1, {"unknown_kind": 1, "unknown_channel": 1, "bad_boolean": 1, "bad_timestamp": 1}),
    "opt_outs.csv": (1, {"missing_target": 1}),
    "dnc_entries.csv": (1, {"bad_phone": 1}),
    "dnc_list_versions.csv": (1, {"unknown_list": 1}),
    "conversions.csv": (1, {"bad_number": 1}),
}


def outside_hours_rows() -> dict[str, ComplianceViolation]:
    return {
        v.attempt_id: v
        for v in ComplianceViolation.objects.filter(rule_id="QH-FED-1", attempt_id__startswith="Z-")
    }


def test_every_native_file_is_loaded_and_accounted_for(pipeline_build, db):
    """load_raw's summary counts the records it appended to raw; the pipeline
    run's verdict on that load: read = staged + superseded + quarantined, per
    file of the deliberately broken native dataset."""
    summary = re.findall(r"^(\S+): (\d+) read$", pipeline_build.native_load, flags=re.M)
    printed = {name: int(read) for name, read in summary}
    assert set(printed) == set(GENERATED_DEFECTS)
    stored = {f.file_name: f for f in RawLoadFile.objects.filter(load__source_dir=str(pipeline_build.native_dir))}
    for name, read in printed.items():
        file = stored[name]
        assert file.rows_read == read, name
        assert file.counted_by_run_id == pipeline_build.run.pk, name
        assert read == file.rows_staged + file.rows_superseded + file.rows_quarantined, name
        assert file.rows_quarantined == GENERATED_DEFECTS[name][0], name


def test_broken_native_input_balances_per_file(pipeline_build, db):
    """Raw rows = staged + superseded + quarantined for every raw file, and
    each deliberate defect is quarantined under its reason code."""
    native = {b.file_name: b for b in file_balances() if b.file_name.startswith("native/")}
    scenario_files = ("leads", "contact_attempts", "dnc_entries", "consents", "opt_outs", "conversions",
                      "dnc_list_versions")
    assert set(native) == {f"native/{spec.stem}.{ext}" for spec in NATIVE_FORMAT for ext in ("csv", "jsonl")
                           if ext == "csv" or spec.stem in scenario_files}
    for name, balance in native.items():
        assert balance.raw == balance.staged + balance.superseded + balance.quarantined, name
    counts = quarantine_counts()
    for file_name, (rows, codes) in GENERATED_DEFECTS.items():
        assert counts[f"native/{file_name}"] == codes, file_name
        assert native[f"native/{file_name}"].quarantined == rows, file_name


def test_broken_json_lines_are_kept_in_quarantine(pipeline_build, db):
    """A JSON line that is not an object, is not JSON, or has an unknown field
    is quarantined with the line quoted; staging checks apply to the rest.
    Nothing else of the scenario files is quarantined."""
    rows = list(QuarantinedRow.objects.filter(file_format="native", source_file__endswith=".jsonl"))
    assert len(rows) == len(BROKEN_LINES)
    for stem, line, code in BROKEN_LINES:
        matching = [r for r in rows if r.source_file == f"{stem}.jsonl" and code in r.reason_codes]
        assert matching, (line, code)
        if code == "malformed_record":
            assert any(f"line as received: {line}" in r.reason for r in matching), line


@pytest.mark.rules("QH-FED-1")
@pytest.mark.parametrize("attempt_id", sorted(SCENARIO_ATTEMPTS))
def test_candidate_zone_verdict(pipeline_build, db, attempt_id):
    scenario, _, verdict = SCENARIO_ATTEMPTS[attempt_id]
    row = outside_hours_rows().get(attempt_id)
    if verdict is None:
        assert row is None, f"{scenario.name}: expected clear, got {row and row.details}"
        return
    certainty, zones = verdict
    assert row is not None, f"{scenario.name}: expected {certainty} outside_allowed_hours"
    assert (row.certainty, row.deciding_zones) == (certainty, zones), scenario.name
    assert row.candidate_zones == sorted(scenario.candidates), scenario.name
    assert row.severity == ("high" if certainty == "definite" else "medium")


def test_candidate_zones_of_every_scenario_attempt(pipeline_build, db):
    with connection.cursor() as cursor:
        cursor.execute(
            "select attempt_id, candidate_zones from intermediate.int_contact_attempts_localized "
            "where attempt_id like 'Z-%%'"
        )
        found = dict(cursor.fetchall())
    assert found == {a: sorted(s.candidates) for a, (s, _, _) in SCENARIO_ATTEMPTS.items()}


@pytest.mark.rules("CAP-CCI-1")
def test_daily_cap_is_counted_in_every_candidate_zone(pipeline_build, db):
    (row,) = ComplianceViolation.objects.filter(rule_id="CAP-CCI-1", lead_id="Z-850-CAP")
    assert (row.attempt_id, row.certainty, row.deciding_zones) == ("Z-CAP-4", "possible", ["America/Chicago"])


@pytest.mark.rules("QH-FED-1")
def test_guam_local_date_is_a_day_ahead(pipeline_build, db):
    row = outside_hours_rows()["Z-GU-0730"]
    assert str(row.local_date) == "2025-07-16"
    assert row.attempt_ts_local.replace(tzinfo=None) == datetime(2025, 7, 16, 7, 30)


@pytest.mark.parametrize("session_zone", ["UTC", "Pacific/Kiritimati", "America/St_Johns", "Asia/Kathmandu"])
def test_local_times_do_not_depend_on_the_session_time_zone(pipeline_build, db, session_zone):
    """int_attempt_local_times (a table, built by dbt under its own session)
    must equal zoneinfo's answer whatever zone the session reading it uses, and
    staging.parse_iso_timestamp, evaluated here under that zone, too."""
    with connection.cursor() as cursor:
        cursor.execute("select set_config('TimeZone', %s, true)", [session_zone])
        cursor.execute(
            "select attempt_id, iana_zone, attempt_ts_local, local_date, "
            "staging.parse_iso_timestamp('2025-11-02T01:30:00-04:00') = '2025-11-02T05:30:00Z'::timestamptz "
            "from intermediate.int_attempt_local_times where attempt_id like 'Z-%%'"
        )
        rows = cursor.fetchall()
    assert len(rows) == sum(len(s.candidates) * len(s.attempts) for s in ZONE_SCENARIOS)
    for attempt_id, zone, local, local_date, parse_ok in rows:
        instant = datetime.fromisoformat(SCENARIO_ATTEMPTS[attempt_id][1].replace("Z", "+00:00"))
        expected = instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        assert (local, local_date) == (expected, expected.date()), (attempt_id, zone, session_zone)
        assert parse_ok


@pytest.mark.rules("QH-FED-1", "QH-FED-2", "CAP-CCI-1", "OPT-FED-1", "DNC-FED-1", "CON-FED-1")
def test_native_rules_use_opt_out_scope_dnc_dates_and_consent(pipeline_build, db):
    """Spot checks on the generated native dataset against its own rows."""
    by_type = {}
    for v in ComplianceViolation.objects.filter(source_format="native"):
        by_type.setdefault(v.violation_type, []).append(v)
    assert set(by_type) == {"outside_allowed_hours", "too_many_attempts_per_day", "attempt_after_opt_out",
                            "dnc_match", "no_consent", "reg_f_call_frequency", "restricted_day"}
    federal_hours = [v for v in by_type["outside_allowed_hours"] if v.rule_id == "QH-FED-1"]
    assert {v.certainty for v in federal_hours} == {"definite", "possible"}
    assert all(v.channel != "email" for v in by_type["dnc_match"])
    assert all(time(8) > v.attempt_ts_local.time() or v.attempt_ts_local.time() > time(21) or v.certainty == "possible"
               for v in federal_hours)


@pytest.mark.rules("RF-FREQ-1", "DNC-FED-1")
def test_generated_native_data_exercises_reg_f_ebr_and_safe_harbor(pipeline_build, db):
    """The generator's rule exercises (compliance/datasets/native_exercises.py,
    add_rule_exercises) reach the mart even at the suite's small size: more
    than 7 calls in 7 days on a debt (12 CFR 1006.14(b)(2)(i)(A)); numbers
    registered after the registry version the scrub used, that version at
    most 31 days old (safe harbor, 64.1200(c)(2)(i)(D): possible) or older
    (definite); an established business relationship (64.1200(f)(5)) that
    exempts a listed number's call, and its anniversary (possible)."""
    native = ComplianceViolation.objects.filter(source_format="native", lead_id__startswith="N")
    assert native.filter(rule_id="RF-FREQ-1", certainty="definite").exists()
    dnc = native.filter(rule_id="DNC-FED-1")
    assert dnc.filter(certainty="possible", details__contains="safe harbor eligible").exists()
    assert dnc.filter(certainty="definite", details__contains="no safe harbor").exists()
    assert dnc.filter(certainty="possible", details__contains="relationship ends on the attempt's date").exists()
    with connection.cursor() as cursor:
        cursor.execute("""
            select count(*)
            from intermediate.int_contact_attempts_localized as a
            inner join staging.stg_dnc_entries as d
                on d.phone_hash = a.to_phone_hash and d.list_name = 'national' and d.registered_at <= a.attempt_ts
            inner join staging.stg_conversions as c on c.lead_id = a.lead_id and c.occurred_at < a.attempt_ts
            where a.lead_id like 'N%%' and a.purpose = 'telemarketing' and a.channel in ('call', 'sms', 'rvm')
              and not exists (select 1 from staging.stg_consents as s
                              where s.lead_id = a.lead_id and s.kind = 'pewc' and a.channel = any(s.channels))
              and not exists (select 1 from analytics.mart_compliance_risk as m
                              where m.attempt_id = a.attempt_id and m.rule_id = 'DNC-FED-1')
        """)
        (exempt_by_relationship,) = cursor.fetchone()
    assert exempt_by_relationship > 0


STATE_RULE_JURISDICTIONS = ("US", "CCI policy")


@pytest.mark.rules("QH-FL-1", "QH-OK-1", "QH-MD-1", "QH-WA-1", "QH-CT-1", "QH-TX-1", "QH-LA-1", "QH-MS-1",
                   "QH-AL-1", "QH-RI-1", "QH-KY-1", "QH-MA-1", "QH-MI-1", "QH-MN-1", "QH-NV-1", "QH-NM-1",
                   "RD-LA-1", "RD-MS-1", "RD-AL-1", "RD-UT-1", "RD-RI-1", "RD-PA-1", "CAP-FL-1", "CAP-OK-1",
                   "CAP-MD-1", "CAP-MA-1")
@pytest.mark.parametrize("scenario", STATE_SCENARIOS, ids=lambda s: s.lead_id)
def test_state_worked_example(pipeline_build, db, scenario):
    """The state worked examples (ST-*): the state rules' rows of each example, exactly
    (federal rows are checked elsewhere)."""
    state_rules = RuleCatalogEntry.objects.exclude(jurisdiction__in=STATE_RULE_JURISDICTIONS).values("rule_id")
    rows = ComplianceViolation.objects.filter(lead_id=scenario.lead_id, rule_id__in=state_rules)
    assert {(v.attempt_id, v.rule_id, v.certainty) for v in rows} == scenario.expected, scenario.example


@pytest.mark.rules("OPT-FED-1", "OPT-FED-2", "OPT-FED-3", "OPT-CS-1")
@pytest.mark.parametrize("scenario", OPT_OUT_SCENARIOS, ids=lambda s: s.lead_id)
def test_opt_out_worked_example(pipeline_build, db, scenario):
    """CN-04, CN-05, CN-10, CH-01: the allowance in business days (Federal
    holidays skipped), the 30 days before 2025-04-11, the confirmation text,
    CAN-SPAM for commercial email. The channel scope (docs/data-contract.md):
    `all` covers every channel (47 CFR 64.1200(a)(10), FCC 24-24), a single channel only
    itself, and a ringless voicemail is a call (CH-06, FCC 22-85); an attempt
    at the request's very instant is after it (O-CN04-SAME, O-CH06-SAME)."""
    rows = ComplianceViolation.objects.filter(violation_type="attempt_after_opt_out", lead_id=scenario.lead_id)
    assert {(v.attempt_id, v.rule_id, v.certainty) for v in rows} == scenario.expected, scenario.example
    severities = {"OPT-FED-1": "high", "OPT-FED-2": "low", "OPT-CS-1": "high"}
    assert all(v.severity == severities[v.rule_id] for v in rows if v.rule_id in severities)


@pytest.mark.rules("DNC-FED-1", "DNC-ST-1", "DNC-LIT-1", "OPT-FED-1")
@pytest.mark.parametrize("scenario", DNC_SCENARIOS, ids=lambda s: s.lead_id)
def test_dnc_worked_example(pipeline_build, db, scenario):
    """Worked examples DNC-01 to DNC-05 and DNC-07: registration dates, the 31-day
    scrub safe harbor, EBR windows and their end by a DNC request, written
    consent, state and litigator lists."""
    rows = ComplianceViolation.objects.filter(violation_type__in=["dnc_match", "attempt_after_opt_out"],
                                              lead_id=scenario.lead_id)
    assert {(v.attempt_id, v.rule_id, v.certainty) for v in rows} == scenario.expected, scenario.example
    # CH-04: a text's exposure rests on a text being a call, which courts have split on.
    assert all(("a text is a call" in v.details) == (v.channel == "sms") for v in rows if v.rule_id == "DNC-FED-1")


@pytest.mark.rules("DNC-FED-1", "CON-FED-1")
def test_227b_and_227c_exposure_stack_on_one_call(pipeline_build, db):
    """SEV-04: a prerecorded marketing call without PEWC to a registered
    number, the second in 12 months: 227(b) $500-$1,500 (no_consent) plus
    227(c) $500-$1,500 (dnc_match), $1,000-$3,000 per call."""
    per_call = {}
    for row in ComplianceViolation.objects.filter(lead_id="D-SEV04"):
        low, high = per_call.get(row.attempt_id, (0, 0))
        per_call[row.attempt_id] = (low + row.exposure_min_usd, high + row.exposure_max_usd)
    assert per_call == {"D-SEV04-1": (1000, 3000), "D-SEV04-2": (1000, 3000)}


@pytest.mark.rules("CON-FED-1")
@pytest.mark.parametrize("scenario", CONSENT_SCENARIOS, ids=lambda s: s.lead_id)
def test_consent_worked_example(pipeline_build, db, scenario):
    """CN-01..03, CH-06, EDGE-16, 47 CFR 64.1200(a)(10): which consent each purpose needs,
    which calls and texts need it (47 U.S.C. 227(b)(1)(A): autodialed or
    artificial/prerecorded voice; every ringless voicemail, FCC 22-85; a text
    of unknown technology possible), the PEWC disclosure, revocation (across
    channels, FCC 24-24), and the clock-skew close call."""
    rows = ComplianceViolation.objects.filter(violation_type="no_consent", lead_id=scenario.lead_id)
    assert {(v.attempt_id, v.certainty) for v in rows} == scenario.expected, scenario.example
    assert all("On file: " in v.details for v in rows)


@pytest.mark.rules("RF-FREQ-1")
def test_fdcpa_exposure_is_one_cap_per_consumer(client, pipeline_build, db):
    """SEV-05: 12 calls in 7 days on one debt give 5 rows, each $0-$1,000,
    that share one $1,000 cap: the case page says so instead of adding them."""
    rows = ComplianceViolation.objects.filter(lead_id="Z-SEV05")
    assert {(int(r.exposure_min_usd), int(r.exposure_max_usd), r.exposure_basis) for r in rows} == {
        (0, 1000, "per_consumer_cap")}
    client.force_login(user_in_role("auditor", "fran"))
    case = Case.objects.get(violation_id=rows.first().violation_id)
    page = client.get(reverse("compliance:case_detail", args=[case.pk])).content.decode()
    assert "this consumer's 5 rows under it come to at most $1000.00 together" in page


@pytest.mark.rules("QH-FL-1")
def test_florida_text_after_8pm_is_ftsa_exposure_only(pipeline_build, db):
    """SEV-01 per text: Florida's 8 p.m. window, $500-$1,500 (Fla. Stat. 501.059(10));
    before 9 p.m. the federal window is clear."""
    rows = ComplianceViolation.objects.filter(lead_id="S-FL01", violation_type="outside_allowed_hours")
    assert [(r.rule_id, r.severity, int(r.exposure_min_usd), int(r.exposure_max_usd)) for r in rows] == [
        ("QH-FL-1", "critical", 500, 1500)]
    assert "FL law applies: FL is a candidate state by address and area_code (1 candidate state)" in rows[0].details


@pytest.mark.rules("RF-FREQ-1", "RF-FREQ-2")
@pytest.mark.parametrize("scenario", REG_F_SCENARIOS, ids=lambda s: s.example)
def test_reg_f_worked_example(pipeline_build, db, scenario):
    """The Regulation F worked examples (RF-*), person in America/Chicago (a single candidate zone)."""
    rows = ComplianceViolation.objects.filter(violation_type="reg_f_call_frequency", lead_id=scenario.lead_id)
    assert {(v.attempt_id, v.rule_id, v.certainty) for v in rows} == {
        (*key, "possible" if key in scenario.possible else "definite") for key in scenario.expected}


@pytest.mark.rules("RF-FREQ-2")
def test_ringless_voicemail_recorded_as_a_conversation_is_a_data_quality_warning(client, pipeline_build, db):
    """A ringless voicemail cannot hold a conversation (RF-03 variants Z-RF03RVM, Z-RF03BOTH): the row stays
    valid (not quarantined), is listed as a warning on /data-quality/, and RF-FREQ-2 counts it as possible
    (12 CFR 1006.14(b)(2)(i)(B): the period starts with a telephone conversation)."""
    with connection.cursor() as cursor:
        cursor.execute("select record_id, warning_code from intermediate.int_data_quality_warnings"
                       " where record_id like 'RF03%%'")
        assert set(cursor.fetchall()) == {("RF03RVM-V", "rvm_conversation"), ("RF03BOTH-R", "rvm_conversation")}
        cursor.execute("select count(*) from staging.stg_contact_attempts where channel = 'rvm'"
                       " and outcome = 'conversation'")
        (rvm_conversations,) = cursor.fetchone()
    assert warning_counts() == {"native/contact_attempts": {"rvm_conversation": rvm_conversations}}
    assert not QuarantinedRow.objects.filter(source_file="contact_attempts.jsonl", reason__contains="RF03")
    (row,) = ComplianceViolation.objects.filter(attempt_id="RF03RVM-B", rule_id="RF-FREQ-2")
    assert row.certainty == "possible" and "ringless voicemail on 2025-06-04 recorded as a conversation" in row.details
    client.force_login(user_in_role("auditor", "wendy"))
    page = client.get(reverse("compliance:data_quality")).content.decode()
    assert f"rvm_conversation {rvm_conversations}" in page
    assert "RF03RVM-V: a ringless voicemail recorded with outcome conversation" in page


@pytest.mark.rules("CON-FED-1", "QH-FED-1", "DNC-FED-1", "OPT-FED-1", "OPT-FED-2")
def test_manual_texts_need_no_consent_but_the_other_rules_apply(pipeline_build, db):
    """47 U.S.C. 227(b)(1)(A), 64.1200(a)(1)-(2): consent is for autodialed or artificial/prerecorded-voice
    calls and texts; a manual text needs none (CH-06 variant C-CH06). Calling hours (C-CH06-2130, 21:30
    EDT), the Do-Not-Call registry (CH-04, D-CH04) and opt-outs (CN-04, O-CN04) still apply to it."""
    with connection.cursor() as cursor:
        cursor.execute("select attempt_id from staging.stg_contact_attempts where lead_id in ('C-CH06', 'D-CH04',"
                       " 'O-CN04') and channel = 'sms' and technology = 'manual'")
        manual = [attempt_id for (attempt_id,) in cursor.fetchall()]
    assert len(manual) == 8
    manual_texts = ComplianceViolation.objects.filter(attempt_id__in=manual)
    assert not manual_texts.filter(rule_id="CON-FED-1")
    assert {(v.attempt_id, v.rule_id) for v in manual_texts} == {
        ("C-CH06-2130", "QH-FED-1"), ("D-CH04-1", "DNC-FED-1"), ("D-CH04-2", "DNC-FED-1"),
        ("O-CN04-A", "OPT-FED-2"), ("O-CN04-10", "OPT-FED-2"), ("O-CN04-B", "OPT-FED-1")}
    (unknown,) = ComplianceViolation.objects.filter(attempt_id="C-CH06-UNKNOWN", rule_id="CON-FED-1")
    assert (unknown.certainty, unknown.severity) == ("possible", "medium")
    assert "On file: nothing." in unknown.details and "technology is not given" in unknown.details


@pytest.mark.rules("DNC-FED-1")
@pytest.mark.parametrize("example, lead_id, phone, times, exposure", EXPOSURE_SCENARIOS, ids=lambda v: str(v)[:7])
def test_exposure_needs_more_than_one_call_in_12_months(pipeline_build, db, example, lead_id, phone, times, exposure):
    """SEV-02: two calls in 12 months to a registry-listed number, $500-$1,500 each ($1,000-$3,000);
    SEV-03: one call, private exposure $0 (47 U.S.C. 227(c)(5))."""
    rows = ComplianceViolation.objects.filter(violation_type="dnc_match", lead_id=lead_id)
    assert len(rows) == len(times), example
    assert {(int(r.exposure_min_usd), int(r.exposure_max_usd)) for r in rows} == {exposure}, example
