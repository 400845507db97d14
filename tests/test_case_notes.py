"""Case notes: append-only, an edit keeps the earlier text (row history
and audit event), only the author edits, a closed case's notes are frozen,
and a stale edit is a conflict."""

import pytest
from django.urls import reverse

from compliance.cases import workflow as actions
from compliance.models import Case, CaseNoteHistory

from .conftest import user_in_role

pytestmark = pytest.mark.usefixtures("pipeline_build")


@pytest.fixture
def author(db):
    return user_in_role("auditor", "nora")


@pytest.fixture
def note(author):
    case = Case.objects.filter(status=Case.Status.NEW, assignee=None).order_by("id").first()
    return actions.add_note(case.pk, author, "Dialer log checked: 21:14 local.")


def test_an_edit_keeps_the_earlier_text(author, note):
    edited = actions.edit_note(note.pk, author, "Dialer log checked: 21:41 local.", version=1)
    assert (edited.body, edited.version) == ("Dialer log checked: 21:41 local.", 2) and edited.edited_at
    history = CaseNoteHistory.objects.filter(pgh_obj=note).order_by("pgh_id")
    assert [(h.version, h.body) for h in history] == [
        (1, "Dialer log checked: 21:14 local."), (2, "Dialer log checked: 21:41 local.")]
    event = note.case.events.get(action="note_edited")
    assert (event.actor, event.source, event.changes) == (author, "web", ["note_version: 1 → 2"])


def test_only_the_author_edits_and_never_to_blank(author, note):
    manager = user_in_role("compliance_manager", "mona")
    with pytest.raises(actions.CasePermissionError, match="Only the note's author"):
        actions.edit_note(note.pk, manager, "Rewritten by someone else.")
    with pytest.raises(actions.CaseActionError, match="cannot be empty"):
        actions.edit_note(note.pk, author, "   ")
    note.refresh_from_db()
    assert (note.body, note.version) == ("Dialer log checked: 21:14 local.", 1)


def test_a_stale_edit_is_a_conflict(author, note):
    actions.edit_note(note.pk, author, "First correction.", version=1)
    with pytest.raises(actions.CaseConflictError, match="edited since you opened it"):
        actions.edit_note(note.pk, author, "Second correction from an old page.", version=1)
    note.refresh_from_db()
    assert note.body == "First correction."


def test_notes_of_a_closed_case_are_frozen(author, note):
    manager = user_in_role("compliance_manager", "mona")
    for step in (actions.triage_case, actions.start_review):
        step(note.case_id, manager)
    actions.close_case(note.case_id, manager, "false_positive", "Lead was in Chicago.")
    with pytest.raises(actions.CaseActionError, match="case is closed"):
        actions.edit_note(note.pk, author, "Changed after the decision.")


def test_the_author_edits_on_the_case_page_and_sees_the_earlier_text(client, author, note):
    client.force_login(author)
    page = client.get(reverse("compliance:case_detail", args=[note.case_id])).content.decode()
    assert reverse("compliance:note_edit", args=[note.pk]) in page
    response = client.post(reverse("compliance:note_edit", args=[note.pk]),
                           {"body": "Dialer log checked: 21:41 local.", "version": "1"}, follow=True)
    page = response.content.decode()
    assert "Note edited" in page and "Earlier text (1)" in page
    assert "Dialer log checked: 21:14 local." in page and "Dialer log checked: 21:41 local." in page
    stale = client.post(reverse("compliance:note_edit", args=[note.pk]), {"body": "Old page.", "version": "1"},
                        follow=True)
    assert "edited since you opened it" in stale.content.decode()
    other = user_in_role("auditor", "otto")
    client.force_login(other)
    assert reverse("compliance:note_edit", args=[note.pk]) not in client.get(
        reverse("compliance:case_detail", args=[note.case_id])).content.decode()
    assert client.post(reverse("compliance:note_edit", args=[note.pk]),
                       {"body": "Mine now.", "version": "2"}).status_code == 403


def test_internal_notes_are_for_the_compliance_team_and_identifiers_stay_masked(client, author, note):
    """A viewer reads neither internal notes nor, in the others, phone numbers."""
    actions.add_note(note.case_id, author, "Consumer said +12025550123 is a work line.", internal=True)
    actions.edit_note(note.pk, author, "Called +12025550123 at 21:41 local.")
    url = reverse("compliance:case_detail", args=[note.case_id])
    client.force_login(user_in_role("compliance_manager", "mona"))
    page = client.get(url).content.decode()
    assert "is a work line" in page and "Called +12025550123 at 21:41" in page
    client.force_login(user_in_role("viewer", "vic"))
    page = client.get(url).content.decode()
    assert "is a work line" not in page and "+12025550123" not in page
    assert "Called ••• at 21:41 local." in page and "Dialer log checked: 21:14 local." in page
