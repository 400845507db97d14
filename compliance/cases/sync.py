"""Mart rows → cases, set-based, like a scanner re-import:

* a mart row without a case creates one (status ``new``; the row kept as
  ``evidence``; due date from the SLA policy, :mod:`.sla`); one case per
  ``violation_id`` (a unique constraint, so two syncs can never duplicate);
* a case whose violation is still in the mart is left untouched;
* an open case (not ``closed``) whose violation left the mart (data
  corrected, rule changed) is closed as ``no_longer_detected`` with a system
  note, and records this run as ``closed_by_run``, by the one definition of
  ``close`` (:mod:`.transitions`: the fields a person's closure sets too); a case a person closed
  (``closed_by``, whatever the resolution) is never touched, nor one a
  person reopened (``reopened_by``): their reopen stands, detected or not,
  until they close it;
* a case this or an earlier run closed (``closed_by_run``) whose violation is
  back is ``reopened`` (resolution and closer cleared: the definition of
  ``reopen``), with a system note.
  A person's closure is never reopened automatically.

After an incremental build the mart is a delta: the violations of the
attempts the build recomputed, already applied to the published mart. After
every sync each open case that no person reopened has its violation in the
published mart (the sync closes the others), so only a violation the delta
removed from it (``removed``) can have vanished; the violations detected are
the published mart's.

Every change writes an audit event with source ``pipeline`` and the run id,
and bumps the case's version (an auditor's open form then gets a conflict).
The caller runs :func:`sync_cases` inside its transaction.
"""

from dataclasses import dataclass
from datetime import timezone as dt_timezone

from django.db import connection
from django.utils import timezone

from compliance.cases.moves import transition_cases
from compliance.cases.sla import due_dates
from compliance.cases.transitions import AUDITED_SQL, TRANSITIONS, By
from compliance.models import Case, PipelineRun

# For the rest of the caller's transaction: the anti-joins between the mart
# and the cases hash a million violation ids (about 100 MB), which spill to
# temp files in the server's default 4 MB; JIT compilation of these one-off
# statements costs more than it saves (as for the dbt models, dbt_project.yml).
SYNC_SETTINGS = "set local work_mem = '256MB'; set local jit = off"

CLOSE_NOTE = "Closed by pipeline run {run}: the violation is no longer detected (data corrected or rule changed)."
REOPEN_NOTE = "Reopened by pipeline run {run}: the violation is detected again."

# {mart} is a schema-qualified relation name chosen by the caller, never user input.
# One statement creates the new cases, due date included (%(severities)s,
# %(dues)s: the SLA policy's due date per severity), and their creation
# events from the inserted rows: no second pass over the cases to date them
# or to find them again. Only mart rows without a case are inserted (a hash
# anti-join: a run with nothing new builds no evidence); ON CONFLICT still
# keeps one case per violation_id if another sync inserts the same one.
CREATE_CASES = """
with created as (
    insert into compliance_case
        (violation_id, violation_type, severity, lead_id, attempt_id, attempt_ts,
         evidence, status, resolution, version, due_at, created_by_run_id, created_at, updated_at)
    select m.violation_id, m.violation_type, m.severity, m.lead_id, m.attempt_id, m.attempt_ts,
           to_jsonb(m), 'new', '', 1, policy.due, %(run_id)s, now(), now()
    from {mart} m
    left join unnest(%(severities)s::text[], %(dues)s::timestamptz[]) as policy (severity, due)
        on policy.severity = m.severity
    where not exists (select 1 from compliance_case c where c.violation_id = m.violation_id)
    on conflict (violation_id) do nothing
    returning id, status, due_at, created_by_run_id
)
insert into compliance_caseevent (case_id, actor_id, action, source, before, after, created_at)
select id, null, 'created', 'pipeline', '{{}}'::jsonb,
       jsonb_build_object('status', status, 'due_at', due_at, 'pipeline_run', created_by_run_id), now()
from created
"""

