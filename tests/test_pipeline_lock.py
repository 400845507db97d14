"""One build per database: a run requested while another holds the lock is
recorded as skipped and touches nothing."""

import psycopg
from django.db import connection

from compliance.models import PipelineRun
from compliance.pipeline.lock import PIPELINE_LOCK_KEY
from compliance.pipeline.runs import run_pipeline

from .conftest import conninfo


def other_session():
    """A second session on the test database, outside Django's connection."""
    return psycopg.connect(conninfo(connection.settings_dict), autocommit=True)

def test_a_run_is_skipped_while_another_holds_the_lock(db):
    with other_session() as holder:
        holder.execute("select pg_advisory_lock(%s)", [PIPELINE_LOCK_KEY])
        run = run_pipeline(PipelineRun.Trigger.COMMAND)
    assert run.status == PipelineRun.Status.SKIPPED
    assert "in progress" in run.error
    assert run.finished_at is not None

def test_the_lock_is_free_again_after_a_skipped_run(db):
    test_a_run_is_skipped_while_another_holds_the_lock(db)
    with other_session() as probe:
        assert probe.execute("select pg_try_advisory_lock(%s)", [PIPELINE_LOCK_KEY]).fetchone()[0]
