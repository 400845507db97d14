"""One bad timestamp must not break pages for good.

(1) Staging quarantines a timestamp outside the plausible range
(``timestamp_out_of_range``, docs/data-contract.md "Plausible range"), in
both formats and every timestamp column: a seed attempt at
9999-12-31T23:59:59-12:00 (10000-01-01 UTC, past what Python can hold) or in
1900, a native attempt, consent or opt-out far in the future.

(2) A value the database already holds out of Python's range (a case or mart
row from before) reads clamped (compliance/db_types.py) instead of raising
``DataError``: every page that shows it answers 200, for every role.
"""

import json
import re
from datetime import date, datetime, timezone

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.urls import reverse

from compliance.cases.evidence import current_evidence, evidence_changes, evidence_time
from compliance.db_types import LATEST, OutOfRangeDate, OutOfRangeDatetime, lies_after
from compliance.models import Case, CaseQueueItem, ComplianceViolation, PipelineNodeResult, QuarantinedRow
from compliance.pipeline.dbt_runner import run_dbt

from .conftest import user_in_role
from .native_scenarios import IMPLAUSIBLE_TIMESTAMP_LINES

YEAR_10000 = "10000-01-01 11:59:59+00"  # what PostgreSQL makes of 9999-12-31T23:59:59-12:00
ROLES = ("viewer", "auditor", "compliance_manager")

# Seed rows of tests/scenarios.py refused for their timestamp: (file, id column, id, timestamp column).
SEED_ROWS = [
    ("contact_attempts.csv", "attempt_id", "TS-FAR-FUTURE", "attempt_ts"),
    ("contact_attempts.csv", "attempt_id", "TS-1900", "attempt_ts"),
    ("leads.csv", "lead_id", "TS-PRE-TCPA", "created_at"),
    ("leads.csv", "lead_id", "TS-OPT-OUT", "opt_out_at"),
    ("conversions.csv", "conversion_id", "CONV-FUTURE", "conversion_ts"),
]
# Every timestamp column of every entity: (base model, raw table, column).
TIMESTAMP_COLUMNS = [
    ("base_seed__leads", "seed_leads", "created_at"),
    ("base_seed__leads", "seed_leads", "opt_out_at"),
    ("base_seed__contact_attempts", "seed_contact_attempts", "attempt_ts"),
    ("base_seed__conversions", "seed_conversions", "conversion_ts"),
    ("base_native__ads", "native_ads", "started_at"),
    ("base_native__leads", "native_leads", "created_at"),
    ("base_native__contact_attempts", "native_contact_attempts", "attempted_at"),
    ("base_native__consents", "native_consents", "captured_at"),
    ("base_native__consents", "native_consents", "revoked_at"),
    ("base_native__opt_outs", "native_opt_outs", "requested_at"),
    ("base_native__dnc_entries", "native_dnc_entries", "registered_at"),
    ("base_native__dnc_entries", "native_dnc_entries", "removed_at"),
    ("base_native__dnc_list_versions", "native_dnc_list_versions", "obtained_at"),
    ("base_native__conversions", "native_conversions", "occurred_at"),
]
STAGED_TIMESTAMPS = {
    "stg_leads": ["created_at"], "stg_contact_attempts": ["attempt_ts"], "stg_conversions": ["occurred_at"],
    "stg_consents": ["captured_at", "revoked_at"], "stg_opt_outs": ["requested_at"],
    "stg_dnc_entries": ["registered_at", "removed_at"], "stg_dnc_list_versions": ["obtained_at"],
    "stg_ads": ["started_at"],
}


# --- (1) staging quarantines implausible timestamps --------------------------------------------------------


@pytest.mark.parametrize("file_name, key, row_id, column", SEED_ROWS)
def test_seed_timestamp_out_of_range_is_quarantined(pipeline_build, db, file_name, key, row_id, column):
    rows = [q for q in QuarantinedRow.objects.filter(file_format="seed", source_file=file_name)
            if q.record.get(key) == row_id]
    assert len(rows) == 1, rows
    assert rows[0].reason_codes == ["timestamp_out_of_range"]
    assert f"timestamp out of range in {column}: '{rows[0].record[column]}'" in rows[0].reason
    assert ("plausible from 1991-12-20, the TCPA's enactment, to one day after the row was first loaded"
            in rows[0].reason)


@pytest.mark.parametrize("stem, line, code", IMPLAUSIBLE_TIMESTAMP_LINES,
                         ids=[stem for stem, _, _ in IMPLAUSIBLE_TIMESTAMP_LINES])
