"""Load an export directory into the ``raw`` schema with COPY.

Rows are kept as received (text). A row's key is the SHA-256 of its values, so
loading the same directory twice adds no rows; it only records that the rows
were seen again (``_seen_load_id``), which makes them the current version
again for staging. A record with the wrong number of fields, that spans
several lines, with a field over :data:`FIELD_LIMIT` characters, a NUL byte or
bytes that are not UTF-8 is still loaded, with ``_parse_error`` set (bad bytes
written as ``\\xNN``), and staging quarantines it. JSON Lines files (native
format) are read the same way: a line that is not a JSON object, or has a field
the contract does not know, is kept with ``_parse_error`` set. A reason quotes
at most :data:`QUOTE_LIMIT` characters of what was received; text it cuts that
no column holds is kept whole in ``raw.received_text``. Files are opened
without following symbolic links. The whole directory loads in one
transaction: either every file is loaded or none.

Loading only loads: no dbt runs here. A plain CSV (the usual export) is
parsed and hashed by PostgreSQL (:mod:`.plain_csv`); any other file is read
record by record in Python. Typing, quarantine and the per-file balance
(read = staged + superseded + quarantined) are the next pipeline run's
(:func:`compliance.pipeline.data_quality.judge_pending_loads`).
"""

import csv
import errno
import hashlib
import io
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from compliance.ingest.formats import FORMATS, LOAD_ROWS_SQL, RECEIVED_TEXT_SQL, RawFileSpec, create_table_sql
from compliance.ingest.plain_csv import NotPlain, copy_plain, plain_table, row_hash_sql
from compliance.models import RawLoad, RawLoadFile

# Undecodable bytes arrive as lone surrogates (errors="surrogateescape").
UNDECODABLE = re.compile("[\udc80-\udcff]")
# Any surrogate in a decoded JSON string (from a \\ud800-style escape).
LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# Limits, in characters (docs/data-contract.md, "Limits"). A field longer than
# FIELD_LIMIT is kept and quarantined; a line or CSV field longer than
# READ_LIMIT refuses the load (the most the loader holds in memory at once);
# reasons and errors quote at most QUOTE_LIMIT characters of what was received.
FIELD_LIMIT = 10_000
READ_LIMIT = 64 * 1024 * 1024
QUOTE_LIMIT = 200
# Memory of each sort while storing a file's rows (one per file at a time):
# a file's rows are sorted by row hash in memory up to this size, on disk beyond.
LOAD_WORK_MEM = "256MB"
# Process-wide: raising it makes no other CSV reader refuse what it accepted.
csv.field_size_limit(READ_LIMIT)

LINK_REFUSED = ("is a symbolic link: only regular files inside the load directory are read "
                "(copy the file there instead)")


class RawLoadError(Exception):
    """The directory cannot be loaded (missing file, symbolic link, wrong
    header, unreadable file, a line over :data:`READ_LIMIT`). The message names
    the file and, for a header, the column; it never quotes more than
    :data:`QUOTE_LIMIT` characters of a file."""


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


def ensure_raw_tables() -> None:
    """Create the ``raw`` schema and every format's tables if missing (dbt's
    sources name them all, whichever format a customer sends),
    ``raw.received_text`` and ``raw.load_rows``."""
    with connection.cursor() as cursor:
        cursor.execute("create schema if not exists raw")
        for specs in FORMATS.values():
            for spec in specs:
                cursor.execute(create_table_sql(spec))
        cursor.execute(RECEIVED_TEXT_SQL)
        cursor.execute(LOAD_ROWS_SQL)


def load_directory(directory: Path, file_format: str = "seed") -> tuple[RawLoad, list[FileCounts]]:
    """Load every file of ``file_format`` from ``directory`` into ``raw``.

    Returns the :class:`RawLoad` record and per-file counts in ``raw``, which
    are also stored (:class:`RawLoadFile`, pending staging's verdict).
    Raises :class:`RawLoadError`, having loaded nothing, if a file is missing,
    a symbolic link, unreadable, has a wrong header or a line or CSV field
    over :data:`READ_LIMIT` characters.
    """
    files = check_directory(directory, file_format)
    ensure_raw_tables()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"set local work_mem = '{LOAD_WORK_MEM}'")
            # A hashed group would come out unsorted and spill: store_rows groups by sorting.
            cursor.execute("set local enable_hashagg = off")
        load = RawLoad.objects.create(source_dir=str(directory.resolve()), file_format=file_format)
        counts = [copy_file(path, spec, load.pk) for spec, path in files]
        record_counts(load, counts)
        load.finished_at = timezone.now()
        load.save(update_fields=["finished_at"])
    return load, counts


