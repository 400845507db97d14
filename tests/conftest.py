"""Shared fixtures.

Tests talk to the real PostgreSQL named by ``DATABASE_URL`` (an embedded one
when started through ``scripts/test``) and run the real dbt project.

* ``pipeline_build`` (session): the hand-written seed scenarios are loaded
  twice (the second load must add nothing), then a changed copy and the
  original again (the original must be current again), a clean synthetic
  seed dataset once, the native zone scenarios (JSON Lines) and a synthetic
  native dataset with one defect of each kind per file (CSV), then one
  pipeline run builds the mart and the cases. Tests read what it built.
* ``scratch_database``: a fresh, empty database on the same server, for tests
  that drive ``manage.py`` in subprocesses as an operator would.

Under pytest-xdist (``scripts/test``) each worker has its own test database
(pytest-django: ``test_<name>_gw0``, ...), builds it once, and keeps its dbt
runs in a state directory of its own; scratch databases and Celery queues
have random names.
"""

import io
import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection

from compliance.datasets.native import generate_native
from compliance.datasets.planted import generate_planted
from compliance.datasets.seed import generate
from compliance.models import PipelineRun
from compliance.pipeline.runs import run_pipeline

from .native_scenarios import write_native_scenarios
from .scenarios import write_scenarios

REPO = Path(__file__).resolve().parent.parent
SYNTHETIC_LEADS = 150
SYNTHETIC_SEED = 20251102
NATIVE_LEADS = 120
PLANTED_COPIES = 4


@dataclass
class Build:
    scenario_dir: Path
    synthetic_dir: Path
    first_load: str
    reload: str
    run: PipelineRun
    native_dir: Path
    native_load: str
    planted_dir: Path


def user_in_role(role: str, username: str, password: str | None = None) -> User:
    """A user in one role's group (viewer, auditor, compliance_manager; created by migrations)."""
    user = User.objects.create_user(username, password=password)
    user.groups.add(Group.objects.get(name=role))
    return user


def load(directory: Path, file_format: str = "seed") -> str:
    out = io.StringIO()
    call_command("load_raw", str(directory), "--format", file_format, stdout=out)
    return out.getvalue()


def pytest_configure(config):
    """Under pytest-xdist, each worker (and the ``manage.py`` and Celery
    processes it starts) keeps its dbt run directories and parse cache in a
    state directory of its own, ``CCI_STATE_DIR/pytest-gw0``, ...: a worker
    never prunes a run directory or parse file the other is using. The
    controller hands the tests out one at a time (``--maxschedchunk 1`` unless
    given): in chunks, the slow ones, collected first, would all go to one
    worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        settings.CCI_STATE_DIR = Path(settings.CCI_STATE_DIR) / f"pytest-{worker}"
        os.environ["CCI_STATE_DIR"] = str(settings.CCI_STATE_DIR)
    elif getattr(config.option, "maxschedchunk", 0) is None:
        config.option.maxschedchunk = 1


def pytest_collection_modifyitems(items):
    """Tests that read the shared build need the test database: pytest-django
    creates it only for tests marked as using the database, and would
    otherwise leave the connection on the real one.

    Under pytest-xdist the ``slow`` tests (each builds a database of its own:
    most of the suite's time) come first, the others keeping their order: the
    workers take the slow ones in turns, then share out the short ones, so
    they finish together rather than one of them on a long test alone."""
    for item in items:
        if "pipeline_build" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.django_db)
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def pipeline_build(django_db_setup, django_db_blocker, tmp_path_factory) -> Build:
    scenario_dir = tmp_path_factory.mktemp("scenarios")
    write_scenarios(scenario_dir)
    synthetic_dir = tmp_path_factory.mktemp("synthetic")
    generate(synthetic_dir, leads=SYNTHETIC_LEADS, seed=SYNTHETIC_SEED, clean=True)
    assert connection.settings_dict["NAME"].startswith("test_"), "refusing to load test data into a real database"
    changed_dir = tmp_path_factory.mktemp("scenarios_changed")
    write_scenarios(changed_dir, consent_override={"CLEAN": "false"})
    native_scenario_dir = tmp_path_factory.mktemp("native_scenarios")
    write_native_scenarios(native_scenario_dir)
    native_dir = tmp_path_factory.mktemp("native")
    generate_native(native_dir, leads=NATIVE_LEADS, seed=SYNTHETIC_SEED)
    planted_dir = tmp_path_factory.mktemp("planted")
    generate_planted(planted_dir, copies=PLANTED_COPIES, seed=SYNTHETIC_SEED)
    with django_db_blocker.unblock():
        first_load = load(scenario_dir)
        reload = load(scenario_dir)
        load(changed_dir)  # a later export changes one lead ...
        load(scenario_dir)  # ... and loading the original again makes it current again
        load(synthetic_dir)
        load(native_scenario_dir, "native")
        native_load = load(native_dir, "native")
        load(planted_dir, "native")
        run = run_pipeline(PipelineRun.Trigger.COMMAND)
    assert run.status == PipelineRun.Status.SUCCEEDED, run.error
    return Build(scenario_dir, synthetic_dir, first_load, reload, run, native_dir, native_load, planted_dir)


@pytest.fixture(scope="session")
def mart_rows(pipeline_build, django_db_blocker) -> list[dict]:
    """Every row of analytics.mart_compliance_risk, as dicts."""
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("select * from analytics.mart_compliance_risk")
        names = [c.name for c in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


def database_url(name: str) -> str:
    """``DATABASE_URL`` with its database name replaced by ``name``."""
    parts = urlparse(os.environ["DATABASE_URL"])
    return urlunparse(parts._replace(path=f"/{name}"))


def conninfo(db: dict) -> str:
    """A libpq connection string for Django-style database settings (HOST may
    be a socket directory)."""
    return psycopg.conninfo.make_conninfo(
        host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"] or None,
        password=db["PASSWORD"] or None, dbname=db["NAME"],
    )


def libpq_conninfo(url: str) -> str:
    """A libpq connection string for a database URL."""
    import dj_database_url

    return conninfo(dj_database_url.parse(url))


@pytest.fixture
def scratch_database():
    """A new empty database; yields its DATABASE_URL, drops it afterwards."""
    name = f"cci_scratch_{uuid.uuid4().hex[:10]}"
    admin = libpq_conninfo(database_url("postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"create database {name}")
    yield database_url(name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"drop database if exists {name} with (force)")


def manage(url: str, *args: str, extra_env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``manage.py ARGS`` in a subprocess against the database at ``url``."""
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="cci_site.settings.test", **(extra_env or {}))
    result = subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args], cwd=REPO, env=env, capture_output=True, text=True
    )
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def project_copy(destination: Path) -> Path:
    """A copy of the dbt project, to change or break on purpose."""
    shutil.copytree(REPO / "dbt", destination, ignore=shutil.ignore_patterns("target", "logs"))
    return destination


def query(url: str, sql: str, params=None) -> list[tuple]:
    """Run one SQL statement on the database at ``url`` and return its rows (autocommit)."""
    with psycopg.connect(libpq_conninfo(url), autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []
