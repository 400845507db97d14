"""The case page and its actions (claim, assign, note, note edit, the
transitions). Every action goes through :mod:`compliance.cases.workflow`,
which checks the role's permission (a refused one is a 403); the page
shows only the actions the user may take, as the view works them out
(the template checks no permission itself).
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from compliance.cases import workflow as case_actions
from compliance.cases.evidence import current_evidence, evidence_changes, evidence_time
from compliance.cases.refusals import MAX_NOTE_LENGTH
from compliance.cases.transitions import TRANSITIONS
from compliance.models import Case, CaseNote, CaseNoteHistory, CaseQueueItem, ComplianceViolation
from compliance.pipeline.relations import built
from compliance.web.actions import form_errors, post_action
from compliance.web.forms import TRANSITION_FORMS, AssignForm, EditNoteForm, NoteForm
from compliance.web.masking import evidence_masker


@login_required
@permission_required("compliance.view_case", raise_exception=True)
def case_detail(request, pk: int):
    """One case: the evidence as first seen and as the mart has it now, notes, history, actions."""
    case = get_object_or_404(Case.objects.select_related("assignee", "closed_by", "reopened_by"), pk=pk)
    return render_case(request, case)


def render_case(request, case: Case, bound: dict | None = None, status: int = 200):
    """The case page; a refused form comes back bound, with its errors and
    what was typed (``bound``: ``note``, ``assign`` or a transition's name →
    the form)."""
    bound = bound or {}
    user = request.user
    current = current_evidence(case) if built(CaseQueueItem) else None
    shown = evidence_masker(user, case.evidence, current)
    is_open = case.status != Case.Status.CLOSED
    return render(
        request,
        "compliance/case_detail.html",
        {
            "case": case,
            "evidence": case.evidence,
            "consumer_cap": consumer_cap(case) if current else None,
            "evidence_local_time": evidence_time(case.evidence["attempt_ts_local"]),
            "current": current,
            "why_it_fired": shown(case.evidence.get("details", "")),
            "evidence_changes": [change.shown_with(shown) for change in evidence_changes(case.evidence, current)]
            if current else [],
            "notes": notes_with_history(case, user, shown),
            "max_note_length": MAX_NOTE_LENGTH,
            "events": case.events.select_related("actor"),
            # The actions the user may take, each with its form (None: not offered).
            "note_form": (bound.get("note") or NoteForm()) if case_actions.may(user, "add_casenote") else None,
            "assign_form": (bound.get("assign") or AssignForm(initial={"assignee": case.assignee_id}))
            if is_open and case_actions.may(user, "assign_case") else None,
            "transitions": [(t, bound.get(t.name) or TRANSITION_FORMS[t.name]())
                            for t in case_actions.available_transitions(case, user)],
            "may_claim": is_open and case.assignee_id != user.pk and case_actions.may(user, "triage_case", case),
        },
        status=status,
    )


def notes_with_history(case: Case, user, shown) -> list[CaseNote]:
    """The case's notes ``user`` may read (internal ones need
    ``view_internal_casenote``), each with ``earlier``: its previous texts
    (from the row history django-pghistory keeps), oldest first; every text
    also as ``shown_body``, passed through ``shown`` (the case's
    :func:`~compliance.web.masking.evidence_masker`); and ``editable``:
    whether ``user`` may edit it (:func:`~compliance.cases.workflow.note_edit_refusal`)."""
    earlier: dict[int, dict[int, CaseNoteHistory]] = defaultdict(dict)
    for old in CaseNoteHistory.objects.filter(pgh_obj__case=case).order_by("pgh_id"):
        earlier[old.pgh_obj_id].setdefault(old.version, old)
    notes = case.notes.select_related("author")
    if not user.has_perm("compliance.view_internal_casenote"):
        notes = notes.filter(internal=False)
    notes = list(notes)
    for note in notes:
        note.earlier = [old for version, old in sorted(earlier[note.pk].items()) if version < note.version]
        note.editable = case_actions.note_edit_refusal(user, note, case.status) is None
        for text in (note, *note.earlier):
            text.shown_body = shown(text.body)
    return notes


def consumer_cap(case: Case) -> dict | None:
    """For a rule whose exposure is a cap per consumer (FDCPA 15 U.S.C. 1692k,
    docs/rules.md SEV-05): how many of this consumer's current rows share
    the cap, and the cap itself (the largest of their maxima, not their sum)."""
    if case.evidence.get("exposure_basis") != "per_consumer_cap":
        return None
    rows = ComplianceViolation.objects.filter(lead_id=case.lead_id, exposure_basis="per_consumer_cap")
    return rows.aggregate(rows=Count("pk"), cap=Max("exposure_max_usd"))


def run_action(request, pk: int, action, done: str) -> object:
    """Run a case action; say ``done``, or why it was refused (a conflict
    included); back to the case."""
    try:
        action()
    except case_actions.CasePermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    except case_actions.CaseActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("compliance:case_detail", pk=pk)


def posted_version(request) -> str:
    """The version of the case the page showed, as posted (hidden field
    ``version``; empty when missing): the service refuses a missing or
    garbled one as a conflict, after checking the user may act at all."""
    return request.POST.get("version", "")


def refused_form(request, case: Case, form, slot: str | None = None) -> object:
    """The case page again (400) with the invalid ``form``'s errors as a
    message (the form itself is not on the page when the case's status does
    not offer it); ``slot``: the form's place on the page (see :func:`render_case`)."""
    messages.error(request, f"Nothing was saved. {form_errors(form)}")
    return render_case(request, case, {slot: form} if slot else None, status=400)


