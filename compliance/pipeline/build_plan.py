"""Full, incremental or no build: what a pipeline run does.

The base models of the entities with a key (leads, attempts, conversions,
consents, opt-outs) are incremental by that key (``dbt/macros/raw_rows.sql``:
the keys of newly loaded raw rows, and of rows naming a lead or an id that
the build recomputed). The intermediate models are incremental by person
(``dbt/macros/changed_persons.sql``):
an incremental build recomputes the attempts of the persons a change touched
(``int_changed_attempts``: the person keys of the entities it rebuilt against
those they had in the last successful build, kept in :data:`BUILT_KEYS`, and
the kept links, :data:`BUILT_LINKS`); its mart holds those attempts'
violations, which replace theirs in the published mart. A run's plan,
recorded on its :class:`~compliance.models.PipelineRun` (``build_mode``,
``build_reason``, ``project_fingerprint``, ``raw_watermark``):

* ``full`` (``dbt build --full-refresh``): asked for; the first build; the
  last build failed, was abandoned or built a selection (intermediate tables
  may hold a partial update); the dbt project's models, macros, seeds (rule
  catalog, reference data) or ``dbt_project.yml`` changed since the last
  build (:func:`project_fingerprint`); the last build's keys, links or
  published mart are missing; or
  a raw table was written otherwise than by appending since the last build
  (an update, delete or truncate: :func:`raw_watermark`), since the
  incremental base models read only appended rows;
* ``nothing_new``: none of that, and the raw tables hold exactly what they held
  when the last build started (:func:`raw_watermark`): no build (only
  ``dbt source freshness``: a night without data is when stale sources
  matter), the published mart and the cases stay as they are;
* ``incremental`` (``dbt build``, seeds not reloaded): otherwise;
* ``selected``: a ``--select`` run, built with ``--full-refresh`` (a selected
  model never reads another run's changed attempts); the next run is full.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from compliance.ingest.formats import RAW_TABLES
from compliance.models import PipelineRun
from compliance.pipeline.relations import relation_exists

PERSON_KEYS = "intermediate.int_person_keys"
REBUILT_ENTITIES = "intermediate.int_rebuilt_entities"
BUILT_KEYS = "intermediate.person_keys_built"
BUILT_LINKS = "intermediate.person_links_built"
# An incremental build's mart is a delta applied to the published one.
PUBLISHED_MART = "analytics.mart_compliance_risk"
FINGERPRINTED = ("models", "macros", "seeds", "dbt_project.yml")
BUILDS = (PipelineRun.BuildMode.FULL, PipelineRun.BuildMode.INCREMENTAL, PipelineRun.BuildMode.SELECTED)


@dataclass
class BuildPlan:
    """What a run does (module docstring), why, and the state it starts from."""

    mode: str
    reason: str
    fingerprint: str
    watermark: dict

    @property
    def dbt_flags(self) -> list[str]:
        """Flags of ``dbt build`` for this plan: an incremental build leaves the
        seeds' tables as the last build loaded them (same fingerprint, same
        files); their tests still run. No build runs dbt's unit tests (fixture
        rows, not the data: ``tests/test_dbt_unit_tests.py`` runs them)."""
        without_unit_tests = ["--exclude-resource-type", "unit_test"]
        if self.mode == PipelineRun.BuildMode.INCREMENTAL:
            return ["--exclude", "resource_type:seed", *without_unit_tests]
        return ["--full-refresh", *without_unit_tests]

    @property
    def keeps_person_keys(self) -> bool:
        """Whether a successful build of this plan is the base of the next incremental one."""
        return self.mode in (PipelineRun.BuildMode.FULL, PipelineRun.BuildMode.INCREMENTAL)


def plan_build(run: PipelineRun, full_refresh: bool = False) -> BuildPlan:
    """The plan of ``run`` (module docstring); ``full_refresh`` asks for a full build."""
    modes = PipelineRun.BuildMode
    fingerprint, watermark = project_fingerprint(), raw_watermark()

    def plan(mode: str, reason: str) -> BuildPlan:
        return BuildPlan(mode, reason, fingerprint, watermark)

    if run.dbt_select:
        return plan(modes.SELECTED, "a selection is built in full (--full-refresh); the next run is a full build")
    if full_refresh:
        return plan(modes.FULL, "full refresh requested")
    last = PipelineRun.objects.exclude(pk=run.pk).filter(build_mode__in=BUILDS).order_by("-pk").first()
    if last is None:
        return plan(modes.FULL, "first build")
    if last.status != PipelineRun.Status.SUCCEEDED or last.build_mode == modes.SELECTED:
        what = "built a selection" if last.status == PipelineRun.Status.SUCCEEDED else last.status
        return plan(modes.FULL, f"the last build (run {last.pk}) {what}")
    if last.project_fingerprint != fingerprint:
        return plan(modes.FULL, f"the dbt project (models, macros, seeds, dbt_project.yml) changed since run {last.pk}")
    missing = [name for name in (BUILT_KEYS, BUILT_LINKS, PUBLISHED_MART) if not relation_exists(name)]
    if missing:
        return plan(modes.FULL, f"{' and '.join(missing)} (kept by the last build) missing")
    rewritten = rewritten_tables(last.raw_watermark, watermark)
    if rewritten:
        return plan(modes.FULL, f"raw rows were updated or deleted since run {last.pk} ({', '.join(rewritten)}): "
                                "an incremental build reads appended rows only")
    if last.raw_watermark == watermark:
        return plan(modes.NOTHING_NEW, f"no raw rows loaded since run {last.pk} and the same dbt project")
    return plan(modes.INCREMENTAL, f"raw rows loaded since run {last.pk}: the persons they touch are recomputed")


def project_fingerprint() -> str:
    """SHA-256 of the path and content of every file of the dbt project that
    shapes the mart (:data:`FINGERPRINTED`: models, macros, seeds, dbt_project.yml)."""
    project = Path(settings.CCI_DBT_PROJECT_DIR)
    digest = hashlib.sha256()
    for top in FINGERPRINTED:
        paths = [project / top] if (project / top).is_file() else sorted((project / top).rglob("*"))
        for path in paths:
            if path.is_file():
                digest.update(f"{path.relative_to(project)}\0".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def raw_watermark() -> dict[str, dict[str, int]]:
    """``{raw table: {"statements": n, "rewrites": m}}`` of every raw table
    (``raw.table_changes``, kept by a trigger; compliance/ingest/formats.py):
    ``statements`` counts every statement that wrote to the table (a load's
    COPY, a purge, any INSERT, UPDATE, DELETE or TRUNCATE), ``rewrites``
    those that were not inserts; no row is read."""
    with connection.cursor() as cursor:
        cursor.execute("select raw_table, statements, rewrites from raw.table_changes")
        changes = {table: {"statements": statements, "rewrites": rewrites}
                   for table, statements, rewrites in cursor.fetchall()}
    return {table: changes.get(table, {"statements": 0, "rewrites": 0}) for table in RAW_TABLES}


def rewritten_tables(before: dict, now: dict) -> list[str]:
    """The raw tables of watermark ``now`` with rewrites that watermark
    ``before`` (a run's :attr:`~compliance.models.PipelineRun.raw_watermark`)
    does not account for; a table missing from ``before``, or recorded there
    in another form (an older CCI's count), counts as rewritten."""
    def rewrites(watermark: dict, table: str) -> int | None:
        entry = watermark.get(table)
        return entry.get("rewrites") if isinstance(entry, dict) else None

    return [table for table in RAW_TABLES if rewrites(before, table) != rewrites(now, table)]


# The links between the keys of one staged row, as the distinct pairs of
# its first key (hub) and each other key but a DNC list, with the number of
# key rows that make each pair: the graph int_changed_attempts walks.
LINKED = "node <> hub and node not like 'list:%'"
KEEP_LINKS = f"""
create table {BUILT_LINKS} as
select hub, node, count(*) as rows from {BUILT_KEYS} where {LINKED} group by hub, node
"""

# After an incremental build: the rebuilt entities' keys replace those they
# had, and the link counts follow (a pair whose count falls to 0 goes).
MERGE_REBUILT_KEYS = f"""
create temporary table previous_keys on commit drop as
select k.* from {BUILT_KEYS} as k where k.entity in (select entity from {REBUILT_ENTITIES});
merge into {BUILT_LINKS} as l
using (
    select hub, node, sum(n) as n
    from (select hub, node, -1 as n from previous_keys where {LINKED}
          union all
          select hub, node, 1 from {PERSON_KEYS} where {LINKED}) as d
    group by hub, node
    having sum(n) <> 0
) as d on l.hub = d.hub and l.node = d.node
when matched and l.rows + d.n = 0 then delete
when matched then update set rows = l.rows + d.n
when not matched then insert (hub, node, rows) values (d.hub, d.node, d.n);
delete from {BUILT_KEYS} where entity in (select entity from {REBUILT_ENTITIES});
insert into {BUILT_KEYS} select * from {PERSON_KEYS};
"""


def keep_person_keys(mode: str) -> None:
    """Keep the person keys of the build that just succeeded in
    :data:`BUILT_KEYS`, and their links, counted, in :data:`BUILT_LINKS`
    (in the caller's transaction: with the published mart, or not at all).
    After a full build (``mode``) they are its :data:`PERSON_KEYS`; after an
    incremental one, which keyed only the entities it rebuilt, those
    entities' keys are replaced (:data:`MERGE_REBUILT_KEYS`)."""
    with connection.cursor() as cursor:
        if mode == PipelineRun.BuildMode.INCREMENTAL:
            cursor.execute(MERGE_REBUILT_KEYS)
            return
        cursor.execute(f"drop table if exists {BUILT_KEYS}, {BUILT_LINKS}")
        cursor.execute(f"alter table {PERSON_KEYS} rename to {BUILT_KEYS.split('.')[1]}")
        cursor.execute(KEEP_LINKS)
        cursor.execute(f"analyze {BUILT_KEYS}")
        cursor.execute(f"analyze {BUILT_LINKS}")
