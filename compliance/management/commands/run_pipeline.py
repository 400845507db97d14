"""``manage.py run_pipeline``: dbt build, case sync and view sync, in-process."""

from django.core.management.base import BaseCommand, CommandError

from compliance.models import PipelineRun
from compliance.services.pipeline import run_pipeline


class Command(BaseCommand):
    help = "Run the pipeline in this process (same steps as the Celery task); exits non-zero if it fails."

    def handle(self, **options):
        run = run_pipeline(PipelineRun.Trigger.COMMAND, progress=self.stdout.write)
        if run.status != PipelineRun.Status.SUCCEEDED:
            failed = ", ".join(n["node"] for n in run.failed_nodes) or "see the run's error"
            raise CommandError(f"Pipeline run {run.pk} failed ({failed}). Previous mart and cases are unchanged.")
