"""``manage.py generate_synthetic --out DIR --leads N --seed S``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance.services.synthetic import generate


class Command(BaseCommand):
    help = "Write a synthetic seed-format dataset that exercises every rule (DST dates included)."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--leads", type=int, default=200)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--clean", action="store_true", help="Leave out the few deliberately malformed rows.")

    def handle(self, out: Path, leads: int, seed: int, clean: bool, **options):
        try:
            counts = generate(out, leads=leads, seed=seed, clean=clean)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for name, count in counts.items():
            self.stdout.write(f"{out / name}: {count} rows")
