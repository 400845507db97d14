"""Data quality: where every raw row went, and quarantine counts by reason.

Every raw row is exactly one of: staged (the current valid version of its
id), superseded (an older valid version, replaced by a later load, or a copy
of an identical later row) or quarantined (refused, with reason codes; see
dbt/macros/problem_columns.sql). Some valid rows look wrong without being
refused: data-quality warnings (intermediate.int_data_quality_warnings, e.g.
a ringless voicemail recorded as a conversation); the rules read them and
say how they treat them. A load's files are judged by the next successful
pipeline run (:func:`judge_pending_loads`): per file, every record read is
counted once under its row's status (raw tables are append-only: one raw row
per record read; a record identical to a later one is superseded by it). A
pipeline run stores the quarantine counts; a count that jumps against the
previous successful run is a warning on the run and an alert.
"""

from dataclasses import dataclass

from django.db import connection

from compliance.ingest.formats import FORMATS
from compliance.models import PipelineRun, RawLoadFile

# A count "jumps" when it more than doubles and grows by more than this many rows.
JUMP_MIN_ROWS = 10


@dataclass
class FileBalance:
    """Where the rows of one raw file went: ``raw == staged + superseded + quarantined``.
    ``file_name`` is ``<format>/<file as received>``, e.g. ``native/leads.jsonl``."""

    file_name: str
    raw: int
    staged: int
    superseded: int
    quarantined: int


def file_balances() -> list[FileBalance]:
    """One :class:`FileBalance` per file name ever loaded, per format (staging must be built)."""
    balances = []
    with connection.cursor() as cursor:
        for file_format, specs in FORMATS.items():
            for spec in specs:
                cursor.execute(
                    f"""
                    select r.file_name, r.rows,
                           count(*) filter (where b.status = 'valid'),
                           count(*) filter (where b.status = 'superseded'),
                           count(*) filter (where b.status = 'quarantined')
                    from (select _file_name as file_name, count(*) as rows
                          from raw.{spec.table} group by _file_name) as r
                    left join {spec.base_model} as b on b.source_file = r.file_name
                    group by r.file_name, r.rows
                    order by r.file_name
                    """
                )
                balances += [FileBalance(f"{file_format}/{name}", *row) for name, *row in cursor.fetchall()]
    return balances


def judge_pending_loads(run: PipelineRun) -> int:
    """Fill the staging counts of every pending :class:`RawLoadFile` (loaded
    since the last successful run) from the build ``run`` just made and mark
    them counted by ``run``. Raw tables are append-only, so each record read
    is one raw row and one base-model row, carrying its load: per file,
    ``rows_read = rows_staged + rows_superseded + rows_quarantined``, its rows
    counted by status (a load reads one file per raw table). A record that an
    identical later one replaced (a repeated line, a row sent again) counts as
    superseded. Returns the number of files counted. Runs in the caller's
    transaction."""
    pending = list(RawLoadFile.objects.filter(counted_by_run__isnull=True).select_related("load"))
    if not pending:
        return 0
    verdicts = {}
    with connection.cursor() as cursor:
        for spec in {table_spec(f) for f in pending}:
            cursor.execute(
                f"""
                select load_id,
                       count(*) filter (where status = 'valid'),
                       count(*) filter (where status = 'superseded'),
                       count(*) filter (where status = 'quarantined')
                from {spec.base_model}
                where load_id = any(%s)
                group by load_id
                """,
                [sorted({f.load_id for f in pending})],
            )
            verdicts |= {(spec.table, load_id): counts for load_id, *counts in cursor.fetchall()}
    for file in pending:
        file.rows_staged, file.rows_superseded, file.rows_quarantined = verdicts.get(
            (table_spec(file).table, file.load_id), (0, 0, 0)
        )
        file.counted_by_run = run
    RawLoadFile.objects.bulk_update(pending, ["rows_staged", "rows_superseded", "rows_quarantined", "counted_by_run"])
    return len(pending)


def table_spec(file: RawLoadFile):
    """The :class:`~.raw_formats.RawFileSpec` a loaded file was read as."""
    stem = file.file_name.rsplit(".", 1)[0]
    return next(spec for spec in FORMATS[file.load.file_format] if spec.stem == stem)


def counts_by_file(sql: str) -> dict[str, dict[str, int]]:
    """``{file: {code: rows}}`` from ``sql``, a query of (file, code, rows)."""
    counts: dict[str, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for file_name, code, rows in cursor.fetchall():
            counts.setdefault(file_name, {})[code] = rows
    return counts


def quarantine_counts() -> dict[str, dict[str, int]]:
    """``{"<format>/<file>": {reason code: rows}}`` over everything quarantined
    now. A row with several problems counts once under each of its codes."""
    return counts_by_file(
        """
        select file_format || '/' || source_file, code, count(*)
        from staging.stg_quarantine, unnest(reason_codes) as code
        group by 1, code
        order by 1, code
        """
    )


WARNINGS_MODEL = "intermediate.int_data_quality_warnings"


def warnings_built() -> bool:
    """Whether the warnings model exists (not before the first build)."""
    with connection.cursor() as cursor:
        cursor.execute("select to_regclass(%s) is not null", [WARNINGS_MODEL])
        return cursor.fetchone()[0]


def warning_counts() -> dict[str, dict[str, int]]:
    """``{"<format>/<entity>": {warning code: rows}}`` over the valid rows
    that look wrong (empty when the warnings model is not built yet)."""
    if not warnings_built():
        return {}
    return counts_by_file(
        f"""
        select source_format || '/' || entity, warning_code, count(*)
        from {WARNINGS_MODEL}
        group by 1, warning_code
        order by 1, warning_code
        """
    )


def latest_warnings(limit: int = 100) -> list[dict]:
    """Up to ``limit`` warnings (``file``, ``record_id``, ``lead_id``,
    ``code``, ``warning``), by file, code and record id."""
    if not warnings_built():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            select source_format || '/' || entity, record_id, lead_id, warning_code, warning
            from {WARNINGS_MODEL}
            order by 1, warning_code, record_id
            limit %s
            """,
            [limit],
        )
        names = ("file", "record_id", "lead_id", "code", "warning")
        return [dict(zip(names, row)) for row in cursor.fetchall()]


def quarantine_jumps(before: dict[str, dict[str, int]], now: dict[str, dict[str, int]]) -> list[dict]:
    """The (file, code) counts that more than doubled and grew by more than
    :data:`JUMP_MIN_ROWS` rows: ``{"file", "code", "before", "now"}`` each."""
    # Runs recorded before the native format keyed seed files by bare name.
    before = {name if "/" in name else f"seed/{name}": codes for name, codes in before.items()}
    jumps = []
    for file_name, codes in now.items():
        for code, rows in codes.items():
            previous = before.get(file_name, {}).get(code, 0)
            if rows > 2 * previous and rows - previous > JUMP_MIN_ROWS:
                jumps.append({"file": file_name, "code": code, "before": previous, "now": rows})
    return jumps


def record_quality(run: PipelineRun) -> None:
    """Store the quarantine counts on ``run`` and the jumps against the last
    successful run before it (saved by the caller)."""
    previous = (
        PipelineRun.objects.filter(status=PipelineRun.Status.SUCCEEDED, pk__lt=run.pk).order_by("-pk").first()
    )
    run.quarantine_counts = quarantine_counts()
    run.quarantine_jumps = quarantine_jumps(previous.quarantine_counts if previous else {}, run.quarantine_counts)
