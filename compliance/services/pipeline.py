"""The pipeline: ``dbt build`` → publish the mart, re-create the views and
sync cases (one transaction), recorded as a
:class:`~compliance.models.PipelineRun`.

dbt builds and tests the mart in schema ``analytics_build``. Only when the
whole build passed (every model and every test) is it published: moved to
``analytics.mart_compliance_risk``, with the django-pgviews-redux views that
depend on it re-created and the cases synced, in one transaction. So a failed
build, wherever it fails, leaves the published mart, the views and every case
exactly as they were, and readers never see the mart or the views missing.
"""

from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone
from django_pgviews.models import ViewSyncer

from compliance.models import PipelineRun

from .case_sync import sync_cases
from .dbt_runner import DbtResult, run_dbt
from .pipeline_lock import PipelineBusy, pipeline_lock
from .raw_load import ensure_raw_tables

BUILD_SCHEMA = "analytics_build"
PUBLISHED_SCHEMA = "analytics"
MART = "mart_compliance_risk"


def run_pipeline(trigger: str, progress: Callable[[str], None] = lambda _line: None) -> PipelineRun:
    """Run the whole pipeline once and return its finished :class:`PipelineRun`.

    ``progress`` receives human-readable progress lines (dbt's output
    included). Never raises for a failed build: the run's ``status`` says so
    (``skipped`` when another run holds the pipeline lock).
    """
    run = PipelineRun.objects.create(trigger=trigger)
    try:
        with pipeline_lock(wait=False):
            return build_and_publish(run, progress)
    except PipelineBusy as exc:
        return finish(run, PipelineRun.Status.SKIPPED, progress, error=str(exc))


def build_and_publish(run: PipelineRun, progress: Callable[[str], None]) -> PipelineRun:
    """The pipeline's steps for ``run``, under the pipeline lock."""
    progress(f"Pipeline run {run.pk}: dbt build")
    ensure_raw_tables()
    result = run_dbt(["build"], on_line=progress)
    record_build(run, result)
    if not result.success:
        return finish(run, PipelineRun.Status.FAILED, progress, error=result.log_tail)
    try:
        progress("Publishing the mart, re-creating views and syncing cases")
        with transaction.atomic():
            publish_mart()
            sync_views()
            run.cases_created = sync_cases(run)
            run.mart_rows = count_mart_rows()
    except Exception as exc:  # recorded on the run, then re-raised for the caller
        finish(run, PipelineRun.Status.FAILED, progress, error=f"{type(exc).__name__}: {exc}")
        raise
    return finish(run, PipelineRun.Status.SUCCEEDED, progress)


def record_build(run: PipelineRun, result: DbtResult) -> None:
    """Copy dbt's counts and failed nodes onto the run."""
    run.models_passed = result.models_passed
    run.models_failed = result.models_failed
    run.tests_passed = result.tests_passed
    run.tests_failed = result.tests_failed
    run.nodes_skipped = result.skipped
    run.failed_nodes = result.failed_nodes


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


def publish_mart() -> None:
    """Replace the published mart with the one just built (must run in a transaction).

    Dropping the old table drops the views on it (CASCADE); the caller
    re-creates them before committing.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"create schema if not exists {PUBLISHED_SCHEMA}")
        cursor.execute(f"drop table if exists {PUBLISHED_SCHEMA}.{MART} cascade")
        cursor.execute(f"alter table {BUILD_SCHEMA}.{MART} set schema {PUBLISHED_SCHEMA}")


def sync_views() -> None:
    """Re-create the django-pgviews-redux views (they sit on the published mart)."""
    ViewSyncer().run(force=True, update=True, using="default", materialized_views_check_sql_changed=True)


def count_mart_rows() -> int:
    """Number of rows in the published mart."""
    with connection.cursor() as cursor:
        cursor.execute(f"select count(*) from {PUBLISHED_SCHEMA}.{MART}")
        return cursor.fetchone()[0]
