"""Celery tasks. The nightly schedule lives in django-celery-beat (created by
migration ``0002_install_data``, editable in admin).

The pipeline task is routed to its own queue (``pipeline``, by
``CELERY_TASK_ROUTES``), is acknowledged only
after it finished (``acks_late``: a worker killed mid-run leaves the message
to be delivered again; every step is idempotent), and is retried with backoff
when the database connection drops.
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from compliance.models import PipelineRun
from compliance.pipeline.runs import run_pipeline


@shared_task(
    name="compliance.run_pipeline",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=3,
)
def run_pipeline_task(select: str = "", requested_by_id: int | None = None) -> dict:
    """Run the pipeline in the worker; ``requested_by_id`` is the user who asked
    for it from the UI (None for the schedule). Returns ``{"run_id", "status", "cases_created"}``."""
    run = run_pipeline(PipelineRun.Trigger.CELERY, select=select, requested_by_id=requested_by_id)
    return {"run_id": run.pk, "status": run.status, "cases_created": run.cases_created}
