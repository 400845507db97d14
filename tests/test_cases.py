"""Cases: one per mart row, auditor actions through the service layer and the
web pages, and Django admin for every model."""

import json

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import connection
from django.urls import reverse

from cci_site.celery import app as celery_app
from compliance.cases import workflow as actions
from compliance.models import Case, CaseEvent, CaseQueueItem

from .conftest import user_in_role

pytestmark = pytest.mark.usefixtures("pipeline_build")


@pytest.fixture
def auditor(db):
    return user_in_role("auditor", "alice", "pw-alice-123")


@pytest.fixture
def auditor_client(client, auditor):
    client.force_login(auditor)
    return client


@pytest.fixture
def manager(db):
    return user_in_role("compliance_manager", "maria")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def a_case(violation_type="outside_allowed_hours") -> Case:
    return Case.objects.filter(violation_type=violation_type, status=Case.Status.NEW).order_by("id").first()


def test_one_case_per_mart_row_with_the_row_as_evidence(db, mart_rows, pipeline_build):
    assert Case.objects.count() == len(mart_rows) == pipeline_build.run.cases_created
    row = next(r for r in mart_rows if r["attempt_id"] == "QH-04")
    case = Case.objects.get(violation_id=row["violation_id"])
    assert case.evidence["details"] == row["details"]
    assert case.evidence["local_timezone"] == "America/New_York"
    assert case.events.filter(action="created", source=CaseEvent.Source.PIPELINE).count() == 1


def test_claim_note_close_through_the_service_layer(auditor, manager):
    case = a_case()
    actions.claim_case(case.pk, auditor)
    actions.triage_case(case.pk, auditor)
    actions.start_review(case.pk, auditor)
    actions.add_note(case.pk, auditor, "Called outside hours per dialer log.", internal=True)
    with pytest.raises(actions.CasePermissionError, match="close case"):
        actions.close_case(case.pk, auditor, Case.Resolution.CONFIRMED_VIOLATION, "Confirmed.")
    actions.close_case(case.pk, manager, Case.Resolution.CONFIRMED_VIOLATION, "Confirmed with the dialer vendor.")
    case.refresh_from_db()
    assert (case.status, case.assignee, case.resolution) == ("closed", auditor, "confirmed_violation")
    assert [n.internal for n in case.notes.all()] == [True, False]
    assert list(case.events.values_list("action", flat=True)) == [
        "created", "assign", "triage", "start_review", "note_added", "close"]
    assert case.version == 5  # one per change of the case itself (a note is not one)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda c, u: actions.close_case(c, u, "confirmed_violation", "   "), "needs a note"),
        (lambda c, u: actions.close_case(c, u, "looks_fine", "why"), "Unknown resolution"),
        (lambda c, u: actions.add_note(c, u, "  "), "cannot be empty"),
    ],
)
def test_invalid_actions_are_refused(auditor, call, message):
    case = a_case()
    with pytest.raises(actions.CaseActionError, match=message):
        call(case.pk, auditor)
    case.refresh_from_db()
    assert case.status == "new"


def test_a_closed_case_cannot_be_closed_or_claimed_again(manager):
    case = a_case()
    for step in (actions.triage_case, actions.start_review):
        step(case.pk, manager)
    actions.close_case(case.pk, manager, "false_positive", "Lead was in another zone.")
    with pytest.raises(actions.CaseActionError, match="closed cannot be moved by 'Close'"):
        actions.close_case(case.pk, manager, "remediated", "again")
    with pytest.raises(actions.CaseActionError, match="closed"):
        actions.claim_case(case.pk, manager)


