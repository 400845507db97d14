"""Due dates of cases from the SLA policy: a case is due at the end
(23:59:59 UTC) of the policy's ``business_days``-th business day after the
day it was created; business days are Monday to Friday without US federal
holidays (the ``holidays`` package). Set at creation (the case sync writes
:func:`due_dates` into each new case); a policy change re-dates the open
cases of its severity (:func:`apply_policy`); closed cases keep the due date
they had."""

from datetime import date, datetime, time, timedelta, timezone

import holidays
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models.functions import TruncDate

from compliance.cases.moves import move_cases
from compliance.cases.workflow import audited, require
from compliance.models import Case, CaseEvent, SlaPolicy

FEDERAL_HOLIDAYS = holidays.US()


def business_day_after(day: date, count: int) -> date:
    """The ``count``-th business day after ``day`` (``day`` itself not counted)."""
    while count:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in FEDERAL_HOLIDAYS:
            count -= 1
    return day


def due_at(created: date, business_days: int) -> datetime:
    """End of the due day, UTC."""
    return datetime.combine(business_day_after(created, business_days), time(23, 59, 59), tzinfo=timezone.utc)


def due_dates(created: date) -> dict[str, datetime]:
    """The due date of a case created on ``created``, per severity that has a
    policy (the due day depends only on the creation day and severity)."""
    return {policy.severity: due_at(created, policy.business_days) for policy in SlaPolicy.objects.all()}


# The open cases of one severity whose due date differs from the policy's,
# with the new date (%(days)s, %(dues)s: creation day -> due date).
REDATED = """
select c.id, jsonb_build_object('due_at', c.due_at) as before, d.due as new_due
from compliance_case c
inner join unnest(%(days)s::date[], %(dues)s::timestamptz[]) as d (created, due)
    on d.created = (c.created_at at time zone 'UTC')::date
where c.severity = %(severity)s and c.status <> 'closed' and c.due_at is distinct from d.due
for update of c
"""
REDATE_NOTE = "Due date recomputed: the SLA policy for {severity} cases is now {days} business days."


def apply_policy(policy: SlaPolicy, user: AbstractBaseUser, source: str = CaseEvent.Source.ADMIN) -> int:
    """Re-date every open case of ``policy.severity`` from its creation day
    (one set-based statement; each changed case gets a note and an audit
    event with the old and new due date). Returns how many cases changed.
    Raises :class:`~compliance.cases.workflow.CasePermissionError` unless
    ``user`` may change the SLA policy."""
    require(user, "change_slapolicy")
    open_cases = Case.objects.filter(severity=policy.severity).exclude(status=Case.Status.CLOSED)
    days = sorted(set(open_cases.annotate(day=TruncDate("created_at", tzinfo=timezone.utc))
                      .values_list("day", flat=True)))
    with transaction.atomic(), audited(user, source), connection.cursor() as cursor:
        return move_cases(
            cursor, chosen=REDATED, assignments="due_at = chosen.new_due",
            after="jsonb_build_object('due_at', c.due_at)",
            params={"days": days, "dues": [due_at(day, policy.business_days) for day in days],
                    "severity": policy.severity},
            action="due_date_changed", source=source, actor_id=user.pk,
            note=REDATE_NOTE.format(severity=policy.severity, days=policy.business_days),
            context={"sla_policy": policy.pk},
        )
