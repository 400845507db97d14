"""The pipeline run by real Celery workers over the real broker: a normal run,
two runs requested at once, a worker killed (SIGKILL) mid-build, and the
worker's log lines in Django's configured format."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from celery import Celery

from .conftest import REPO, manage, project_copy, query
from .scenarios import write_scenarios
from .webhook_receiver import SECRET, Receiver

MART_DIGEST = "select md5(string_agg(m::text, '|' order by violation_id)) from analytics.mart_compliance_risk m"

pytestmark = pytest.mark.slow


@pytest.fixture
def loaded_database(scratch_database, tmp_path):
    """A migrated scratch database with the scenarios loaded into raw."""
    write_scenarios(tmp_path / "data")
    manage(scratch_database, "migrate", "--verbosity", "0")
    manage(scratch_database, "load_raw", "--format", "seed", str(tmp_path / "data"))
    return scratch_database


class Workers:
    """Celery worker processes on a queue of their own, against one database.
    Their output goes to files in ``log_dir`` (a pipe nobody reads would fill
    up and block a worker mid-run)."""

    def __init__(self, url: str, log_dir):
        self.url, self.log_dir = url, log_dir
        self.queue = f"test-{uuid.uuid4().hex[:8]}"
        self.processes: list[subprocess.Popen] = []
        self.logs: list = []
        # Not the current app: tasks would then be sent with this bare client's
        # configuration (no routes) by every later test of the process.
        self.client = Celery(broker=os.environ["CELERY_BROKER_URL"], set_as_current=False)

    def start(self, *celery_options: str, **extra_env: str) -> subprocess.Popen:
        """Start a worker; ``celery_options`` go before ``worker`` (e.g. ``--quiet``: no banner)."""
        env = dict(os.environ, DATABASE_URL=self.url, DJANGO_SETTINGS_MODULE="cci_site.settings.test", **extra_env)
        log = open(self.log_dir / f"worker-{len(self.processes)}.log", "w")  # noqa: SIM115 (closed in stop)
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "cci_site", *celery_options, "worker", "--pool=solo", "-Q",
             self.queue,
             "-n", f"{self.queue}-{len(self.processes)}@%h", "--loglevel=INFO", "--without-gossip",
             "--without-mingle"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        self.logs.append(log)
        self.processes.append(process)
        return process

    def request_run(self) -> None:
        self.client.send_task("compliance.run_pipeline", queue=self.queue)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
            process.wait(timeout=60)
        for log in self.logs:
            log.close()
        self.processes.clear()
        self.logs.clear()


@pytest.fixture
def workers(loaded_database, tmp_path):
    pool = Workers(loaded_database, tmp_path)
    yield pool
    pool.stop()


def runs(url: str) -> list[tuple[str, str]]:
    return query(url, "select trigger, status from compliance_pipelinerun order by id")


def wait_until(condition, timeout: float = 300, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def finished(url: str, count: int):
    rows = runs(url)
    return rows if len(rows) >= count and all(status not in ("running", "queued") for _, status in rows) else None


def test_a_worker_runs_the_pipeline_and_logs_in_djangos_configured_format(workers):
    """A requested run succeeds in the worker and creates the cases. With
    ``LOG_FORMAT=json`` (production's default) every line the worker writes
    is one JSON object of cci_site/logging.py, Celery's own lines and its
    start-up warnings included, and the pipeline's lines carry the run id.
    (One worker and one build for both: each build costs about 20 s of the
    suite.) The log is read before the worker is stopped: on SIGTERM Celery's
    signal handler writes a plain "Warm shutdown" notice straight to stdout,
    not a log record."""
    workers.start("--quiet", LOG_FORMAT="json")  # --quiet: no start-up banner (printed, not logged)
    workers.request_run()
    assert wait_until(lambda: finished(workers.url, 1), what="the run") == [("celery", "succeeded")]
    assert query(workers.url, "select count(*) from compliance_case")[0][0] > 0
    ((run_id,),) = query(workers.url, "select id from compliance_pipelinerun")
    log = workers.log_dir / "worker-0.log"
    wait_until(lambda: "compliance.run_pipeline[" in log.read_text() and " succeeded in " in log.read_text(),
               timeout=30, what="the task's success line")
    records = [json.loads(line) for line in log.read_text().splitlines()]  # a line in another format fails here
    assert all({"time", "level", "logger", "message", "run_id"} <= set(record) for record in records)
    loggers = {record["logger"] for record in records}
    assert {"celery.worker.consumer.connection", "celery.app.trace"} <= loggers, loggers
    assert any(record["run_id"] == run_id and record["logger"].startswith("compliance") for record in records)


@pytest.mark.parametrize("when_busy, outcome", [("skip", ["skipped", "succeeded"]), ("queue", ["succeeded"] * 2)])
def test_two_runs_requested_at_once_never_build_together(workers, when_busy, outcome):
    workers.start(CCI_PIPELINE_WHEN_BUSY=when_busy)
    workers.start(CCI_PIPELINE_WHEN_BUSY=when_busy)
    workers.request_run()
    workers.request_run()
    statuses = sorted(status for _, status in wait_until(lambda: finished(workers.url, 2), what="both runs"))
    assert statuses == outcome
    if when_busy == "queue":
        assert query(workers.url, "select count(*) from compliance_pipelinerun where cases_created > 0")[0][0] == 1


def test_a_failed_build_in_the_worker_changes_nothing_and_alerts_once(workers, tmp_path):
    workers.start()
    workers.request_run()
    wait_until(lambda: finished(workers.url, 1), what="the first run")
    mart = query(workers.url, MART_DIGEST)
    cases = query(workers.url, "select id, status from compliance_case order by id")
    workers.stop()

    broken = tmp_path / "dbt"
    project_copy(broken)
    model = broken / "models" / "marts" / "mart_compliance_risk.sql"
    model.write_text(model.read_text().replace("v.details ||", "v.no_such_column ||"))
    assert "no_such_column" in model.read_text()
    with Receiver() as webhook:
        workers.start(CCI_DBT_PROJECT_DIR=str(broken), CCI_ALERT_WEBHOOK_URLS=webhook.url,
                      CCI_ALERT_WEBHOOK_SECRET=SECRET)
        workers.request_run()
        wait_until(lambda: finished(workers.url, 2), what="the failing run")
        # The run is marked failed before its alerts go out; a warm shutdown
        # lets the task finish sending them while the receiver still listens.
        workers.stop()
    assert runs(workers.url)[-1] == ("celery", "failed")
    (failed,) = query(workers.url, "select name from compliance_pipelinenoderesult where status = 'error'")
    assert failed == ("mart_compliance_risk",)
    assert query(workers.url, MART_DIGEST) == mart
    assert query(workers.url, "select id, status from compliance_case order by id") == cases
    assert query(workers.url, "select count(*) from compliance_case_queue")[0][0] == len(cases)
    assert webhook.kinds() == ["pipeline_failed"] and webhook.posts[0][1]
    assert query(workers.url, "select kind, delivered from compliance_alertdelivery") == [("pipeline_failed", True)]


# Advisory locks of this test's database (pg_locks lists every database of the server).
ADVISORY_LOCKS = ("select count(*) from pg_locks where locktype = 'advisory' "
                  "and database = (select oid from pg_database where datname = current_database())")


def test_a_worker_killed_mid_build_leaves_no_stuck_lock_and_no_duplicate_cases(workers):
    victim = workers.start()
    workers.request_run()
    wait_until(lambda: runs(workers.url) == [("celery", "running")], what="the run to start")
    wait_until(lambda: query(workers.url, ADVISORY_LOCKS)[0][0], what="the pipeline lock")
    time.sleep(3)  # dbt is building
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    wait_until(lambda: not query(workers.url, ADVISORY_LOCKS)[0][0], timeout=60, what="the lock to be released")

    workers.start()
    workers.request_run()
    first, second = wait_until(lambda: finished(workers.url, 2), what="the next run")
    assert first == ("celery", "failed") and second == ("celery", "succeeded")
    (error,) = query(workers.url, "select error from compliance_pipelinerun order by id limit 1")[0]
    assert error.startswith("Abandoned")
    workers.request_run()
    wait_until(lambda: finished(workers.url, 3), what="a third run")
    cases, distinct = query(workers.url, "select count(*), count(distinct violation_id) from compliance_case")[0]
    assert cases == distinct == query(workers.url, "select count(*) from analytics.mart_compliance_risk")[0][0]
