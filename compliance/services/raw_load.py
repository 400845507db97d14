"""Load an export directory into the ``raw`` schema with COPY.

Rows are kept as received (text). A row's key is the SHA-256 of its values, so
loading the same directory twice adds no rows; it only records that the rows
were seen again (``_seen_load_id``), which makes them the current version
again for staging. A record with the wrong number of fields, a NUL byte or
bytes that are not UTF-8 is still loaded, with ``_parse_error`` set (bad bytes
written as ``\\xNN``), and staging quarantines it. JSON Lines files (native
format) are read the same way: a line that is not a JSON object, or has a field
the contract does not know, is kept with ``_parse_error`` set. The whole
directory loads in one transaction: either every file is loaded or none.
"""

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from compliance.models import RawLoad, RawLoadFile

from .raw_formats import FORMATS, META_COLUMNS, RawFileSpec, create_table_sql

# Undecodable bytes arrive as lone surrogates (errors="surrogateescape").
UNDECODABLE = re.compile("[\udc80-\udcff]")
# Any surrogate in a decoded JSON string (from a \\ud800-style escape).
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class RawLoadError(Exception):
    """The directory cannot be loaded (missing file, wrong header, unreadable
    file). The message names the file and, for a header, the column."""


@dataclass
class FileCounts:
    """What happened to one file's rows.

    In ``raw``: ``read = new + already_loaded + repeated`` (new rows stored,
    rows already there from an earlier load, lines repeating another line of
    the file exactly). In staging: ``read = loaded + quarantined + repeated``
    (rows now staged as the current version of their id, rows refused).
    """

    file_name: str
    table: str
    rows_read: int = 0
    rows_new: int = 0
    rows_already_loaded: int = 0
    rows_repeated: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0


def ensure_raw_tables() -> None:
    """Create the ``raw`` schema and every format's tables if missing (dbt's
    sources name them all, whichever format a customer sends)."""
    with connection.cursor() as cursor:
        cursor.execute("create schema if not exists raw")
        for specs in FORMATS.values():
            for spec in specs:
                cursor.execute(create_table_sql(spec))


def load_directory(directory: Path, file_format: str = "seed") -> tuple[RawLoad, list[FileCounts]]:
    """Load every file of ``file_format`` from ``directory`` into ``raw``.

    Returns the :class:`RawLoad` record and per-file counts, quarantine
    excluded (staging decides that: see :func:`count_staging_outcomes`).
    Raises :class:`RawLoadError`, having loaded nothing, if a file is missing,
    unreadable or has a wrong header.
    """
    files = check_directory(directory, file_format)
    ensure_raw_tables()
    with transaction.atomic():
        load = RawLoad.objects.create(source_dir=str(directory.resolve()), file_format=file_format)
        counts = [copy_file(path, spec, load.pk) for spec, path in files]
        load.finished_at = timezone.now()
        load.save(update_fields=["finished_at"])
    return load, counts


def check_directory(directory: Path, file_format: str) -> list[tuple[RawFileSpec, Path]]:
    """Raise :class:`RawLoadError` unless ``directory`` holds exactly one file
    per entity of ``file_format`` (CSV with a right header, or JSON Lines where
    the format accepts it); return ``(spec, path)`` per entity. The message
    lists every problem, one line each."""
    directory = Path(directory)
    if not directory.is_dir():
        raise RawLoadError(f"{directory}: not a directory")
    files, problems = [], []
    for spec in FORMATS[file_format]:
        try:
            path = find_file(directory, spec)
            if path.suffix == ".csv":
                check_header(path, spec)
            files.append((spec, path))
        except RawLoadError as exc:
            problems.append(str(exc))
    if problems:
        raise RawLoadError("\n".join(problems))
    return files


