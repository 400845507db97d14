"""JSON Lines records of an input file (native format): one JSON object per
non-blank line, its keys the contract's columns; a line that is not such an
object is kept with ``parse_error`` set, quoting the line, so nothing is lost.
"""

import json
from collections.abc import Iterator

from compliance.ingest.formats import RawFileSpec
from compliance.ingest.reading import (
    LONE_SURROGATE,
    UNDECODABLE,
    LineReader,
    RecordReader,
    escape_bad_bytes,
    open_input,
    oversized_fields,
)


class JsonlRecords(RecordReader):
    """The records of a JSON Lines file (:class:`~.reading.RecordReader`)."""

    def __iter__(self) -> Iterator[tuple[int, list[str | None], str | None]]:
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
                yield lines.count, *self.record(line, lines.count)
            self.lines, self.blank_lines = lines.count, lines.blank

    def record(self, line: str, line_number: int) -> tuple[list[str | None], str | None]:
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


