"""``manage.py run_pipeline [--select SELECTOR] [--full-refresh]``: the pipeline, in-process."""

from django.core.management.base import BaseCommand, CommandError

from compliance.models import PipelineRun
from compliance.pipeline.runs import run_pipeline


class Command(BaseCommand):
    help = (
        "Run the pipeline in this process (same code path as the Celery task): dbt build, then case sync and "
        "publication of the mart. Exits non-zero if the run failed or was skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--select", default="", help="dbt node selection, e.g. 'staging' or '+mart_compliance_risk'"
        )
        parser.add_argument(
            "--full-refresh", action="store_true",
            help="build everything anew (dbt build --full-refresh) instead of what the build plan decides",
        )

    def handle(self, select: str, full_refresh: bool, **options):
        run = run_pipeline(PipelineRun.Trigger.COMMAND, progress=self.stdout.write, select=select,
                           full_refresh=full_refresh)
        if run.status == PipelineRun.Status.SKIPPED:
            raise CommandError(f"Pipeline run {run.pk} skipped: {run.error}")
        if run.status != PipelineRun.Status.SUCCEEDED:
            failed = ", ".join(run.failed_node_names) or "see the run's error"
            raise CommandError(
                f"Pipeline run {run.pk} failed ({failed}). The published mart and all cases are unchanged."
            )
