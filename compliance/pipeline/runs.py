"""The pipeline: ``dbt source freshness``, ``dbt build`` (full or incremental,
or none when nothing is new: :mod:`.build_plan`), then (if the whole
build passed) case sync and publication of the mart with its views, in one
transaction, with the staging verdict on the loads since the last
successful run (:func:`.data_quality.judge_pending_loads`), then alerts
(:mod:`.alerts`); recorded as a
:class:`~compliance.models.PipelineRun` with one
:class:`~compliance.models.PipelineNodeResult` per dbt node.

dbt builds and tests the mart in schema ``analytics_build``. Only when every
model and every error-severity test passed is it published: new cases are
created from it, then it replaces ``analytics.mart_compliance_risk`` (after
an incremental build, it holds the violations of the changed attempts and
replaces theirs) and the django-pgviews-redux views on it are re-created,
and the transaction commits.
A failed build, wherever it fails, leaves the published mart, the views and
every case exactly as they were; readers wait only for the short DDL at the
end, never see the mart or a view missing.

One build per database at a time (:mod:`.pipeline_lock`): a run requested
while another builds is recorded as ``skipped``, or, with
``CCI_PIPELINE_WHEN_BUSY=queue``, waits as ``queued`` and then builds. A run
left ``running`` or ``queued`` by a process that died is marked ``failed`` by
the next run that gets the lock.
"""

import logging
from collections.abc import Callable

import pghistory
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django_pgviews.models import ViewSyncer

from cci_site.logging import run_context
from compliance.cases.sync import SyncCounts, sync_cases
from compliance.ingest.load import ensure_raw_tables
from compliance.models import PipelineNodeResult, PipelineRun
from compliance.pipeline.alerts import send_run_alerts
from compliance.pipeline.build_plan import BuildPlan, keep_person_keys, plan_build
from compliance.pipeline.data_quality import judge_pending_loads, record_quality
from compliance.pipeline.dbt_runner import MODEL_TYPES, TEST_TYPES, DbtResult, read_stale_sources, run_dbt
from compliance.pipeline.lock import PipelineBusy, pipeline_lock

BUILD_SCHEMA = "analytics_build"
PUBLISHED_SCHEMA = "analytics"
MART = "mart_compliance_risk"
MART_NODE = f"model.cci.{MART}"
CHANGED_ATTEMPTS = "intermediate.int_changed_attempts"

Progress = Callable[[str], None]
logger = logging.getLogger("compliance.pipeline")


def run_pipeline(
    trigger: str, progress: Progress | None = None, select: str = "", requested_by_id: int | None = None,
    full_refresh: bool = False,
) -> PipelineRun:
    """Run the pipeline once and return its finished :class:`PipelineRun`.

    ``select`` is a dbt node selection (``--select``); empty builds everything.
    ``requested_by_id`` is the user who asked for the run, if one did.
    ``full_refresh`` builds everything anew; otherwise :mod:`.build_plan`
    decides between a full build, an incremental one and none (nothing new).
    The mart is published only if this build built it. Human-readable progress
    lines (dbt's output included) go to ``progress``, or, by default, to the
    ``compliance.pipeline`` logger tagged with the run id. Never raises for a
    failed build: the run's ``status`` says so.
    """
    queue = settings.CCI_PIPELINE_WHEN_BUSY == "queue"
    run = PipelineRun.objects.create(
        trigger=trigger, dbt_select=select, backend_pid=backend_pid(), requested_by_id=requested_by_id,
        status=PipelineRun.Status.QUEUED if queue else PipelineRun.Status.RUNNING,
    )
    progress = progress or logger.info
    with run_context(run.pk):
        try:
            with pipeline_lock(wait=queue):
                fail_abandoned_runs(run)
                if queue:
                    run.status = PipelineRun.Status.RUNNING
                    run.save(update_fields=["status"])
                return build_and_publish(run, progress, full_refresh)
        except PipelineBusy as exc:
            return finish(run, PipelineRun.Status.SKIPPED, progress, error=str(exc))


def backend_pid() -> int:
    """This process's PostgreSQL backend (session) id."""
    with connection.cursor() as cursor:
        cursor.execute("select pg_backend_pid()")
        return cursor.fetchone()[0]


