"""``/healthz`` for load balancers: database, broker, age of the last successful run.

200 when the database and the broker answer, 503 otherwise. The last run's
age is reported, not judged: a stale pipeline is an alert, not a dead web node.
No login needed; nothing sensitive is shown.
"""

from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from cci_site.celery import app
from compliance.models import PipelineRun


def check_database() -> str:
    """``"ok"`` if the database answers a query; raises otherwise."""
    with connection.cursor() as cursor:
        cursor.execute("select 1")
    return "ok"


def check_broker() -> str:
    """``"ok"`` if the Celery broker accepts a connection within 2 s; raises otherwise."""
    with app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, timeout=2)
    return "ok"


@require_GET
def healthz(request):
    """JSON ``{"database", "broker", "last_successful_run_age_seconds"}``."""
    report, healthy = {}, True
    for name, check in (("database", check_database), ("broker", check_broker)):
        try:
            report[name] = check()
        except Exception as exc:  # any failure is the answer, not an error page
            report[name], healthy = f"error: {type(exc).__name__}", False
    last = None
    if report["database"] == "ok":
        last = PipelineRun.objects.filter(status=PipelineRun.Status.SUCCEEDED).order_by("-finished_at").first()
    report["last_successful_run_age_seconds"] = (
        round((timezone.now() - last.finished_at).total_seconds()) if last else None
    )
    return JsonResponse(report, status=200 if healthy else 503)
