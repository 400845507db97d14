"""Scale benchmark: generate a dataset, build it on a fresh database,
print one Markdown table of every step's wall time (s), rows, peak memory of
the step's processes and of the PostgreSQL backends serving it (MiB), then
the ratios to the load floor (psql \\copy), the naive one-pass floor and the
full build, each with its goal and PASS/FAIL.

    DATABASE_URL=postgres://USER@HOST:5432/postgres SECRET_KEY=... \\
        .venv/bin/python scripts/benchmark.py --leads 20000 [--format seed|native] \\
        [--skewed-attempts 20000] [--incremental] [--compare-native] [--compare-skew] \\
        [--step-timeout SECONDS] [--only load] [--keep-db] [--work-dir DIR]

DATABASE_URL names the server: the benchmark creates (through its ``postgres``
database), migrates and drops its own databases ``cci_bench_<pid>_<n>``.
What each figure means, and the recorded figures: docs/benchmarks.md. The
code is in scripts/bench/.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT)]

from bench.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
