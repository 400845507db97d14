"""Alerts (signed webhook, email) and /healthz, against real servers."""

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from cci_site.celery import app
from compliance.models import AlertDelivery, Case, PipelineRun
from compliance.pipeline.alerts import send_run_alerts

from .conftest import database_url, manage
from .webhook_receiver import SECRET, Receiver


@pytest.fixture
def alert_settings(settings):
    settings.CCI_ALERT_WEBHOOK_SECRET = SECRET
    settings.CCI_ALERT_EMAILS = ["compliance-lead@example.com"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


def a_run(status=PipelineRun.Status.SUCCEEDED, **fields) -> PipelineRun:
    return PipelineRun.objects.create(trigger=PipelineRun.Trigger.COMMAND, status=status, **fields)


def add_case(run, severity, number):
    Case.objects.create(
        violation_id=f"v{number:031d}", violation_type="dnc_match", severity=severity, lead_id="L1",
        attempt_id=f"A{number}", attempt_ts="2025-05-01T15:00:00Z", evidence={"details": "on the DNC list"},
        created_by_run=run,
    )


def test_one_signed_digest_for_new_critical_cases(db, alert_settings):
    run = a_run()
    for number in range(3):
        add_case(run, "critical", number)
    add_case(run, "high", 9)
    with Receiver() as receiver:
        alert_settings.CCI_ALERT_WEBHOOK_URLS = [receiver.url]
        send_run_alerts(run)
    assert receiver.kinds() == ["critical_violations"]
    payload, signed = receiver.posts[0]
    assert signed
    assert payload["new_critical_cases"] == 3 and len(payload["cases"]) == 3
    assert len(mail.outbox) == 1 and "critical violations" in mail.outbox[0].subject


def test_no_alert_for_a_clean_successful_run(db, alert_settings):
    run = a_run()
    add_case(run, "high", 1)
    with Receiver() as receiver:
        alert_settings.CCI_ALERT_WEBHOOK_URLS = [receiver.url]
        send_run_alerts(run)
    assert receiver.posts == [] and mail.outbox == []


def test_failed_run_and_stale_source_each_alert_once(db, alert_settings):
    run = a_run(PipelineRun.Status.FAILED, error="boom", stale_sources=[{"source": "seed.seed_dnc"}])
    with Receiver() as receiver:
        alert_settings.CCI_ALERT_WEBHOOK_URLS = [receiver.url]
        send_run_alerts(run)
    assert sorted(receiver.kinds()) == ["pipeline_failed", "stale_sources"]
    assert all(signed for _, signed in receiver.posts)


def test_a_failing_webhook_is_retried_recorded_and_never_raised(db, alert_settings):
    run = a_run(PipelineRun.Status.FAILED, error="boom")
    with Receiver(status=500) as receiver:
        alert_settings.CCI_ALERT_WEBHOOK_URLS = [receiver.url]
        send_run_alerts(run)
    assert len(receiver.posts) == 3
    delivery = AlertDelivery.objects.get(run=run, channel="webhook")
    assert (delivery.delivered, delivery.attempts) == (False, 3)
    assert "500" in delivery.error
    assert AlertDelivery.objects.get(run=run, channel="email").delivered


def test_healthz_reports_database_broker_and_last_run(client, db):
    a_run(finished_at="2026-01-01T00:00:00Z")
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert (body["database"], body["broker"]) == ("ok", "ok")
    assert body["last_successful_run_age_seconds"] > 0


def test_healthz_is_503_when_the_broker_is_down(client, db):
    previous = app.conf.broker_write_url
    app.conf.broker_write_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get(reverse("healthz"))
    finally:
        app.conf.broker_write_url = previous
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


REQUEST_A_RUN = """
from django.contrib.auth.models import User
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse
setup_test_environment()
user = User.objects.create_superuser("broker-down-manager", password="pw-broker-down-1")
try:
    client = Client()
    client.force_login(user)
    response = client.post(reverse("compliance:pipeline_run"))
    print(response.status_code, "cannot be reached, so no run was requested" in response.content.decode())
finally:
    user.delete()
"""


def test_requesting_a_run_with_the_broker_down_says_so(db):
    """The web process, started with a broker nobody listens on, answers the
    "Run the pipeline now" button with a 503 page that says why, not a 500."""
    url = database_url(connection.settings_dict["NAME"])
    result = manage(url, "shell", "-c", REQUEST_A_RUN, extra_env={"CELERY_BROKER_URL": "redis://127.0.0.1:1/0"})
    assert result.stdout.split()[-2:] == ["503", "True"], result.stdout + result.stderr