def find_file(directory: Path, spec: RawFileSpec) -> Path:
    """The one file of ``spec`` in ``directory``; :class:`RawLoadError` if
    there is none or more than one (``leads.csv`` beside ``leads.jsonl``)."""
    found = spec.candidates(directory)
    expected = " or ".join(f"{spec.stem}.{ext}" for ext in spec.extensions)
    if not found:
        raise RawLoadError(f"{spec.file_name}: file not found in {directory} (expected {expected})")
    if len(found) > 1:
        raise RawLoadError(f"{spec.stem}: both {' and '.join(p.name for p in found)} in {directory}; send one")
    return found[0]


def open_csv(path: Path) -> io.TextIOWrapper:
    """Open a CSV as UTF-8 (a byte-order mark is ignored; bad bytes are kept as surrogates)."""
    return open(path, encoding="utf-8-sig", errors="surrogateescape", newline="")


@contextmanager
def reading_errors(spec: RawFileSpec) -> Iterator[None]:
    """Turn CSV syntax errors into a :class:`RawLoadError` naming the file."""
    try:
        yield
    except csv.Error as exc:
        raise RawLoadError(f"{spec.file_name}: unreadable CSV ({exc})") from exc


def read_header(reader, spec: RawFileSpec) -> list[str]:
    """The first non-blank record, as lowercase names without surrounding
    spaces (bad bytes written as ``\\xNN``, as in rows)."""
    for record in reader:
        if any(field.strip() for field in record):
            return [escape_bad_bytes(field.strip().lower()) for field in record]
    raise RawLoadError(f"{spec.file_name}: the file is empty; expected a header row")


def check_header(path: Path, spec: RawFileSpec) -> None:
    """Raise :class:`RawLoadError` unless ``path`` exists and its header has
    exactly the spec's columns (any order; case and surrounding spaces
    ignored). The message lists every missing, unexpected, blank or repeated
    column."""
    with reading_errors(spec), open_csv(path) as handle:
        names = read_header(csv.reader(handle), spec)
    problems = [f"missing column '{c}'" for c in spec.columns if c not in names]
    problems += [f"unexpected column '{n}'" for n in names if n and n not in spec.columns]
    problems += [f"blank column name at position {i + 1}" for i, n in enumerate(names) if not n]
    problems += [f"column '{n}' appears twice" for n in sorted({n for n in names if n and names.count(n) > 1})]
    if problems:
        raise RawLoadError(f"{spec.file_name}: " + "; ".join(problems) + f" (expected: {', '.join(spec.columns)})")


def escape_bad_bytes(value: str) -> str:
    """NUL and undecodable bytes as the literal text ``\\x00`` / ``\\xNN``; any
    other lone surrogate (from a JSON escape) as ``\\uXXXX``."""
    value = value.replace("\x00", "\\x00")
    value = UNDECODABLE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", value)
    return LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", value)


def clean_record(record: list[str], header: list[str]) -> tuple[list[str], list[str]]:
    """Make a record storable as text (:func:`escape_bad_bytes`). Returns the
    record and its problems, naming the field of each bad byte."""
    problems = []
    for position, value in enumerate(record):
        name = header[position] if position < len(header) else f"field {position + 1}"
        if "\x00" in value:
            problems.append(f"NUL byte in {name}")
        if UNDECODABLE.search(value):
            problems.append(f"bytes that are not UTF-8 in {name}")
    return [escape_bad_bytes(value) for value in record], problems


def read_records(path: Path, spec: RawFileSpec) -> Iterator[tuple[int, list[str | None], str | None]]:
    """Yield ``(line_number, values in spec order, parse_error)`` per record
    of a CSV (:func:`read_csv_records`) or JSON Lines file (:func:`read_jsonl_records`)."""
    if path.suffix == ".jsonl":
        return read_jsonl_records(path, spec)
    return read_csv_records(path, spec)


