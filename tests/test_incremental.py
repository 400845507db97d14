"""Incremental builds (compliance/pipeline/build_plan.py): on a fresh
database with a seed and a native export, a full build; a run with nothing
new, which builds nothing (only dbt source freshness runs); the nightly
increment of the benchmark (scripts/bench/datasets.py: new attempts on the
next day and late ones on old days, changed leads, new opt-outs, consents
and revocations, conversions, DNC entries and, native, a DNC list version;
each kind on its own leads), loaded with load_raw and built incrementally,
with a lead that arrives after its attempts, a malformed line sent again and
an attempt sent twice in one file: its published mart and every base model's
rows (their status and reasons), the staged rows and the person keys and
links kept for the next night must equal, row for row, those of a full
refresh of the same data, and every attempt of a lead the increment names
must have been recomputed. Both formats share one database (as a customer sending both
would), to keep the builds few. A change to the dbt project (the rule
catalog), a failed build and a purge of raw rows make the next run a full build."""

import csv
from pathlib import Path

import pytest

from compliance.datasets.native import generate_native
from compliance.datasets.seed import generate
from compliance.ingest.formats import SEED_FORMAT
from scripts.bench.datasets import header_of, write_increment

from .conftest import manage, project_copy, query

pytestmark = pytest.mark.slow

LEADS = 100
SEED = 20251202
GENERATORS = {"seed": generate, "native": generate_native}
LAST_RUN = "select build_mode, status from compliance_pipelinerun order by id desc limit 1"
MART = "analytics.mart_compliance_risk"
# Built incrementally by entity (dbt/macros/changed_persons.sql, incremental_by_entity).
STAGED_BY_ENTITY = [f"staging.stg_{name}" for name in (
    "leads", "contact_attempts", "opt_outs", "consents", "conversions", "dnc_entries", "dnc_list_versions")]
BASE_MODELS = [spec.base_model for spec in SEED_FORMAT] + [
    "staging.base_native__leads", "staging.base_native__contact_attempts", "staging.base_native__consents",
    "staging.base_native__opt_outs", "staging.base_native__conversions", "staging.base_native__dnc_entries",
]
LATE_LEAD = "LATE-LEAD-1"
# A record with one value too many: kept in quarantine as malformed, whenever it is sent.
MALFORMED_LINE = "ATT-MALFORMED,LATE-LEAD-1,call,2025-07-01T15:00:00,answered,CMP-1,extra\n"
PLAN = """
from compliance.models import PipelineRun
from compliance.pipeline.build_plan import plan_build
print(plan_build(PipelineRun(dbt_select="")).mode)
"""


def increment_leads(directory: Path) -> set[str]:
    """Every lead id the increment's files name."""
    leads = set()
    for path in directory.glob("*.csv"):
        with open(path, newline="") as handle:
            leads.update(row["lead_id"] for row in csv.DictReader(handle) if row.get("lead_id"))
    return leads


def write_seed_load(directory: Path, source: Path, files: dict[str, str]) -> Path:
    """A seed-format load directory: ``files`` ({name: the lines after the
    header}) under the headers of the export in ``source``; every other file
    of the format with its header only."""
    directory.mkdir()
    for spec in SEED_FORMAT:
        header = ",".join(header_of(source / spec.file_name)) + "\n"
        (directory / spec.file_name).write_text(header + files.get(spec.file_name, ""))
    return directory


