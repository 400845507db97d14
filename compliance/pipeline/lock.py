"""One dbt build per database at a time.

A PostgreSQL session-level advisory lock: held by this process's database
session while dbt runs, released at the end, and released by the server if
the process dies (its session ends), so a killed worker never leaves it stuck.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

# Arbitrary, fixed key shared by every CCI process on the database.
PIPELINE_LOCK_KEY = 0x434349_0001


class PipelineBusy(Exception):
    """Another pipeline run (or load) is building in this database right now."""


@contextmanager
def pipeline_lock(wait: bool) -> Iterator[None]:
    """Hold the pipeline lock for the block. With ``wait`` false, raise
    :class:`PipelineBusy` at once if another process holds it."""
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("select pg_advisory_lock(%s)", [PIPELINE_LOCK_KEY])
        else:
            cursor.execute("select pg_try_advisory_lock(%s)", [PIPELINE_LOCK_KEY])
            if not cursor.fetchone()[0]:
                raise PipelineBusy("Another pipeline run is in progress in this database.")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("select pg_advisory_unlock(%s)", [PIPELINE_LOCK_KEY])
