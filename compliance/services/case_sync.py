"""Mart rows → cases, set-based, like a scanner re-import (issue #5):

* a mart row without a case creates one (status ``new``; the row kept as
  ``evidence``); one case per ``violation_id`` (a unique constraint, so two
  syncs can never duplicate);
* a case whose violation is still in the mart is left untouched;
* an open case (not ``closed``) whose violation left the mart (data
  corrected, rule changed) is closed as ``no_longer_detected`` with a system
  note; a case a human closed is never touched;
* a ``no_longer_detected`` case whose violation is back is ``reopened``
  (resolution cleared), with a system note. Human resolutions
  (``false_positive``, ``exempt``, ...) are never reopened automatically.

Every change writes an audit event with source ``pipeline`` and the run id,
and bumps the case's version (an auditor's open form then gets a conflict).
The caller runs :func:`sync_cases` inside its transaction.
"""

from dataclasses import dataclass

from django.db import connection

from compliance.models import PipelineRun

CLOSE_NOTE = "Closed by pipeline run {run}: the violation is no longer detected (data corrected or rule changed)."
REOPEN_NOTE = "Reopened by pipeline run {run}: the violation is detected again."

# {mart} is a schema-qualified relation name chosen by the caller, never user input.
INSERT_NEW_CASES = """
insert into compliance_case
    (violation_id, violation_type, severity, lead_id, attempt_id, attempt_ts,
     evidence, status, resolution, version, created_by_run_id, created_at, updated_at)
select m.violation_id, m.violation_type, m.severity, m.lead_id, m.attempt_id, m.attempt_ts,
       to_jsonb(m), 'new', '', 1, %(run_id)s, now(), now()
from {mart} m
on conflict (violation_id) do nothing
"""

RECORD_CREATION_EVENTS = """
insert into compliance_caseevent (case_id, actor_id, action, source, before, after, created_at)
select c.id, null, 'created', 'pipeline', '{}'::jsonb,
       jsonb_build_object('status', c.status, 'pipeline_run', c.created_by_run_id), now()
from compliance_case c
where c.created_by_run_id = %(run_id)s
"""

# Move the cases chosen by {chosen} (ids, with their status before) to
# {status}/{resolution}, with one system note and one audit event each.
MOVE_CASES = """
with chosen as ({chosen}),
moved as (
    update compliance_case c
    set status = %(status)s, resolution = %(resolution)s, closed_at = {closed_at},
        version = c.version + 1, updated_at = now()
    from chosen
    where c.id = chosen.id
    returning c.id, chosen.old_status, chosen.old_resolution
),
notes as (
    insert into compliance_casenote (case_id, author_id, body, internal, created_at)
    select id, null, %(note)s, false, now() from moved
    returning case_id, id
)
insert into compliance_caseevent (case_id, actor_id, action, source, before, after, created_at)
select moved.id, null, %(action)s, 'pipeline',
       jsonb_build_object('status', moved.old_status, 'resolution', moved.old_resolution),
       jsonb_build_object('status', %(status)s, 'resolution', %(resolution)s, 'note', notes.id,
                          'pipeline_run', %(run_id)s),
       now()
from moved
inner join notes on notes.case_id = moved.id
"""

VANISHED = """
select c.id, c.status as old_status, c.resolution as old_resolution
from compliance_case c
where c.status <> 'closed' and not exists (select 1 from {mart} m where m.violation_id = c.violation_id)
for update of c
"""

RETURNED = """
select c.id, c.status as old_status, c.resolution as old_resolution
from compliance_case c
where c.status = 'closed' and c.resolution = 'no_longer_detected'
  and exists (select 1 from {mart} m where m.violation_id = c.violation_id)
for update of c
"""

STILL_DETECTED = """
select count(*) from compliance_case c
where exists (select 1 from {mart} m where m.violation_id = c.violation_id)
"""


@dataclass(frozen=True)
class SyncCounts:
    """Cases created, closed (no_longer_detected), reopened and left untouched by one sync."""

    created: int
    closed: int
    reopened: int
    untouched: int


def sync_cases(run: PipelineRun, mart: str = "analytics.mart_compliance_risk") -> SyncCounts:
    """Bring the cases in line with ``mart`` (see the module docstring) and
    return the counts; run it inside the caller's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(INSERT_NEW_CASES.format(mart=mart), {"run_id": run.pk})
        created = cursor.rowcount
        cursor.execute(RECORD_CREATION_EVENTS, {"run_id": run.pk})
        closed = move_cases(cursor, VANISHED.format(mart=mart), run, status="closed",
                            resolution="no_longer_detected", closed_at="now()", action="close",
                            note=CLOSE_NOTE.format(run=run.pk))
        reopened = move_cases(cursor, RETURNED.format(mart=mart), run, status="reopened", resolution="",
                              closed_at="null", action="reopen", note=REOPEN_NOTE.format(run=run.pk))
        cursor.execute(STILL_DETECTED.format(mart=mart))
        untouched = cursor.fetchone()[0] - created - reopened
    return SyncCounts(created, closed, reopened, untouched)


def move_cases(cursor, chosen: str, run: PipelineRun, *, status: str, resolution: str, closed_at: str,
               action: str, note: str) -> int:
    """Run MOVE_CASES for the cases ``chosen`` selects; return how many moved."""
    cursor.execute(
        MOVE_CASES.format(chosen=chosen, closed_at=closed_at),
        {"status": status, "resolution": resolution, "action": action, "note": note, "run_id": run.pk},
    )
    return cursor.rowcount
