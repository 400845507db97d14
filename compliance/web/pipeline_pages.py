"""The pages about the data rather than the cases: pipeline runs (and
requesting one), data quality, the rule catalog. A page on a relation the
first build has not created yet says so."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from kombu.exceptions import OperationalError as BrokerUnreachable

from compliance.cases.workflow import may
from compliance.models import PipelineNodeResult, PipelineRun, QuarantinedRow, RawLoad, RuleCatalogEntry
from compliance.pipeline.data_quality import file_balances, latest_warnings, quarantine_counts, warning_counts
from compliance.pipeline.relations import built
from compliance.tasks import run_pipeline_task
from compliance.web.actions import post_action

logger = logging.getLogger(__name__)

LOADS_SHOWN = 20


@login_required
@permission_required("compliance.view_pipelinerun", raise_exception=True)
def pipeline_runs(request, status: int = 200):
    """The latest pipeline runs: status, counts, stale sources, warned and
    failed dbt nodes; the button to request a run for who may."""
    runs = PipelineRun.objects.select_related("requested_by").prefetch_related("nodes")[:20]
    for run in runs:
        run.flagged_nodes = [n for n in run.nodes.all() if n.status in ("warn", *PipelineNodeResult.FAILED_STATUSES)]
    return render(request, "compliance/pipeline_runs.html",
                  {"runs": runs, "may_request_run": may(request.user, "add_pipelinerun")}, status=status)


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
    if not built(QuarantinedRow):
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
    if not built(RuleCatalogEntry):
        return render(request, "compliance/rule_catalog.html", {"not_built": True})
    return render(request, "compliance/rule_catalog.html", {"rules": RuleCatalogEntry.objects.all()})
