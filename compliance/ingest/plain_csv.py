"""The fast path of ``load_raw`` for *plain* CSV files: PostgreSQL's own CSV
reader parses the file (``COPY ... (FORMAT csv)``) and the row hash is
computed in SQL, instead of Python reading and hashing every record.

A file is plain when every byte is printable ASCII or a line ending (LF,
CRLF; a carriage return anywhere else makes COPY refuse the file); no line
is blank (before the header included), longer than the field limit or
``\\.`` (COPY's end-of-data marker); and a line with a double quote (``"``)
quotes whole fields only, each without a quote inside (``"call,sms"``; not
the header). Such a file has one record per line and no value holds a
quote, so PostgreSQL reads the same values as Python's ``csv`` module, and
:func:`row_hash_sql` gives the hash that
:func:`compliance.ingest.store.row_hash` gives (``json.dumps`` of ASCII
text without quotes or control characters is the text quoted, each
backslash doubled; tests/test_loader_fast_path.py checks that both paths
give the same rows). A file that is not plain, or that has a record
with the wrong number of fields (COPY refuses it), is read by the Python
reader instead, which keeps and explains every problem: the caller rolls
back what this module did (:class:`NotPlain`).
"""

import re
from typing import BinaryIO

import psycopg

from compliance.ingest.formats import RawFileSpec

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


def plain_table(spec: RawFileSpec) -> str:
    """The temporary table COPY fills (dropped at the end of the load's
    transaction): the spec's columns, in file order via the column list, and
    ``_ord``, the record's position (1 = first record)."""
    return f"plain_{spec.table}"


def row_hash_sql(spec: RawFileSpec) -> str:
    """SQL for the SHA-256 (hex) of ``json.dumps([values, None])`` of a plain
    record, values in spec order: ``[["v1", "v2"], null]``. A plain value
    holds no quote or control character, so its JSON string is the value
    quoted with each backslash doubled."""
    values = ", ".join(f'"{c}"' for c in spec.columns)
    # One replace over the whole text: the separators hold no backslash, and
    # no column is NULL (COPY's force_not_null), so concat_ws skips none.
    record = f"""'[["' || concat_ws('", "', {values}) || '"], null]'"""
    return f"""encode(sha256(convert_to(replace({record}, '\\', '\\\\'), 'UTF8')), 'hex')"""


def copy_plain(cursor, handle: BinaryIO, spec: RawFileSpec, field_limit: int) -> int:
    """COPY the plain CSV open as ``handle`` (binary, at its start) into
    ``pg_temp.<plain_table>``; return its number of records. Raises
    :class:`NotPlain` (the COPY aborted) if the file is not plain or a record
    has the wrong number of fields; the caller rolls back to before the call."""
    header = handle.readline(field_limit + 2)
    if NOT_PLAIN.search(header) or b'"' in header or not header.endswith(b"\n"):
        raise NotPlain
    check_plain([header[:-1]], field_limit, quoted=False)
    names = header_names(header[:-1])
    table = plain_table(spec)
    column_list = ", ".join(f'"{c}"' for c in names)
    cursor.execute(f"drop table if exists pg_temp.{table}")
    cursor.execute(
        f"create temporary table {table} (_ord bigint generated always as identity, "
        + ", ".join(f'"{c}" text' for c in spec.columns) + ") on commit drop"
    )
    try:
        with cursor.copy(f"copy pg_temp.{table} ({column_list}) from stdin "
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
