"""``manage.py load_raw --format seed|native DIR``: load an export directory into ``raw``.

``manage.py load_raw --report [N]``: the last N loads, per file, with the
staging verdict of the pipeline run that judged them (or "pending").
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance.ingest.files import check_directory
from compliance.ingest.formats import FORMATS
from compliance.ingest.load import load_directory
from compliance.ingest.reading import RawLoadError
from compliance.ingest.store import FileCounts
from compliance.models import RawLoad, RawLoadFile
from compliance.pipeline.lock import pipeline_lock

PENDING = "pending: the next pipeline run (manage.py run_pipeline) judges its rows"


class Command(BaseCommand):
    help = (
        "Append DIR's files to the raw schema with COPY and print, per file, the records read, then its physical "
        "lines. Loading runs no dbt: the next pipeline run judges the rows (staged, superseded, quarantined; a "
        "record identical to a later one, reloaded or repeated, is superseded); --report shows that verdict per load."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, nargs="?")
        parser.add_argument("--format", dest="file_format", choices=sorted(FORMATS))
        parser.add_argument("--report", type=int, nargs="?", const=5, metavar="N",
                            help="print the last N loads (default 5) per file instead of loading")

    def handle(self, directory: Path | None, file_format: str | None, report: int | None, **options):
        if report is not None:
            if directory is not None or file_format is not None:
                raise CommandError("--report prints earlier loads and loads nothing: give it without DIR and --format.")
            return self.report(report)
        if directory is None or file_format is None:
            raise CommandError("Give the export directory and --format seed|native (or --report).")
        try:
            check_directory(directory, file_format)  # a bad file is reported before waiting for the lock
            with pipeline_lock(wait=True):
                load, counts = load_directory(directory, file_format)
        except RawLoadError as exc:
            raise CommandError(str(exc)) from exc
        for c in counts:
            self.stdout.write(raw_line(c))
            self.stdout.write(
                f"{c.file_name}: {c.lines} lines = {c.header_lines} header + {c.blank_lines} blank "
                f"+ {c.record_lines} in the {c.rows_read} records read"
            )
        self.stdout.write(self.style.SUCCESS(f"Load {load.pk} done from {directory}; {PENDING}"))

    def report(self, limit: int) -> None:
        if limit < 1:
            raise CommandError("--report N needs N >= 1")
        for load in reversed(RawLoad.objects.prefetch_related("files")[:limit]):
            started = f"{load.started_at:%Y-%m-%d %H:%M:%S %Z}"
            self.stdout.write(f"Load {load.pk} ({load.file_format}) of {load.source_dir} at {started}")
            for file in load.files.all():
                self.stdout.write(f"  {verdict_line(file)}")


def raw_line(c: FileCounts | RawLoadFile) -> str:
    """``leads.csv: 8 read`` (records, each appended to raw as one row)."""
    return f"{c.file_name}: {c.rows_read} read"


def verdict_line(file: RawLoadFile) -> str:
    """The raw counts and, once judged, ``read = staged + superseded + quarantined``."""
    if file.pending:
        return f"{raw_line(file)}; {PENDING}"
    return (f"{raw_line(file)}; by pipeline run {file.counted_by_run_id}: {file.rows_read} read = "
            f"{file.rows_staged} staged + {file.rows_superseded} superseded + {file.rows_quarantined} quarantined")
