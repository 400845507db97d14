"""Alerts at the end of a pipeline run, by email and by signed webhook.

What is sent (one message per run and kind, never one per violation):

* ``pipeline_failed``: the run failed (with the failing dbt nodes);
* ``stale_sources``: ``dbt source freshness`` warned that raw data is old;
* ``quarantine_jump``: quarantine counts jumped against the previous run;
* ``critical_violations``: a digest of the critical cases this run created.

Webhooks get a JSON POST signed with HMAC-SHA256 over the raw body, in header
``X-CCI-Signature: sha256=<hex>`` (key ``CCI_ALERT_WEBHOOK_SECRET``). Every
delivery is tried up to 3 times with backoff; the outcome is stored as an
:class:`~compliance.models.AlertDelivery`. A failed delivery is logged and
recorded, never raised: it cannot change the run's result.
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.request

from django.conf import settings
from django.core.mail import send_mail

from compliance.models import AlertDelivery, Case, PipelineRun, Severity

logger = logging.getLogger(__name__)
ATTEMPTS = 3
DIGEST_CASES = 50  # the digest lists at most this many cases; the count is always complete


def alerts_for(run: PipelineRun) -> list[dict]:
    """The alert payloads ``run`` calls for (possibly none)."""
    alerts = []
    if run.status == PipelineRun.Status.FAILED:
        alerts.append({"kind": "pipeline_failed", "failed_nodes": run.failed_node_names, "error": run.error[-2000:]})
    if run.stale_sources:
        alerts.append({"kind": "stale_sources", "sources": run.stale_sources})
    if run.quarantine_jumps:
        alerts.append({"kind": "quarantine_jump", "jumps": run.quarantine_jumps})
    critical = Case.objects.filter(created_by_run=run, severity=Severity.CRITICAL).order_by("id")
    count = critical.count()
    if count:
        alerts.append({
            "kind": "critical_violations",
            "new_critical_cases": count,
            "cases": [
                {"case_id": c.pk, "violation_type": c.violation_type, "lead_id": c.lead_id,
                 "attempt_id": c.attempt_id, "details": c.evidence.get("details", "")}
                for c in critical[:DIGEST_CASES]
            ],
        })
    base = {"run_id": run.pk, "run_status": run.status, "started_at": run.started_at.isoformat()}
    return [{**base, **alert} for alert in alerts]


def send_run_alerts(run: PipelineRun) -> None:
    """Deliver every alert ``run`` calls for to every configured email and webhook target."""
    for alert in alerts_for(run):
        for url in settings.CCI_ALERT_WEBHOOK_URLS:
            deliver(run, alert, AlertDelivery.Channel.WEBHOOK, url, lambda a, u=url: post_webhook(u, a))
        if settings.CCI_ALERT_EMAILS:
            target = ", ".join(settings.CCI_ALERT_EMAILS)
            deliver(run, alert, AlertDelivery.Channel.EMAIL, target, send_email)


def deliver(run: PipelineRun, alert: dict, channel: str, target: str, send) -> AlertDelivery:
    """Try ``send(alert)`` up to :data:`ATTEMPTS` times (1 s, 2 s backoff) and record the outcome."""
    error = ""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            send(alert)
            error = ""
            break
        except Exception as exc:  # any delivery failure is recorded, never raised
            error = f"{type(exc).__name__}: {exc}"
            logger.warning("alert %s to %s failed (attempt %s): %s", alert["kind"], target, attempt, error)
            if attempt < ATTEMPTS:
                time.sleep(attempt)
    return AlertDelivery.objects.create(
        run=run, kind=alert["kind"], channel=channel, target=target, attempts=attempt,
        delivered=not error, error=error, payload=alert,
    )


def signature(body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of body>`` with ``CCI_ALERT_WEBHOOK_SECRET``."""
    key = settings.CCI_ALERT_WEBHOOK_SECRET.encode()
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def post_webhook(url: str, alert: dict) -> None:
    """POST ``alert`` as JSON to ``url``; raise unless the answer is 2xx."""
    body = json.dumps(alert, sort_keys=True).encode()
    request = urllib.request.Request(
        url, data=body, method="POST",
        headers={"Content-Type": "application/json", "X-CCI-Signature": signature(body)},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        if not 200 <= response.status < 300:
            raise RuntimeError(f"HTTP {response.status}")


def send_email(alert: dict) -> None:
    """Email ``alert`` to ``CCI_ALERT_EMAILS`` with Django's email backend."""
    subject = f"[CCI] {alert['kind'].replace('_', ' ')} (pipeline run {alert['run_id']})"
    send_mail(subject, json.dumps(alert, indent=2), None, settings.CCI_ALERT_EMAILS)