def test_native_timestamp_out_of_range_is_quarantined(pipeline_build, db, stem, line, code):
    sent = json.loads(line)
    rows = [q for q in QuarantinedRow.objects.filter(file_format="native", source_file=f"{stem}.jsonl")
            if all(q.record.get(key) == value for key, value in sent.items())]
    assert len(rows) == 1, rows
    assert rows[0].reason_codes == [code]
    (column,) = [key for key in sent if key.endswith("_at")]
    assert f"timestamp out of range in {column}: '{sent[column]}'" in rows[0].reason


def test_nothing_out_of_range_reaches_staging_the_mart_or_cases(pipeline_build, db):
    refused_attempts = ["TS-FAR-FUTURE", "TS-1900", "Z-TS-FUTURE"]
    with connection.cursor() as cursor:
        cursor.execute("select count(*) from staging.stg_contact_attempts where attempt_id = any(%s)",
                       [refused_attempts])
        assert cursor.fetchone()[0] == 0
        cursor.execute("select count(*) from staging.stg_leads where lead_id in ('TS-PRE-TCPA', 'TS-OPT-OUT')")
        assert cursor.fetchone()[0] == 0
        cursor.execute("select count(*) from staging.stg_consents where consent_id = 'Z-TS-CONSENT'")
        assert cursor.fetchone()[0] == 0
        cursor.execute("select count(*) from staging.stg_opt_outs where opt_out_id = 'Z-TS-OPT-OUT'")
        assert cursor.fetchone()[0] == 0
        cursor.execute("select count(*) from staging.stg_conversions "
                       "where conversion_id in ('CONV-FUTURE', 'Z-TS-SOON')")
        assert cursor.fetchone()[0] == 0
    assert not ComplianceViolation.objects.filter(attempt_id__in=refused_attempts).exists()
    assert not Case.objects.filter(attempt_id__in=refused_attempts).exists()


def test_every_staged_timestamp_is_in_range_and_dbt_tests_it(pipeline_build, db):
    """What the dbt test timestamp_in_range checks, checked here too; and the
    build ran that test on every staged timestamp column, and it passed."""
    with connection.cursor() as cursor:
        for model, columns in STAGED_TIMESTAMPS.items():
            for column in columns:
                cursor.execute(f"select count(*) from staging.{model} "
                               f"where {column} < '1991-12-20T00:00:00Z' or {column} > now() + interval '1 day'")
                assert cursor.fetchone()[0] == 0, (model, column)
    tests = PipelineNodeResult.objects.filter(run=pipeline_build.run, resource_type="test",
                                              name__startswith="timestamp_in_range_")
    tested = {name for name in tests.values_list("name", flat=True)}
    for model, columns in STAGED_TIMESTAMPS.items():
        for column in columns:
            assert f"timestamp_in_range_{model}_{column}" in tested, (model, column)
    assert set(tests.values_list("status", flat=True)) == {"pass"}


@pytest.fixture(scope="module")
def compiled_base_models(pipeline_build, django_db_blocker) -> dict[str, str]:
    """The compiled SELECT of every base model as a full build runs it
    (``dbt compile --full-refresh``: no build; an incremental one reads the
    raw table twice, for the keys of the new rows)."""
    models = sorted({model for model, _, _ in TIMESTAMP_COLUMNS})
    with django_db_blocker.unblock():
        result = run_dbt(["compile", "--full-refresh", "--select", *models])
    assert result.success, result.log_tail
    return {model: next(result.target.glob(f"compiled/**/{model}.sql")).read_text() for model in models}


def judged(compiled: str, table: str, model: str, column: str, values: list[str],
           loaded_at: str = "2025-06-01T00:00:00Z") -> dict[str, tuple[list[str], str]]:
    """What the base model's checks make of copies of one of its valid raw
    rows with ``column`` set to each of ``values``, first loaded at
    ``loaded_at``: value -> (problem codes, problems). The compiled model reads
    only those copies (its raw table replaced by a temporary one); nothing is
    written to raw."""
    reads = re.compile(rf'(?:"[^"]+"\.)?"raw"\."{table}"')
    assert len(reads.findall(compiled)) == 1, table
    with connection.cursor() as cursor:
        cursor.execute(f"select load_id, line_number from staging.{model} where status = 'valid' "
                       "order by load_id, line_number limit 1")
        original = cursor.fetchone()  # a raw row: one file per raw table and load, one row per line
        cursor.execute(f"create temporary table judge_input (like raw.{table})")
        for n, value in enumerate(values):  # copy n is line -n-1: told apart from the original (lines are > 0)
            cursor.execute(f"insert into judge_input select * from raw.{table} "
                           "where _load_id = %s and _line_number = %s", original)
            cursor.execute(f'update judge_input set _line_number = %s, "{column}" = %s, _loaded_at = %s '
                           "where _line_number = %s", [-n - 1, value, loaded_at, original[1]])
        cursor.execute(f"create temporary table judge_output as {reads.sub('pg_temp.judge_input', compiled)}")
        cursor.execute("select line_number, problem_codes, coalesce(row_problem, '') from judge_output")
        found = {line: (codes, problems) for line, codes, problems in cursor.fetchall()}
        cursor.execute("drop table judge_input, judge_output")
    return {value: found[-n - 1] for n, value in enumerate(values)}


