"""Storing one file's rows in ``raw.<table>``: COPY into a temporary table
(by PostgreSQL's CSV parser for a plain CSV, :mod:`.plain_csv`, else record
by record from Python), then one statement that inserts the new rows by row
hash and marks the others seen again (``_seen_load_id``), and counts what
happened (:class:`FileCounts`).
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from compliance.ingest.files import read_records
from compliance.ingest.formats import RawFileSpec
from compliance.ingest.plain_csv import NotPlain, copy_plain, plain_table, row_hash_sql
from compliance.ingest.reading import FIELD_LIMIT, open_descriptor


@dataclass
class FileCounts:
    """What happened to one file's rows in ``raw``, and its physical lines
    (``lines = header_lines + blank_lines + record_lines``):
    ``read = new + already_loaded + repeated`` (new rows stored, rows already
    there from an earlier load, lines repeating another line of the file
    exactly). Staging's verdict comes with the next pipeline run
    (:class:`~compliance.models.RawLoadFile`).
    """

    file_name: str
    table: str
    rows_read: int = 0
    rows_new: int = 0
    rows_already_loaded: int = 0
    rows_repeated: int = 0
    lines: int = 0
    header_lines: int = 0
    blank_lines: int = 0

    @property
    def record_lines(self) -> int:
        """Physical lines of the records read: ``lines - header_lines -
        blank_lines``; more than ``rows_read`` when a record spans lines."""
        return self.lines - self.header_lines - self.blank_lines


def row_hash(values: list[str | None], parse_error: str | None, received: str | None = None) -> str:
    """SHA-256 (hex) of a record's values, parse error and, when set, its text
    as received (:func:`.files.read_records`); the row's identity in ``raw``. A row
    without ``received`` keeps the hash earlier loads gave it."""
    identity = [values, parse_error] if received is None else [values, parse_error, received]
    return hashlib.sha256(json.dumps(identity).encode("utf-8")).hexdigest()


def copy_file(path: Path, spec: RawFileSpec, load_id: int) -> FileCounts:
    """Load one file into ``raw.<table>`` and count its rows (:class:`FileCounts`,
    raw side). A plain CSV is read by PostgreSQL (:mod:`.plain_csv`), any
    other file record by record (:func:`copy_records`); both store the same
    rows (:func:`store_rows`)."""
    counts = FileCounts(path.name, spec.table)
    with connection.cursor() as cursor:
        source = copy_plain_file(cursor, path, spec, counts) if path.suffix == ".csv" else None
        if source is None:
            source = copy_records(cursor, path, spec, load_id, counts)
        counts.rows_new, distinct_rows = store_rows(cursor, spec, source, load_id, path.name)
    counts.rows_already_loaded = distinct_rows - counts.rows_new
    counts.rows_repeated = counts.rows_read - distinct_rows
    return counts


def copy_plain_file(cursor, path: Path, spec: RawFileSpec, counts: FileCounts) -> str | None:
    """The fast path: COPY a plain CSV (:func:`.plain_csv.copy_plain`) and
    return the SQL of its rows as :func:`store_rows` reads them; ``None``,
    having changed nothing, when the file is not plain."""
    try:
        with transaction.atomic(), open(open_descriptor(path), "rb") as handle:
            records = copy_plain(cursor, handle, spec, FIELD_LIMIT)
    except NotPlain:
        return None
    counts.rows_read, counts.lines, counts.header_lines = records, records + 1, 1
    columns = ", ".join(f'"{c}"' for c in spec.columns)
    return f"""
        select {row_hash_sql(spec)} as _row_hash, _ord + 1 as _line_number, null::text as _parse_error, {columns}
        from pg_temp.{plain_table(spec)}"""


def copy_records(cursor, path: Path, spec: RawFileSpec, load_id: int, counts: FileCounts) -> str:
    """Read ``path`` record by record (:func:`.files.read_records`), COPY the records
    with their Python :func:`row_hash` into a temporary table and keep the
    text as received of those whose reason cuts it (``raw.received_text``).
    Returns the SQL of its rows as :func:`store_rows` reads them."""
    temp = f"loaded_{spec.table}"
    columns = ["_row_hash", "_line_number", "_parse_error", *spec.columns]
    column_list = ", ".join(f'"{c}"' for c in columns)
    records = read_records(path, spec)
    cursor.execute(f"drop table if exists pg_temp.{temp}")
    cursor.execute(f"create temporary table {temp} on commit drop as "
                   f"select {column_list} from raw.{spec.table} with no data")
    cursor.execute(f"alter table pg_temp.{temp} add column _received text")
    with cursor.copy(f"copy pg_temp.{temp} ({column_list}, _received) from stdin") as copy:
        for line, values, error in records:
            counts.rows_read += 1
            received = records.received
            copy.write_row([row_hash(values, error, received), line, error, *values, received])
    counts.lines, counts.header_lines, counts.blank_lines = records.lines, records.header_lines, records.blank_lines
    cursor.execute(
        f"""
        insert into raw.received_text (raw_table, _row_hash, received)
        select distinct on (_row_hash) %s, _row_hash, _received from pg_temp.{temp} where _received is not null
        on conflict do nothing
        """,
        [spec.table],
    )
    return f"select {column_list} from pg_temp.{temp}"


def store_rows(cursor, spec: RawFileSpec, source: str, load_id: int, file_name: str) -> tuple[int, int]:
    """Store the rows of ``source`` (SQL yielding ``_row_hash``,
    ``_line_number``, ``_parse_error`` and the spec's columns) in
    ``raw.<table>``: new rows are inserted, rows already there only get
    ``_seen_load_id``; identical lines collapse to the last one. Each distinct
    row and its number of lines go to ``raw.load_rows`` for the next pipeline
    run's counts. Returns (new rows, distinct rows).

    One statement, one pass over the rows: they are grouped by hash (sorted
    under the "C" collation, see below), then the new ones are inserted and the
    others updated; both read the table as it was before the statement, so
    each distinct row is exactly one of the two. The table is locked against
    other writers first (readers go on), so no row can appear between that
    check and the insert."""
    data = ", ".join(f'"{c}"' for c in spec.columns)
    cursor.execute(f"lock table raw.{spec.table} in share row exclusive mode")
    # Rows with one hash have the same values and parse error (the hash is
    # theirs), so grouping by those too only carries them to the output.
    # Hashes sort under "C": byte order, which PostgreSQL compares with
    # abbreviated keys, several times faster than the database's collation
    # (equality is the same under both, and the output is re-labelled with the
    # column's collation so that the primary key index serves the lookups).
    # A sorted group, not a window over each hash, counts a hash's lines.
    cursor.execute(
        f"""
        with received as ({source}),
        distinct_rows as materialized (
            select (_row_hash collate "C") collate "default" as _row_hash,
                   max(_line_number) as _line_number, count(*) as _lines, _parse_error, {data}
            from received
            group by _row_hash collate "C", _parse_error, {data}
        ),
        inserted as (
            insert into raw.{spec.table}
                (_row_hash, _load_id, _file_name, _line_number, _seen_load_id, _seen_line_number, _parse_error, {data})
            select _row_hash, %(load)s, %(file)s, _line_number, %(load)s, _line_number, _parse_error, {data}
            from distinct_rows as d
            where not exists (select from raw.{spec.table} as r where r._row_hash = d._row_hash)
        ),
        seen_again as (
            update raw.{spec.table} as r
            set _seen_load_id = %(load)s, _seen_line_number = d._line_number, _seen_at = now()
            from distinct_rows as d
            where r._row_hash = d._row_hash
            returning 1
        ),
        counted as (
            insert into raw.load_rows (load_id, raw_table, _row_hash, lines)
            select %(load)s, %(table)s, _row_hash, _lines from distinct_rows
        )
        select distinct_count - (select count(*) from seen_again), distinct_count
        from (select count(*) as distinct_count from distinct_rows) as d
        """,
        {"load": load_id, "file": file_name, "table": spec.table},
    )
    return cursor.fetchone()