def check_directory(directory: Path, file_format: str) -> list[tuple[RawFileSpec, Path]]:
    """Raise :class:`RawLoadError` unless ``directory`` holds exactly one file
    per entity of ``file_format`` (a regular file, not a symbolic link: CSV
    with a right header, or JSON Lines where the format accepts it); return
    ``(spec, path)`` per entity. The message lists every problem, one line
    each."""
    directory = Path(directory)
    if not directory.is_dir():
        raise RawLoadError(f"{directory}: not a directory")
    files, problems = [], []
    for spec in FORMATS[file_format]:
        try:
            path = find_file(directory, spec)
            check_file(path, spec)
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
    if not found[0].is_symlink() and not found[0].is_file():
        raise RawLoadError(f"{found[0].name}: not a regular file (a directory, FIFO or device); send the file itself")
    return found[0]


def open_descriptor(path: Path) -> int:
    """A read-only descriptor of ``path``, never through a symbolic link
    (``O_NOFOLLOW``: a link put in its place after :func:`check_directory` is
    refused too, so nothing outside the directory is read). Raises
    :class:`RawLoadError` naming the file if it is a link or cannot be opened."""
    try:
        return os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as exc:
        problem = LINK_REFUSED if exc.errno == errno.ELOOP else f"cannot be read ({exc.strerror})"
        raise RawLoadError(f"{path.name}: {problem}") from exc


def open_input(path: Path) -> io.TextIOWrapper:
    """Open an input file as UTF-8 text (:func:`open_descriptor`). A
    byte-order mark is ignored; bad bytes are kept as surrogates. CSV lines
    end at CR, LF or CRLF, JSON lines at LF only."""
    newline = "\n" if path.suffix == ".jsonl" else ""
    return open(open_descriptor(path), encoding="utf-8-sig", errors="surrogateescape", newline=newline)


def check_file(path: Path, spec: RawFileSpec) -> None:
    """Raise :class:`RawLoadError` unless ``path`` opens (:func:`open_input`)
    and, for a CSV, has exactly the spec's columns (:func:`check_header`)."""
    with open_input(path) as handle:
        if path.suffix == ".csv":
            check_header(handle, path.name, spec)


def excerpt(text: str, kept: str = "") -> str:
    """``text`` as a reason or an error may quote it: whole up to
    :data:`QUOTE_LIMIT` characters, else its start then ``… (N characters)``,
    with ``kept`` (where the whole text is) after the count."""
    if len(text) <= QUOTE_LIMIT:
        return text
    return f"{text[:QUOTE_LIMIT]}… ({len(text):,} characters{kept})"


class LineReader:
    """The physical lines of an open file, one at a time (an iterator, e.g.
    for ``csv.reader``).

    ``count`` is the number of lines read so far, ``blank`` of those set aside
    as blank (:meth:`skip`). A line longer than :data:`READ_LIMIT` characters,
    its ending included, raises :class:`RawLoadError` naming the file and line
    before more of it is read.
    """

    def __init__(self, handle: io.TextIOWrapper, file_name: str):
        self.handle, self.file_name = handle, file_name
        self.count = self.blank = 0
        self.pending: list[str] = []

    def __iter__(self) -> "LineReader":
        return self

    def __next__(self) -> str:
        line = self.handle.readline(READ_LIMIT + 1)
        if not line:
            raise StopIteration
        self.count += 1
        if len(line) > READ_LIMIT:
            raise RawLoadError(f"{self.file_name}: line {self.count} is longer than {READ_LIMIT:,} characters, "
                               "the most the loader reads; nothing was loaded")
        self.pending.append(line)
        return line

    def take(self) -> list[str]:
        """The lines read since the last :meth:`take` or :meth:`skip` (those of the current record)."""
        taken, self.pending = self.pending, []
        return taken

    def skip(self) -> None:
        """Count the lines read since the last :meth:`take` or :meth:`skip` as blank."""
        self.blank += len(self.take())


@contextmanager
def reading_errors(lines: LineReader) -> Iterator[None]:
    """Turn CSV syntax errors (a field over :data:`READ_LIMIT` among them)
    into a :class:`RawLoadError` naming the file and the line reached."""
    try:
        yield
    except csv.Error as exc:
        raise RawLoadError(f"{lines.file_name}: unreadable CSV at line {lines.count} ({exc})") from exc