OUT_OF_RANGE = ["9999-12-31T23:59:59-12:00", "1900-01-01T00:00:00Z", "1991-12-19T23:59:59Z", "2025-06-02T00:00:01Z"]
IN_RANGE = ["1991-12-20T00:00:00Z", "2025-06-02T00:00:00Z"]  # the bounds: the TCPA, one day after the first load


@pytest.mark.parametrize("model, table, column", TIMESTAMP_COLUMNS, ids=[f"{m}.{c}" for m, _, c in TIMESTAMP_COLUMNS])
def test_every_timestamp_column_of_every_entity_is_range_checked(compiled_base_models, db, model, table, column):
    verdicts = judged(compiled_base_models[model], table, model, column, OUT_OF_RANGE + IN_RANGE)
    for value in OUT_OF_RANGE:
        codes, problems = verdicts[value]
        assert "timestamp_out_of_range" in codes, (value, codes, problems)
        assert f"timestamp out of range in {column}: '{value}'" in problems, (value, problems)
    for value in IN_RANGE:
        codes, problems = verdicts[value]
        assert f"timestamp out of range in {column}" not in problems, (value, problems)


# --- (2) values Python cannot hold read clamped ---------------------------------------------------------------


def test_the_adapter_reads_unrepresentable_values_clamped(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "select %s::timestamptz, 'infinity'::timestamptz, '-infinity'::timestamptz, "
            "'0044-03-15 12:00:00+00 BC'::timestamptz, '10000-01-01 06:59:59'::timestamp, '10000-01-01'::date, "
            "'-infinity'::date, '2025-06-11 01:00:00+00'::timestamptz", [YEAR_10000])
        row = cursor.fetchone()
    later, infinite, minus_infinite, bc, naive, day, minus_day, ordinary = row
    assert later == infinite == LATEST == datetime.max.replace(tzinfo=timezone.utc)
    assert later.out_of_range == "after year 9999"
    assert minus_infinite == bc == datetime.min.replace(tzinfo=timezone.utc)
    assert bc.out_of_range == "before year 1"
    assert naive == datetime.max and naive.tzinfo is None and isinstance(naive, OutOfRangeDatetime)
    assert day == date.max and isinstance(day, OutOfRangeDate)
    assert minus_day == date.min and minus_day.out_of_range == "before year 1"
    assert ordinary == datetime(2025, 6, 11, 1, tzinfo=timezone.utc) and type(ordinary) is datetime
    assert lies_after(b"not a timestamp", binary=False) is None  # any other DataError still raises


def test_the_adapter_clamps_in_binary_results_too(db):
    connection.ensure_connection()
    with connection.connection.cursor(name="binary", binary=True) as cursor:
        cursor.execute("select %s::timestamptz, '-infinity'::timestamp, 'infinity'::date", [YEAR_10000])
        later, earlier, day = cursor.fetchone()
    assert (later, earlier, day) == (LATEST, datetime.min, date.max)


@pytest.fixture
def year_10000_case(pipeline_build, db) -> Case:
    """A case (and its mart row) whose attempt is at 10000-01-01 11:59:59 UTC,
    written directly in SQL as an earlier build could have (rolled back after
    the test)."""
    case = Case.objects.filter(status=Case.Status.NEW, assignee__isnull=True).order_by("pk").first()
    with connection.cursor() as cursor:
        cursor.execute("update compliance_case set attempt_ts = %s where id = %s", [YEAR_10000, case.pk])
        cursor.execute(
            "update analytics.mart_compliance_risk set attempt_ts = %s::timestamptz, "
            "attempt_ts_local = '10000-01-01 06:59:59', local_date = '10000-01-01' where violation_id = %s",
            [YEAR_10000, case.violation_id])
        assert cursor.rowcount == 1
    return case


