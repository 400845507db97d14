"""The fast path of ``load_raw`` for *plain* CSV files: PostgreSQL's own CSV
reader parses the file and appends its records straight to ``raw.<table>``
(``COPY ... (FORMAT csv)``; load, file name and line numbers come from the
raw table's defaults, :func:`compliance.ingest.formats.create_table_sql`),
instead of Python reading every record.

A file is plain when every byte is printable ASCII or a line ending (LF,
CRLF; a carriage return anywhere else makes COPY refuse the file); no line
is blank (before the header included), longer than the field limit or
``\\.`` (COPY's end-of-data marker); and a line with a double quote (``"``)
quotes whole fields only, each without a quote inside (``"call,sms"``; not
the header). Such a file has one record per line (so the ``n``-th record is
line ``n + 1``) and no value holds a quote, so PostgreSQL reads the same
values as Python's ``csv`` module (tests/test_loader_fast_path.py checks
that both paths append the same rows). A file that is not plain, or that
has a record with the wrong number of fields (COPY refuses it), is read by
the Python reader instead, which keeps and explains every problem: the
caller rolls back what this module did (:class:`NotPlain`).
"""

import re
from typing import BinaryIO

import psycopg

from compliance.ingest.formats import LINE_SEQUENCE, RawFileSpec

CHUNK_BYTES = 4 * 1024 * 1024
# Any byte outside printable ASCII, CR and LF.
NOT_PLAIN = re.compile(rb"[^\n\r\x20-\x7e]")
# A line (without its LF) whose fields are each unquoted without a quote, or
# wholly quoted with no quote, CR or LF inside: both CSV readers read such a
# field alike (a quote anywhere else starts a quoted part for PostgreSQL, is
# text for Python's reader, or is an escaped quote the hash SQL does not write).
FIELD = rb'(?:[^",\r\n]*|"[^"\r\n]*")'
QUOTED_LINE = re.compile(rb"%s(?:,%s)*\r?" % (FIELD, FIELD))
# Lines (split at LF, so a CRLF line keeps its CR) that are blank or COPY's end-of-data marker.
END_MARKERS = (b"\\.", b"\\.\r")
NOT_PLAIN_LINES = frozenset((b"", b"\r", *END_MARKERS))


class NotPlain(Exception):
    """The file is not plain CSV (module docstring): read it record by record."""


def check_plain(lines: list[bytes], field_limit: int, quoted: bool) -> None:
    """Raise :class:`NotPlain` if one of these complete lines (without their
    LF) is blank, longer than ``field_limit`` or COPY's end marker, or, when
    some are ``quoted`` (hold a ``"``), quotes other than whole fields."""
    if not NOT_PLAIN_LINES.isdisjoint(lines) or max(map(len, lines), default=0) > field_limit:
        raise NotPlain
    if quoted and not all(QUOTED_LINE.fullmatch(line) for line in lines if b'"' in line):
        raise NotPlain


def header_names(line: bytes) -> list[str]:
    """The column names of a plain header line, as ``check_header`` reads them
    (case and surrounding spaces ignored)."""
    return [name.strip().lower() for name in line.decode("ascii").split(",")]


def copy_plain(cursor, handle: BinaryIO, spec: RawFileSpec, field_limit: int) -> int:
    """COPY the plain CSV open as ``handle`` (binary, at its start) into
    ``raw.<table>``; return its number of records. Raises :class:`NotPlain`
    (the COPY aborted) if the file is not plain or a record has the wrong
    number of fields; the caller rolls back to before the call."""
    header = handle.readline(field_limit + 2)
    if NOT_PLAIN.search(header) or b'"' in header or not header.endswith(b"\n"):
        raise NotPlain
    check_plain([header[:-1]], field_limit, quoted=False)
    column_list = ", ".join(f'"{c}"' for c in header_names(header[:-1]))
    # The next record is line 2 (the sequence is not rolled back with a failed
    # attempt: it is set again before each file, and only plain files use it).
    cursor.execute("select setval(%s, 1)", [LINE_SEQUENCE])
    try:
        with cursor.copy(f"copy raw.{spec.table} ({column_list}) from stdin "
                         f"with (format csv, force_not_null ({column_list}))") as copy:
            tail = b""
            while chunk := handle.read(CHUNK_BYTES):
                if NOT_PLAIN.search(chunk):
                    raise NotPlain
                text = tail + chunk
                *lines, tail = text.split(b"\n")
                check_plain(lines, field_limit, quoted=b'"' in text)
                if len(tail) > field_limit:
                    raise NotPlain
                copy.write(chunk)
    except psycopg.errors.BadCopyFileFormat as exc:
        raise NotPlain from exc
    if tail in END_MARKERS or (b'"' in tail and not QUOTED_LINE.fullmatch(tail)):
        raise NotPlain
    return cursor.rowcount
