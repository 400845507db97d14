"""Writing synthetic native files: one row at a time as CSV with a header or
as JSON Lines (same fields), and timestamps as a dialer writes them.

Shared by the native generator (:mod:`.native`, streamed through
:class:`RowWriter`) and the planted ground truth (:mod:`.planted`,
:func:`write_rows`).
"""

import csv
import json
from datetime import datetime
from pathlib import Path

from compliance.ingest.formats import NATIVE_FORMAT


def offset_text(moment: datetime) -> str:
    """ISO 8601 with the local UTC offset, as a dialer in that zone writes it."""
    return moment.isoformat(timespec="seconds")


class RowWriter:
    """One open file per native entity in ``out_dir`` (created if missing),
    rows written in the order they are added (:func:`write_rows`' format);
    ``counts`` per entity and the ``first`` row of each are kept."""

    def __init__(self, out_dir: Path, file_type: str):
        out_dir.mkdir(parents=True, exist_ok=True)
        self.handles, self.writers = {}, {}
        for spec in NATIVE_FORMAT:
            handle = open(out_dir / f"{spec.stem}.{file_type}", "w", newline="", encoding="utf-8")
            self.handles[spec.stem] = handle
            self.writers[spec.stem] = row_writer(handle, spec.columns, jsonl=file_type == "jsonl")
        self.counts = dict.fromkeys(self.handles, 0)
        self.first: dict[str, dict] = {}

    def add(self, stem: str, row: dict) -> None:
        """Write ``row`` to the entity's file (a missing column is empty)."""
        self.writers[stem](row)
        self.counts[stem] += 1
        self.first.setdefault(stem, row)

    def __enter__(self) -> "RowWriter":
        return self

    def __exit__(self, *exc) -> None:
        for handle in self.handles.values():
            handle.close()


def write_rows(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    """Write ``rows`` as CSV with a header, or as JSON Lines (``.jsonl``); a
    column a row does not have is written empty (left out in JSON Lines)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        write = row_writer(handle, columns, jsonl=path.suffix == ".jsonl")
        for row in rows:
            write(row)


def row_writer(handle, columns: tuple[str, ...], jsonl: bool):
    """A function writing one row to ``handle``, as :func:`write_rows` says
    (a CSV file gets its header now)."""
    if jsonl:
        return lambda row: handle.write(json.dumps({c: row[c] for c in columns if row.get(c, "") != ""}) + "\n")
    writer = csv.writer(handle)
    writer.writerow(columns)
    return lambda row: writer.writerow([row.get(c, "") for c in columns])
