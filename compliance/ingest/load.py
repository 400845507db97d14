"""Load an export directory into the ``raw`` schema with COPY.

Rows are kept as received (text). A row's key is the SHA-256 of its values,
so loading the same directory twice adds no rows; it only records that the
rows were seen again (``_seen_load_id``), which makes them the current
version again for staging. A record with the wrong number of fields, that
spans several lines, with a field over :data:`.reading.FIELD_LIMIT`
characters, a NUL byte or bytes that are not UTF-8 is still loaded, with
``_parse_error`` set (bad bytes written as ``\\xNN``), and staging
quarantines it. JSON Lines files (native format) are read the same way: a
line that is not a JSON object, or has a field the contract does not know, is
kept with ``_parse_error`` set. A reason quotes at most
:data:`.reading.QUOTE_LIMIT` characters of what was received; text it cuts
that no column holds is kept whole in ``raw.received_text``. Files are opened
without following symbolic links. The whole directory loads in one
transaction: either every file is loaded or none.

The steps: the directory's files are checked (:mod:`.files`), then each is
stored (:mod:`.store`): a plain CSV (the usual export) is parsed and hashed
by PostgreSQL (:mod:`.plain_csv`); any other file is read record by record
in Python (:mod:`.reading`, :mod:`.csv_records`, :mod:`.jsonl_records`).
Loading only loads: no dbt runs here. Typing, quarantine and the per-file
balance (read = staged + superseded + quarantined) are the next pipeline run's
(:func:`compliance.pipeline.data_quality.judge_pending_loads`).
"""

from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from compliance.ingest.files import check_directory
from compliance.ingest.formats import FORMATS, LOAD_ROWS_SQL, RECEIVED_TEXT_SQL, create_table_sql
from compliance.ingest.store import FileCounts, copy_file
from compliance.models import RawLoad, RawLoadFile

# Memory of each sort while storing a file's rows (one per file at a time):
# a file's rows are sorted by row hash in memory up to this size, on disk beyond.
LOAD_WORK_MEM = "256MB"


def ensure_raw_tables() -> None:
    """Create the ``raw`` schema and every format's tables if missing (dbt's
    sources name them all, whichever format a customer sends),
    ``raw.received_text`` and ``raw.load_rows``."""
    with connection.cursor() as cursor:
        cursor.execute("create schema if not exists raw")
        for specs in FORMATS.values():
            for spec in specs:
                cursor.execute(create_table_sql(spec))
        cursor.execute(RECEIVED_TEXT_SQL)
        cursor.execute(LOAD_ROWS_SQL)


def load_directory(directory: Path, file_format: str = "seed") -> tuple[RawLoad, list[FileCounts]]:
    """Load every file of ``file_format`` from ``directory`` into ``raw``.

    Returns the :class:`RawLoad` record and per-file counts in ``raw``, which
    are also stored (:class:`RawLoadFile`, pending staging's verdict).
    Raises :class:`~.reading.RawLoadError`, having loaded nothing, if a file
    is missing, a symbolic link, unreadable, has a wrong header or a line or
    CSV field over :data:`~.reading.READ_LIMIT` characters.
    """
    files = check_directory(directory, file_format)
    ensure_raw_tables()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"set local work_mem = '{LOAD_WORK_MEM}'")
            # A hashed group would come out unsorted and spill: store.store_rows groups by sorting.
            cursor.execute("set local enable_hashagg = off")
        load = RawLoad.objects.create(source_dir=str(directory.resolve()), file_format=file_format)
        counts = [copy_file(path, spec, load.pk) for spec, path in files]
        record_counts(load, counts)
        load.finished_at = timezone.now()
        load.save(update_fields=["finished_at"])
    return load, counts


def record_counts(load: RawLoad, counts: list[FileCounts]) -> None:
    """Store the per-file counts of a load (one :class:`RawLoadFile` each,
    pending until a pipeline run judges its rows)."""
    RawLoadFile.objects.bulk_create(
        RawLoadFile(
            load=load,
            file_name=c.file_name,
            rows_read=c.rows_read,
            rows_new=c.rows_new,
            rows_already_loaded=c.rows_already_loaded,
            rows_repeated=c.rows_repeated,
        )
        for c in counts
    )
