"""The pipeline: ``dbt build`` → case sync → view sync, recorded as a
:class:`~compliance.models.PipelineRun`.

A failed build stops the chain: dbt leaves the previous mart in place (a
table is swapped in only after it is built, and nothing downstream of a failed
model or test runs), and no case is touched.
"""

from collections.abc import Callable

from django.db import connection
from django.utils import timezone
from django_pgviews.models import ViewSyncer

from compliance.models import PipelineRun

from .case_sync import sync_cases
from .dbt_runner import run_dbt
from .raw_load import ensure_raw_tables


def run_pipeline(trigger: str, progress: Callable[[str], None] = lambda _line: None) -> PipelineRun:
    """Run the whole pipeline once and return its finished :class:`PipelineRun`.

    ``progress`` receives human-readable progress lines (dbt's output
    included). Never raises for a failed build: the run's ``status`` says so.
    """
    run = PipelineRun.objects.create(trigger=trigger)
    progress(f"Pipeline run {run.pk}: dbt build")
    ensure_raw_tables()
    result = run_dbt(["build"], on_line=progress)
    run.models_passed = result.models_passed
    run.models_failed = result.models_failed
    run.tests_passed = result.tests_passed
    run.tests_failed = result.tests_failed
    run.nodes_skipped = result.skipped
    run.failed_nodes = result.failed_nodes
    if not result.success:
        return finish(run, PipelineRun.Status.FAILED, progress, error=result.log_tail)
    try:
        progress("Syncing cases from the mart")
        run.cases_created = sync_cases(run)
        progress(f"{run.cases_created} new case(s)")
        progress("Re-creating database views")
        sync_views()
        run.mart_rows = count_mart_rows()
    except Exception as exc:  # recorded on the run, then re-raised for the caller
        finish(run, PipelineRun.Status.FAILED, progress, error=f"{type(exc).__name__}: {exc}")
        raise
    return finish(run, PipelineRun.Status.SUCCEEDED, progress)


def finish(run: PipelineRun, status: str, progress: Callable[[str], None], error: str = "") -> PipelineRun:
    """Record the end of ``run`` with ``status`` and ``error``."""
    run.status = status
    run.error = error
    run.finished_at = timezone.now()
    run.save()
    progress(
        f"Pipeline run {run.pk} {status}: models {run.models_passed} passed / {run.models_failed} failed, "
        f"tests {run.tests_passed} passed / {run.tests_failed} failed, {run.cases_created} case(s) created"
    )
    return run


def sync_views() -> None:
    """Re-create the django-pgviews-redux views (dbt's table rebuild drops them)."""
    ViewSyncer().run(force=True, update=True, using="default", materialized_views_check_sql_changed=True)


def count_mart_rows() -> int:
    """Number of rows in ``analytics.mart_compliance_risk``."""
    with connection.cursor() as cursor:
        cursor.execute("select count(*) from analytics.mart_compliance_risk")
        return cursor.fetchone()[0]