# The cases the sync moves (a person's decision is never reversed): an open
# case whose violation left the mart, unless a person reopened it; a case a
# run closed whose violation is back. {audited} is the transitions' audit SQL.
VANISHED = """
select c.id, {audited} as before
from compliance_case c
where c.status = any(%(sources)s) and c.reopened_by_id is null {scope}
  and not exists (select 1 from {mart} m where m.violation_id = c.violation_id)
for update of c
"""
# After a delta (an incremental build), only the violations it removed from
# the published mart can have vanished (the module docstring): found by the
# unique index on violation_id, without reading every case.
DELTA_SCOPE = "and c.violation_id in (select removed.violation_id from {removed} removed)"

RETURNED = """
select c.id, {audited} as before
from compliance_case c
where c.status = any(%(sources)s) and c.closed_by_run_id is not null
  and exists (select 1 from {mart} m where m.violation_id = c.violation_id)
for update of c
"""

# After CREATE_CASES every violation of the mart has exactly one case, so the
# cases still detected are the (published) mart's rows (violation_id is its
# unique key: a unique index and a dbt test; no join, no sort).
STILL_DETECTED = "select count(*) from {mart}"

# The planner's statistics of compliance_case date from before the creation.
# After a large one (a first run: no case, then a million) it would take the
# table for nearly empty and probe the mart once per case in VANISHED (a
# nested-loop anti-join: a minute at 1M cases instead of seconds). They are
# refreshed when the creation grew the table by more than a tenth
# (autovacuum's default analyze threshold); ANALYZE reads a fixed-size sample.
STALE_STATISTICS = """
select %(created)s > 0.1 * greatest(reltuples, 0) from pg_class where oid = 'compliance_case'::regclass
"""


@dataclass(frozen=True)
class SyncCounts:
    """Cases created, closed (no_longer_detected), reopened and left untouched
    by one sync, and ``detected``: the mart's rows (violations), each with
    its case."""

    created: int
    closed: int
    reopened: int
    untouched: int
    detected: int


def sync_cases(run: PipelineRun, mart: str = "analytics.mart_compliance_risk",
               removed: str | None = None, published: str | None = None) -> SyncCounts:
    """Bring the cases in line with ``mart`` (see the module docstring) and
    return the counts; run it inside the caller's transaction (whose work_mem
    and JIT it sets: :data:`SYNC_SETTINGS`). With ``removed`` (a relation of
    ``violation_id``), ``mart`` is a delta, applied to the mart ``published``,
    that removed those violations from it (see the module docstring)."""
    scope = DELTA_SCOPE.format(removed=removed) if removed else ""
    with connection.cursor() as cursor:
        cursor.execute(SYNC_SETTINGS)
        dues = due_dates(timezone.now().astimezone(dt_timezone.utc).date())
        cursor.execute(CREATE_CASES.format(mart=mart),
                       {"run_id": run.pk, "severities": list(dues), "dues": list(dues.values())})
        created = cursor.rowcount
        if created:
            cursor.execute(STALE_STATISTICS, {"created": created})
            if cursor.fetchone()[0]:
                cursor.execute("analyze compliance_case")
        context = {"pipeline_run": run.pk}
        close, reopen = TRANSITIONS["close"], TRANSITIONS["reopen"]
        closed = transition_cases(
            cursor, close, chosen=VANISHED.format(mart=mart, audited=AUDITED_SQL, scope=scope),
            sources=close.pipeline_sources,
            by=By(run_id=run.pk, resolution=Case.Resolution.NO_LONGER_DETECTED), params={},
            action=close.name, source="pipeline", note=CLOSE_NOTE.format(run=run.pk), context=context,
        )
        reopened = transition_cases(
            cursor, reopen, chosen=RETURNED.format(mart=mart, audited=AUDITED_SQL), sources=reopen.pipeline_sources,
            by=By(run_id=run.pk), params={},
            action=reopen.name, source="pipeline", note=REOPEN_NOTE.format(run=run.pk), context=context,
        )
        cursor.execute(STILL_DETECTED.format(mart=published or mart))
        detected = cursor.fetchone()[0]
    return SyncCounts(created, closed, reopened, detected - created - reopened, detected)
