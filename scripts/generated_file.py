"""The command line shared by the scripts that generate a committed file
(dbt/seeds/area_code_zones.csv, dbt/seeds/holiday_calendars.csv,
docs/rules.md): write it, or with --check exit 1 when the committed file
differs from what would be generated; and the same for a generated seed
(CSV text, messages naming the library it comes from)."""

import argparse
import csv
import io
import sys
from pathlib import Path


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    """``header`` and ``rows`` as CSV text with LF line ends (a seed file)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def write_or_check(description: str, path: Path, text: str, stale: str, written: str) -> int:
    """Parse ``--check``; return the exit status. ``stale`` is printed to
    stderr when the check fails, ``written`` after writing ``text`` to ``path``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help=f"exit 1 if {path.name} is not what would be generated")
    if parser.parse_args().check:
        if not path.exists() or path.read_text() != text:
            print(stale, file=sys.stderr)
            return 1
        return 0
    path.write_text(text)
    print(written)
    return 0


def write_or_check_seed(script_doc: str, path: Path, header: list[str], rows: list[list[str]],
                        source: str, counted: str) -> int:
    """:func:`write_or_check` for the seed ``path`` (``header`` and ``rows``
    as CSV) generated from ``source`` (a library and its version, e.g.
    ``phonenumbers 8.13.0``); ``script_doc`` is the script's docstring (its
    first paragraph describes the command), ``counted`` names the rows
    (``area codes``) in the message after writing."""
    text = csv_text(header, rows)
    return write_or_check(
        script_doc.split("\n\n")[0], path, text,
        stale=f"{path} differs from {source}; regenerate it.",
        written=f"Wrote {path} ({text.count(chr(10)) - 1} {counted}, {source})",
    )
