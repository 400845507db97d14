"""Bulk work: a manager changes every case of a filtered list at
once with one note (all outside_allowed_hours cases of one campaign and
day), set-based, with one audit event per case and one record of the
operation; cases in another status are skipped, not forced."""

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.cases import bulk
from compliance.cases import workflow as actions
from compliance.models import BulkOperation, Case, CaseEvent, CaseHistory, CaseQueueItem

from .conftest import user_in_role

pytestmark = pytest.mark.usefixtures("pipeline_build")


def one_campaign_day() -> tuple[dict, list[int]]:
    """The filter of the outside_allowed_hours campaign-day with the most cases, and their ids."""
    item = (CaseQueueItem.objects.filter(violation_type="outside_allowed_hours", campaign_id__isnull=False)
            .order_by("campaign_id", "attempt_ts_local").first())
    selection = {"violation_type": "outside_allowed_hours", "campaign_id": item.campaign_id,
                 "local_date": item.attempt_ts_local.date().isoformat()}
    ids = list(CaseQueueItem.objects.filter(violation_type="outside_allowed_hours", campaign_id=item.campaign_id,
                                            attempt_ts_local__date=item.attempt_ts_local.date())
               .values_list("pk", flat=True))
    return selection, ids


def test_bulk_moves_and_closes_a_filtered_list_with_one_note(db):
    manager = user_in_role("compliance_manager", "mona")
    selection, ids = one_campaign_day()
    skipped = ids[0]
    actions.triage_case(skipped, manager)  # already triaged: the bulk triage skips it
    cases = Case.objects.filter(pk__in=ids)
    triage = bulk.bulk_change(cases, manager, "triage", "Campaign-day review.", selection="x")
    assert (triage.requested, triage.changed) == (len(ids), len(ids) - 1)
    bulk.bulk_change(cases, manager, "start_review", "Campaign-day review.")
    closing = bulk.bulk_change(cases, manager, "close", "Dialer clock was wrong that day.",
                               resolution="false_positive")
    assert closing.changed == len(ids)
    assert set(cases.values_list("status", "resolution", "closed_by", "closed_by_run")) == {
        ("closed", "false_positive", manager.pk, None)}
    for case in cases:
        (event,) = case.events.filter(action="bulk_close")
        assert event.after["bulk_operation"] == closing.pk and event.before["status"] == "in_review"
        assert case.notes.filter(body="Dialer clock was wrong that day.", author=manager).count() == 1
        assert case.notes.get(pk=event.after["note"]).body == "Dialer clock was wrong that day."
        history = CaseHistory.objects.filter(pgh_obj=case, status="closed").get()
        assert history.pgh_context.metadata["bulk_operation"] == closing.pk
    assert BulkOperation.objects.filter(actor=manager).count() == 3
    assert not Case.objects.exclude(pk__in=ids).filter(status="closed").exists()


@pytest.mark.parametrize("role", ["auditor", "viewer"])
def test_only_managers_may_change_in_bulk(db, role):
    user = user_in_role(role, f"bulk-{role}")
    with pytest.raises(actions.CasePermissionError):
        bulk.bulk_change(Case.objects.all(), user, "triage", "no")
    assert not BulkOperation.objects.exists()


def test_bulk_refuses_a_missing_note_resolution_or_assignee(db):
    manager = user_in_role("compliance_manager", "milo")
    for kwargs, message in (({"action": "triage", "note": " "}, "needs a note"),
                            ({"action": "close", "note": "n", "resolution": "maybe"}, "Unknown resolution"),
                            ({"action": "close", "note": "n", "resolution": "no_longer_detected"},
                             "set only by the pipeline"),
                            ({"action": "assign", "note": "n"}, "can work on cases"),
                            ({"action": "assign", "note": "n", "assignee": user_in_role("viewer", "vince")},
                             "can work on cases"),
                            ({"action": "triage", "note": "n" * 10_001}, "limited to 10,000 characters"),
                            ({"action": "explode", "note": "n"}, "Unknown bulk action")):
        with pytest.raises(actions.CaseActionError, match=message):
            bulk.bulk_change(Case.objects.all(), manager, **kwargs)


