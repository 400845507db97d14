"""Due dates of cases from the SLA policy (issue #5): a case is due at the end
(23:59:59 UTC) of the policy's ``business_days``-th business day after the
day it was created; business days are Monday to Friday without US federal
holidays (the ``holidays`` package). Set once, at creation; a policy change
applies to cases created after it."""

from datetime import date, datetime, time, timedelta, timezone

import holidays
from django.db import connection

from compliance.models import PipelineRun, SlaPolicy

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


SET_DUE_DATES = """
update compliance_case
set due_at = %(due_at)s
where created_by_run_id = %(run_id)s and severity = %(severity)s and due_at is null
"""


def set_due_dates(run: PipelineRun, created: date) -> None:
    """Give the cases ``run`` created their due date: one set-based UPDATE per
    severity (the due day depends only on the creation day and severity)."""
    with connection.cursor() as cursor:
        for policy in SlaPolicy.objects.all():
            cursor.execute(SET_DUE_DATES, {"due_at": due_at(created, policy.business_days), "run_id": run.pk,
                                           "severity": policy.severity})
