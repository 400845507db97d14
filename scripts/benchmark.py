"""Benchmark: load and pipeline time, and peak memory, for a generated export.

    DATABASE_URL=... SECRET_KEY=... python scripts/benchmark.py --leads 20000 [--format seed|native]

Uses the database named by DATABASE_URL (it must be migrated; its raw tables,
mart and cases get the benchmark's rows). Figures and goals are recorded in
docs/benchmarks.md.
"""

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path


def timed(label: str, action) -> float:
    """Run ``action``, print and return its wall time in seconds."""
    started = time.perf_counter()
    action()
    elapsed = time.perf_counter() - started
    print(f"{label}: {elapsed:.1f} s")
    return elapsed


def main() -> None:
    """Generate, load and build; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", dest="file_format", choices=["seed", "native"], default="seed")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cci_site.settings.dev")

    import django

    django.setup()
    from django.core.management import call_command

    from compliance.models import Case, PipelineRun
    from compliance.services.pipeline import run_pipeline
    from compliance.services.synthetic import generate
    from compliance.services.synthetic_native import generate_native

    generator = generate_native if args.file_format == "native" else generate
    with tempfile.TemporaryDirectory() as directory:
        counts = generator(Path(directory), leads=args.leads, seed=args.seed, clean=True)
        print(f"dataset ({args.file_format}): {counts}")
        timed("load_raw (COPY + staging)", lambda: call_command("load_raw", directory, "--format", args.file_format))
        timed("run_pipeline (dbt build + case sync + views)", lambda: run_pipeline(PipelineRun.Trigger.COMMAND))
        timed("run_pipeline again (no new cases)", lambda: run_pipeline(PipelineRun.Trigger.COMMAND))
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"cases: {Case.objects.count()}; peak memory of this process: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
