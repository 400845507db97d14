"""Access control: the role groups of compliance/roles.py, and a
sweep that requests every URL of the project anonymously and as each role of
``ROLES``: no page or action is open to a role that may not use
it, every URL pattern is in the sweep's table (a new URL without an entry fails
it) and every role has a column in it (so does a new role)."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from compliance.cases import workflow as actions
from compliance.models import Case, CaseNote
from compliance.roles import ROLES

from .conftest import user_in_role

pytestmark = pytest.mark.usefixtures("pipeline_build")

COLUMNS = ("anonymous", "viewer", "auditor", "compliance_manager")
OK, DENIED, LOGIN = "ok", "denied", "login"
# url name (transition name after ':') -> method and the outcome per role, in COLUMNS order.
SWEEP = {
    "case_list": ("get", (LOGIN, OK, OK, OK)),
    "case_detail": ("get", (LOGIN, OK, OK, OK)),
    "case_claim": ("post", (LOGIN, DENIED, OK, OK)),
    "case_assign": ("post", (LOGIN, DENIED, DENIED, OK)),
    "case_note": ("post", (LOGIN, DENIED, OK, OK)),
    "case_transition:triage": ("post", (LOGIN, DENIED, OK, OK)),
    "case_transition:start_review": ("post", (LOGIN, DENIED, OK, OK)),
    "case_transition:close": ("post", (LOGIN, DENIED, DENIED, OK)),
    "case_transition:reopen": ("post", (LOGIN, DENIED, DENIED, OK)),
    "case_bulk": ("post", (LOGIN, DENIED, DENIED, OK)),
    "note_edit": ("post", (LOGIN, DENIED, OK, OK)),  # one's own note; someone else's is 403 for every role
    "pipeline_runs": ("get", (LOGIN, OK, OK, OK)),
    "pipeline_run": ("post", (LOGIN, DENIED, DENIED, OK)),
    "data_quality": ("get", (LOGIN, DENIED, OK, OK)),
    "rule_catalog": ("get", (LOGIN, OK, OK, OK)),
}
# Outside the compliance app: open to everyone by design, or Django's own.
PUBLIC = {"login": "get", "logout": "post", "healthz": "get"}  # /healthz: status only, for monitors


def pattern_names(patterns=None, namespace="") -> set[str]:
    """Every named URL pattern of the project (``compliance:case_list``; admin as ``admin``)."""
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                names.add("admin")
                continue
            names |= pattern_names(pattern.url_patterns, f"{pattern.namespace}:" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def user_with(role: str) -> User | None:
    if role == "anonymous":
        return None
    return user_in_role(role, f"sweep-{role}")


def outcome(response) -> str:
    if response.status_code == 403:
        return DENIED
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    assert response.status_code in (200, 302), response.status_code
    return OK


def request(client, key: str, method: str, case: Case, user: User | None):
    name, _, transition = key.partition(":")
    args = [case.pk] if name.startswith("case_") and name not in ("case_list", "case_bulk") else []
    if name == "note_edit":
        args = [CaseNote.objects.create(case=case, author=user, body="The user's own note.").pk]
    if transition:
        args.append(transition)
    data = {"body": "Sweep note.", "resolution": "false_positive", "note": "Sweep.", "action": "triage",
            "selection": "status=closed&violation_type=none", "assignee": user.pk if user else ""
            } if method == "post" else None
    return getattr(client, method)(reverse(f"compliance:{name}", args=args), data)


def test_the_sweep_has_a_column_for_every_role():
    assert COLUMNS == ("anonymous", *ROLES)
    assert all(len(outcomes) == len(COLUMNS) for _, outcomes in SWEEP.values())


def test_each_role_group_holds_exactly_its_roles_permissions(db):
    for role in ROLES.values():
        granted = Group.objects.get(name=role.group).permissions.filter(content_type__app_label="compliance")
        assert set(granted.values_list("codename", flat=True)) == set(role.permissions), role.group
    assert set(Group.objects.values_list("name", flat=True)) == {role.group for role in ROLES.values()}


def test_the_sweep_covers_every_url_of_the_project():
    covered = {f"compliance:{key.split(':')[0]}" for key in SWEEP} | set(PUBLIC) | {"admin"}
    assert pattern_names() == covered


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_every_url_as_each_role(client, role):
    user = user_with(role)
    if user:
        client.force_login(user)
    for key, (method, expected) in SWEEP.items():
        case = Case.objects.filter(status=Case.Status.NEW, assignee=None).order_by("id").first()
        got = outcome(request(client, key, method, case, user))
        assert got == expected[COLUMNS.index(role)], f"{role} {method.upper()} {key}: {got}"
    for name, method in PUBLIC.items():
        assert getattr(client, method)(reverse(name)).status_code in (200, 302), name
    admin = client.get(reverse("admin:index"))
    assert admin.status_code == 302 and "/admin/login/" in admin["Location"]  # admin is staff-only


def test_an_auditor_works_only_on_unassigned_or_own_cases(client):
    auditor, other = user_with("auditor"), user_in_role("auditor", "someone-else")
    case = Case.objects.filter(status=Case.Status.NEW, assignee=None).order_by("id").first()
    actions.claim_case(case.pk, other)
    for attempt in (actions.claim_case, actions.triage_case):
        with pytest.raises(actions.CasePermissionError, match="assigned to someone-else"):
            attempt(case.pk, auditor)
    client.force_login(auditor)
    assert client.post(reverse("compliance:case_transition", args=[case.pk, "triage"])).status_code == 403
    page = client.get(reverse("compliance:case_detail", args=[case.pk])).content.decode()
    assert "Mark triaged" not in page and "Assign to me" not in page


def test_a_viewer_sees_identifiers_masked(client, mart_rows):
    row = next(r for r in mart_rows if r["rule_id"] == "DNC-FED-1" and r["lead_id"] == "D-01")
    case = Case.objects.get(violation_id=row["violation_id"])
    client.force_login(user_with("viewer"))
    page = client.get(reverse("compliance:case_detail", args=[case.pk])).content.decode()
    shown_hash = row["details"][row["details"].index("phone hash ") + 11:][:12]
    assert "D-01" not in page and f"phone hash {shown_hash[:2]}•••" in page  # the hash's 12 digits, masked
    assert shown_hash not in page and row["detail_identifiers"] == [shown_hash]
    listing = client.get(reverse("compliance:case_list"), {"violation_type": "dnc_match"}).content.decode()
    assert "D-•••" in listing and ">D-01<" not in listing
    client.force_login(user_with("auditor"))
    assert "D-01" in client.get(reverse("compliance:case_detail", args=[case.pk])).content.decode()


def test_a_manager_assigns_a_case_to_an_auditor_never_to_a_viewer(client):
    manager, auditor, viewer = user_with("compliance_manager"), user_with("auditor"), user_with("viewer")
    case = Case.objects.filter(status=Case.Status.NEW, assignee=None).order_by("id").first()
    client.force_login(manager)
    page = client.get(reverse("compliance:case_detail", args=[case.pk])).content.decode()
    assert f'<option value="{auditor.pk}">' in page and f'<option value="{viewer.pk}">' not in page
    url = reverse("compliance:case_assign", args=[case.pk])
    client.post(url, {"assignee": auditor.pk, "version": case.version})
    assert Case.objects.get(pk=case.pk).assignee == auditor
    with pytest.raises(actions.CaseActionError, match="sweep-viewer cannot work on cases"):
        actions.assign_case(case.pk, manager, viewer)
    refused = client.post(url, {"assignee": viewer.pk})
    assert refused.status_code == 400 and "Select a valid choice" in refused.content.decode()
    client.force_login(auditor)
    denied = client.post(url, {"assignee": auditor.pk})
    assert denied.status_code == 403 and "Not allowed" in denied.content.decode()


def test_a_refusal_says_why(client):
    client.force_login(user_with("viewer"))
    case = Case.objects.order_by("id").first()
    page = client.post(reverse("compliance:case_note", args=[case.pk]), {"body": "Hi."})
    assert page.status_code == 403 and "Your role does not allow this (add casenote)." in page.content.decode()


def test_admin_hides_internal_notes_without_the_permission(client):
    auditor, viewer = user_with("auditor"), user_with("viewer")
    case = Case.objects.order_by("id").first()
    actions.add_note(case.pk, auditor, "Internal: consumer's lawyer called.", internal=True)
    User.objects.filter(pk=viewer.pk).update(is_staff=True)
    client.force_login(viewer)
    for url in (reverse("admin:compliance_case_change", args=[case.pk]),
                reverse("admin:compliance_casenote_changelist") + "?q=lawyer"):
        page = client.get(url)
        assert page.status_code == 200 and "lawyer called" not in page.content.decode(), url
