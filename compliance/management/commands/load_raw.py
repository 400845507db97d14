"""``manage.py load_raw --format seed DIR``: load an export directory into ``raw``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance.services.dbt_runner import run_dbt
from compliance.services.raw_formats import FORMATS
from compliance.services.raw_load import RawLoadError, count_quarantined, load_directory, record_counts


class Command(BaseCommand):
    help = (
        "Load DIR's files into the raw schema with COPY (a reload adds no rows), then build "
        "the staging views and print, per file, rows loaded and rows quarantined."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--format", dest="file_format", choices=sorted(FORMATS), required=True)

    def handle(self, directory: Path, file_format: str, **options):
        try:
            load, counts = load_directory(directory, file_format)
        except RawLoadError as exc:
            raise CommandError(str(exc)) from exc
        # Staging decides what is quarantined: build its views (with the seeds
        # they read, and the intermediate views that dbt's view swap would
        # otherwise drop) so the counts below are staging's own verdict. The
        # mart is left to the pipeline.
        result = run_dbt(
            ["build", "--select", "+path:models/staging", "path:models/intermediate",
             "--exclude-resource-type", "test", "unit_test"]
        )
        if not result.success:
            raise CommandError(
                f"Rows were loaded (load {load.pk}) but the staging views could not be built:\n{result.log_tail}"
            )
        count_quarantined(counts, file_format)
        record_counts(load, counts)
        for c in counts:
            self.stdout.write(
                f"{c.file_name}: {c.rows_read} read, {c.rows_new} loaded, "
                f"{c.rows_already_loaded} already loaded, {c.rows_quarantined} quarantined"
            )
        self.stdout.write(self.style.SUCCESS(f"Load {load.pk} done from {directory}"))
