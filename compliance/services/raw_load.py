"""Load an export directory into the ``raw`` schema with COPY.

Rows are kept exactly as received (text). Each row's SHA-256 over its values
is its key, so loading the same directory twice adds no rows. A CSV record with
the wrong number of fields is still loaded, with ``_parse_error`` set, and is
quarantined by staging. The whole directory loads in one transaction: either
every file is loaded or none.
"""

import csv
import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from compliance.models import RawLoad, RawLoadFile

from .raw_formats import FORMATS, META_COLUMNS, RawFileSpec, create_table_sql


class RawLoadError(Exception):
    """The directory cannot be loaded (missing file, wrong header, unreadable
    file). The message names the file and, for a header, the column."""


@dataclass
class FileCounts:
    """What happened to one file: rows read, new rows stored, rows already in
    ``raw`` (a reload, or a line repeated in the file), rows quarantined."""

    file_name: str
    rows_read: int = 0
    rows_new: int = 0
    rows_quarantined: int = 0

    @property
    def rows_already_loaded(self) -> int:
        return self.rows_read - self.rows_new


def ensure_raw_tables(file_format: str = "seed") -> None:
    """Create the ``raw`` schema and the format's tables if missing."""
    with connection.cursor() as cursor:
        cursor.execute("create schema if not exists raw")
        for spec in FORMATS[file_format]:
            cursor.execute(create_table_sql(spec))


def load_directory(directory: Path, file_format: str = "seed") -> tuple[RawLoad, list[FileCounts]]:
    """Load every file of ``file_format`` from ``directory`` into ``raw``.

    Returns the :class:`RawLoad` record and per-file counts, quarantine
    excluded (staging decides that: see :func:`count_quarantined`).
    Raises :class:`RawLoadError` before loading anything if a file is missing
    or its header is wrong.
    """
    specs = FORMATS[file_format]
    directory = Path(directory)
    if not directory.is_dir():
        raise RawLoadError(f"{directory}: not a directory")
    for spec in specs:
        check_header(directory / spec.file_name, spec)

    ensure_raw_tables(file_format)
    with transaction.atomic():
        load = RawLoad.objects.create(source_dir=str(directory.resolve()), file_format=file_format)
        counts = [copy_file(directory / spec.file_name, spec, load.pk) for spec in specs]
        load.finished_at = timezone.now()
        load.save(update_fields=["finished_at"])
    return load, counts


def check_header(path: Path, spec: RawFileSpec) -> None:
    """Raise :class:`RawLoadError` unless ``path`` exists and its header has
    exactly the spec's columns (any order, case and surrounding spaces ignored)."""
    if not path.is_file():
        raise RawLoadError(f"{spec.file_name}: file not found in {path.parent}")
    with reading_errors(spec), open_csv(path) as handle:
        header = next(csv.reader(handle), None)
    if not header:
        raise RawLoadError(f"{spec.file_name}: the file is empty; expected a header row")
    names = [h.strip().lower() for h in header]
    for column in spec.columns:
        if column not in names:
            raise RawLoadError(f"{spec.file_name}: missing column '{column}' in the header")
    for name in names:
        if name not in spec.columns:
            raise RawLoadError(f"{spec.file_name}: unexpected column '{name}' in the header")
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise RawLoadError(f"{spec.file_name}: column '{sorted(duplicates)[0]}' appears twice in the header")


def open_csv(path: Path) -> io.TextIOWrapper:
    """Open a CSV as UTF-8 (a byte-order mark is ignored)."""
    return open(path, encoding="utf-8-sig", newline="")


@contextmanager
def reading_errors(spec: RawFileSpec) -> Iterator[None]:
    """Turn decoding and CSV syntax errors into a :class:`RawLoadError` naming the file."""
    try:
        yield
    except UnicodeDecodeError as exc:
        raise RawLoadError(f"{spec.file_name}: not valid UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except csv.Error as exc:
        raise RawLoadError(f"{spec.file_name}: unreadable CSV ({exc})") from exc


def read_records(path: Path, spec: RawFileSpec) -> Iterator[tuple[int, list[str | None], str | None]]:
    """Yield ``(line_number, values in spec order, parse_error)`` per record.

    Blank lines are skipped. A record with the wrong number of fields is
    padded with NULLs or keeps its extra values in ``parse_error``, so nothing
    is lost. Raises :class:`RawLoadError` if the file is not valid UTF-8.
    """
    with reading_errors(spec), open_csv(path) as handle:
        reader = csv.reader(handle)
        header = [h.strip().lower() for h in next(reader)]
        order = [header.index(c) for c in spec.columns]
        for record in reader:
            if not record:
                continue
            error = None
            if len(record) != len(header):
                error = f"expected {len(header)} fields, found {len(record)}"
                if len(record) > len(header):
                    error += f"; extra values {record[len(header):]!r}"
            values = [record[i] if i < len(record) else None for i in order]
            yield reader.line_num, values, error


def row_hash(values: list[str | None], parse_error: str | None) -> str:
    """SHA-256 (hex) of a record's values; the row's identity in ``raw``."""
    parts = ["\\N" if v is None else v.replace("\\", "\\\\") for v in values]
    parts.append(parse_error or "")
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def copy_file(path: Path, spec: RawFileSpec, load_id: int) -> FileCounts:
    """COPY one file into a temporary table, then insert the rows not already
    in ``raw.<table>``. The temporary table ``pg_temp.loaded_<table>`` keeps the
    file's row hashes for :func:`count_quarantined`."""
    counts = FileCounts(spec.file_name)
    temp = f"loaded_{spec.table}"
    columns = [c for c in META_COLUMNS if c != "_loaded_at"] + list(spec.columns)
    column_list = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"drop table if exists pg_temp.{temp}")
        cursor.execute(
            f"create temporary table {temp} (like raw.{spec.table} including defaults) on commit preserve rows"
        )
        with cursor.copy(f"copy pg_temp.{temp} ({column_list}) from stdin") as copy:
            for line_number, values, error in read_records(path, spec):
                counts.rows_read += 1
                copy.write_row([row_hash(values, error), load_id, spec.file_name, line_number, error, *values])
        cursor.execute(
            f"""
            insert into raw.{spec.table} ({column_list})
            select distinct on (_row_hash) {column_list}
            from pg_temp.{temp}
            order by _row_hash, _line_number
            on conflict (_row_hash) do nothing
            """
        )
        counts.rows_new = cursor.rowcount
    return counts


def count_quarantined(counts: list[FileCounts], file_format: str = "seed") -> None:
    """Fill ``rows_quarantined`` from ``staging.stg_seed__quarantine`` for the
    rows of the files just loaded (staging views must be built first)."""
    tables = {spec.file_name: spec.table for spec in FORMATS[file_format]}
    with connection.cursor() as cursor:
        for file_counts in counts:
            temp = f"loaded_{tables[file_counts.file_name]}"
            cursor.execute(
                f"""
                select count(*) from staging.stg_seed__quarantine q
                where q.source_file = %s
                  and q.row_hash in (select _row_hash from pg_temp.{temp})
                """,
                [file_counts.file_name],
            )
            file_counts.rows_quarantined = cursor.fetchone()[0]


def record_counts(load: RawLoad, counts: list[FileCounts]) -> None:
    """Store the per-file counts of a load (one :class:`RawLoadFile` each)."""
    RawLoadFile.objects.bulk_create(
        RawLoadFile(
            load=load,
            file_name=c.file_name,
            rows_read=c.rows_read,
            rows_new=c.rows_new,
            rows_already_loaded=c.rows_already_loaded,
            rows_quarantined=c.rows_quarantined,
        )
        for c in counts
    )