def read_csv_records(path: Path, spec: RawFileSpec) -> Iterator[tuple[int, list[str | None], str | None]]:
    """Yield ``(line_number, values in spec order, parse_error)`` per CSV record.

    ``line_number`` is the record's first line. Blank lines are skipped. A
    record with the wrong number of fields is padded with NULLs, or keeps its
    extra values in ``parse_error``, so nothing is lost.
    """
    with reading_errors(spec), open_csv(path) as handle:
        reader = csv.reader(handle)
        header = read_header(reader, spec)
        order = [header.index(c) for c in spec.columns]
        previous_end = reader.line_num
        for record in reader:
            first_line, previous_end = previous_end + 1, reader.line_num
            if not record:
                continue
            record, problems = clean_record(record, header)
            if len(record) != len(header):
                problem = f"expected {len(header)} fields, found {len(record)}"
                if len(record) > len(header):
                    problem += f"; extra values {record[len(header):]!r}"
                if previous_end > first_line:
                    problem += (f"; the record spans lines {first_line}-{previous_end}: an unmatched quote "
                                "may have joined several rows into this one")
                problems.insert(0, problem)
            values = [record[i] if i < len(record) else None for i in order]
            yield first_line, values, "; ".join(problems) or None


def read_jsonl_records(path: Path, spec: RawFileSpec) -> Iterator[tuple[int, list[str | None], str | None]]:
    """Yield ``(line_number, values in spec order, parse_error)`` per JSON Lines record.

    Lines end at LF only (a CR inside a line stays in it). Each non-blank line
    must be one JSON object whose keys are the spec's columns (any subset,
    each once, case-insensitive). A missing key or ``null`` is stored as an
    empty value, as an empty CSV cell is, so the same data sent as CSV or as
    JSON Lines is the same raw row (same hash). Strings are kept as written;
    numbers keep their JSON text exactly (``19.999999999999999`` stays so);
    ``true``/``false`` become those words; a list of strings
    (``"channels": ["call", "sms"]``) is joined with ``,``. A line that is not
    an object, has an unknown or repeated key, a nested value, ``NaN``, a NUL
    or a lone surrogate (``\\ud800``), or bytes that are not UTF-8 is kept with
    ``_parse_error`` set; the error quotes the whole line, so nothing is lost.
    """
    with open(path, "rb") as handle:
        for line_number, raw_line in enumerate(handle, start=1):
            line = raw_line.decode("utf-8", errors="surrogateescape").rstrip("\n").removesuffix("\r")
            if line_number == 1:
                line = line.removeprefix("\ufeff")
            if not line.strip():
                continue
            values, problems = json_values(line, spec)
            if UNDECODABLE.search(line) or "\x00" in line:
                problems.insert(0, "bytes that are not UTF-8 or a NUL byte in the line")
            if problems:
                problems.append(f"line as received: {escape_bad_bytes(line)}")
            yield line_number, [escape_bad_bytes(v) if v is not None else None for v in values], \
                "; ".join(problems) or None


def reject_constant(name: str):
    """``NaN`` / ``Infinity`` are not JSON."""
    raise ValueError(f"{name} is not a JSON value")


