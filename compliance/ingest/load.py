"""Load an export directory into the ``raw`` schema with COPY.

Raw tables are append-only: a load appends every record it reads, as
received (text), under its ``_load_id``, with its file and first line; it
looks nothing up and computes nothing per row. Loading the same directory
twice appends its rows twice: which rows are identical (same file columns,
parse error and text as received) and which copy is current (the latest
load's, then the latest line) is staging's, in dbt's base models
(dbt/macros/raw_rows.sql), where the older copies are ``superseded``. A
record with the wrong number of fields, that spans several lines, with a
field over :data:`.reading.FIELD_LIMIT` characters, a NUL byte or bytes
that are not UTF-8 is still loaded, with ``_parse_error`` set (bad bytes
written as ``\\xNN``), and staging quarantines it. JSON Lines files (native
format) are read the same way: a line that is not a JSON object, or has a
field the contract does not know, is kept with ``_parse_error`` set. A
reason quotes at most :data:`.reading.QUOTE_LIMIT` characters of what was
received; text it cuts that no column holds is kept whole in the row's
``_received``. Files are opened without following symbolic links. The whole
directory loads in one transaction: either every file is loaded or none.

The steps: the directory's files are checked (:mod:`.files`), then each is
appended (:mod:`.store`): a plain CSV (the usual export) is COPYed straight
into its raw table by PostgreSQL (:mod:`.plain_csv`); any other file is read
record by record in Python (:mod:`.reading`, :mod:`.csv_records`,
:mod:`.jsonl_records`). Loading only loads: no dbt runs here. Typing,
quarantine and the per-file balance (read = staged + superseded +
quarantined) are the next pipeline run's
(:func:`compliance.pipeline.data_quality.judge_pending_loads`).
"""

from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from compliance.ingest.files import check_directory
from compliance.ingest.formats import (
    ALL_SPECS,
    CHANGES_SQL,
    LOAD_ID_SETTING,
    OBSOLETE_RAW_RELATIONS,
    RAW_TABLES,
    create_table_sql,
)
from compliance.ingest.reading import RawLoadError
from compliance.ingest.store import FileCounts, copy_file
from compliance.models import RawLoad, RawLoadFile


def ensure_raw_tables() -> None:
    """Create the ``raw`` schema, every format's tables (dbt's sources name
    them all, whichever format a customer sends) and their bookkeeping
    (:data:`~.formats.CHANGES_SQL`) if missing. Raises :class:`RawLoadError`,
    having changed nothing, if the schema was made by the row-hash keyed
    loader that came before append-only raw tables: its tables hold one row
    per distinct record, which the base models would read wrong. CCI had no
    deployment then, so such a schema is not migrated: drop it
    (``drop schema raw cascade``) and load the exports again."""
    with connection.cursor() as cursor:
        cursor.execute(
            "select coalesce(string_agg(r, ', '), '') from unnest(%s::text[]) as r where to_regclass(r) is not null",
            [list(OBSOLETE_RAW_RELATIONS)],
        )
        (obsolete,) = cursor.fetchone()
        if obsolete:
            raise RawLoadError(
                f"the raw schema was made by an older CCI (row-hash keyed raw tables; it has {obsolete}); "
                "raw tables are now append-only and are not migrated: drop it (drop schema raw cascade) "
                "and load the exports again"
            )
        cursor.execute("create schema if not exists raw")
        cursor.execute(CHANGES_SQL)
        for spec in ALL_SPECS:
            cursor.execute(create_table_sql(spec))


def load_directory(directory: Path, file_format: str = "seed") -> tuple[RawLoad, list[FileCounts]]:
    """Append every file of ``file_format`` from ``directory`` to ``raw``.

    Returns the :class:`RawLoad` record and per-file counts of what was read,
    which are also stored (:class:`RawLoadFile`, pending staging's verdict).
    Raises :class:`~.reading.RawLoadError`, having loaded nothing, if a file
    is missing, a symbolic link, unreadable, has a wrong header or a line or
    CSV field over :data:`~.reading.READ_LIMIT` characters, or the raw schema
    is obsolete (:func:`ensure_raw_tables`).
    """
    files = check_directory(directory, file_format)
    ensure_raw_tables()
    with transaction.atomic():
        load = RawLoad.objects.create(source_dir=str(directory.resolve()), file_format=file_format)
        with connection.cursor() as cursor:
            # One load at a time appends (readers go on): the line-number
            # sequence of the plain-CSV path is this load's alone.
            cursor.execute(f"lock table {', '.join(f'raw.{t}' for t in RAW_TABLES)} in share row exclusive mode")
            cursor.execute("select set_config(%s, %s, true)", [LOAD_ID_SETTING, str(load.pk)])
        counts = [copy_file(path, spec) for spec, path in files]
        RawLoadFile.objects.bulk_create(RawLoadFile(load=load, file_name=c.file_name, rows_read=c.rows_read)
                                        for c in counts)
        load.finished_at = timezone.now()
        load.save(update_fields=["finished_at"])
    return load, counts
