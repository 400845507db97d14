"""Turn mart rows into cases, set-based.

One case per ``violation_id`` (a unique constraint, so two syncs can never
duplicate). A sync only inserts: cases whose violation is still in the mart
are left untouched, and no human field (status, assignee, resolution, notes)
is ever written here.
"""

from django.db import connection, transaction

from compliance.models import PipelineRun

# {mart} is a schema-qualified relation name chosen by the caller, never user input.
INSERT_NEW_CASES = """
insert into compliance_case
    (violation_id, violation_type, severity, lead_id, attempt_id, attempt_ts,
     evidence, status, resolution, created_by_run_id, created_at, updated_at)
select m.violation_id, m.violation_type, m.severity, m.lead_id, m.attempt_id, m.attempt_ts,
       to_jsonb(m), 'new', '', %(run_id)s, now(), now()
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


def sync_cases(run: PipelineRun, mart: str = "analytics.mart_compliance_risk") -> int:
    """Create a case for every row of ``mart`` that has none; return how many were created.

    Each new case keeps the mart row as it is now in ``evidence`` and gets one
    ``created`` audit event.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(INSERT_NEW_CASES.format(mart=mart), {"run_id": run.pk})
        created = cursor.rowcount
        cursor.execute(RECORD_CREATION_EVENTS, {"run_id": run.pk})
    return created
