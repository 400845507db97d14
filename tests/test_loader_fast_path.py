"""``load_raw``'s fast path (compliance/ingest/plain_csv.py): a plain CSV is
parsed by PostgreSQL and COPYed straight into its raw table, appending
exactly the rows (values, file, line numbers, no parse error) that the
Python reader appends; any other file is left to the Python reader, with
nothing appended."""

import pytest
from django.db import connection

from compliance.datasets.native import generate_native
from compliance.datasets.seed import generate
from compliance.ingest.formats import FILE_NAME_SETTING, LOAD_ID_SETTING, META_COLUMNS, NATIVE_FORMAT, SEED_FORMAT
from compliance.ingest.load import ensure_raw_tables
from compliance.ingest.store import FileCounts, copy_plain_file, copy_records

LEADS = next(spec for spec in SEED_FORMAT if spec.stem == "leads")
HEADER = "lead_id,phone_hash,state,timezone,source,created_at,consent_flag,opt_out_at"
# Values that json.dumps and PostgreSQL's to_json write alike only if the
# fast path is right: backslashes, spaces kept, empty fields, apostrophes.
PLAIN_ROWS = [
    r"P-1,ab\cd,NY,EST,web\\x,2025-01-01T00:00:00,true,",
    "P-2,  spaced  ,NY,EST,it's,2025-01-01T00:00:00, false ,",
    "P-3,,,,,,,",
    "P-1,ab\\cd,NY,EST,web\\\\x,2025-01-01T00:00:00,true,",  # the first line again
]


# The load ids each path appends under (no RawLoad has them).
FAST_LOAD, SLOW_LOAD = -1, -2


def appended(cursor, spec, load_id: int) -> list[tuple]:
    """The rows appended to ``raw.<table>`` under ``load_id``, by line: every
    column but ``_load_id`` and ``_loaded_at``."""
    columns = ", ".join(f'"{c}"' for c in (*META_COLUMNS, *spec.columns) if c not in ("_load_id", "_loaded_at"))
    cursor.execute(f"select {columns} from raw.{spec.table} where _load_id = %s order by _line_number", [load_id])
    return cursor.fetchall()


def both_paths(path, spec=LEADS):
    """(rows the fast path appended or None, rows the Python reader appended, their counts)."""
    ensure_raw_tables()
    fast_counts, slow_counts = FileCounts(path.name, spec.table), FileCounts(path.name, spec.table)
    with connection.cursor() as cursor:
        cursor.execute("select set_config(%s, %s, true)", [FILE_NAME_SETTING, path.name])
        cursor.execute("select set_config(%s, %s, true)", [LOAD_ID_SETTING, str(FAST_LOAD)])
        fast = copy_plain_file(cursor, path, spec, fast_counts)
        fast_rows = appended(cursor, spec, FAST_LOAD)
        cursor.execute("select set_config(%s, %s, true)", [LOAD_ID_SETTING, str(SLOW_LOAD)])
        copy_records(cursor, path, spec, slow_counts)
        slow_rows = appended(cursor, spec, SLOW_LOAD)
    if not fast:
        assert fast_rows == [], "a file left to the Python reader: the fast path's attempt appended nothing"
    return (fast_rows if fast else None), slow_rows, fast_counts, slow_counts


def line_counts(counts: FileCounts) -> tuple[int, int, int, int]:
    return counts.rows_read, counts.lines, counts.header_lines, counts.blank_lines


@pytest.mark.django_db
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_a_plain_csv_gives_the_python_readers_rows(tmp_path, ending):
    path = tmp_path / "leads.csv"
    path.write_bytes((HEADER + ending + ending.join(PLAIN_ROWS) + ending).encode())
    fast, slow, fast_counts, slow_counts = both_paths(path)
    assert fast is not None, "a plain file takes the fast path"
    assert fast == slow and len(fast) == len(PLAIN_ROWS)
    assert line_counts(fast_counts) == line_counts(slow_counts) == (4, 5, 1, 0)


# Whole fields quoted, each without a quote inside: read alike by both readers.
QUOTED_ROWS = [
    'Q-1,"h",NY,EST,"web,app",2025-01-01T00:00:00,true,""',
    '"Q-2",h,"",EST," spaced, ",2025-01-01T00:00:00,"",',
    'Q-3,h,NY,EST,"web\\x",2025-01-01T00:00:00,true,',
]


