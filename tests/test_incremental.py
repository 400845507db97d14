"""Incremental builds (compliance/pipeline/build_plan.py): on a fresh
database with a seed and a native export, a full build; a run with nothing
new, which builds nothing (only dbt source freshness runs); the nightly
increment of the benchmark (scripts/bench/datasets.py: new attempts on the
next day and late ones on old days, changed leads, new opt-outs, consents
and revocations, conversions, DNC entries and, native, a DNC list version;
each kind on its own leads), loaded with load_raw and built incrementally:
its published mart must equal, row for row, the mart of a full refresh of
the same data, and every attempt of a lead the increment names must have
been recomputed. Both formats share one database (as a customer sending both
would), to keep the builds few. A change to the dbt project (the rule
catalog) and a failed build make the next run a full build."""

import csv
from pathlib import Path

import pytest

from compliance.datasets.native import generate_native
from compliance.datasets.seed import generate
from scripts.bench.datasets import write_increment

from .conftest import manage, project_copy, query

pytestmark = pytest.mark.slow

LEADS = 100
SEED = 20251202
GENERATORS = {"seed": generate, "native": generate_native}
LAST_RUN = "select build_mode, status from compliance_pipelinerun order by id desc limit 1"
MART = "analytics.mart_compliance_risk"
PLAN = """
from compliance.models import PipelineRun
from compliance.pipeline.build_plan import plan_build
print(plan_build(PipelineRun(dbt_select="")).mode)
"""


def rows_only_in(url: str, left: str, right: str) -> int:
    """Rows of ``left`` that ``right`` lacks, duplicates counted."""
    return query(url, f"select count(*) from (select * from {left} except all select * from {right}) as d")[0][0]


def increment_leads(directory: Path) -> set[str]:
    """Every lead id the increment's files name."""
    leads = set()
    for path in directory.glob("*.csv"):
        with open(path, newline="") as handle:
            leads.update(row["lead_id"] for row in csv.DictReader(handle) if row.get("lead_id"))
    return leads


def test_incremental_mart_equals_a_full_refresh(scratch_database, tmp_path):
    url = scratch_database
    manage(url, "migrate", "--verbosity", "0")
    for file_format, generator in GENERATORS.items():
        generator(tmp_path / file_format, leads=LEADS, seed=SEED)
        manage(url, "load_raw", "--format", file_format, str(tmp_path / file_format))
    manage(url, "run_pipeline")
    assert query(url, LAST_RUN) == [("full", "succeeded")]

    manage(url, "run_pipeline")  # nothing new: no dbt build, the mart and cases as they were
    assert query(url, LAST_RUN) == [("nothing_new", "succeeded")]
    assert query(url, "select count(*) from compliance_pipelinenoderesult where run_id = "
                      "(select max(id) from compliance_pipelinerun)") == [(0,)]

    query(url, f"create table before_increment as select * from {MART}")
    named = set()
    for file_format in GENERATORS:
        increment = tmp_path / f"{file_format}_increment"
        write_increment(tmp_path / file_format, increment, file_format, SEED)
        manage(url, "load_raw", "--format", file_format, str(increment))
        named |= increment_leads(increment)
    manage(url, "run_pipeline")
    assert query(url, LAST_RUN) == [("incremental", "succeeded")]
    assert rows_only_in(url, MART, "before_increment") > 0, "the increment changed nothing: the test proves nothing"
    untouched = query(url, "select count(*) from staging.stg_contact_attempts where lead_id = any(%s) and attempt_id "
                           "not in (select attempt_id from intermediate.int_changed_attempts)", [sorted(named)])
    assert untouched == [(0,)]
    changed, total = query(url, "select (select count(*) from intermediate.int_changed_attempts),"
                                " (select count(*) from staging.stg_contact_attempts)")[0]
    assert 0 < changed < total
    query(url, f"create table incremental as select * from {MART}")

    manage(url, "run_pipeline", "--full-refresh")
    assert query(url, LAST_RUN) == [("full", "succeeded")]
    assert rows_only_in(url, "incremental", MART) == 0
    assert rows_only_in(url, MART, "incremental") == 0
    assert query(url, "select cases_created, cases_closed, cases_reopened from compliance_pipelinerun"
                      " order by id desc limit 1") == [(0, 0, 0)]

    # A change to the rule catalog (QH-FED-1 ends at 8 p.m.) makes the next run a full build ...
    stricter = project_copy(tmp_path / "stricter")
    catalog = stricter / "seeds" / "rule_catalog.csv"
    catalog.write_text(catalog.read_text().replace('""window_end"": ""21:00:00""', '""window_end"": ""20:00:00""', 1))
    assert plan(url, stricter) == "full"
    # ... and so does a failed build, which may have left intermediate tables half updated.
    assert plan(url) == "nothing_new"
    # A purge of raw rows is noticed without counting them (raw_watermark): the next run builds.
    query(url, "delete from raw.seed_dnc where ctid = (select min(ctid) from raw.seed_dnc)")
    assert plan(url) == "incremental"
    failed = "PipelineRun.objects.create(trigger='command', status='failed', build_mode='incremental')\n"
    assert plan(url, before=failed) == "full"


def plan(url: str, project: Path | None = None, before: str = "") -> str:
    """The mode the next run would build in, with the dbt project at ``project``,
    after running the Python statements ``before``."""
    extra_env = {"CCI_DBT_PROJECT_DIR": str(project)} if project else None
    return manage(url, "shell", "-c", PLAN.replace("print(", before + "print("), extra_env=extra_env).stdout.split()[-1]
