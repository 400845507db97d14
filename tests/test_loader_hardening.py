"""``load_raw`` hardening: a stray quote
loses no row, a huge field is quarantined with a bounded, located reason, and
a symbolic link is refused before it is read.

The loads go to a scratch database of this module (migrated once), as an
operator runs them: their quarantined rows would otherwise change the shared
build's data-quality counts.
"""

import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string

from compliance.ingest.files import check_directory, read_records
from compliance.ingest.formats import NATIVE_FORMAT, SEED_FORMAT
from compliance.ingest.reading import RawLoadError

from .conftest import database_url, libpq_conninfo, manage, query

HASH = "ab" * 32
LEADS_HEADER = "lead_id,phone_hash,state,timezone,source,created_at,consent_flag,opt_out_at"
HUGE = 10 * 1024 * 1024


@pytest.fixture(scope="module")
def scratch_url():
    """A migrated scratch database for this module's loads; dropped afterwards."""
    name = f"cci_scratch_{uuid.uuid4().hex[:10]}"
    admin = libpq_conninfo(database_url("postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"create database {name}")
    url = database_url(name)
    manage(url, "migrate", "--verbosity", "0")
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"drop database if exists {name} with (force)")


def write_seed(directory: Path, leads: list[str], attempts: list[str] = ()) -> Path:
    """A seed export: ``leads`` and ``attempts`` as body lines, the other files header only."""
    directory.mkdir(parents=True, exist_ok=True)
    bodies = {"leads.csv": leads, "contact_attempts.csv": list(attempts)}
    for spec in SEED_FORMAT:
        lines = [",".join(spec.columns), *bodies.get(spec.file_name, [])]
        (directory / spec.file_name).write_text("\n".join(lines) + "\n")
    return directory


@dataclass
class Quarantined:
    line_number: int
    reason: str
    reason_codes: list[str]
    record: dict


def quarantined_lead(url: str, lead_id: str) -> Quarantined:
    """The one quarantined row of seed ``leads.csv`` with this ``lead_id``."""
    rows = query(url, "select line_number, reason, reason_codes, record from staging.stg_quarantine "
                      "where file_format = 'seed' and source_file = 'leads.csv' and record->>'lead_id' = %s",
                 [lead_id])
    assert len(rows) == 1, rows
    return Quarantined(*rows[0])


def printed_counts(output: str, file_name: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(f"{file_name}: ")]


def judged(url: str, file_name: str) -> str:
    """Run the pipeline (which judges the load's rows in staging), then the
    latest load's report line for ``file_name``."""
    manage(url, "run_pipeline")
    report = manage(url, "load_raw", "--report", "1").stdout
    (line,) = [line.strip() for line in report.splitlines() if line.strip().startswith(f"{file_name}: ")]
    return line


@pytest.mark.parametrize("kind", ["directory", "fifo"])
def test_an_input_that_is_not_a_regular_file_is_named_as_such(tmp_path, kind):
    directory = write_seed(tmp_path / kind, [f"F-1,{HASH},NY,EST,web,2025-01-01T00:00:00,true,"])
    (directory / "leads.csv").unlink()
    (directory / "leads.csv").mkdir() if kind == "directory" else os.mkfifo(directory / "leads.csv")
    with pytest.raises(RawLoadError, match="leads.csv: not a regular file"):
        check_directory(directory, "seed")


@pytest.mark.parametrize("key", [r"bad\ud800key", r"bad\u0000key"])  # as written in the JSON line
def test_a_json_key_that_cannot_be_stored_is_quoted_escaped(tmp_path, key):
    """A key holding a NUL or a lone surrogate (\\u escapes in the JSON) is
    an unexpected field: the row is kept, its reason escaped so it can be
    stored (it used to abort the whole load)."""
    path = tmp_path / "conversions.jsonl"
    path.write_text('{"conversion_id": "J-9", "%s": "x"}\n' % key)
    ((line, values, error),) = list(read_records(path, next(s for s in NATIVE_FORMAT if s.stem == "conversions")))
    assert (line, values[0]) == (1, "J-9") and "unexpected field 'bad" in error
    assert "\x00" not in error and not any("\ud800" <= c <= "\udfff" for c in error)
    error.encode("utf-8")  # storable text


@pytest.mark.slow
def test_a_stray_quote_joining_two_lines_loses_no_row(scratch_url, tmp_path):
    """A field opening a quote and a later line's field closing it
    made one record of two lines with the right field count; the second lead
    was in neither raw nor the quarantine. Now the record is quarantined with
    the lines it swallowed named, the swallowed text kept, and the printed
    lines reconcile with the records."""
    directory = write_seed(tmp_path / "quote", [
        f"Q-1,{HASH},NY,EST,web,2025-01-01T00:00:00,true,",
        f'Q-2,{HASH},NY,EST,"web,2025-01-01T00:00:00,true,',
        f'Q-3,{HASH},NY,EST,web",2025-01-01T00:00:00,true,',
        "",
        f"Q-4,{HASH},NY,EST,web,2025-01-01T00:00:00,true,",
        f'Q-5,{HASH},NY,EST,web,2025-01-01T00:00:00,true,"',  # a quote opened in the last field, never closed
    ])
    output = manage(scratch_url, "load_raw", "--format", "seed", str(directory)).stdout
    assert printed_counts(output, "leads.csv") == [
        "leads.csv: 4 read",
        "leads.csv: 7 lines = 1 header + 1 blank + 5 in the 4 records read",
    ]
    assert judged(scratch_url, "leads.csv").endswith("4 read = 2 staged + 0 superseded + 2 quarantined")
    assert "line 7 has an unmatched quote" in quarantined_lead(scratch_url, "Q-5").reason
    row = quarantined_lead(scratch_url, "Q-2")
    assert row.line_number == 3
    assert "the record spans lines 3-4: an unmatched quote joined them; no field may contain a line break" \
        in row.reason
    assert "malformed_record" in row.reason_codes
    assert f"Q-3,{HASH},NY,EST,web" in row.record["source"]  # the swallowed line, inside the quoted field


@pytest.mark.slow
def test_a_huge_field_is_kept_and_quarantined_with_a_bounded_located_reason(scratch_url, tmp_path):
    """A 10 MB CSV field refused the whole load without a line
    number; a 10 MB JSON line was accepted, and a JSON line's reason quoted
    the whole line. Now the row is kept whole in raw, quarantined with a
    reason naming file, line, field, length and limit; no reason or error
    quotes more than a short start of what was received."""
    extra = "e" * 500
    directory = write_seed(tmp_path / "huge", [
        f"H-1,{HASH},NY,EST,{'s' * HUGE},2025-01-01T00:00:00,true,",
        f"H-2,{HASH},NY,EST,web,2025-01-01T00:00:00,true,,{extra}",
        f"H-3,{HASH},NY,EST,web,{'t' * HUGE},true,",  # staging quotes the value it refuses: cut too
    ])
    output = manage(scratch_url, "load_raw", "--format", "seed", str(directory)).stdout
    assert printed_counts(output, "leads.csv")[0] == "leads.csv: 3 read"
    assert judged(scratch_url, "leads.csv").endswith("3 read = 0 staged + 0 superseded + 3 quarantined")
    ((source_length, parse_error),) = query(
        scratch_url, "select length(source), _parse_error from raw.seed_leads where lead_id = 'H-1'")
    assert source_length == HUGE  # nothing lost
    assert parse_error.startswith("leads.csv line 2: field 'source' is over the 10,000-character limit: sss")
    assert parse_error.endswith(f"… ({HUGE:,} characters)") and len(parse_error) < 400
    assert len(quarantined_lead(scratch_url, "H-1").reason) < 400
    bad_timestamp = quarantined_lead(scratch_url, "H-3").reason
    assert f"bad timestamp in created_at: '{'t' * 200}'… ({HUGE:,} characters)" in bad_timestamp
    assert len(bad_timestamp) < 1000
    long_extras = quarantined_lead(scratch_url, "H-2")
    assert len(long_extras.reason) < 600 and "kept in its raw row (_received)" in long_extras.reason
    (received,) = query(scratch_url, "select _received from raw.seed_leads where _received is not null")
    assert received == (f"H-2,{HASH},NY,EST,web,2025-01-01T00:00:00,true,,{extra}\n",)

    conversions = tmp_path / "conversions.jsonl"
    unknown_key = json.dumps({"conversion_id": "J-2", "notes": "n" * HUGE})
    conversions.write_text(json.dumps({"conversion_id": "J-1", "kind": "k" * HUGE}) + "\n" + unknown_key + "\n")
    records = read_records(conversions, next(s for s in NATIVE_FORMAT if s.stem == "conversions"))
    (line_1, values_1, error_1), (line_2, _, error_2) = list(records)
    assert (line_1, len(values_1[2])) == (1, HUGE)
    assert error_1.startswith("conversions.jsonl line 1: field 'kind' is over the 10,000-character limit")
    assert line_2 == 2 and len(error_2) < 600 and "unexpected field 'notes'" in error_2
    assert records.received == unknown_key  # the line no column holds, kept whole

    staging_reason = f"bad timestamp in created_at: '{'t' * HUGE}'"  # staging quotes a value it refuses
    page = render_to_string("compliance/data_quality.html", {
        "balances": [], "counts": {},
        "rows": [SimpleNamespace(file_format="seed", source_file="leads.csv", line_number=2, load_id=1,
                                 reason=staging_reason)],
    })
    assert len(page) < 10_000 and f"({len(staging_reason)} characters" in page


def test_a_symbolic_link_is_refused_before_it_is_read(tmp_path):
    """A symbolic link in the load directory was followed, and a
    wrong header echoed the foreign file's first line. Now it is refused,
    naming the file, before any of it is read, also for JSON Lines and for a
    link put in place after the directory was checked."""
    foreign = tmp_path / "elsewhere"
    foreign.mkdir()
    (foreign / "secret.csv").write_text("root-secret-token,x\n1,2\n")
    directory = write_seed(tmp_path / "export", [])
    (directory / "leads.csv").unlink()
    (directory / "leads.csv").symlink_to(foreign / "secret.csv")
    with pytest.raises(CommandError) as error:
        call_command("load_raw", str(directory), "--format", "seed")
    assert "leads.csv: is a symbolic link" in str(error.value)
    assert "secret" not in str(error.value)

    native = tmp_path / "native"
    native.mkdir()
    for spec in NATIVE_FORMAT:
        (native / f"{spec.stem}.jsonl").write_text("")
    (foreign / "leads.jsonl").write_text(json.dumps({"lead_id": "X-1", "phone": "(212) 555-0107"}) + "\n")
    (native / "leads.jsonl").unlink()
    (native / "leads.jsonl").symlink_to(foreign / "leads.jsonl")
    with pytest.raises(CommandError, match=r"leads\.jsonl: is a symbolic link"):
        call_command("load_raw", str(native), "--format", "native")
    with pytest.raises(RawLoadError, match=r"leads\.jsonl: is a symbolic link"):
        list(read_records(native / "leads.jsonl", next(s for s in NATIVE_FORMAT if s.stem == "leads")))