@pytest.mark.django_db
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_whole_quoted_fields_give_the_python_readers_rows(tmp_path, ending):
    path = tmp_path / "leads.csv"
    path.write_bytes((HEADER + ending + ending.join(QUOTED_ROWS)).encode())  # the last line without its ending
    fast, slow, fast_counts, slow_counts = both_paths(path)
    assert fast is not None, "whole quoted fields take the fast path"
    assert fast == slow and len(fast) == len(QUOTED_ROWS)
    assert [row[8] for row in fast] == ["web,app", " spaced, ", "web\\x"]
    assert line_counts(fast_counts) == line_counts(slow_counts) == (3, 4, 1, 0)


def write_export(out, file_format: str):
    """A generated clean export (native as CSV: its consents quote their channel lists, "call,sms")."""
    if file_format == "seed":
        generate(out, leads=40, seed=7, clean=True)
    else:
        generate_native(out, leads=40, seed=7, clean=True, file_type="csv")
        assert '"call,sms"' in (out / "consents.csv").read_text()


@pytest.mark.django_db
@pytest.mark.parametrize("file_format, specs", [("seed", SEED_FORMAT), ("native", NATIVE_FORMAT)])
def test_generated_exports_take_the_fast_path_with_the_same_rows(tmp_path, file_format, specs):
    write_export(tmp_path, file_format)
    for spec in specs:
        fast, slow, fast_counts, slow_counts = both_paths(tmp_path / spec.file_name, spec)
        assert fast is not None, spec.file_name
        assert fast == slow, spec.file_name
        assert line_counts(fast_counts) == line_counts(slow_counts), spec.file_name


@pytest.mark.django_db
@pytest.mark.parametrize("text", [
    HEADER + '\nQ-1,h,NY,EST,w"e"b,2025-01-01T00:00:00,true,\n',    # a quote inside a field
    HEADER + '\nQ-2,h,NY,EST,"we""b",2025-01-01T00:00:00,true,\n',  # a quote inside a quoted field
    HEADER + '\nQ-3,h,NY,EST, "web",2025-01-01T00:00:00,true,\n',   # a quote after a space
    HEADER + '\nQ-4,h,NY,EST,"web"x,2025-01-01T00:00:00,true,\n',   # text after the closing quote
    HEADER + '\nQ-5,h,NY,EST,"web,2025-01-01T00:00:00,true,\n',     # an unmatched quote
    HEADER + '\nQ-6,h,NY,EST,"w\neb",2025-01-01T00:00:00,true,\n',  # a line break inside quotes
    HEADER + '\nQ-7,h,NY,EST,"w\reb",2025-01-01T00:00:00,true,\n',  # a carriage return inside quotes
    HEADER + '\nQ-8,h,NY,EST,web,2025-01-01T00:00:00,true,"',        # an unmatched quote on the last line
    HEADER.replace("state", '"state"') + "\nQ-9,h,NY,EST,web,2025-01-01T00:00:00,true,\n",  # a quoted header
    HEADER + "\r\nC-1,h,NY,EST,web,2025-01-01T00:00:00,true,\nC-2,h,NY,EST,web,2025-01-01,true,\r\n",  # mixed endings
    HEADER + "\nR-1,h,NY,EST,w\reb,2025-01-01T00:00:00,true,\n",     # a carriage return inside a line
    HEADER + "\r\n\r\nE-3,h,NY,EST,web,2025-01-01T00:00:00,true,\r\n",  # a blank CRLF line
    HEADER + "\nU-1,h,NY,EST,wéb,2025-01-01T00:00:00,true,\n",        # not ASCII
    "\ufeff" + HEADER + "\nB-1,h,NY,EST,web,2025-01-01T00:00:00,true,\n",  # a byte-order mark
    HEADER + "\nT-1,h,NY,EST,w\teb,2025-01-01T00:00:00,true,\n",      # a control character
    HEADER + "\n\nE-1,h,NY,EST,web,2025-01-01T00:00:00,true,\n",      # a blank line
    "\n" + HEADER + "\nE-2,h,NY,EST,web,2025-01-01T00:00:00,true,\n",  # a blank line before the header
    HEADER + "\nF-1,h,NY,EST,web,2025-01-01T00:00:00,true\n",         # a field missing
    HEADER + "\nF-2,h,NY,EST,web,2025-01-01T00:00:00,true,,extra\n",  # a field too many
    HEADER + "\n\\.\nM-1,h,NY,EST,web,2025-01-01T00:00:00,true,\n",   # COPY's end-of-data marker
    HEADER + "\nL-1,h,NY,EST," + "w" * 10_001 + ",2025-01-01T00:00:00,true,\n",  # over the field limit
])
def test_any_other_file_is_left_to_the_python_reader(tmp_path, text):
    path = tmp_path / "leads.csv"
    path.write_bytes(text.encode("utf-8"))
    fast, slow, _, slow_counts = both_paths(path)
    assert fast is None
    assert slow and slow_counts.rows_read >= 1
