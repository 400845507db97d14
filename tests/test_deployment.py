"""Deployment and hardening: docker-compose.yml and the Dockerfile
run production settings under gunicorn with collected static files and a
one-off migrate service; production refuses a weak SECRET_KEY and passes
``check --deploy``; every page carries a Content-Security-Policy that its
markup satisfies; ``create_role_user`` makes compliance managers staff (the SLA
admin); django-axes keys lockouts on the forwarded address behind trusted
proxies."""

import io
import json
import os
import re
import secrets
import shlex
import subprocess
import sys
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from compliance.models import SlaPolicy

from .conftest import user_in_role

REPO = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ("web", "worker", "beat")
PRODUCTION = "cci_site.settings.production"
# Environment a caller may have set that would change what the settings do.
SETTINGS_ENV = ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "SECURE_SSL_REDIRECT", "CCI_TRUSTED_PROXY_COUNT",
                "CCI_ALERT_WEBHOOK_URLS", "LOG_FORMAT")


def dockerfile_instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", (REPO / "Dockerfile").read_text())
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, arguments = line.partition(" ")
            instructions.append((keyword.upper(), " ".join(arguments.split())))
    return instructions


def strong_key() -> str:
    return secrets.token_urlsafe(50)


def clean_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    env.update(extra)
    return env


def command_of(service: str) -> str:
    command = SERVICES[service]["command"]
    return command if isinstance(command, str) else shlex.join(command)


def environment_of(service: str) -> dict:
    environment = SERVICES[service].get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.partition("=")[::2] for item in environment)
    return environment


# --- docker-compose.yml and the Dockerfile ---------------------------------------------------------------


def test_compose_runs_production_settings_under_gunicorn():
    web = command_of("web")
    assert web.split()[0] == "gunicorn" and "cci_site.wsgi:application" in web
    assert "runserver" not in (REPO / "docker-compose.yml").read_text()
    for service in APP_SERVICES:
        assert environment_of(service)["DJANGO_SETTINGS_MODULE"] == PRODUCTION, service
    assert command_of("worker").startswith("celery -A cci_site worker")
    assert command_of("beat").startswith("celery -A cci_site beat")
    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(re.match(r"gunicorn\b", d) for d in dependencies)


def test_no_service_turns_debug_on():
    for name in SERVICES:
        environment = environment_of(name)
        assert "DEBUG" not in environment, name  # production forces it off; nothing suggests otherwise
        assert environment.get("DJANGO_SETTINGS_MODULE", PRODUCTION) == PRODUCTION, name
    assert not any(k == "ENV" and "DEBUG" in args for k, args in dockerfile_instructions())


def test_migrations_run_as_a_one_off_service_the_app_waits_for():
    migrating = [name for name in SERVICES if "command" in SERVICES[name] and "manage.py migrate" in command_of(name)]
    assert migrating == ["migrate"]
    migrate = SERVICES["migrate"]
    assert "ports" not in migrate and migrate.get("restart", "no") == "no"
    assert environment_of("migrate")["DJANGO_SETTINGS_MODULE"] == PRODUCTION
    for service in APP_SERVICES:
        assert SERVICES[service]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, service
        assert SERVICES[service]["depends_on"]["postgres"] == {"condition": "service_healthy"}, service


def test_the_image_installs_the_project_and_collects_static_files_without_keeping_a_key():
    instructions = dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    runs = [args for keyword, args in instructions if keyword == "RUN"]
    assert any(re.search(r"pip install (--no-cache-dir )?\.(\s|$)", run) for run in runs)
    (collect,) = [run for run in runs if "collectstatic" in run]
    assert "--noinput" in collect and "SECRET_KEY=" in collect
    # The build-time key lives only in that RUN step's environment.
    assert not any(keyword in ("ENV", "ARG") and "SECRET_KEY" in args for keyword, args in instructions)
    env_lines = " ".join(args for keyword, args in instructions if keyword == "ENV")
    assert f"DJANGO_SETTINGS_MODULE={PRODUCTION}" in env_lines
    copy_all = instructions.index(("COPY", ". ."))
    assert copy_all < instructions.index(("RUN", collect))  # collected from the whole tree
    assert instructions[-1][0] == "CMD" and "gunicorn" in instructions[-1][1]
    assert any(keyword == "USER" and args != "root" for keyword, args in instructions)
    assert "staticfiles/" in (REPO / ".dockerignore").read_text().split()