def read_header(records: Iterator[list[str]], lines: LineReader) -> list[str]:
    """The first non-blank record of ``records`` (a ``csv.reader`` over
    ``lines``; blank records before it are skipped as blank lines), as
    lowercase names without surrounding spaces (bad bytes written as
    ``\\xNN``, as in rows). Its lines are left to :meth:`LineReader.take`."""
    for record in records:
        if any(field.strip() for field in record):
            return [escape_bad_bytes(field.strip().lower()) for field in record]
        lines.skip()
    raise RawLoadError(f"{lines.file_name}: the file is empty; expected a header row")


def check_header(handle: io.TextIOWrapper, file_name: str, spec: RawFileSpec) -> None:
    """Raise :class:`RawLoadError` unless the CSV open as ``handle`` has
    exactly the spec's columns (any order; case and surrounding spaces
    ignored). The message lists every missing, unexpected, blank or repeated
    column (each name quoted as :func:`excerpt` allows)."""
    lines = LineReader(handle, file_name)
    with reading_errors(lines):
        names = read_header(csv.reader(lines), lines)
    problems = [f"missing column '{c}'" for c in spec.columns if c not in names]
    problems += [f"unexpected column '{excerpt(n)}'" for n in names if n and n not in spec.columns]
    problems += [f"blank column name at position {i + 1}" for i, n in enumerate(names) if not n]
    problems += [f"column '{excerpt(n)}' appears twice"
                 for n in sorted({n for n in names if n and names.count(n) > 1})]
    if problems:
        raise RawLoadError(f"{file_name}: " + "; ".join(problems) + f" (expected: {', '.join(spec.columns)})")


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


def oversized_fields(where: str, names: list[str] | tuple[str, ...], values: list[str | None]) -> list[str]:
    """One problem per value longer than :data:`FIELD_LIMIT` characters,
    naming ``where`` (file and line), the field, the limit and the value's
    length, and quoting only its start (:func:`excerpt`)."""
    return [f"{where}: field '{name}' is over the {FIELD_LIMIT:,}-character limit: {excerpt(value)}"
            for name, value in zip(names, values) if value is not None and len(value) > FIELD_LIMIT]


def read_records(path: Path, spec: RawFileSpec) -> "RecordReader":
    """The records of a CSV or JSON Lines file (:class:`RecordReader`)."""
    return RecordReader(path, spec)


