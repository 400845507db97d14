"""Appending one file's records to ``raw.<table>``: a plain CSV is COPYed
straight in by PostgreSQL's CSV parser (:mod:`.plain_csv`), any other file
record by record from Python; nothing else is done per row (no key, no
lookup: identical rows are told apart by dbt's base models). Counts what was
read (:class:`FileCounts`).
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from compliance.ingest.files import read_records
from compliance.ingest.formats import FILE_NAME_SETTING, RawFileSpec
from compliance.ingest.plain_csv import NotPlain, copy_plain
from compliance.ingest.reading import FIELD_LIMIT, open_descriptor


@dataclass
class FileCounts:
    """What a load read from one file: ``rows_read`` records (each one row
    appended to ``raw.<table>``) and its physical lines (``lines =
    header_lines + blank_lines + record_lines``). Staging's verdict comes with
    the next pipeline run (:class:`~compliance.models.RawLoadFile`)."""

    file_name: str
    table: str
    rows_read: int = 0
    lines: int = 0
    header_lines: int = 0
    blank_lines: int = 0

    @property
    def record_lines(self) -> int:
        """Physical lines of the records read: ``lines - header_lines -
        blank_lines``; more than ``rows_read`` when a record spans lines."""
        return self.lines - self.header_lines - self.blank_lines


def copy_file(path: Path, spec: RawFileSpec) -> FileCounts:
    """Append every record of ``path`` to ``raw.<table>`` under the load
    being made (its ``_load_id`` is the session setting
    :func:`compliance.ingest.load.load_directory` sets) and count them. A plain
    CSV is read by PostgreSQL (:func:`copy_plain_file`), any other file record
    by record (:func:`copy_records`); both append the same rows."""
    counts = FileCounts(path.name, spec.table)
    with connection.cursor() as cursor:
        cursor.execute("select set_config(%s, %s, true)", [FILE_NAME_SETTING, path.name])
        if path.suffix != ".csv" or not copy_plain_file(cursor, path, spec, counts):
            copy_records(cursor, path, spec, counts)
    return counts


def copy_plain_file(cursor, path: Path, spec: RawFileSpec, counts: FileCounts) -> bool:
    """The fast path: COPY a plain CSV into ``raw.<table>``
    (:func:`.plain_csv.copy_plain`) and count it; ``False``, having appended
    nothing, when the file is not plain."""
    try:
        with transaction.atomic(), open(open_descriptor(path), "rb") as handle:
            records = copy_plain(cursor, handle, spec, FIELD_LIMIT)
    except NotPlain:
        return False
    counts.rows_read, counts.lines, counts.header_lines = records, records + 1, 1
    return True


def copy_records(cursor, path: Path, spec: RawFileSpec, counts: FileCounts) -> None:
    """Read ``path`` record by record (:func:`.files.read_records`) and COPY
    each into ``raw.<table>`` with its first line, parse error and, when its
    reason cuts it, its text as received (``_received``)."""
    columns = ", ".join(f'"{c}"' for c in ("_line_number", "_parse_error", *spec.columns, "_received"))
    records = read_records(path, spec)
    with cursor.copy(f"copy raw.{spec.table} ({columns}) from stdin") as copy:
        for line, values, error in records:
            counts.rows_read += 1
            copy.write_row([line, error, *values, records.received])
    counts.lines, counts.header_lines, counts.blank_lines = records.lines, records.header_lines, records.blank_lines