def test_the_images_collectstatic_step_lets_production_serve_pages(tmp_path):
    """The Dockerfile's collectstatic command, as written, with the production
    settings (STATIC_ROOT moved to a scratch folder); then a production page
    answers 200 with the manifest's hashed static URLs and its CSP."""
    (collect,) = [args for keyword, args in dockerfile_instructions() if keyword == "RUN" and "collectstatic" in args]
    static_root = tmp_path / "static"
    (tmp_path / "collect_settings.py").write_text(
        f"from cci_site.settings.production import *  # noqa\nSTATIC_ROOT = {str(static_root)!r}\n"
    )
    env = clean_env(
        DJANGO_SETTINGS_MODULE="collect_settings",
        PYTHONPATH=str(tmp_path),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",  # `python` is this interpreter
    )
    env.pop("DATABASE_URL", None)  # the step brings its own, never contacted
    result = subprocess.run(["sh", "-c", collect], cwd=REPO, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (static_root / "staticfiles.json").exists()
    assert list(static_root.glob("compliance/cci.*.css"))

    page = (
        "import django, json\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/accounts/login/', secure=True, HTTP_HOST='localhost')\n"
        "print(json.dumps({'status': r.status_code, 'csp': r.get('Content-Security-Policy'),"
        " 'body': r.content.decode()}))\n"
    )
    env = clean_env(DJANGO_SETTINGS_MODULE="collect_settings", PYTHONPATH=str(tmp_path), SECRET_KEY=strong_key())
    result = subprocess.run([sys.executable, "-c", page], cwd=REPO, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    response = json.loads(result.stdout.strip().splitlines()[-1])
    assert response["status"] == 200
    assert re.search(r'href="/static/compliance/cci\.[0-9a-f]{12}\.css"', response["body"])
    assert "script-src 'self'" in response["csp"] and "upgrade-insecure-requests" in response["csp"]


# --- production settings ------------------------------------------------------------------------------


def test_check_deploy_is_clean_with_production_settings_and_a_strong_key():
    env = clean_env(DJANGO_SETTINGS_MODULE=PRODUCTION, SECRET_KEY=strong_key())
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


WEAK_KEYS = {
    "empty": ("", "is empty"),
    "short": (secrets.token_urlsafe(30)[:49], "fewer than 50 characters"),
    "few distinct characters": ("abcd" * 20, "fewer than 5 distinct characters"),
    "django-insecure prefix": ("django-insecure-" + secrets.token_urlsafe(50), "starts with 'django-insecure-'"),
    "the test settings' key": ("test-only-key-not-a-secret", "fewer than 50 characters"),
    "a long placeholder": ("please-change-me-" + "x1y2z3w4v5" * 5, "known placeholder"),
    "the test key made long": ("test-only-key-not-a-secret-" + secrets.token_hex(20), "known placeholder"),
}


@pytest.mark.parametrize("kind", WEAK_KEYS)
def test_production_refuses_a_weak_secret_key(kind):
    key, reason = WEAK_KEYS[kind]
    env = clean_env(SECRET_KEY=key)
    result = subprocess.run(
        [sys.executable, "-c", f"import {PRODUCTION}"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and reason in result.stderr, result.stderr
    if key:
        assert key not in result.stderr  # the message never shows the key


def test_production_imports_with_a_strong_key():
    env = clean_env(SECRET_KEY=strong_key())
    result = subprocess.run(
        [sys.executable, "-c", f"import {PRODUCTION} as p; print(p.DEBUG)"],
        cwd=REPO, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


# --- Content-Security-Policy --------------------------------------------------------------------------


class InlineCode(HTMLParser):
    """What a ``script-src 'self'; style-src 'self'`` policy would block in a page."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> at line {self.getpos()[0]}")
        for name, value in attrs.items():
            if name == "style" or name.startswith("on"):
                self.found.append(f"{name}= on <{tag}> at line {self.getpos()[0]}")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL on <{tag}> at line {self.getpos()[0]}")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def assert_policy(response):
    policy = response["Content-Security-Policy"]
    directives = dict((d.split(" ", 1) + [""])[:2] for d in policy.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_pages_carry_a_content_security_policy_their_markup_satisfies(client, db):
    login = client.get(reverse("login"))
    assert login.status_code == 200
    assert_policy(login)
    assert inline_code(login.content.decode()) == []

    manager = user_in_role("compliance_manager", "csp-manager")
    client.force_login(manager)
    runs = client.get(reverse("compliance:pipeline_runs"))
    assert runs.status_code == 200
    assert_policy(runs)
    assert inline_code(runs.content.decode()) == []


def test_admin_pages_have_no_inline_code_the_policy_would_block(client, db):
    """Django admin and the third-party admin pages CCI uses, the periodic task
    form of django-celery-beat included (its inline script is a static file)."""
    client.force_login(User.objects.create_superuser("csp-admin", password="pw-csp-admin-123"))
    policy = SlaPolicy.objects.first()
    pages = [
        reverse("admin:index"),
        reverse("admin:compliance_slapolicy_changelist"),
        reverse("admin:compliance_slapolicy_change", args=[policy.pk]),
        reverse("admin:compliance_case_changelist"),
        reverse("admin:compliance_pipelinerun_changelist"),
        reverse("admin:django_celery_beat_periodictask_changelist"),
        reverse("admin:django_celery_beat_periodictask_add"),
        reverse("admin:auth_user_add"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_policy(response)
        assert inline_code(response.content.decode()) == [], url
    form = client.get(reverse("admin:django_celery_beat_periodictask_add")).content.decode()
    assert "compliance/periodic_task_form.js" in form and 'id="readable-crontabs"' in form


# --- create_role_user and the SLA admin --------------------------------------------------------------


def create(username: str, *args: str) -> str:
    """Run ``create_role_user USERNAME ARGS`` and return the password it printed."""
    out = io.StringIO()
    call_command("create_role_user", username, *args, stdout=out)
    return re.search(r"with password: (\S+)", out.getvalue()).group(1)


def log_in(client, username: str, password: str):
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, "login failed"


def test_a_compliance_manager_made_by_create_role_user_opens_the_sla_admin(client, db):
    password = create("sla-manager", "--role", "compliance_manager")
    assert User.objects.get(username="sla-manager").is_staff
    log_in(client, "sla-manager", password)
    assert client.get("/admin/compliance/slapolicy/").status_code == 200
    policy = SlaPolicy.objects.first()
    assert client.get(reverse("admin:compliance_slapolicy_change", args=[policy.pk])).status_code == 200


@pytest.mark.parametrize("role", ["auditor", "viewer"])
def test_auditors_and_viewers_made_by_create_role_user_are_not_staff(client, db, role):
    password = create(f"sla-{role}", "--role", role)
    assert not User.objects.get(username=f"sla-{role}").is_staff
    log_in(client, f"sla-{role}", password)
    response = client.get("/admin/compliance/slapolicy/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_create_role_user_staff_flag_overrides_the_role(db):
    create("flagged", "--role", "auditor", "--staff")
    assert User.objects.get(username="flagged").is_staff
    create("flagged", "--role", "compliance_manager", "--no-staff")
    assert not User.objects.get(username="flagged").is_staff
    create("flagged", "--role", "compliance_manager")  # again without the flag: the role decides
    assert User.objects.get(username="flagged").is_staff
    create("flagged", "--role", "viewer")
    assert not User.objects.get(username="flagged").is_staff


# --- django-axes behind reverse proxies -----------------------------------------------------------------


def axes_settings(**env: str) -> dict:
    """The address settings django-axes and django-ipware get from cci_site.settings.base for ``env``."""
    names = ["AXES_IPWARE_PROXY_COUNT", "AXES_IPWARE_META_PRECEDENCE_ORDER", "IPWARE_STRICT"]
    script = (
        "import json\nfrom cci_site.settings import base\n"
        f"print(json.dumps({{n: getattr(base, n) for n in {names!r} if hasattr(base, n)}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, env=clean_env(SECRET_KEY=strong_key(), **env),
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


PROXY = "10.0.0.2"


def fail_logins(client, times: int, forwarded_for: str) -> int:
    status = None
    for _ in range(times):
        status = client.post(
            reverse("login"), {"username": "alice", "password": "wrong"},
            REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for,
        ).status_code
    return status


def test_axes_uses_the_forwarded_address_when_the_proxy_setting_is_on(client, db, settings):
    for name, value in axes_settings(CCI_TRUSTED_PROXY_COUNT="1").items():
        setattr(settings, name, value)
    user_in_role("auditor", "alice", password="pw-alice-123")
    # A client behind the proxy, and one that forges X-Forwarded-For: the proxy
    # appended the address it saw, the right-most entry is used.
    assert fail_logins(client, settings.AXES_FAILURE_LIMIT - 1, "81.2.69.160") == 200
    assert fail_logins(client, 1, "1.2.3.4, 81.2.69.160") == 429  # still the same client: locked
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"81.2.69.160"}
    # Another client through the same proxy is not locked out.
    response = client.post(
        reverse("login"), {"username": "alice", "password": "pw-alice-123"},
        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="81.2.69.161",
    )
    assert response.status_code == 302


def test_axes_two_proxies_key_on_the_address_the_outer_one_saw(client, db, settings):
    for name, value in axes_settings(CCI_TRUSTED_PROXY_COUNT="2").items():
        setattr(settings, name, value)
    fail_logins(client, 1, "1.2.3.4, 81.2.69.160, 172.16.0.9")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["81.2.69.160"]


def test_axes_ignores_forwarded_headers_by_default(client, db, settings):
    configured = axes_settings()
    assert configured == {"AXES_IPWARE_META_PRECEDENCE_ORDER": ["REMOTE_ADDR"]}
    assert list(settings.AXES_IPWARE_META_PRECEDENCE_ORDER) == ["REMOTE_ADDR"]  # what the test settings run
    fail_logins(client, 1, "81.2.69.160")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [PROXY]