def fail_abandoned_runs(current: PipelineRun) -> int:
    """Mark as failed the runs whose process died before finishing: every
    other ``running`` run (this process holds the lock, so none can be
    alive), and ``queued`` runs whose database session is gone."""
    with connection.cursor() as cursor:
        cursor.execute("select pid from pg_stat_activity")
        live_sessions = [pid for (pid,) in cursor.fetchall()]
    abandoned = PipelineRun.objects.exclude(pk=current.pk).filter(
        models.Q(status=PipelineRun.Status.RUNNING)
        | (models.Q(status=PipelineRun.Status.QUEUED) & ~models.Q(backend_pid__in=live_sessions))
    )
    return abandoned.update(
        status=PipelineRun.Status.FAILED,
        finished_at=timezone.now(),
        error="Abandoned: the process running it ended before it finished (found by a later run).",
    )


def build_and_publish(run: PipelineRun, progress: Progress, full_refresh: bool = False) -> PipelineRun:
    """The pipeline's steps for ``run``, under the pipeline lock."""
    ensure_raw_tables()
    plan = record_plan(run, plan_build(run, full_refresh), progress)
    progress(f"Pipeline run {run.pk}: dbt source freshness")
    freshness = run_dbt(["source", "freshness"], on_line=progress)
    run.stale_sources = read_stale_sources(freshness.target)
    if plan.mode == PipelineRun.BuildMode.NOTHING_NEW:  # the night stale sources matter most: checked above
        return finish_unchanged(run, progress)
    selection = ["--select", run.dbt_select] if run.dbt_select else []
    progress(f"Pipeline run {run.pk}: dbt build {' '.join(plan.dbt_flags + selection)}".rstrip())
    result = run_dbt(["build", *plan.dbt_flags, *selection], on_line=progress)
    record_build(run, result)
    if not result.success:
        return finish(run, PipelineRun.Status.FAILED, progress, error=result.log_tail)
    if not any(n.unique_id == MART_NODE and n.status == "success" for n in result.nodes):
        progress("The mart was not part of this selection: nothing to publish")
        return finish(run, PipelineRun.Status.SUCCEEDED, progress)
    try:
        progress("Syncing cases, publishing the mart and re-creating views")
        with transaction.atomic(), pghistory.context(
            source="pipeline", pipeline_run=run.pk, trigger=run.trigger,
            requested_by=run.requested_by.get_username() if run.requested_by else None,
        ):
            counts = publish_and_sync(run, plan)
            run.cases_created, run.cases_closed = counts.created, counts.closed
            run.cases_reopened, run.cases_untouched = counts.reopened, counts.untouched
            run.mart_rows = counts.detected
            if plan.keeps_person_keys:
                keep_person_keys(plan.mode)
            sync_views()
            record_quality(run)
            judge_pending_loads(run)
    except Exception as exc:  # recorded on the run, then re-raised for the caller
        finish(run, PipelineRun.Status.FAILED, progress, error=f"{type(exc).__name__}: {exc}")
        raise
    return finish(run, PipelineRun.Status.SUCCEEDED, progress)


def record_plan(run: PipelineRun, plan: BuildPlan, progress: Progress) -> BuildPlan:
    """Store ``plan`` on ``run`` (saved: a run that dies from here on makes the next one a full build)."""
    run.build_mode, run.build_reason = plan.mode, plan.reason
    run.project_fingerprint, run.raw_watermark = plan.fingerprint, plan.watermark
    run.save(update_fields=["build_mode", "build_reason", "project_fingerprint", "raw_watermark"])
    progress(f"Pipeline run {run.pk}: {run.get_build_mode_display().lower()}: {plan.reason}")
    return plan


def finish_unchanged(run: PipelineRun, progress: Progress) -> PipelineRun:
    """End a run that had nothing to build: the published mart and the cases
    stay as they are. Any load since the last build wrote to raw (its COPYs
    count, :func:`.build_plan.raw_watermark`) and so makes a run build; a
    pending load found here anyway is judged against staging as it stands.
    Every case of a published violation is left untouched, as a build's
    sync counts them."""
    run.mart_rows = run.cases_untouched = count_mart_rows()
    record_quality(run)
    with transaction.atomic():
        judge_pending_loads(run)
    return finish(run, PipelineRun.Status.SUCCEEDED, progress)


