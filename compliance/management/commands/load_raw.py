"""``manage.py load_raw --format seed|native DIR``: load an export directory into ``raw``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance.services.dbt_runner import run_dbt
from compliance.services.pipeline_lock import pipeline_lock
from compliance.services.raw_formats import FORMATS
from compliance.services.raw_load import (
    RawLoadError,
    check_directory,
    count_staging_outcomes,
    load_directory,
    record_counts,
)

# Staging decides what is quarantined: build it (with the seeds it reads) so
# the counts printed are staging's own verdict. The rules and the mart are the
# pipeline's (every dbt model is a table: rebuilding staging drops nothing).
STAGING_BUILD = [
    "build", "--select", "+path:models/staging", "--exclude-resource-type", "test", "unit_test",
]


class Command(BaseCommand):
    help = (
        "Load DIR's files into the raw schema with COPY (a reload adds no rows), then build staging and "
        "print, per file, rows read, loaded (staged), quarantined and repeated, and how many were new in raw; "
        "then its physical lines: header, blank and the records' lines."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--format", dest="file_format", choices=sorted(FORMATS), required=True)

    def handle(self, directory: Path, file_format: str, **options):
        try:
            check_directory(directory, file_format)  # a bad file is reported before waiting for the lock
            with pipeline_lock(wait=True):
                load, counts = load_directory(directory, file_format)
                result = run_dbt(STAGING_BUILD)
                if not result.success:
                    raise CommandError(
                        f"Rows were loaded (load {load.pk}) but staging could not be built:\n{result.log_tail}"
                    )
                count_staging_outcomes(counts)
        except RawLoadError as exc:
            raise CommandError(str(exc)) from exc
        record_counts(load, counts)
        for c in counts:
            self.stdout.write(
                f"{c.file_name}: {c.rows_read} read, {c.rows_loaded} loaded, {c.rows_quarantined} quarantined, "
                f"{c.rows_repeated} repeated ({c.rows_new} new in raw, {c.rows_already_loaded} already loaded)"
            )
            self.stdout.write(
                f"{c.file_name}: {c.lines} lines = {c.header_lines} header + {c.blank_lines} blank "
                f"+ {c.record_lines} in the {c.rows_read} records read"
            )
        self.stdout.write(self.style.SUCCESS(f"Load {load.pk} done from {directory}"))