def test_bulk_assign_from_the_case_list(client, db):
    manager, auditor = user_in_role("compliance_manager", "mick"), user_in_role("auditor", "abe")
    selection, ids = one_campaign_day()
    client.force_login(manager)
    query = "&".join(f"{k}={v}" for k, v in selection.items())
    assert "Change all" in client.get(f"{reverse('compliance:case_list')}?{query}").content.decode()
    page = client.post(reverse("compliance:case_bulk"), {
        "selection": query, "action": "assign", "assignee": auditor.pk, "note": "Yours, Abe.", "expected": len(ids),
        "shown_at": timezone.now().isoformat()}, follow=True)
    assert f"{len(ids)} of {len(ids)} cases changed" in page.content.decode()
    assert set(Case.objects.filter(pk__in=ids).values_list("assignee", flat=True)) == {auditor.pk}
    assert CaseEvent.objects.filter(action="bulk_assign", case_id__in=ids, source="web").count() == len(ids)


def test_the_list_form_carries_its_filter_and_count_and_a_changed_list_is_refused(client, db):
    """The bulk form sends the filter, the count and the time of the list the
    manager saw; a typo in the filter, a list whose count changed, or one of
    whose cases changed since (even with the count the same), changes nothing."""
    manager = user_in_role("compliance_manager", "mick")
    selection, ids = one_campaign_day()
    client.force_login(manager)
    query = "&".join(f"{k}={v}" for k, v in selection.items())
    form = client.get(f"{reverse('compliance:case_list')}?{query}&page=1").context["bulk_form"]
    shown_at = form.initial.pop("shown_at")
    assert form.initial == {"selection": query.replace(":", "%3A"), "expected": len(ids)}
    assert abs((timezone.now() - shown_at).total_seconds()) < 60
    assert "viewer" not in {u.username for u in form.fields["assignee"].queryset}
    url = reverse("compliance:case_bulk")
    seen = {"expected": len(ids), "shown_at": shown_at.isoformat()}
    for refused, reason in (
        ({**seen, "selection": query + "&overdeu=true"}, "Unknown filter overdeu"),
        ({**seen, "selection": query, "expected": len(ids) + 1}, f"({len(ids) + 1} cases, now {len(ids)})"),
        ({**seen, "selection": "x=" + "a" * 17_000}, "at most 2000 characters"),
        ({"selection": query, "shown_at": seen["shown_at"]}, "did not say how many cases you saw"),
        ({"selection": query, "expected": len(ids)}, "did not say when you saw the list"),
    ):
        page = client.post(url, {"action": "triage", "note": "Typo?", **refused}, follow=True).content.decode()
        assert "The bulk change was not applied" in page and reason in page, reason
    other = user_in_role("auditor", "otis")
    actions.claim_case(ids[0], other)  # someone else's change after the list was shown: same count
    page = client.post(url, {"action": "triage", "note": "Go.", "selection": query, **seen},
                       follow=True).content.decode()
    assert "1 of its cases changed since you saw the list" in page
    assert not BulkOperation.objects.exists()
    seen["shown_at"] = timezone.now().isoformat()  # the list seen again
    page = client.post(url, {"action": "triage", "note": "Go.", "selection": query, **seen},
                       follow=True).content.decode()
    assert f"{len(ids)} of {len(ids)} cases changed" in page


def test_a_bulk_change_that_changes_nothing_is_a_warning_that_says_why(client, db):
    """Closing a list of new cases changes none of them: a warning naming the
    statuses the action applies to, not a success. A refused form names
    none of its hidden fields (their names mean nothing to the manager)."""
    manager = user_in_role("compliance_manager", "mick")
    selection, ids = one_campaign_day()
    client.force_login(manager)
    url = reverse("compliance:case_bulk")
    seen = {"selection": "&".join(f"{k}={v}" for k, v in selection.items()), "expected": len(ids),
            "shown_at": timezone.now().isoformat()}

    def said(data: dict) -> list[tuple[str, str]]:
        return [(m.level_tag, m.message) for m in client.post(url, data, follow=True).context["messages"]]

    assert said({**seen, "action": "close", "resolution": "false_positive", "note": "Closed."}) == [
        ("warning", f"None of the {len(ids)} cases changed: none was in a status the action applies to "
                    "('Close' changes only cases that are in review).")]
    assert not Case.objects.filter(pk__in=ids).exclude(status="new").exists()
    for garbled, reason in (({"expected": "many"}, "did not say how many cases you saw"),
                            ({"shown_at": "yesterday"}, "did not say when you saw the list"),
                            ({"selection": "x=" + "a" * 2001}, "at most 2000 characters")):
        ((level, message),) = said({**seen, **garbled, "action": "triage", "note": "Go."})
        assert level == "error" and message.startswith("The bulk change was not applied.") and reason in message
        assert not any(f"{name}:" in message for name in ("selection", "expected", "shown_at")), message
    (closing,) = BulkOperation.objects.all()  # the close, recorded with what it did; the refused ones are not
    assert (closing.action, closing.requested, closing.changed) == ("close", len(ids), 0)
