"""A case walks through every allowed transition and
is refused on every invalid one, through the service layer and through the
web views; a stale version is a conflict, not a lost update."""

import threading
import time

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from compliance.cases import workflow as actions
from compliance.models import Case

from .conftest import conninfo, user_in_role

pytestmark = pytest.mark.usefixtures("pipeline_build")

# The walk: every allowed transition once (reopen leads back to review and a second close).
WALK = ["triage", "start_review", "close", "reopen", "start_review", "close"]
ALL_STATUSES = [Case.Status.NEW, Case.Status.TRIAGED, Case.Status.IN_REVIEW, Case.Status.CLOSED,
                Case.Status.REOPENED]


@pytest.fixture
def auditor(db):
    """A compliance manager: the only role that may walk every transition (close, reopen)."""
    return user_in_role("compliance_manager", "carol")


def new_case() -> Case:
    return Case.objects.filter(status=Case.Status.NEW).order_by("id").first()


def service_step(case_id: int, user, name: str, version=None) -> Case:
    """Call the service function of transition ``name``."""
    if name == "close":
        return actions.close_case(case_id, user, "false_positive", "The lead's address is in another zone.", version)
    if name == "reopen":
        return actions.reopen_case(case_id, user, "The dialer log shows a second call.", version)
    return {"triage": actions.triage_case, "start_review": actions.start_review}[name](case_id, user, version)


CURRENT = object()  # web_step: post the version the case has now, as the case page does


def web_step(client, case_id: int, name: str, version=CURRENT, resolution: str = "false_positive"):
    """POST transition ``name`` as the case page's form does; ``version`` None leaves the field out."""
    data = {"resolution": resolution, "note": "Because the record says so."}
    if version is CURRENT:
        version = Case.objects.get(pk=case_id).version
    if version is not None:
        data["version"] = version
    return client.post(reverse("compliance:case_transition", args=[case_id, name]), data, follow=True)


def test_the_transition_table_is_the_issues():
    assert {(source, t.target) for t in actions.TRANSITIONS.values() for source in t.sources} == {
        ("new", "triaged"), ("triaged", "in_review"), ("in_review", "closed"), ("closed", "reopened"),
        ("reopened", "in_review"),
    }


def test_service_walks_every_transition_and_refuses_every_other(auditor):
    case = new_case()
    visited = []
    for name in WALK:
        status = Case.objects.get(pk=case.pk).status
        visited.append(status)
        for other in actions.TRANSITIONS:
            if status not in actions.TRANSITIONS[other].sources:
                label = actions.TRANSITIONS[other].label
                with pytest.raises(actions.CaseActionError, match=f"cannot be moved by '{label}'"):
                    service_step(case.pk, auditor, other)
                assert Case.objects.get(pk=case.pk).status == status  # nothing changed
        service_step(case.pk, auditor, name)
    case.refresh_from_db()
    assert set(visited) == set(ALL_STATUSES)
    assert (case.status, case.resolution) == ("closed", "false_positive")
    assert list(case.events.values_list("action", flat=True)) == ["created", *WALK]


def test_web_walks_every_transition_and_refuses_every_other(client, auditor):
    client.force_login(auditor)
    case = new_case()
    for name in WALK:
        status = Case.objects.get(pk=case.pk).status
        for other in actions.TRANSITIONS:
            if status not in actions.TRANSITIONS[other].sources:
                page = web_step(client, case.pk, other).content.decode()
                assert f"cannot be moved by &#x27;{actions.TRANSITIONS[other].label}&#x27;" in page
                assert Case.objects.get(pk=case.pk).status == status
        page = web_step(client, case.pk, name).content.decode()
        assert Case.objects.get(pk=case.pk).status == actions.TRANSITIONS[name].target, page
    assert client.post(reverse("compliance:case_transition", args=[case.pk, "teleport"])).status_code == 404


def test_closing_needs_a_resolution_and_a_note_reopening_a_note(auditor):
    case = new_case()
    actions.triage_case(case.pk, auditor)
    actions.start_review(case.pk, auditor)
    with pytest.raises(actions.CaseActionError, match="needs a note"):
        actions.close_case(case.pk, auditor, "exempt", " ")
    with pytest.raises(actions.CaseActionError, match="Unknown resolution"):
        actions.close_case(case.pk, auditor, "whatever", "why")
    actions.close_case(case.pk, auditor, "exempt", "PEWC on file, signed 2024-01-02.")
    with pytest.raises(actions.CaseActionError, match="needs a note"):
        actions.reopen_case(case.pk, auditor, "")
    assert Case.objects.get(pk=case.pk).status == "closed"


