"""``manage.py generate_synthetic --out DIR [--format seed|native|planted] [--file-type csv|jsonl]
--leads N --seed S``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance.datasets.native import generate_native
from compliance.datasets.planted import BLOCKS, EXPECTED_FILE, generate_planted
from compliance.datasets.seed import generate


class Command(BaseCommand):
    help = (
        "Write a synthetic dataset that exercises every rule (DST dates included): the seed CSV format, "
        "or the native format (every entity; CSV or JSON Lines), or a planted ground truth: native CSV files "
        f"with known violations and near misses, and {EXPECTED_FILE} listing exactly the violations to expect."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--format", dest="file_format", choices=["seed", "native", "planted"],
                            default="seed")
        parser.add_argument("--file-type", choices=["csv", "jsonl"], default="csv",
                            help="Native format only: write CSV or JSON Lines files.")
        parser.add_argument("--leads", type=int, default=200,
                            help=f"Planted: rounded to whole sets of {len(BLOCKS)} leads (one per planted block).")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--clean", action="store_true", help="Leave out the few deliberately malformed rows.")

    def handle(self, out: Path, file_format: str, file_type: str, leads: int, seed: int, clean: bool, **options):
        try:
            if file_format == "planted":
                if file_type != "csv":
                    raise ValueError("the planted dataset is written as CSV")
                counts = generate_planted(out, copies=max(1, leads // len(BLOCKS)), seed=seed)
            elif file_format == "native":
                counts = generate_native(out, leads=leads, seed=seed, clean=clean, file_type=file_type)
            elif file_type != "csv":
                raise ValueError("the seed format is CSV only")
            else:
                counts = generate(out, leads=leads, seed=seed, clean=clean)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for name, count in counts.items():
            self.stdout.write(f"{out / name}: {count} rows")