def pages(case: Case) -> list[str]:
    violation_type = case.violation_type
    queue = reverse("compliance:case_list")
    return [
        reverse("compliance:case_detail", args=[case.pk]),
        queue,
        f"{queue}?violation_type={violation_type}",
        f"{queue}?severity={case.severity}&status=new",
        f"{queue}?assigned=none",
        f"{queue}?overdue=false",
        f"{queue}?overdue=true",
        f"{queue}?local_date=9999-12-31",
        f"{queue}?campaign_id={case.evidence.get('campaign_id') or ''}",
        f"{queue}?page=2",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_pages_with_a_year_10000_case_answer_200_for_every_role(client, year_10000_case, role):
    client.force_login(user_in_role(role, f"ts-{role}"))
    for url in pages(year_10000_case):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("compliance:case_detail", args=[year_10000_case.pk])).content.decode()
    assert "9999-12-31 23:59:59 UTC" in page
    assert "out of range: the stored time is after year 9999, shown clamped" in page
    case = year_10000_case
    queue = client.get(reverse("compliance:case_list"),
                       {"violation_type": case.violation_type, "severity": case.severity, "status": "new"})
    assert case.pk in [item.case_id for item in queue.context["page"]]  # latest attempt first among equals


def test_admin_lists_and_pages_with_a_year_10000_case_answer_200(client, year_10000_case):
    client.force_login(User.objects.create_superuser("ts-admin", password="x"))
    case = year_10000_case
    for url in [
        reverse("admin:compliance_case_changelist"),
        f"{reverse('admin:compliance_case_changelist')}?status__exact=new",
        reverse("admin:compliance_case_change", args=[case.pk]),
        reverse("admin:compliance_complianceviolation_changelist"),
        reverse("admin:compliance_complianceviolation_change", args=[case.violation_id]),
        reverse("admin:compliance_casequeueitem_changelist"),
        reverse("admin:compliance_casequeueitem_change", args=[case.pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_reading_a_year_10000_case_never_writes_the_clamped_value_back(client, year_10000_case):
    """An auditor claims and triages the case: the stored attempt time stays as it was."""
    case = year_10000_case
    client.force_login(user_in_role("auditor", "ts-worker"))
    for url in (reverse("compliance:case_claim", args=[case.pk]),
                reverse("compliance:case_transition", args=[case.pk, "triage"])):
        case.refresh_from_db()
        response = client.post(url, {"version": case.version}, follow=True)
        told = [str(m) for m in response.context["messages"]]
        assert response.status_code == 200 and not any("nothing was saved" in m.lower() for m in told), (url, told)
    case.refresh_from_db()
    assert case.assignee is not None and case.attempt_ts == LATEST
    with connection.cursor() as cursor:
        cursor.execute("select attempt_ts::text, status from compliance_case where id = %s", [case.pk])
        assert cursor.fetchone() == (YEAR_10000, "triaged")
    assert CaseQueueItem.objects.get(pk=case.pk).attempt_ts == LATEST


def test_evidence_then_and_now_with_a_year_10000_mart_row(year_10000_case):
    """The mart row now holds the year-10000 attempt: the evidence JSON keeps it
    as text, and the changes list shows it as written."""
    case = year_10000_case
    now = current_evidence(case)
    assert now["attempt_ts"] == "10000-01-01T11:59:59+00:00"
    changes = {change.field: change for change in evidence_changes(case.evidence, now)}
    assert changes["attempt_ts"].now_shown == "10000-01-01T11:59:59+00:00"
    assert changes["attempt_ts_local"].now_shown == "10000-01-01T06:59:59"
    assert evidence_time(now["attempt_ts"]) == LATEST
    assert evidence_time(now["attempt_ts_local"]) == datetime.max
    assert evidence_time(now["attempt_ts_local"]).out_of_range == "after year 9999"
    assert evidence_time("2025-06-10T21:00:00") == datetime(2025, 6, 10, 21)
    assert evidence_time("-infinity") == datetime.min


def test_case_page_with_a_year_10000_time_in_its_evidence_answers_200(client, year_10000_case):
    """A case opened from a year-10000 mart row keeps it in its evidence JSON."""
    case = year_10000_case
    with connection.cursor() as cursor:
        cursor.execute("update compliance_case set evidence = evidence || jsonb_build_object("
                       "'attempt_ts', '10000-01-01T11:59:59+00:00', 'attempt_ts_local', '10000-01-01T06:59:59') "
                       "where id = %s", [case.pk])
    client.force_login(user_in_role("auditor", "ts-evidence"))
    response = client.get(reverse("compliance:case_detail", args=[case.pk]))
    assert response.status_code == 200
    assert "out of range: the recorded time is after year 9999" in response.content.decode()
