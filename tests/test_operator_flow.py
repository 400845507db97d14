"""An operator's flow on an empty database, each step a real ``manage.py``
subprocess: migrate, load_raw, run_pipeline (twice, with alerts to a real
webhook receiver and a reader on the case queue), and two failing builds."""

import threading
import time

import psycopg
import pytest

from .conftest import libpq_conninfo, manage, project_copy, query
from .scenarios import EXPECTED_QUARANTINE, write_scenarios
from .webhook_receiver import SECRET, Receiver

pytestmark = pytest.mark.slow

MART_DIGEST = "select md5(string_agg(m::text, '|' order by violation_id)) from analytics.mart_compliance_risk m"
HUMAN_FIELDS = ("select id, status, assignee_id, resolution, closed_at, closed_by_id, closed_by_run_id, reopened_by_id"
                " from compliance_case order by id")


def test_migrate_load_build_twice_then_a_failed_build_changes_nothing(scratch_database, tmp_path):
    url = scratch_database
    write_scenarios(tmp_path / "data")
    manage(url, "migrate", "--verbosity", "0")
    loaded = manage(url, "load_raw", "--format", "seed", str(tmp_path / "data")).stdout
    assert "contact_attempts.csv: " in loaded and "pending: the next pipeline run" in loaded

    with Receiver() as webhook:
        alerting = {"CCI_ALERT_WEBHOOK_URLS": webhook.url, "CCI_ALERT_WEBHOOK_SECRET": SECRET}
        first = manage(url, "run_pipeline", extra_env=alerting)
        assert "succeeded" in first.stdout
        judged = manage(url, "load_raw", "--report").stdout  # the run judged the load's rows
        assert f"{EXPECTED_QUARANTINE['contact_attempts.csv']} quarantined" in judged and "pending" not in judged
        assert webhook.kinds() == ["critical_violations"]  # one digest, signed
        assert all(signed for _, signed in webhook.posts)
        cases = query(url, "select count(*) from compliance_case")[0][0]
        mart = query(url, MART_DIGEST)[0][0]
        assert cases == query(url, "select count(*) from analytics.mart_compliance_risk")[0][0] > 0

        # An auditor's decisions; raw DNC data gone stale; then a rebuild in
        # another session time zone while a reader keeps querying the queue.
        query(url, "insert into auth_user (password, is_superuser, username, first_name, last_name, email,"
                   " is_staff, is_active, date_joined) values ('!', false, 'carol', '', '', '', false, true, now())")
        query(url, "update compliance_case set status = 'closed', resolution = 'false_positive', closed_at = now(),"
                   " assignee_id = (select id from auth_user where username = 'carol'),"
                   " closed_by_id = (select id from auth_user where username = 'carol') where id in"
                   " (select id from compliance_case order by id limit 3)")
        query(url, "update raw.seed_dnc set _loaded_at = now() - interval '3 days'")
        human = query(url, HUMAN_FIELDS)
        webhook.posts.clear()
        with QueueReader(url) as reader:
            second = manage(url, "run_pipeline", extra_env={**alerting, "PGTZ": "Pacific/Kiritimati"})
        assert reader.answers > 0 and reader.errors == [], reader.errors
        assert "cases: 0 created" in second.stdout
        assert query(url, MART_DIGEST)[0][0] == mart, "the mart changed with the session time zone"
        assert query(url, HUMAN_FIELDS) == human
        assert webhook.kinds() == ["stale_sources"]  # no new critical case: no digest
        (stale,) = query(url, "select stale_sources::text from compliance_pipelinerun order by id desc limit 1")[0]
        assert "seed_dnc" in stale and "seed_leads" not in stale

        # Two ways a build fails, each in a copy of the project: a broken model
        # (nothing downstream is built) and a failing test on the mart itself
        # (dbt has already built the new mart when the test fails).
        broken_model = project_copy(tmp_path / "broken_model")
        model = broken_model / "models" / "intermediate" / "int_violations__no_consent.sql"
        model.write_text(model.read_text().replace("and not consent_flag", "and not no_such_column"))
        assert "no_such_column" in model.read_text()
        failing_test = project_copy(tmp_path / "failing_test")
        (failing_test / "tests").mkdir(exist_ok=True)
        (failing_test / "tests" / "mart_has_no_multi_lead.sql").write_text(
            "select * from {{ ref('mart_compliance_risk') }} where lead_id = 'MULTI'"
        )
        query(url, "update raw.seed_leads set consent_flag = 'true' where lead_id = 'NOC'")  # would drop a case
        for project, failing_node in [(broken_model, "int_violations__no_consent"),
                                      (failing_test, "mart_has_no_multi_lead")]:
            webhook.posts.clear()
            failed = manage(url, "run_pipeline", extra_env={**alerting, "CCI_DBT_PROJECT_DIR": str(project)},
                            check=False)
            assert failed.returncode != 0
            assert failing_node in failed.stderr
            assert query(url, MART_DIGEST)[0][0] == mart
            assert query(url, HUMAN_FIELDS) == human
            status, failed_nodes = query(
                url,
                "select r.status, array_agg(n.name) filter (where n.status in ('error', 'fail'))"
                " from compliance_pipelinerun r left join compliance_pipelinenoderesult n on n.run_id = r.id"
                " group by r.id order by r.id desc limit 1",
            )[0]
            assert status == "failed" and failing_node in failed_nodes
            assert query(url, "select count(*) from compliance_case_queue")[0][0] == cases
            assert webhook.kinds().count("pipeline_failed") == 1
            assert "critical_violations" not in webhook.kinds()


class QueueReader:
    """A reader that queries the case queue in a loop (2 s statement timeout)
    until the block ends; counts answers and keeps errors."""

    def __init__(self, url: str):
        self.url, self.answers, self.errors = url, 0, []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.read, daemon=True)

    def read(self):
        with psycopg.connect(libpq_conninfo(self.url), autocommit=True) as conn:
            conn.execute("set statement_timeout = '2s'")
            while not self.stop.is_set():
                try:
                    conn.execute("select count(*) from compliance_case_queue").fetchone()
                    self.answers += 1
                except psycopg.Error as exc:
                    self.errors.append(str(exc))
                time.sleep(0.05)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=10)