def unique_keys(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object whose keys (trimmed, lowercase) must each appear once."""
    record: dict = {}
    for key, value in pairs:
        name = str(key).strip().lower()
        if name in record:
            raise ValueError(f"field '{name}' given twice")
        record[name] = value
    return record


def json_values(line: str, spec: RawFileSpec) -> tuple[list[str | None], list[str]]:
    """One JSON Lines record as text values in spec order, and its problems."""
    try:
        record = json.loads(line, parse_float=str, parse_int=str, parse_constant=reject_constant,
                            object_pairs_hook=unique_keys)
    except (ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else exc
        return [None] * len(spec.columns), [f"not valid JSON ({reason})"]
    if not isinstance(record, dict):
        return [None] * len(spec.columns), [f"expected a JSON object, found {type(record).__name__}"]
    problems = [f"unexpected field '{key}'" for key in record if key not in spec.columns]
    values = []
    for column in spec.columns:
        text, problem = json_text(record.get(column))
        if text and (LONE_SURROGATE.search(text) or "\x00" in text):
            problem = "a NUL or a lone surrogate (\\uXXXX escape that is not a character)"
        values.append(text)
        if problem:
            problems.append(f"{column}: {problem}")
    return values, problems


def json_text(value) -> tuple[str | None, str | None]:
    """A JSON value as the text a CSV cell would hold, or a problem. Numbers
    arrive as their JSON text (see :func:`json_values`)."""
    if value is None:
        return "", None
    if isinstance(value, str):
        return value, None
    if isinstance(value, bool):
        return ("true" if value else "false"), None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ",".join(value), None
    return None, "unsupported value (expected text, a number, true/false or a list of text)"


def row_hash(values: list[str | None], parse_error: str | None) -> str:
    """SHA-256 (hex) of a record's values; the row's identity in ``raw``."""
    return hashlib.sha256(json.dumps([values, parse_error]).encode("utf-8")).hexdigest()


def copy_file(path: Path, spec: RawFileSpec, load_id: int) -> FileCounts:
    """COPY one file into a temporary table, then upsert it into ``raw.<table>``:
    new rows are inserted; rows already there only get ``_seen_load_id``.
    Identical lines collapse to the last one. The temporary table
    ``pg_temp.loaded_<table>`` keeps the file's row hashes for
    :func:`count_staging_outcomes`."""
    counts = FileCounts(path.name, spec.table)
    temp = f"loaded_{spec.table}"
    columns = [c for c in META_COLUMNS if c not in ("_loaded_at", "_seen_at")] + list(spec.columns)
    column_list = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"drop table if exists pg_temp.{temp}")
        cursor.execute(f"create temporary table {temp} (like raw.{spec.table} including defaults)")
        with cursor.copy(f"copy pg_temp.{temp} ({column_list}) from stdin") as copy:
            for line, values, error in read_records(path, spec):
                counts.rows_read += 1
                copy.write_row([row_hash(values, error), load_id, path.name, line, load_id, line, error, *values])
        cursor.execute(
            f"""
            with upserted as (
                insert into raw.{spec.table} ({column_list})
                select distinct on (_row_hash) {column_list}
                from pg_temp.{temp}
                order by _row_hash, _line_number desc
                on conflict (_row_hash) do update
                    set _seen_load_id = excluded._seen_load_id,
                        _seen_line_number = excluded._seen_line_number,
                        _seen_at = now()
                returning (xmax = 0) as inserted
            )
            select count(*) filter (where inserted), count(*) from upserted
            """
        )
        counts.rows_new, distinct_rows = cursor.fetchone()
    counts.rows_already_loaded = distinct_rows - counts.rows_new
    counts.rows_repeated = counts.rows_read - distinct_rows
    return counts


def count_staging_outcomes(counts: list[FileCounts]) -> None:
    """Fill ``rows_loaded`` and ``rows_quarantined`` with staging's verdict on
    the rows of the files just loaded (staging must be built first)."""
    specs = {spec.table: spec for specs in FORMATS.values() for spec in specs}
    with connection.cursor() as cursor:
        for file_counts in counts:
            spec = specs[file_counts.table]
            cursor.execute(
                f"""
                select count(*) filter (where status = 'valid'), count(*) filter (where status = 'quarantined')
                from {spec.base_model}
                where row_hash in (select _row_hash from pg_temp.loaded_{spec.table})
                """
            )
            file_counts.rows_loaded, file_counts.rows_quarantined = cursor.fetchone()


def record_counts(load: RawLoad, counts: list[FileCounts]) -> None:
    """Store the per-file counts of a load (one :class:`RawLoadFile` each)."""
    RawLoadFile.objects.bulk_create(
        RawLoadFile(
            load=load,
            file_name=c.file_name,
            rows_read=c.rows_read,
            rows_new=c.rows_new,
            rows_already_loaded=c.rows_already_loaded,
            rows_repeated=c.rows_repeated,
            rows_loaded=c.rows_loaded,
            rows_quarantined=c.rows_quarantined,
        )
        for c in counts
    )
