"""Work order: priority derived from severity, due dates from the
per-severity SLA policy in business days (US federal holidays skipped with the
holidays package), set on every new case; overdue cases are visible and
countable."""

from datetime import date, datetime, timedelta, timezone

import pytest
from django.urls import reverse

from compliance.cases.sla import business_day_after, due_at
from compliance.models import PRIORITY_OF_SEVERITY, Case, SlaPolicy

from .conftest import user_in_role

pytestmark = pytest.mark.usefixtures("pipeline_build")


def test_default_policy_is_the_issues(db):
    assert dict(SlaPolicy.objects.values_list("severity", "business_days")) == {
        "critical": 2, "high": 5, "medium": 10, "low": 20}


def test_business_days_skip_weekends_and_federal_holidays():
    assert business_day_after(date(2025, 11, 21), 10) == date(2025, 12, 8)  # CN-04: Thanksgiving skipped
    assert business_day_after(date(2025, 12, 24), 2) == date(2025, 12, 29)  # Christmas, then the weekend
    assert due_at(date(2025, 7, 3), 2) == datetime(2025, 7, 8, 23, 59, 59, tzinfo=timezone.utc)  # July 4th


def test_every_new_case_is_due_by_its_severity(db, pipeline_build):
    days = dict(SlaPolicy.objects.values_list("severity", "business_days"))
    created = pipeline_build.run.started_at.astimezone(timezone.utc).date()
    for severity, business_days in days.items():
        cases = Case.objects.filter(severity=severity, created_by_run=pipeline_build.run)
        assert set(cases.values_list("due_at", flat=True)) <= {due_at(created, business_days)}
    assert not Case.objects.filter(due_at__isnull=True).exists()
    case = Case.objects.order_by("id").first()
    assert case.events.get(action="created").after["due_at"] == case.due_at.isoformat()


def test_overdue_cases_are_listed_and_counted(client, db):
    user = user_in_role("viewer", "olga")
    late = list(Case.objects.order_by("id").values_list("pk", flat=True)[:3])
    Case.objects.filter(pk__in=late).update(due_at=datetime.now(timezone.utc) - timedelta(days=1))
    client.force_login(user)
    page = client.get(reverse("compliance:case_list"), {"overdue": "true"})
    assert {item.pk for item in page.context["page"]} == set(late)
    assert page.context["overdue"] == 3 and "3 overdue" in page.content.decode()


def test_priority_is_derived_from_severity_and_orders_the_queue(client, db):
    rows = set(Case.objects.values_list("severity", "priority"))
    assert rows == {(severity, PRIORITY_OF_SEVERITY[severity]) for severity, _ in rows}
    assert {severity for severity, _ in rows} >= {"critical", "high", "medium"}
    # The database keeps it derived: a severity change moves the priority with it.
    case = Case.objects.filter(severity="medium").first()
    Case.objects.filter(pk=case.pk).update(severity="critical")
    case.refresh_from_db()
    assert case.priority == 1
    client.force_login(user_in_role("viewer", "vera"))
    page = client.get(reverse("compliance:case_list"))
    shown = [(item.priority, item.due_at) for item in page.context["page"]]
    assert shown == sorted(shown) and shown[0][0] == 1


def test_a_policy_change_re_dates_the_open_cases_of_its_severity(client, db):
    """Admin: critical from 2 to 4 business days. Open critical cases get the
    new date, with an audit event and a note; closed ones and other
    severities keep theirs."""
    manager = user_in_role("compliance_manager", "sally")
    type(manager).objects.filter(pk=manager.pk).update(is_staff=True)
    closed = Case.objects.filter(severity="critical").order_by("id").first()
    Case.objects.filter(pk=closed.pk).update(status="closed", resolution="remediated", closed_by=manager)
    before = dict(Case.objects.values_list("pk", "due_at"))
    policy = SlaPolicy.objects.get(severity="critical")
    client.force_login(manager)
    url = reverse("admin:compliance_slapolicy_change", args=[policy.pk])
    for out_of_bounds in (0, 100000):
        refused = client.post(url, {"business_days": out_of_bounds}).content.decode()
        assert "Ensure this value is" in refused
    assert dict(Case.objects.values_list("pk", "due_at")) == before
    page = client.post(url, {"business_days": 4}, follow=True).content.decode()
    open_critical = Case.objects.filter(severity="critical").exclude(pk=closed.pk)
    assert f"{open_critical.count()} open critical case(s) re-dated" in page
    for case in Case.objects.all():
        if case.severity == "critical" and case.pk != closed.pk:
            assert case.due_at == due_at(case.created_at.astimezone(timezone.utc).date(), 4)
            event = case.events.get(action="due_date_changed")
            assert (event.actor, event.source) == (manager, "admin")
            assert case.notes.filter(body__contains="now 4 business days").exists()
        else:
            assert case.due_at == before[case.pk]