@post_action()
def claim(request, pk: int):
    """POST: assign the case to the current user."""
    get_object_or_404(Case, pk=pk)
    return run_action(request, pk, lambda: case_actions.claim_case(pk, request.user, posted_version(request)),
                      "Assigned to you.")


@post_action("compliance.assign_case")
def assign(request, pk: int):
    """POST ``assignee`` (a user id): a manager assigns the case to someone who can work on it."""
    case = get_object_or_404(Case, pk=pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return refused_form(request, case, form, "assign")
    assignee = form.cleaned_data["assignee"]
    return run_action(
        request, pk, lambda: case_actions.assign_case(pk, request.user, assignee, posted_version(request)),
        f"Assigned to {assignee.get_username()}.")


@post_action()
def note(request, pk: int):
    """POST ``body`` (and ``internal``): append a note to the case."""
    case = get_object_or_404(Case, pk=pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return refused_form(request, case, form, "note")
    return run_action(
        request, pk,
        lambda: case_actions.add_note(pk, request.user, form.cleaned_data["body"], form.cleaned_data["internal"]),
        "Note added.",
    )


@post_action()
def edit_note(request, pk: int):
    """POST ``body`` and ``version``: the author replaces a note's text (the earlier text is kept)."""
    note = get_object_or_404(CaseNote, pk=pk)
    form = EditNoteForm(request.POST)
    if not form.is_valid():
        return refused_form(request, note.case, form)
    return run_action(
        request, note.case_id,
        lambda: case_actions.edit_note(pk, request.user, form.cleaned_data["body"], posted_version(request)),
        "Note edited; its earlier text is kept in its history.")


@post_action()
def transition(request, pk: int, name: str):
    """POST: move the case by transition ``name`` of
    :data:`~compliance.cases.transitions.TRANSITIONS` with what its form
    asks (a resolution, a note), through
    :func:`compliance.cases.workflow.transition_case`."""
    if name not in TRANSITIONS:
        raise Http404(f"No transition {name!r}.")
    case = get_object_or_404(Case, pk=pk)
    form = TRANSITION_FORMS[name](request.POST)
    if not form.is_valid():
        return refused_form(request, case, form, name)
    return run_action(
        request, pk,
        lambda: case_actions.transition_case(pk, name, request.user, posted_version(request), **form.cleaned_data),
        f"Case {Case.Status(TRANSITIONS[name].target).label.lower()}.")