def record_build(run: PipelineRun, result: DbtResult) -> None:
    """Store dbt's per-node results and their counts on the run."""
    run.models_passed = result.count(MODEL_TYPES, ("success",))
    run.models_failed = result.count(MODEL_TYPES, PipelineNodeResult.FAILED_STATUSES)
    run.tests_passed = result.count(TEST_TYPES, ("pass", "warn"))
    run.tests_warned = result.count(TEST_TYPES, ("warn",))
    run.tests_failed = result.count(TEST_TYPES, PipelineNodeResult.FAILED_STATUSES)
    run.nodes_skipped = sum(1 for n in result.nodes if n.status == "skipped")
    PipelineNodeResult.objects.bulk_create(PipelineNodeResult(run=run, **vars(n)) for n in result.nodes)


def finish(run: PipelineRun, status: str, progress: Progress, error: str = "") -> PipelineRun:
    """Record the end of ``run`` with ``status`` and ``error``, then send its alerts."""
    run.status = status
    run.error = error
    run.finished_at = timezone.now()
    run.save()
    if status != PipelineRun.Status.SKIPPED:
        send_run_alerts(run)
    progress(
        f"Pipeline run {run.pk} {status}: models {run.models_passed} passed / {run.models_failed} failed, "
        f"tests {run.tests_passed} passed ({run.tests_warned} warned) / {run.tests_failed} failed, "
        f"cases: {run.cases_created} created, {run.cases_closed} closed (no longer detected), "
        f"{run.cases_reopened} reopened, {run.cases_untouched} untouched"
    )
    return run


def publish_and_sync(run: PipelineRun, plan: BuildPlan) -> SyncCounts:
    """Sync the cases with the mart just built and publish it (in the caller's
    transaction): after a full build the mart replaces the published one
    (:func:`publish_mart`); after an incremental one it is the delta of the
    changed attempts, applied to the published mart first
    (:func:`publish_mart_delta`)."""
    built = f"{BUILD_SCHEMA}.{MART}"
    if plan.mode != PipelineRun.BuildMode.INCREMENTAL:
        counts = sync_cases(run, mart=built)
        publish_mart()
        return counts
    publish_mart_delta()
    counts = sync_cases(run, mart=built, removed=DELTA_REMOVED, published=f"{PUBLISHED_SCHEMA}.{MART}")
    with connection.cursor() as cursor:
        cursor.execute(f"drop table {built}")
    return counts


# A delta mart (an incremental build: the violations of the changed attempts)
# applied to the published one as a difference: the changed attempts' rows
# that the delta lacks, or has otherwise, go (their violation ids kept for the
# case sync, DELTA_REMOVED), and the delta's rows the published mart then
# lacks come in. A recomputed row equal to the published one, most of them,
# is not rewritten (nor its index entries, nor its WAL).
DELTA_REMOVED = "mart_delta_removed"
APPLY_DELTA = f"""
create temporary table {DELTA_REMOVED} (violation_id text primary key) on commit drop;
with removed as (
    delete from {PUBLISHED_SCHEMA}.{MART} as p
    where p.attempt_id in (select attempt_id from {CHANGED_ATTEMPTS})
      and not exists (select 1 from {BUILD_SCHEMA}.{MART} as d
                      where d.violation_id = p.violation_id and row(d.*) is not distinct from row(p.*))
    returning p.violation_id
)
insert into {DELTA_REMOVED} select violation_id from removed;
insert into {PUBLISHED_SCHEMA}.{MART}
select d.* from {BUILD_SCHEMA}.{MART} as d
where not exists (select 1 from {PUBLISHED_SCHEMA}.{MART} as p where p.violation_id = d.violation_id)
"""


def publish_mart_delta() -> None:
    """Replace the violations of the changed attempts (:data:`CHANGED_ATTEMPTS`)
    in the published mart with those of the delta just built, as a
    difference (:data:`APPLY_DELTA`), in the caller's transaction; the views
    on the mart stay."""
    with connection.cursor() as cursor:
        cursor.execute(APPLY_DELTA)


def publish_mart() -> None:
    """Replace the published mart with the one just built (in the caller's transaction).

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