def test_anonymous_users_are_sent_to_login(client, db):
    response = client.get(reverse("compliance:case_list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get(reverse("login")).status_code == 200


def test_login_attempts_are_rate_limited(client, auditor, settings):
    """django-axes: after AXES_FAILURE_LIMIT wrong passwords for one user name
    from one address, even the right password is refused for the cool-off."""
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(url, {"username": "alice", "password": "wrong"}).status_code == 200  # form error
    assert client.post(url, {"username": "alice", "password": "wrong"}).status_code == 429  # the limit: locked
    locked = client.post(url, {"username": "alice", "password": "pw-alice-123"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_page_logs_an_auditor_in(client, auditor):
    response = client.post(reverse("login"), {"username": "alice", "password": "pw-alice-123"}, follow=True)
    assert response.status_code == 200
    assert b"Cases" in response.content


def test_case_list_filters_by_type_severity_and_status(auditor_client):
    url = reverse("compliance:case_list")
    page = auditor_client.get(url)
    assert page.status_code == 200
    assert page.context["total"] == Case.objects.count()
    for params, expected in [
        ({"violation_type": "dnc_match"}, Case.objects.filter(violation_type="dnc_match").count()),
        ({"severity": "medium"}, Case.objects.filter(severity="medium").count()),
        ({"status": "new", "severity": "critical"}, Case.objects.filter(status="new", severity="critical").count()),
    ]:
        response = auditor_client.get(url, params)
        assert response.context["total"] == expected > 0
        assert {i.pk for i in response.context["page"]} <= set(
            CaseQueueItem.objects.filter(**params).values_list("pk", flat=True)
        )


def test_case_detail_shows_the_evidence(auditor_client, mart_rows):
    row = next(r for r in mart_rows if r["attempt_id"] == "QH-06")
    case = Case.objects.get(violation_id=row["violation_id"])
    page = auditor_client.get(reverse("compliance:case_detail", args=[case.pk])).content.decode()
    assert "America/Phoenix" in page
    assert "07:30:00" in page
    assert "47 CFR 64.1200(c)(1)" in page
    assert "QH-06" in page


def test_case_page_shows_the_evidence_then_and_now(auditor_client):
    """A case opened under an earlier build keeps its snapshot; the page lists
    each field the latest build has differently, and says when the violation
    is gone."""
    case = a_case()
    url = reverse("compliance:case_detail", args=[case.pk])
    assert "still detects this violation, unchanged" in auditor_client.get(url).content.decode()
    then = {"certainty": "possible", "candidate_zones": ["America/Chicago", "America/New_York"]}
    with connection.cursor() as cursor:
        cursor.execute("update compliance_case set evidence = evidence || %s::jsonb where id = %s",
                       [json.dumps(then), case.pk])
    page = auditor_client.get(url)
    changes = {c.field: (c.then_shown, c.now_shown) for c in page.context["evidence_changes"]}
    assert changes == {
        "certainty": ("possible", case.evidence["certainty"]),
        "candidate_zones": ("America/Chicago, America/New_York", ", ".join(case.evidence["candidate_zones"])),
    }
    assert "<td>America/Chicago, America/New_York</td>" in page.content.decode()
    Case.objects.filter(pk=case.pk).update(violation_id="no-longer-in-the-mart")
    assert "no longer detects this violation" in auditor_client.get(url).content.decode()


def test_manager_assigns_annotates_and_closes_from_the_web(manager_client, manager):
    case = a_case("dnc_match")

    def shown() -> dict:
        return {"version": Case.objects.get(pk=case.pk).version}  # the hidden field of the page's forms

    manager_client.post(reverse("compliance:case_claim", args=[case.pk]), shown())
    manager_client.post(reverse("compliance:case_note", args=[case.pk]), {"body": "Number is on the national list."})
    for name in ("triage", "start_review"):
        manager_client.post(reverse("compliance:case_transition", args=[case.pk, name]), shown())
    manager_client.post(
        reverse("compliance:case_transition", args=[case.pk, "close"]),
        {"resolution": "remediated", "note": "Scrubbed the list.", **shown()},
    )
    case.refresh_from_db()
    assert (case.status, case.assignee, case.resolution, case.notes.count()) == ("closed", manager, "remediated", 2)
    mine = manager_client.get(reverse("compliance:case_list"), {"assigned": "me"})
    assert [i.pk for i in mine.context["page"]] == [case.pk]


def test_closing_without_a_note_is_refused_on_the_web(manager_client, manager):
    case = a_case()
    actions.triage_case(case.pk, manager)
    actions.start_review(case.pk, manager)
    response = manager_client.post(
        reverse("compliance:case_transition", args=[case.pk, "close"]),
        {"resolution": "remediated", "note": "", "version": Case.objects.get(pk=case.pk).version},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required" in page
    assert '<option value="remediated" selected>' in page
    case.refresh_from_db()
    assert case.status == "in_review"


def test_actions_need_the_change_permission(client, db):
    client.force_login(User.objects.create_user("bob", password="pw-bob-12345"))
    case = a_case()
    assert client.get(reverse("compliance:case_list")).status_code == 403
    assert client.post(reverse("compliance:case_claim", args=[case.pk])).status_code == 403


def test_admin_lists_every_model(client, db):
    client.force_login(User.objects.create_superuser("root", password="pw-root-12345"))
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def shown(*cases: Case) -> dict:
    """What the admin case list posts with an action: the selected ids and the version shown of each."""
    return {"_selected_action": [case.pk for case in cases],
            **{f"version_{case.pk}": Case.objects.get(pk=case.pk).version for case in cases}}


def test_admin_actions_go_through_the_workflow(client, db):
    """Admin changes status only by the workflow's service functions: a valid
    move is made and audited as from admin, an invalid one is refused with
    the same message as in the web UI."""
    client.force_login(User.objects.create_superuser("ada", password="pw-ada-123456"))
    new, other = Case.objects.filter(status="new").order_by("id")[:2]
    url = reverse("admin:compliance_case_changelist")
    assert f'name="version_{new.pk}" value="{new.version}"' in client.get(url, {"id": new.pk}).content.decode()
    page = client.post(url, {"action": "triage", **shown(new)}, follow=True).content.decode()
    assert "1 case(s) triaged" in page
    assert new.events.filter(action="triage", source="admin").exists()
    page = client.post(url, {"action": "start_review", **shown(other)}, follow=True)
    assert "cannot be moved by &#x27;Start review&#x27; (that needs a case that is triaged or reopened)" in (
        page.content.decode())
    other.refresh_from_db()
    assert other.status == "new"


def test_admin_actions_are_refused_on_a_stale_or_missing_version(client, db):
    client.force_login(User.objects.create_superuser("ava", password="pw-ava-123456"))
    stale, missing = Case.objects.filter(status="new").order_by("id")[:2]
    selected = shown(stale)
    actions.claim_case(stale.pk, user_in_role("compliance_manager", "olga"))  # changed after the list was shown
    url = reverse("admin:compliance_case_changelist")
    page = client.post(url, {"action": "triage", **selected}, follow=True).content.decode()
    assert "changed by someone else since you opened it" in page
    page = client.post(url, {"action": "triage", "_selected_action": [missing.pk]}, follow=True).content.decode()
    assert "did not say which version of the case it showed" in page
    assert set(Case.objects.filter(pk__in=[stale.pk, missing.pk]).values_list("status", flat=True)) == {"new"}


def test_admin_close_and_reopen_ask_for_their_resolution_and_note(client, db):
    client.force_login(user_in_role("compliance_manager", "adele"))
    User.objects.filter(username="adele").update(is_staff=True)
    case = a_case()
    actions.triage_case(case.pk, None)
    actions.start_review(case.pk, None)
    url = reverse("admin:compliance_case_changelist")
    asked = client.post(url, {"action": "close", **shown(case)})
    assert asked.status_code == 200 and "Closing note" in asked.content.decode()
    assert 'value="no_longer_detected"' not in asked.content.decode()
    assert f'name="version_{case.pk}" value="{case.version + 2}"' in asked.content.decode()
    refused = client.post(url, {"action": "close", **shown(case), "apply": "1", "resolution": "exempt"})
    assert "This field is required" in refused.content.decode()
    pipelines = client.post(url, {"action": "close", **shown(case), "apply": "1", "resolution": "no_longer_detected",
                                  "note": "Gone."})
    assert "Select a valid choice" in pipelines.content.decode()
    client.post(url, {"action": "close", **shown(case), "apply": "1", "resolution": "exempt",
                      "note": "EBR on file: purchase 2025-03-02."}, follow=True)
    case.refresh_from_db()
    assert (case.status, case.resolution, case.closed_by.username) == ("closed", "exempt", "adele")
    page = client.post(url, {"action": "reopen", **shown(case), "apply": "1",
                             "note": "The purchase was refunded."}, follow=True).content.decode()
    assert "1 case(s) reopened" in page
    case.refresh_from_db()
    assert (case.closed_by, case.reopened_by.username) == (None, "adele")
    assert list(case.events.filter(source="admin").values_list("action", flat=True)) == ["close", "reopen"]


def test_an_invalid_filter_lists_nothing(auditor_client):
    response = auditor_client.get(reverse("compliance:case_list"), {"severity": "bogus"})
    assert response.context["total"] == 0
    assert "not valid" in response.content.decode()


def test_history_shows_what_changed(auditor_client, auditor):
    case = a_case()
    actions.claim_case(case.pk, auditor)
    actions.triage_case(case.pk, auditor)
    page = auditor_client.get(reverse("compliance:case_detail", args=[case.pk])).content.decode()
    assert "status: new → triaged" in page
    assert "assignee: nobody → alice" in page


def test_pipeline_page_shows_runs_and_only_managers_can_request_one(auditor_client, client, db):
    page = auditor_client.get(reverse("compliance:pipeline_runs"))
    assert page.status_code == 200 and "Succeeded" in page.content.decode()
    assert "Run the pipeline now" not in page.content.decode()
    assert auditor_client.post(reverse("compliance:pipeline_run")).status_code == 403


def test_a_manager_requests_a_run_from_the_ui(client, db):
    manager = User.objects.create_superuser("mgr", password="pw-mgr-123456")
    client.force_login(manager)
    response = client.post(reverse("compliance:pipeline_run"), follow=True)
    assert response.status_code == 200
    assert "Pipeline run requested" in response.content.decode()
    # Take the requests off the real broker's test queue: ours names the task and who asked.
    requests = []
    with celery_app.connection_for_write() as broker:
        queue = broker.SimpleQueue("pipeline-tests")
        while True:
            try:
                message = queue.get(timeout=2)
            except queue.Empty:
                break
            message.ack()
            requests.append((message.headers["task"], message.payload[1]))
        queue.close()
    assert ("compliance.run_pipeline", {"requested_by_id": manager.pk}) in requests


@pytest.mark.parametrize("name, data", [
    ("admin:compliance_case_changelist", {"status__exact": "\x00"}),
    ("admin:compliance_case_changelist", {"q": "L\x00"}),
    ("admin:compliance_caseevent_changelist", {"action\x00": "x"}),
    ("compliance:case_list", {"campaign_id": "\x00"}),
])
def test_a_nul_character_in_a_query_is_a_400_that_says_why(client, db, name, data):
    client.force_login(User.objects.create_superuser("nul", password="pw-nul-1234567"))
    response = client.get(reverse(name), data)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_a_nul_character_in_a_form_is_a_400_and_nothing_is_saved(client, db):
    client.force_login(User.objects.create_superuser("nul", password="pw-nul-1234567"))
    case = a_case()
    response = client.post(reverse("compliance:case_note", args=[case.pk]), {"body": "Dialer\x00 log"})
    assert response.status_code == 400 and not case.notes.exists()


@pytest.mark.parametrize("role", ["viewer", "auditor", "compliance_manager"])
def test_the_header_links_exactly_the_pages_the_role_may_open(client, db, role):
    client.force_login(user_in_role(role, f"nav-{role}"))
    header = client.get(reverse("compliance:rule_catalog")).content.decode().split("</header>")[0]
    for name, label in (("compliance:pipeline_runs", "Pipeline"), ("compliance:data_quality", "Data quality")):
        opens = client.get(reverse(name)).status_code == 200
        assert (f'<a href="{reverse(name)}">{label}</a>' in header) == opens, (role, label)
    assert ">Admin</a>" not in header  # user_in_role makes no staff user
