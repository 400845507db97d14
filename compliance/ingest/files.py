"""The files of a load directory: exactly one per entity of the format,
each a regular file (never a symbolic link) that opens, a CSV with the
contract's header; and the reader of each file's records by its extension
(CSV or JSON Lines).
"""

from pathlib import Path

from compliance.ingest.csv_records import CsvRecords, check_header
from compliance.ingest.formats import FORMATS, RawFileSpec
from compliance.ingest.jsonl_records import JsonlRecords
from compliance.ingest.reading import RawLoadError, RecordReader, open_input


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


def check_file(path: Path, spec: RawFileSpec) -> None:
    """Raise :class:`RawLoadError` unless ``path`` opens (:func:`open_input`)
    and, for a CSV, has exactly the spec's columns (:func:`check_header`)."""
    with open_input(path) as handle:
        if path.suffix == ".csv":
            check_header(handle, path.name, spec)


def read_records(path: Path, spec: RawFileSpec) -> RecordReader:
    """The records of a CSV or JSON Lines file (``.jsonl``), by its extension
    (:class:`~.reading.RecordReader`)."""
    return JsonlRecords(path, spec) if path.suffix == ".jsonl" else CsvRecords(path, spec)
