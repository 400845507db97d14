"""Celery tasks. The nightly schedule lives in django-celery-beat (created by
migration ``0002_auditor_group_and_nightly_schedule``, editable in admin)."""

from celery import shared_task

from compliance.models import PipelineRun
from compliance.services.pipeline import run_pipeline


@shared_task(name="compliance.run_pipeline")
def run_pipeline_task() -> dict:
    """Run the pipeline (dbt build → case sync → view sync) in the worker.
    Returns ``{"run_id", "status", "cases_created"}``."""
    run = run_pipeline(PipelineRun.Trigger.CELERY)
    return {"run_id": run.pk, "status": run.status, "cases_created": run.cases_created}