def late_lead_row(source: Path) -> str:
    """A valid lead row of the export in ``source``, as lead LATE_LEAD."""
    with open(source / "leads.csv", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        row = next(reader)
    return ",".join([LATE_LEAD, *row[1:]]) + "\n"


def load_increments(url: str, tmp_path: Path, night: int) -> set[str]:
    """Write and load the nightly increment of both exports (a new one each
    ``night``); return every lead id they name."""
    named = set()
    for file_format in GENERATORS:
        increment = tmp_path / f"{file_format}_increment_{night}"
        write_increment(tmp_path / file_format, increment, file_format, SEED + night)
        manage(url, "load_raw", "--format", file_format, str(increment))
        named |= increment_leads(increment)
    return named


def rows_only_in(url: str, left: str, right: str) -> int:
    """Rows of table ``left`` that ``right`` lacks, duplicates counted, the
    dbt invocation that built a base-model row (build_id) aside."""
    return query(url, f"select count(*) from (select to_jsonb(l) - 'build_id' from {left} as l except all "
                      f"select to_jsonb(r) - 'build_id' from {right} as r) as d")[0][0]


def test_incremental_mart_equals_a_full_refresh(scratch_database, tmp_path):
    url = scratch_database
    manage(url, "migrate", "--verbosity", "0")
    for file_format, generator in GENERATORS.items():
        generator(tmp_path / file_format, leads=LEADS, seed=SEED)
        manage(url, "load_raw", "--format", file_format, str(tmp_path / file_format))
    seed_export = tmp_path / "seed"
    waiting = write_seed_load(tmp_path / "waiting", seed_export, {"contact_attempts.csv": (
        f"ATT-LATE-1,{LATE_LEAD},call,2025-07-01T15:00:00,answered,CMP-1\n"
        f"ATT-LATE-2,{LATE_LEAD},sms,2025-07-01T23:30:00,delivered,CMP-1\n" + MALFORMED_LINE)})
    manage(url, "load_raw", "--format", "seed", str(waiting))
    manage(url, "run_pipeline")
    assert query(url, LAST_RUN) == [("full", "succeeded")]

    manage(url, "run_pipeline")  # nothing new: no dbt build, the mart and cases as they were
    assert query(url, LAST_RUN) == [("nothing_new", "succeeded")]
    assert query(url, "select cases_untouched = mart_rows and mart_rows > 0 from compliance_pipelinerun "
                      "order by id desc limit 1") == [(True,)], "a run with nothing new leaves every case untouched"
    assert query(url, "select count(*) from compliance_pipelinenoderesult where run_id = "
                      "(select max(id) from compliance_pipelinerun)") == [(0,)]

    query(url, f"create table before_increment as select * from {MART}")
    named = load_increments(url, tmp_path, night=1)
    arrivals = write_seed_load(tmp_path / "arrivals", seed_export, {
        "leads.csv": late_lead_row(seed_export),
        "contact_attempts.csv": MALFORMED_LINE + 2 * f"ATT-LATE-3,{LATE_LEAD},call,2025-07-02T16:00:00,answered,CMP-1\n"
        + f"ATT-LATE-3,{LATE_LEAD},call,2025-07-02T16:05:00,answered,CMP-1\n",
    })
    manage(url, "load_raw", "--format", "seed", str(arrivals))
    assert query(url, "select count(*) from staging.base_seed__contact_attempts where attempt_id like 'ATT-LATE-%%'"
                      " and status = 'quarantined'") == [(2,)], "the late lead's attempts wait in quarantine"
    manage(url, "run_pipeline")
    assert query(url, LAST_RUN) == [("incremental", "succeeded")]
    assert rows_only_in(url, MART, "before_increment") > 0, "the increment changed nothing: the test proves nothing"
    untouched = query(url, "select count(*) from staging.stg_contact_attempts where lead_id = any(%s) and attempt_id "
                           "not in (select attempt_id from intermediate.int_changed_attempts)", [sorted(named)])
    assert untouched == [(0,)]
    changed, total = query(url, "select (select count(*) from intermediate.int_changed_attempts),"
                                " (select count(*) from staging.stg_contact_attempts)")[0]
    assert 0 < changed < total
    assert query(url, "select attempt_id, status from staging.base_seed__contact_attempts where attempt_id like "
                      "'ATT-LATE-%%' order by 1, line_number") == [
        ("ATT-LATE-1", "valid"), ("ATT-LATE-2", "valid"),
        ("ATT-LATE-3", "superseded"), ("ATT-LATE-3", "quarantined"), ("ATT-LATE-3", "valid")]

    # A second night builds on what the first one kept (person_keys_built, person_links_built).
    load_increments(url, tmp_path, night=2)
    manage(url, "run_pipeline")
    assert query(url, LAST_RUN) == [("incremental", "succeeded")]
    moved = query(url, "select sum(cases_created), sum(cases_closed), sum(cases_reopened), "
                       "bool_and(mart_rows = (select count(*) from analytics.mart_compliance_risk) or id < max_id) "
                       "from (select *, max(id) over () as max_id from compliance_pipelinerun "
                       "where build_mode = 'incremental') as r")[0]
    assert moved[0] > 0 and moved[1] > 0 and moved[3], f"the two nights created, closed, reopened {moved}"
    kept = [MART, *BASE_MODELS, *STAGED_BY_ENTITY, "intermediate.person_keys_built", "intermediate.person_links_built"]
    for table in kept:
        query(url, f"create table incremental_{table.split('.')[1]} as select * from {table}")

    manage(url, "run_pipeline", "--full-refresh")
    assert query(url, LAST_RUN) == [("full", "succeeded")]
    for table in kept:
        copy = f"incremental_{table.split('.')[1]}"
        assert (rows_only_in(url, copy, table), rows_only_in(url, table, copy)) == (0, 0), table
    assert query(url, "select cases_created, cases_closed, cases_reopened from compliance_pipelinerun"
                      " order by id desc limit 1") == [(0, 0, 0)]

    # A change to the rule catalog (QH-FED-1 ends at 8 p.m.) makes the next run a full build ...
    stricter = project_copy(tmp_path / "stricter")
    catalog = stricter / "seeds" / "rule_catalog.csv"
    catalog.write_text(catalog.read_text().replace('""window_end"": ""21:00:00""', '""window_end"": ""20:00:00""', 1))
    assert plan(url, stricter) == "full"
    # ... and so does a failed build, which may have left intermediate tables half updated.
    assert plan(url) == "nothing_new"
    # Loading appends: the next run builds incrementally ...
    manage(url, "load_raw", "--format", "seed", str(arrivals))
    assert plan(url) == "incremental"
    # ... but a purge of raw rows, noticed without counting them (raw_watermark), makes it a full build:
    # an incremental build reads appended rows only.
    query(url, "delete from raw.seed_dnc where ctid = (select min(ctid) from raw.seed_dnc)")
    assert plan(url) == "full"
    failed = "PipelineRun.objects.create(trigger='command', status='failed', build_mode='incremental')\n"
    assert plan(url, before=failed) == "full"


def plan(url: str, project: Path | None = None, before: str = "") -> str:
    """The mode the next run would build in, with the dbt project at ``project``,
    after running the Python statements ``before``."""
    extra_env = {"CCI_DBT_PROJECT_DIR": str(project)} if project else None
    return manage(url, "shell", "-c", PLAN.replace("print(", before + "print("), extra_env=extra_env).stdout.split()[-1]
