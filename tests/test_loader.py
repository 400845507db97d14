"""``load_raw``: rows kept as received, appended (a reload appends its rows
again, superseded in staging by the later identical ones), bad rows
quarantined with a reason and counted, bad files refused with a clear error."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from compliance.ingest.files import read_records
from compliance.ingest.formats import META_COLUMNS, NATIVE_FORMAT, SEED_FORMAT
from compliance.ingest.jsonl_records import json_values
from compliance.ingest.load import ensure_raw_tables
from compliance.ingest.reading import RawLoadError
from compliance.models import QuarantinedRow, RawLoad, RawLoadFile

from .scenarios import EXPECTED_QUARANTINE, EXPECTED_REPEATED, SCENARIOS, write_scenarios

LINE = re.compile(r"^(?P<file>\S+): (?P<read>\d+) read$", re.M)
KEYS = ("read",)


def parse(output: str) -> dict[str, dict[str, int]]:
    return {m["file"]: {k: int(m[k]) for k in KEYS} for m in LINE.finditer(output)}


def data_rows(path) -> int:
    return len(path.read_bytes().strip().splitlines()) - 1


def verdicts(load_position: int) -> dict[str, tuple[int, int, int, int]]:
    """(read, staged, superseded, quarantined) per file of the session build's
    n-th load (0 = first), as the pipeline run recorded them."""
    load = RawLoad.objects.order_by("pk")[load_position]
    return {f.file_name: (f.rows_read, f.rows_staged, f.rows_superseded, f.rows_quarantined)
            for f in load.files.all()}


def test_first_load_counts_rows_in_raw_per_file_without_dbt(pipeline_build):
    counts = parse(pipeline_build.first_load)
    assert set(counts) == set(EXPECTED_QUARANTINE)
    for file_name in EXPECTED_QUARANTINE:
        assert counts[file_name] == {"read": data_rows(pipeline_build.scenario_dir / file_name)}
    assert "pending: the next pipeline run (manage.py run_pipeline) judges its rows" in pipeline_build.first_load


def test_the_next_pipeline_run_judges_every_line_of_each_load(pipeline_build, db):
    """read = staged + superseded + quarantined per file, each record under
    its own row's status: a record identical to a later one (a line repeated
    in the file, a row sent again by a later load) is superseded by it."""
    for position in (0, 1, 2):  # the scenarios (then a changed export of them), each sent again by load 4
        found = verdicts(position)
        for file_name in EXPECTED_QUARANTINE:
            rows = data_rows(pipeline_build.scenario_dir / file_name)
            assert found[file_name] == (rows, 0, rows, 0), (position, file_name)
    # Load 4, the latest: its repeated lines (valid ones) are superseded by their later copy.
    found = verdicts(3)
    for file_name, quarantined in EXPECTED_QUARANTINE.items():
        rows, repeated = data_rows(pipeline_build.scenario_dir / file_name), EXPECTED_REPEATED[file_name]
        assert found[file_name] == (rows, rows - repeated - quarantined, repeated, quarantined), file_name
    files = RawLoadFile.objects.all()
    assert files and all(f.counted_by_run_id == pipeline_build.run.pk for f in files if f.load_id <= 8)
    report = io.StringIO()
    call_command("load_raw", "--report", "8", stdout=report)
    rows = data_rows(pipeline_build.scenario_dir / "dnc.csv")
    run = pipeline_build.run.pk
    assert (f"dnc.csv: {rows} read; by pipeline run {run}: "
            f"{rows} read = {rows - 2} staged + 1 superseded + 1 quarantined") in report.getvalue()
    assert (f"dnc.csv: {rows} read; by pipeline run {run}: "
            f"{rows} read = 0 staged + {rows} superseded + 0 quarantined") in report.getvalue()


def test_reloading_the_same_directory_appends_its_rows_again(pipeline_build, db):
    """Raw tables are append-only: each of the four loads of the scenarios
    (one a changed export) appended every lead; staging stages each once."""
    counts = parse(pipeline_build.reload)
    for file_name in EXPECTED_QUARANTINE:
        assert counts[file_name] == {"read": data_rows(pipeline_build.scenario_dir / file_name)}
    leads = sum(1 for s in SCENARIOS if s.lead_id.startswith("QH-"))
    with connection.cursor() as cursor:
        cursor.execute("select count(*), count(distinct _load_id) from raw.seed_leads where lead_id like 'QH-%%'")
        assert cursor.fetchone() == (4 * leads, 4)
        cursor.execute("select status, count(*) from staging.base_seed__leads where lead_id like 'QH-%%' group by 1")
        assert dict(cursor.fetchall()) == {"valid": leads, "superseded": 3 * leads}


def test_raw_tables_hold_the_bookkeeping_columns_then_the_files(pipeline_build, db):
    """Every raw table is META_COLUMNS then its file's columns; dbt's
    raw_rows.sql takes the file columns as all but exactly those."""
    macro = (Path(settings.CCI_DBT_PROJECT_DIR) / "macros" / "raw_rows.sql").read_text()
    listed = re.search(r"set bookkeeping = \[([^\]]*)\]", macro)[1]
    assert tuple(re.findall(r"'(\w+)'", listed)) == META_COLUMNS
    with connection.cursor() as cursor:
        for spec in SEED_FORMAT + NATIVE_FORMAT:
            cursor.execute("select column_name from information_schema.columns where table_schema = 'raw' "
                           "and table_name = %s order by ordinal_position", [spec.table])
            assert tuple(name for (name,) in cursor.fetchall()) == META_COLUMNS + spec.columns, spec.table


def test_a_raw_schema_of_the_row_hash_keyed_loader_is_refused(pipeline_build, db):
    """Raw tables are append-only; a raw schema made by the loader before
    them (one row per distinct record, with raw.load_rows) is not migrated:
    it is refused, saying what to do, before anything is loaded or built."""
    with connection.cursor() as cursor:
        cursor.execute("create table raw.load_rows (load_id bigint)")
    with pytest.raises(RawLoadError, match=r"made by an older CCI .*raw\.load_rows.*drop schema raw cascade"):
        ensure_raw_tables()


@pytest.mark.parametrize(
    "file_name, line_value, reason",
    [
        ("leads.csv", "BAD-ZONE", "unknown zone label 'XST' (expected a US zone label"),
        ("leads.csv", "BAD-BOOL", "bad boolean in consent_flag: 'yes'"),
        ("leads.csv", "BAD-TS", "bad timestamp in created_at: '2025-02-30T10:00:00'"),
        ("contact_attempts.csv", "BAD-A1", "unknown lead NOPE"),
        ("contact_attempts.csv", "BAD-A2", "bad timestamp in attempt_ts: '06/11/2025 01:00'"),
        ("contact_attempts.csv", "BAD-A3", "lead BAD-ZONE is quarantined"),
        ("contact_attempts.csv", "BAD-A4", "expected 6 fields, found 7"),
        ("contact_attempts.csv", "BAD-A5", "unknown channel 'fax'"),
        ("contact_attempts.csv", "DUP-1", "duplicate attempt_id DUP-1 in the same file"),
        ("contact_attempts.csv", "DUP-2", "duplicate attempt_id DUP-2 in the same file"),
        ("conversions.csv", "CONV-2", "bad number in revenue: 'abc'"),
        ("conversions.csv", "CONV-3", "bytes that are not UTF-8 in conversion_type"),
        ("conversions.csv", "CONV-4", "NUL byte in conversion_type"),
        ("dnc.csv", "not-hex!", "is not a hex digest"),
    ],
)
def test_malformed_row_is_kept_with_its_reason(pipeline_build, db, file_name, line_value, reason):
    rows = [q for q in QuarantinedRow.objects.filter(source_file=file_name) if line_value in q.record.values()]
    assert len(rows) == 1, rows
    assert reason in rows[0].reason
    assert rows[0].line_number > 1


def copy_scenarios(tmp_path):
    write_scenarios(tmp_path)
    return tmp_path


@pytest.mark.parametrize("arguments, message", [
    (["--report", "0"], "--report N needs N >= 1"),
    (["DIR", "--format", "seed", "--report"], "--report prints earlier loads and loads nothing"),
    (["DIR"], "Give the export directory and --format seed|native"),
])
def test_load_raw_options_that_do_not_fit_are_refused(tmp_path, arguments, message):
    arguments = [str(tmp_path) if a == "DIR" else a for a in arguments]
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("load_raw", *arguments)


def test_missing_file_is_an_error_naming_it(tmp_path):
    (copy_scenarios(tmp_path) / "dnc.csv").unlink()
    with pytest.raises(CommandError, match=r"dnc\.csv: file not found"):
        call_command("load_raw", str(tmp_path), "--format", "seed")


def test_wrong_header_is_an_error_naming_file_and_column(tmp_path):
    path = copy_scenarios(tmp_path) / "contact_attempts.csv"
    text = path.read_text()
    path.write_text(text.replace("attempt_ts", "attempt_time", 1))
    with pytest.raises(CommandError, match=r"contact_attempts\.csv: missing column 'attempt_ts'; "
                                           r"unexpected column 'attempt_time'"):
        call_command("load_raw", str(tmp_path), "--format", "seed")


def test_unexpected_header_column_is_an_error(tmp_path):
    path = copy_scenarios(tmp_path) / "leads.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0] + ",notes"] + [line + "," for line in lines[1:]]) + "\n")
    with pytest.raises(CommandError, match=r"leads\.csv: unexpected column 'notes'"):
        call_command("load_raw", str(tmp_path), "--format", "seed")


def test_the_later_of_two_lines_with_one_id_is_used(pipeline_build, db):
    (row,) = [q for q in QuarantinedRow.objects.filter(source_file="contact_attempts.csv")
              if q.record["attempt_id"] == "DUP-2"]
    assert row.record["attempt_ts"] == "2025-05-04T03:00:00"
    lines = (pipeline_build.scenario_dir / "contact_attempts.csv").read_text().splitlines()
    last_dup2 = max(i for i, line in enumerate(lines, start=1) if line.startswith("DUP-2,"))
    assert f"line {last_dup2} is used" in row.reason


def test_header_problems_are_all_named(tmp_path):
    path = copy_scenarios(tmp_path) / "leads.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0].replace("lead_id", "lead") + ","] + lines[1:]) + "\n")
    with pytest.raises(CommandError) as error:
        call_command("load_raw", str(tmp_path), "--format", "seed")
    message = str(error.value)
    expected = ("leads.csv:", "missing column 'lead_id'", "unexpected column 'lead'", "blank column name at position 9")
    for part in expected:
        assert part in message


def test_a_refused_directory_loads_nothing(tmp_path, pipeline_build, db):
    path = copy_scenarios(tmp_path) / "leads.csv"
    path.write_text("")
    with connection.cursor() as cursor:
        cursor.execute("select count(*) from raw.seed_dnc")
        before = cursor.fetchone()[0]
        with pytest.raises(CommandError, match=r"leads\.csv: the file is empty"):
            call_command("load_raw", str(tmp_path), "--format", "seed")
        cursor.execute("select count(*) from raw.seed_dnc")
        assert cursor.fetchone()[0] == before


def test_bad_headers_in_several_files_are_reported_together(tmp_path):
    directory = copy_scenarios(tmp_path)
    for name, old, new in [("leads.csv", "phone_hash", "phone_hsh"), ("dnc.csv", "phone_hash", "hash")]:
        path = directory / name
        path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(CommandError) as error:
        call_command("load_raw", str(directory), "--format", "seed")
    assert "leads.csv: missing column 'phone_hash'" in str(error.value)
    assert "dnc.csv: missing column 'phone_hash'" in str(error.value)


def test_an_unmatched_quote_is_named_in_the_rows_reason(tmp_path):
    path = tmp_path / "contact_attempts.csv"
    path.write_text(
        "attempt_id,lead_id,channel,attempt_ts,outcome,campaign_id\n"
        'A1,L1,call,2025-06-10T12:00:00,"ok,C1\n'
        "A2,L1,call,2025-06-10T13:00:00,ok,C1\n"
    )
    spec = next(s for s in SEED_FORMAT if s.file_name == "contact_attempts.csv")
    ((line, values, error),) = list(read_records(path, spec))
    assert line == 2 and values[0] == "A1"
    assert "spans lines 2-3: an unmatched quote" in error
    assert "A2,L1" in values[4]  # the swallowed row is kept, inside the field


@pytest.mark.parametrize("line, values, problem", [
    ('{"conversion_id": 7, "revenue": 19.999999999999999}', ["7", "", "", "", "19.999999999999999"], None),
    ('{"Conversion_ID": "C1", "kind": null}', ["C1", "", "", "", ""], None),
    ('{"conversion_id": "C1", "conversion_id": "C2"}', None, "field 'conversion_id' given twice"),
    ('{"conversion_id": "C1", "revenue": NaN}', None, "NaN is not a JSON value"),
    ('{"conversion_id": "C1", "kind": "x\\ud800"}', None, "lone surrogate"),
    ('{"conversion_id": "C1", "kind": "\\u0000"}', None, "a NUL"),
    ('{"conversion_id": "C1", "kind": {"a": 1}}', None, "unsupported value"),
    ("[" * 50000 + "]" * 50000, None, "nested too deeply"),
    ('"just a string"', None, "expected a JSON object"),
])
def test_json_lines_values_and_problems(line, values, problem):
    """JSON Lines fields as a CSV cell would hold them; anything else is a problem, never a crash."""
    spec = next(s for s in NATIVE_FORMAT if s.stem == "conversions")
    found, problems = json_values(line, spec)
    if values is not None:
        assert (found, problems) == (values, [])
    else:
        assert any(problem in p for p in problems), problems
