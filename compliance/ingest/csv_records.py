"""CSV records of an input file: its header checked against the contract,
then each record made storable as text with its problems (a record spanning
lines, the wrong number of fields, an unmatched quote, bad bytes, an
oversized field) in ``parse_error``, so nothing is lost.
"""

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager

from compliance.ingest.formats import RawFileSpec
from compliance.ingest.reading import (
    READ_LIMIT,
    UNDECODABLE,
    LineReader,
    RawLoadError,
    RecordReader,
    escape_bad_bytes,
    excerpt,
    open_input,
    oversized_fields,
)

# Process-wide: raising it makes no other CSV reader refuse what it accepted.
csv.field_size_limit(READ_LIMIT)


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


class CsvRecords(RecordReader):
    """The records of a CSV file (:class:`~.reading.RecordReader`). Raises
    :class:`~.reading.RawLoadError` also as :func:`reading_errors` does."""

    def __iter__(self) -> Iterator[tuple[int, list[str | None], str | None]]:
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
                    record, error = self.record(record, header, first_line, taken)
                    yield first_line, [record[i] if i < len(record) else None for i in order], error
            self.lines, self.blank_lines = lines.count, lines.blank

    def record(self, record: list[str], header: list[str], first_line: int,
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
