"""A closure is one definition (compliance/cases/transitions.py, ``close``),
whatever makes it: a manager closing a case on its page, in bulk from the
case list, or by the admin action leaves the same fields and the same audit
event (ids, times and the entry point's own context aside); the pipeline's
case sync closing a vanished violation's case sets the same fields, with
its run as the closer instead of a person, from any open status."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from compliance.cases import workflow as actions
from compliance.cases.sync import sync_cases
from compliance.models import Case, CaseEvent, PipelineRun

from .conftest import user_in_role

pytestmark = pytest.mark.usefixtures("pipeline_build")

NOTE = "The dialer's clock was an hour off that week; the call was inside the allowed hours."


@pytest.fixture
def manager(db) -> User:
    """A compliance manager, staff (managers are: admin shows them the case actions)."""
    manager = user_in_role("compliance_manager", "mara")
    User.objects.filter(pk=manager.pk).update(is_staff=True)
    return User.objects.get(pk=manager.pk)


def in_review(count: int, user: User) -> list[Case]:
    """``count`` new cases of one rule, each claimed by ``user`` and walked to review the same way."""
    cases = list(Case.objects.filter(status="new", violation_type="outside_allowed_hours").order_by("id")[:count])
    for case in cases:
        actions.claim_case(case.pk, user)
        actions.triage_case(case.pk, user)
        actions.start_review(case.pk, user)
    return [Case.objects.get(pk=case.pk) for case in cases]


def left_by_close(before: Case) -> dict:
    """What the closure of the case ``before`` (as it was just before it)
    left on it and in its audit trail, normalized: no ids, no times, the
    bulk prefix and each entry point's own context (the bulk operation, the
    run) taken out of the event, the closer named by kind."""
    case = Case.objects.get(pk=before.pk)
    (event,) = case.events.filter(action__in=["close", "bulk_close"])
    note = case.notes.get(pk=event.after["note"])
    return {
        "fields": {"status": case.status, "resolution": case.resolution, "closed_at set": case.closed_at is not None,
                   "closed_by": case.closed_by and case.closed_by.username,
                   "closed_by_run": case.closed_by_run_id and "this run",
                   "reopened_by": case.reopened_by_id, "assignee": case.assignee and case.assignee.username,
                   "versions added": case.version - before.version},
        "event": {"action": event.action.removeprefix("bulk_"), "actor": event.actor and event.actor.username,
                  "before": event.before,
                  "after": {k: v for k, v in event.after.items() if k not in ("note", "bulk_operation",
                                                                              "pipeline_run")}},
        "note": (note.author and note.author.username, note.body, note.internal),
    }


def test_the_case_page_bulk_and_admin_close_alike(client, manager):
    page_case, admin_case, bulk_case = in_review(3, manager)
    client.force_login(manager)

    client.post(reverse("compliance:case_transition", args=[page_case.pk, "close"]),
                {"resolution": "false_positive", "note": NOTE, "version": page_case.version})
    client.post(reverse("admin:compliance_case_changelist"),
                {"action": "close", "_selected_action": [admin_case.pk], f"version_{admin_case.pk}": admin_case.version,
                 "apply": "1", "resolution": "false_positive", "note": NOTE})
    # The bulk form of the manager's list of own cases in review: by now the bulk case alone.
    selection = "status=in_review&assigned=me"
    page = client.get(f"{reverse('compliance:case_list')}?{selection}")
    assert page.context["total"] == 1
    client.post(reverse("compliance:case_bulk"), {
        "selection": selection, "expected": 1, "shown_at": timezone.now().isoformat(), "action": "close",
        "resolution": "false_positive", "note": NOTE})

    left = [left_by_close(case) for case in (page_case, admin_case, bulk_case)]
    assert left[0] == left[1] == left[2] == {
        "fields": {"status": "closed", "resolution": "false_positive", "closed_at set": True, "closed_by": "mara",
                   "closed_by_run": None, "reopened_by": None, "assignee": "mara", "versions added": 1},
        "event": {"action": "close", "actor": "mara", "before": {"status": "in_review", "resolution": ""},
                  "after": {"status": "closed", "resolution": "false_positive"}},
        "note": ("mara", NOTE, False),
    }
    assert [CaseEvent.objects.get(case=case, action__endswith="close").source
            for case in (page_case, admin_case, bulk_case)] == ["web", "admin", "web"]


def test_the_sync_closes_by_the_same_definition_from_any_open_status(manager):
    """A person's closure and the sync's set the same fields (the sync's
    from a triaged case: it closes whatever the open status); only the
    closer and the resolution differ, as the definition says."""
    (person_case,) = in_review(1, manager)
    actions.close_case(person_case.pk, manager, "false_positive", NOTE)
    synced = Case.objects.filter(status="new").exclude(violation_type="outside_allowed_hours").order_by("id").first()
    actions.triage_case(synced.pk, manager)
    synced = Case.objects.get(pk=synced.pk)
    run = PipelineRun.objects.create(trigger=PipelineRun.Trigger.COMMAND)
    with connection.cursor() as cursor:  # the published mart without the synced case's violation
        cursor.execute("create temp table mart_without_one as select * from analytics.mart_compliance_risk"
                       " where violation_id <> %s", [synced.violation_id])
    counts = sync_cases(run, mart="mart_without_one")
    assert (counts.created, counts.closed, counts.reopened) == (0, 1, 0)

    person, pipeline = left_by_close(person_case), left_by_close(synced)
    assert pipeline["fields"] == {**person["fields"], "resolution": "no_longer_detected", "closed_by": None,
                                  "closed_by_run": "this run", "assignee": None}
    assert Case.objects.get(pk=synced.pk).closed_by_run_id == run.pk
    assert pipeline["event"] == {**person["event"], "actor": None, "before": {"status": "triaged", "resolution": ""},
                                 "after": {**person["event"]["after"], "resolution": "no_longer_detected"}}
    assert pipeline["note"][0] is None and "no longer detected" in pipeline["note"][1]
