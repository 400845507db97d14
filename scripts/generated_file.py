"""The command line shared by the scripts that generate a committed file
(dbt/seeds/area_code_zones.csv, docs/rules.md): write it, or with --check
exit 1 when the committed file differs from what would be generated."""

import argparse
import sys
from pathlib import Path


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