def test_a_stale_version_is_a_conflict_and_nothing_is_lost(client, auditor):
    """The second of two auditors saving the page they both opened is told
    the case changed; the first one's change stays."""
    case = new_case()
    opened = case.version
    actions.triage_case(case.pk, auditor, opened)  # the first auditor's save
    with pytest.raises(actions.CaseConflictError, match="changed by someone else"):
        actions.claim_case(case.pk, auditor, opened)
    client.force_login(auditor)
    page = web_step(client, case.pk, "start_review", version=opened).content.decode()
    assert "changed by someone else since you opened it" in page
    case.refresh_from_db()
    assert (case.status, case.assignee, case.version) == ("triaged", None, opened + 1)


@pytest.mark.parametrize("garbled", ["", "abc", "1.0", "0", "-3", " 1", "+1", "１", "1_0", "1\n"])
def test_a_form_with_a_garbled_version_is_refused(client, auditor, garbled):
    case = new_case()
    client.force_login(auditor)
    page = web_step(client, case.pk, "triage", version=garbled).content.decode()
    assert "did not say which version of the case it showed: nothing was saved" in page
    assert Case.objects.get(pk=case.pk).status == "new"


@pytest.mark.parametrize("name", ["triage", "claim", "assign", "note_edit"])
def test_a_form_without_its_version_is_refused(client, auditor, name):
    """Every case action's form must say which version it showed: a post
    without it is never saved unchecked."""
    case = new_case()
    client.force_login(auditor)
    note = actions.add_note(case.pk, auditor, "Checked the dialer log.")
    url, data = {
        "triage": (reverse("compliance:case_transition", args=[case.pk, "triage"]), {}),
        "claim": (reverse("compliance:case_claim", args=[case.pk]), {}),
        "assign": (reverse("compliance:case_assign", args=[case.pk]), {"assignee": auditor.pk}),
        "note_edit": (reverse("compliance:note_edit", args=[note.pk]), {"body": "Rewritten without a version."}),
    }[name]
    page = client.post(url, data, follow=True).content.decode()
    assert "did not say which version of the case it showed: nothing was saved" in page
    case.refresh_from_db()
    note.refresh_from_db()
    assert (case.status, case.assignee, note.body) == ("new", None, "Checked the dialer log.")


def walk_to_review(case: Case, user) -> None:
    actions.triage_case(case.pk, user)
    actions.start_review(case.pk, user)


def test_no_longer_detected_is_the_pipelines_alone(client, auditor):
    """A person may not close a case as no longer detected (the next run would
    take it for its own closure and reopen it): refused by the service, not
    offered by the forms, refused when posted anyway; a person's closure
    names the person."""
    case = new_case()
    walk_to_review(case, auditor)
    with pytest.raises(actions.CaseActionError, match="set only by the pipeline"):
        actions.close_case(case.pk, auditor, "no_longer_detected", "It is gone, I think.")
    client.force_login(auditor)
    page = client.get(reverse("compliance:case_detail", args=[case.pk])).content.decode()
    assert 'value="no_longer_detected"' not in page and 'value="remediated"' in page
    web_step(client, case.pk, "close", resolution="no_longer_detected")
    case.refresh_from_db()
    assert (case.status, case.closed_by) == ("in_review", None)
    web_step(client, case.pk, "close", resolution="remediated")
    case.refresh_from_db()
    assert (case.status, case.resolution, case.closed_by, case.closed_by_run) == (
        "closed", "remediated", auditor, None)
    assert f"closed by <strong>{auditor.username}</strong>" in client.get(
        reverse("compliance:case_detail", args=[case.pk])).content.decode()


def test_a_form_refused_where_its_transition_is_not_offered_says_why(client, auditor):
    """A close posted to a new case without a resolution: the close form is
    not on the page (the case is not in review), so the errors are a message."""
    client.force_login(auditor)
    response = client.post(reverse("compliance:case_transition", args=[new_case().pk, "close"]), {"note": "x"})
    assert response.status_code == 400
    assert "Nothing was saved. resolution: This field is required." in response.content.decode()


def test_two_real_transactions_the_second_waits_and_gets_a_conflict(auditor):
    """Another transaction (a second auditor's save, on its own
    connection) holds the case's row lock and commits a change; this save,
    made from the same version, waits for the lock and is refused as a
    conflict; the first save stands. (The last case is used: the other
    transaction commits for real.)"""
    case = Case.objects.order_by("-id").first()
    opened = case.version
    other = psycopg.connect(conninfo(connection.settings_dict))
    other.execute("select id from compliance_case where id = %s for update", [case.pk])
    other.execute("update compliance_case set status = 'triaged', version = version + 1 where id = %s", [case.pk])
    threading.Timer(1.0, other.commit).start()
    started = time.monotonic()
    with pytest.raises(actions.CaseConflictError, match="changed by someone else"):
        actions.claim_case(case.pk, auditor, opened)
    waited = time.monotonic() - started
    other.close()
    case.refresh_from_db()
    assert (case.status, case.version, case.assignee) == ("triaged", opened + 1, None)
    assert waited >= 0.9  # it waited for the other transaction's row lock
