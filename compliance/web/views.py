"""Auditor pages: the case queue and a case's detail with its actions.

Every page needs a login and a view permission; actions go through
:mod:`compliance.cases.workflow`, which checks the role's permission for
each one (a refused one is a 403).
"""

import logging
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Max
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from kombu.exceptions import OperationalError as BrokerUnreachable

from compliance.cases import bulk
from compliance.cases import workflow as case_actions
from compliance.cases.evidence import current_evidence, evidence_changes, evidence_time
from compliance.models import (
    Case,
    CaseNote,
    CaseNoteHistory,
    CaseQueueItem,
    ComplianceViolation,
    PipelineNodeResult,
    PipelineRun,
    QuarantinedRow,
    RawLoad,
    RuleCatalogEntry,
)
from compliance.pipeline.data_quality import file_balances, latest_warnings, quarantine_counts, warning_counts
from compliance.tasks import run_pipeline_task
from compliance.web.filters import CaseQueueFilter
from compliance.web.forms import AssignForm, BulkChangeForm, CloseCaseForm, EditNoteForm, NoteForm, ReopenCaseForm
from compliance.web.masking import evidence_masker

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
LOADS_SHOWN = 20


def post_action(permission: str = "compliance.view_case"):
    """Decorator of the action views: POST only, a logged-in user (else the
    login page), holding ``permission`` (else 403)."""
    def decorate(view):
        return require_POST(login_required(permission_required(permission, raise_exception=True)(view)))
    return decorate


def relation_exists(name: str) -> bool:
    """True if the table or view ``name`` (optionally schema-qualified) exists."""
    with connection.cursor() as cursor:
        cursor.execute("select to_regclass(%s) is not null", [name])
        return cursor.fetchone()[0]


def queue_view_exists() -> bool:
    """True once the pipeline has created the case-queue view."""
    return relation_exists(CaseQueueItem._meta.db_table)


@login_required
@permission_required("compliance.view_case", raise_exception=True)
def case_list(request):
    """The case queue, filterable by type, severity, status and assignee."""
    last_run = PipelineRun.objects.first()
    if not queue_view_exists():
        return render(request, "compliance/case_list.html", {"no_pipeline": True, "last_run": last_run})
    queue = CaseQueueFilter(
        request.GET, queryset=CaseQueueItem.objects.select_related("assignee"), request=request
    )
    # An invalid filter shows nothing rather than everything (which would read as a filtered result).
    rows = queue.qs if queue.is_valid() else CaseQueueItem.objects.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    total = page.paginator.count
    return render(
        request,
        "compliance/case_list.html",
        {"filter": queue, "page": page, "total": total, "query": query.urlencode(), "last_run": last_run,
         "bulk_form": BulkChangeForm(initial={"selection": query.urlencode(), "expected": total,
                                              "shown_at": timezone.now()}),
         "now": timezone.now(),
         "overdue": CaseQueueFilter({"overdue": "true"}, queryset=CaseQueueItem.objects.all()).qs.count()},
    )


@login_required
@permission_required("compliance.view_case", raise_exception=True)
def case_detail(request, pk: int):
    """One case: the evidence as first seen and as the mart has it now, notes, history, actions."""
    case = get_object_or_404(Case.objects.select_related("assignee", "closed_by", "reopened_by"), pk=pk)
    return render_case(request, case)


def render_case(request, case: Case, note_form=None, close_form=None, reopen_form=None, assign_form=None,
                status: int = 200):
    """The case page; a refused form comes back bound, with its errors and what was typed."""
    current = current_evidence(case) if queue_view_exists() else None
    shown = evidence_masker(request.user, case.evidence, current)
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
            "notes": notes_with_history(case, request.user, shown),
            "max_note_length": case_actions.MAX_NOTE_LENGTH,
            "events": case.events.select_related("actor"),
            "note_form": note_form or NoteForm(),
            "close_form": close_form or CloseCaseForm(),
            "reopen_form": reopen_form or ReopenCaseForm(),
            "assign_form": assign_form or AssignForm(initial={"assignee": case.assignee_id}),
            "transitions": case_actions.available_transitions(case, request.user),
            "may_claim": case_actions.may(request.user, "triage_case", case),
        },
        status=status,
    )


