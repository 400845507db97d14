"""Which code a benchmark measured: the commit, and a fingerprint of the files
the steps run (the checkout may be edited while a benchmark runs)."""

import hashlib
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FINGERPRINTED = ("dbt", "compliance", "cci_site")
NOT_SOURCE = {"target", "logs", "dbt_packages", "__pycache__"}


def source_fingerprint() -> str:
    """A hash of the files the steps run (``dbt/``, ``compliance/``, ``cci_site/``): if it
    changes during a benchmark, someone edited the checkout and later steps measured other code."""
    digest = hashlib.sha256()
    for base in FINGERPRINTED:
        for path in sorted((ROOT / base).rglob("*")):
            if path.is_file() and not NOT_SOURCE & set(path.parts):
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def source_version() -> str:
    """The commit measured, and whether the working tree had changes (they are measured too)."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"commit {commit}{' + uncommitted changes' if git('status', '--porcelain') else ''}"