class RecordReader:
    """The records of one input file, in file order, as ``(line_number, values
    in spec order, parse_error)`` (:meth:`csv_records`, :meth:`jsonl_records`).

    Reading counts the file's physical lines: ``lines = header_lines +
    blank_lines`` + the lines of the records. After each record, ``received``
    is its text as received (bad bytes written as ``\\xNN``) when its
    ``parse_error`` quotes only the start of text that no column holds, else
    ``None``. Raises :class:`RawLoadError` as :class:`LineReader` and
    :func:`reading_errors` do.
    """

    def __init__(self, path: Path, spec: RawFileSpec):
        self.path, self.spec = path, spec
        self.lines = self.header_lines = self.blank_lines = 0
        self.received: str | None = None

    def __iter__(self) -> Iterator[tuple[int, list[str | None], str | None]]:
        return self.jsonl_records() if self.path.suffix == ".jsonl" else self.csv_records()

    def quote_received(self, quoted: str, received: str) -> str:
        """``quoted`` as :func:`excerpt` allows; when that cuts it, the
        record's text ``received`` is kept (``self.received``)."""
        if len(quoted) > QUOTE_LIMIT:
            self.received = received
        return excerpt(quoted, kept="; the record as received is kept in raw.received_text")

    def csv_records(self) -> Iterator[tuple[int, list[str | None], str | None]]:
        """The records of a CSV file. ``line_number`` is the record's first
        line. Blank lines are skipped. A record that spans several lines (no
        field may contain a line break: an unmatched quote joined them, and
        the lines swallowed are inside a field) or has the wrong number of
        fields is kept with ``parse_error`` set: padded with NULLs, or its
        extra values quoted, so nothing is lost."""
        with open_input(self.path) as handle:
            lines = LineReader(handle, self.path.name)
            with reading_errors(lines):
                records = csv.reader(lines)
                header = read_header(records, lines)
                self.header_lines = len(lines.take())
                order = [header.index(c) for c in self.spec.columns]
                for record in records:
                    if not record:
                        lines.skip()
                        continue
                    taken = lines.take()
                    first_line = lines.count - len(taken) + 1
                    record, error = self.csv_record(record, header, first_line, taken)
                    yield first_line, [record[i] if i < len(record) else None for i in order], error
            self.lines, self.blank_lines = lines.count, lines.blank

    def csv_record(self, record: list[str], header: list[str], first_line: int,
                   taken: list[str]) -> tuple[list[str], str | None]:
        """One CSV record made storable (:func:`clean_record`), in file order,
        and its ``parse_error``; ``taken`` are its physical lines."""
        self.received = None
        record, problems = clean_record(record, header)
        if len(taken) > 1:
            problems.insert(0, f"the record spans lines {first_line}-{first_line + len(taken) - 1}: an unmatched "
                               "quote joined them; no field may contain a line break")
        elif "".join(taken).count('"') % 2:
            problems.insert(0, f"line {first_line} has an unmatched quote (quotes come in pairs: a quoted field "
                               'opens and closes with one, and a quote inside it is written "")')
        if len(record) != len(header):
            problem = f"expected {len(header)} fields, found {len(record)}"
            if len(record) > len(header):
                extra = repr(record[len(header):])
                problem += f"; extra values {self.quote_received(extra, escape_bad_bytes(''.join(taken)))}"
            problems.insert(0, problem)
        problems += oversized_fields(f"{self.path.name} line {first_line}", header, record)
        return record, "; ".join(problems) or None

    def jsonl_records(self) -> Iterator[tuple[int, list[str | None], str | None]]:
        """The records of a JSON Lines file, one per non-blank line (lines end
        at LF only: a CR inside a line stays in it), read as
        :func:`json_values` says. A line that is not an object, has an unknown
        or repeated key, a nested value, ``NaN``, a NUL or a lone surrogate
        (``\\ud800``), or bytes that are not UTF-8 is kept with
        ``parse_error`` set, quoting the line (:meth:`quote_received`), so
        nothing is lost."""
        with open_input(self.path) as handle:
            lines = LineReader(handle, self.path.name)
            for raw_line in lines:
                line = raw_line.rstrip("\n").removesuffix("\r")
                if not line.strip():
                    lines.skip()
                    continue
                lines.take()
                yield lines.count, *self.jsonl_record(line, lines.count)
            self.lines, self.blank_lines = lines.count, lines.blank

    def jsonl_record(self, line: str, line_number: int) -> tuple[list[str | None], str | None]:
        """One JSON line's values in spec order (bad bytes written as
        ``\\xNN``) and its ``parse_error``."""
        self.received = None
        values, problems = json_values(line, self.spec)
        if UNDECODABLE.search(line) or "\x00" in line:
            problems.insert(0, "bytes that are not UTF-8 or a NUL byte in the line")
        if problems:
            received = escape_bad_bytes(line)
            problems.append(f"line as received: {self.quote_received(received, received)}")
        values = [escape_bad_bytes(v) if v is not None else None for v in values]
        problems += oversized_fields(f"{self.path.name} line {line_number}", self.spec.columns, values)
        # A key is quoted as received in these problems: escaped too (a NUL or lone surrogate cannot be stored).
        return values, escape_bad_bytes("; ".join(problems)) or None


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
    """One JSON Lines record as text values in spec order, and its problems.

    Each line must be one JSON object whose keys are the spec's columns (any
    subset, each once, case-insensitive). A missing key or ``null`` is an
    empty value, as an empty CSV cell is, so the same data sent as CSV or as
    JSON Lines is the same raw row (same hash). Strings are kept as written;
    numbers keep their JSON text exactly (``19.999999999999999`` stays so);
    ``true``/``false`` become those words; a list of strings
    (``"channels": ["call", "sms"]``) is joined with ``,``.
    """
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


def row_hash(values: list[str | None], parse_error: str | None, received: str | None = None) -> str:
    """SHA-256 (hex) of a record's values, parse error and, when set, its text
    as received (:class:`RecordReader`); the row's identity in ``raw``. A row
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
    """Read ``path`` record by record (:class:`RecordReader`), COPY the records
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


def record_counts(load: RawLoad, counts: list[FileCounts]) -> None:
    """Store the per-file counts of a load (one :class:`RawLoadFile` each,
    pending until a pipeline run judges its rows)."""
    RawLoadFile.objects.bulk_create(
        RawLoadFile(
            load=load,
            file_name=c.file_name,
            rows_read=c.rows_read,
            rows_new=c.rows_new,
            rows_already_loaded=c.rows_already_loaded,
            rows_repeated=c.rows_repeated,
        )
        for c in counts
    )
