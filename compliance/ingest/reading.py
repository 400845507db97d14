"""Reading an input file of a load: opening it (never through a symbolic
link), its physical lines (none over :data:`READ_LIMIT` characters), and
what a record reader of either format (:mod:`.csv_records`,
:mod:`.jsonl_records`) shares: making received text storable and quoting it.

Limits, in characters (docs/data-contract.md, "Limits"): a field longer than
:data:`FIELD_LIMIT` is kept and quarantined; a line or CSV field longer than
:data:`READ_LIMIT` refuses the load (the most the loader holds in memory at
once); reasons and errors quote at most :data:`QUOTE_LIMIT` characters of
what was received, and text a reason cuts that no column holds is kept whole
in the raw row (``_received``).
"""

import errno
import io
import os
import re
from pathlib import Path

from compliance.ingest.formats import RawFileSpec

# Undecodable bytes arrive as lone surrogates (errors="surrogateescape").
UNDECODABLE = re.compile("[\udc80-\udcff]")
# Any surrogate in a decoded JSON string (from a \\ud800-style escape).
LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# The limits (module docstring).
FIELD_LIMIT = 10_000
READ_LIMIT = 64 * 1024 * 1024
QUOTE_LIMIT = 200

LINK_REFUSED = ("is a symbolic link: only regular files inside the load directory are read "
                "(copy the file there instead)")


class RawLoadError(Exception):
    """The directory cannot be loaded (missing file, symbolic link, wrong
    header, unreadable file, a line over :data:`READ_LIMIT`). The message names
    the file and, for a header, the column; it never quotes more than
    :data:`QUOTE_LIMIT` characters of a file."""


def open_descriptor(path: Path) -> int:
    """A read-only descriptor of ``path``, never through a symbolic link
    (``O_NOFOLLOW``: a link put in its place after
    :func:`.files.check_directory` is refused too, so nothing outside the
    directory is read). Raises
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


def escape_bad_bytes(value: str) -> str:
    """NUL and undecodable bytes as the literal text ``\\x00`` / ``\\xNN``; any
    other lone surrogate (from a JSON escape) as ``\\uXXXX``."""
    value = value.replace("\x00", "\\x00")
    value = UNDECODABLE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", value)
    return LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", value)


def oversized_fields(where: str, names: list[str] | tuple[str, ...], values: list[str | None]) -> list[str]:
    """One problem per value longer than :data:`FIELD_LIMIT` characters,
    naming ``where`` (file and line), the field, the limit and the value's
    length, and quoting only its start (:func:`excerpt`)."""
    return [f"{where}: field '{name}' is over the {FIELD_LIMIT:,}-character limit: {excerpt(value)}"
            for name, value in zip(names, values) if value is not None and len(value) > FIELD_LIMIT]


class RecordReader:
    """The records of one input file, in file order, as ``(line_number, values
    in spec order, parse_error)``, when iterated (:class:`.csv_records.CsvRecords`,
    :class:`.jsonl_records.JsonlRecords`).

    Reading counts the file's physical lines: ``lines = header_lines +
    blank_lines`` + the lines of the records. After each record, ``received``
    is its text as received (bad bytes written as ``\\xNN``) when its
    ``parse_error`` quotes only the start of text that no column holds, else
    ``None``. Raises :class:`RawLoadError` as :class:`LineReader` does.
    """

    def __init__(self, path: Path, spec: RawFileSpec):
        self.path, self.spec = path, spec
        self.lines = self.header_lines = self.blank_lines = 0
        self.received: str | None = None

    def quote_received(self, quoted: str, received: str) -> str:
        """``quoted`` as :func:`excerpt` allows; when that cuts it, the
        record's text ``received`` is kept (``self.received``)."""
        if len(quoted) > QUOTE_LIMIT:
            self.received = received
        return excerpt(quoted, kept="; the record as received is kept in its raw row (_received)")
