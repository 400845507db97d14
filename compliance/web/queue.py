"""The case queue: the filtered list of cases and the bulk change of every
case of a list (:func:`compliance.cases.bulk.bulk_change`), offered only to
who may make it (the view decides; the template checks no permission).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from compliance.cases import bulk
from compliance.cases import workflow as case_actions
from compliance.models import BulkOperation, Case, CaseQueueItem, PipelineRun
from compliance.pipeline.relations import built
from compliance.web.actions import form_errors, post_action
from compliance.web.filters import CaseQueueFilter
from compliance.web.forms import BulkChangeForm

PAGE_SIZE = 50


@login_required
@permission_required("compliance.view_case", raise_exception=True)
def case_list(request):
    """The case queue, filterable by type, severity, status and assignee."""
    last_run = PipelineRun.objects.first()
    if not built(CaseQueueItem):
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
    may_bulk = total and case_actions.may(request.user, "bulk_change_case")
    return render(
        request,
        "compliance/case_list.html",
        {"filter": queue, "page": page, "total": total, "query": query.urlencode(), "last_run": last_run,
         "bulk_form": BulkChangeForm(initial={"selection": query.urlencode(), "expected": total,
                                              "shown_at": timezone.now()}) if may_bulk else None,
         "now": timezone.now(),
         "overdue": CaseQueueFilter({"overdue": "true"}, queryset=CaseQueueItem.objects.all()).qs.count()},
    )


def case_list_url(selection: str) -> str:
    """The case list filtered by ``selection`` (unfiltered if it is too long to be one)."""
    url = reverse("compliance:case_list")
    return f"{url}?{selection}" if selection and len(selection) <= 2000 else url


def refused_bulk(request, selection: str, reason: str) -> object:
    """Back to the list, saying why the bulk change was not applied."""
    messages.error(request, f"The bulk change was not applied. {reason}")
    return redirect(case_list_url(selection))


def report(request, operation: BulkOperation) -> None:
    """Say how many cases ``operation`` changed; when some or all were
    skipped, why (as a warning when none changed: nothing was done)."""
    skipped = operation.requested - operation.changed
    if not skipped:
        messages.success(request, f"{operation.changed} of {operation.requested} cases changed.")
        return
    why = f"'{bulk.BULK_ACTIONS[operation.action]}' changes only cases that are {bulk.applies_to(operation.action)}"
    if operation.changed:
        messages.success(request, f"{operation.changed} of {operation.requested} cases changed; "
                                  f"{skipped} left as they were ({why}).")
    else:
        messages.warning(request, f"None of the {operation.requested} cases changed: none was in a status "
                                  f"the action applies to ({why}).")


@post_action("compliance.bulk_change_case")
def bulk_change(request):
    """POST the case-list filter (``selection``, a query string) with an
    action, its resolution or assignee, and one note: apply it to every case
    the filter selects (:func:`compliance.cases.bulk.bulk_change`)."""
    form = BulkChangeForm(request.POST)
    if not form.is_valid():
        return refused_bulk(request, request.POST.get("selection", ""), form_errors(form))
    selection = form.cleaned_data["selection"]
    queue = CaseQueueFilter(QueryDict(selection), queryset=CaseQueueItem.objects.all(), request=request)
    if not queue.is_valid():
        return refused_bulk(request, selection, form_errors(queue.form))
    cases = Case.objects.filter(pk__in=queue.qs.values("pk"))
    expected = form.cleaned_data["expected"]
    if (found := cases.count()) != expected:
        return refused_bulk(request, selection,
                            f"The list changed since you saw it ({expected} cases, now {found}); "
                            "check it and try again.")
    if changed := cases.filter(updated_at__gt=form.cleaned_data["shown_at"]).count():
        return refused_bulk(request, selection,
                            f"{changed} of its cases changed since you saw the list (or joined it); "
                            "check it and try again.")
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
        report(request, operation)
    return redirect(case_list_url(selection))