def notes_with_history(case: Case, user, shown) -> list[CaseNote]:
    """The case's notes ``user`` may read (internal ones need
    ``view_internal_casenote``), each with ``earlier``: its previous texts
    (from the row history django-pghistory keeps), oldest first; every text
    also as ``shown_body``, passed through ``shown`` (the case's
    :func:`~compliance.web.masking.evidence_masker`)."""
    earlier: dict[int, dict[int, CaseNoteHistory]] = defaultdict(dict)
    for old in CaseNoteHistory.objects.filter(pgh_obj__case=case).order_by("pgh_id"):
        earlier[old.pgh_obj_id].setdefault(old.version, old)
    notes = case.notes.select_related("author")
    if not user.has_perm("compliance.view_internal_casenote"):
        notes = notes.filter(internal=False)
    notes = list(notes)
    for note in notes:
        note.earlier = [old for version, old in sorted(earlier[note.pk].items()) if version < note.version]
        for text in (note, *note.earlier):
            text.shown_body = shown(text.body)
    return notes


def consumer_cap(case: Case) -> dict | None:
    """For a rule whose exposure is a cap per consumer (FDCPA 15 U.S.C. 1692k,
    worked example SEV-05): how many of this consumer's current rows share
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


def refused_form(request, case: Case, form, **bound) -> object:
    """The case page again (400) with the invalid ``form``'s errors as a
    message (the form itself is not on the page when the case's status does
    not offer it); ``bound``: the render_case slot that shows it bound."""
    errors = "; ".join(" ".join(problems) if name == "__all__" else f"{name}: {' '.join(problems)}"
                       for name, problems in form.errors.items())
    messages.error(request, f"Nothing was saved. {errors}")
    return render_case(request, case, status=400, **bound)


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
        return refused_form(request, case, form, assign_form=form)
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
        return refused_form(request, case, form, note_form=form)
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
    """POST: move the case by transition ``name`` (triage, start_review,
    close with ``resolution`` and ``note``, reopen with ``note``), through
    :mod:`compliance.cases.workflow`."""
    case = get_object_or_404(Case, pk=pk)
    if name == "close":
        form = CloseCaseForm(request.POST)
        if not form.is_valid():
            return refused_form(request, case, form, close_form=form)
        data = form.cleaned_data
        action = lambda: case_actions.close_case(  # noqa: E731
            pk, request.user, data["resolution"], data["note"], posted_version(request))
    elif name == "reopen":
        form = ReopenCaseForm(request.POST)
        if not form.is_valid():
            return refused_form(request, case, form, reopen_form=form)
        action = lambda: case_actions.reopen_case(  # noqa: E731
            pk, request.user, form.cleaned_data["note"], posted_version(request))
    elif name in ("triage", "start_review"):
        step = case_actions.triage_case if name == "triage" else case_actions.start_review
        action = lambda: step(pk, request.user, posted_version(request))  # noqa: E731
    else:
        raise Http404(f"No transition {name!r}.")
    return run_action(request, pk, action, f"Case {case_actions.TRANSITIONS[name].target.replace('_', ' ')}.")


def case_list_url(selection: str) -> str:
    """The case list filtered by ``selection`` (unfiltered if it is too long to be one)."""
    url = reverse("compliance:case_list")
    return f"{url}?{selection}" if selection and len(selection) <= 2000 else url


def refused_bulk(request, selection: str, errors: dict) -> object:
    """Back to the list, saying why the bulk change was not applied."""
    reasons = "; ".join(" ".join(map(str, problems)) if name == "__all__" else f"{name}: {' '.join(map(str, problems))}"
                        for name, problems in errors.items())
    messages.error(request, f"The bulk change was not applied. {reasons}")
    return redirect(case_list_url(selection))


@post_action("compliance.bulk_change_case")
def bulk_change(request):
    """POST the case-list filter (``selection``, a query string) with an
    action, its resolution or assignee, and one note: apply it to every case
    the filter selects (:func:`compliance.cases.bulk.bulk_change`)."""
    form = BulkChangeForm(request.POST)
    if not form.is_valid():
        return refused_bulk(request, request.POST.get("selection", ""), form.errors)
    selection = form.cleaned_data["selection"]
    queue = CaseQueueFilter(QueryDict(selection), queryset=CaseQueueItem.objects.all(), request=request)
    if not queue.is_valid():
        return refused_bulk(request, selection, queue.errors)
    cases = Case.objects.filter(pk__in=queue.qs.values("pk"))
    expected = form.cleaned_data["expected"]
    if (found := cases.count()) != expected:
        return refused_bulk(request, selection, {"__all__": [
            f"The list changed since you saw it ({expected} cases, now {found}); check it and try again."]})
    if changed := cases.filter(updated_at__gt=form.cleaned_data["shown_at"]).count():
        return refused_bulk(request, selection, {"__all__": [
            f"{changed} of its cases changed since you saw the list (or joined it); check it and try again."]})
    data = form.cleaned_data
    try:
        operation = bulk.bulk_change(
            cases, request.user, data["action"], data["note"],
            selection=selection, resolution=data["resolution"], assignee=data["assignee"],
        )
    except case_actions.CasePermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    except case_actions.CaseActionError as exc:
        messages.error(request, str(exc))
    else:
        report = messages.success if operation.changed else messages.warning
        report(request, f"{operation.changed} of {operation.requested} cases changed "
                        f"({operation.requested - operation.changed} not in a status the action applies to).")
    return redirect(case_list_url(selection))


@login_required
@permission_required("compliance.view_pipelinerun", raise_exception=True)
def pipeline_runs(request, status: int = 200):
    """The latest pipeline runs: status, counts, stale sources, warned and failed dbt nodes."""
    runs = PipelineRun.objects.select_related("requested_by").prefetch_related("nodes")[:20]
    for run in runs:
        run.flagged_nodes = [n for n in run.nodes.all() if n.status in ("warn", *PipelineNodeResult.FAILED_STATUSES)]
    return render(request, "compliance/pipeline_runs.html", {"runs": runs}, status=status)


@post_action("compliance.add_pipelinerun")
def request_pipeline_run(request):
    """POST: queue a pipeline run on the Celery ``pipeline`` queue. With the
    broker out of reach nothing is queued and the page says so (503)."""
    try:
        run_pipeline_task.delay(requested_by_id=request.user.pk)
    except BrokerUnreachable:
        logger.exception("pipeline run not requested: the broker is unreachable")
        messages.error(request, "The task queue (broker) cannot be reached, so no run was requested. "
                                "Try again later; /healthz shows whether the broker is back.")
        return pipeline_runs(request, status=503)
    messages.success(request, "Pipeline run requested; it appears below when the worker starts it.")
    return redirect("compliance:pipeline_runs")


@login_required
@permission_required("compliance.view_quarantinedrow", raise_exception=True)
def data_quality(request):
    """Where every raw row went (staged, superseded, quarantined), quarantine
    counts by file and reason code, the latest quarantined rows, and the
    warnings: valid rows that look wrong (e.g. a ringless voicemail recorded
    as a conversation)."""
    loads = RawLoad.objects.prefetch_related("files")[:LOADS_SHOWN]
    if not relation_exists("staging.stg_quarantine"):
        return render(request, "compliance/data_quality.html", {"not_built": True, "loads": loads})
    return render(
        request,
        "compliance/data_quality.html",
        {
            "loads": loads,
            "balances": file_balances(),
            "counts": quarantine_counts(),
            "rows": QuarantinedRow.objects.order_by("-load_id", "file_format", "source_file", "line_number")[:100],
            "warning_counts": warning_counts(),
            "warnings": latest_warnings(),
            "last_run": PipelineRun.objects.filter(status=PipelineRun.Status.SUCCEEDED).first(),
        },
    )


@login_required
@permission_required("compliance.view_case", raise_exception=True)
def rule_catalog(request):
    """The rule catalog, read-only: every rule with its statement, citation,
    parameters, scope, confidence and severities (dbt/seeds/rule_catalog.csv)."""
    if not relation_exists("reference.rule_catalog"):
        return render(request, "compliance/rule_catalog.html", {"not_built": True})
    return render(request, "compliance/rule_catalog.html", {"rules": RuleCatalogEntry.objects.all()})
