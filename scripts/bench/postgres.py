"""The benchmark's fresh database, and the memory of the server backends serving it.

The database is created and dropped through the ``postgres`` database of the
server named by ``DATABASE_URL``. Backend memory is read from
``/proc/<pid>/status`` of the pids ``pg_stat_activity`` lists for the
database (client backends and parallel workers; autovacuum left out), so it
is available only when the server runs on this machine ("n/a" otherwise).
"""

import re
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg

from .process import read_status

NODE_ID = re.compile(r'"node_id": "([^"]+)"')
# Not what a query is: a leading comment (dbt's, without a node), and the
# context django-pghistory prepends to each statement in a pghistory.context().
PREFIXES = re.compile(r"^(\s*/\*.*?\*/|\s*select set_config\('pghistory\.[^;]*;)+", re.DOTALL | re.IGNORECASE)
MIB = 2**20

BACKENDS = """
select pid, state, query from pg_stat_activity
where datname = %s and backend_type in ('client backend', 'parallel worker') and pid <> pg_backend_pid()
"""
QUERY_KEY_LENGTH = 70


def query_key(query: str) -> str:
    """What a query is, for adding up where a step's time went: the dbt node
    (from dbt's query comment), else the query's first characters after
    :data:`PREFIXES`."""
    node = NODE_ID.search(query or "")
    if node:
        return node.group(1)
    return " ".join(PREFIXES.sub("", query or "").split())[:QUERY_KEY_LENGTH]


def with_database(url: str, name: str) -> str:
    """``url`` with its database (path) replaced by ``name``."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


class BenchDatabase:
    """One run's database ``name`` on the server of ``server_url``."""

    def __init__(self, server_url: str, name: str):
        self.name = name
        self.url = with_database(server_url, name)
        self.admin_url = with_database(server_url, "postgres")

    def admin(self) -> psycopg.Connection:
        """A connection to the server's ``postgres`` database (autocommit)."""
        return psycopg.connect(self.admin_url, autocommit=True)

    def create(self) -> None:
        with self.admin() as connection:
            connection.execute(f'create database "{self.name}"')

    def drop(self) -> None:
        """Drop the database, ending any session still on it."""
        with self.admin() as connection:
            connection.execute(f'drop database if exists "{self.name}" with (force)')

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows of ``sql`` run on the benchmark database."""
        with psycopg.connect(self.url, autocommit=True) as connection:
            return connection.execute(sql, params).fetchall()

    def execute(self, sql: str) -> None:
        """Run a statement that returns no rows on the benchmark database."""
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(sql)

    def scalar(self, sql: str, params: tuple = ()):
        return self.query(sql, params)[0][0]

    def count(self, relation: str) -> int | None:
        """Rows in ``relation``, or None if it does not exist."""
        if self.scalar("select to_regclass(%s)", (relation,)) is None:
            return None
        return self.scalar(f"select count(*) from {relation}")

    def size_mib(self) -> float:
        """``pg_database_size``, MiB."""
        return self.scalar("select pg_database_size(current_database())") / MIB

    def temp_bytes(self) -> int:
        """Bytes written to temporary files by queries on this database so far (``pg_stat_database``)."""
        with self.admin() as connection:
            row = connection.execute("select temp_bytes from pg_stat_database where datname = %s",
                                     (self.name,)).fetchone()
        return row[0] if row else 0

    def running_nodes(self) -> list[str]:
        """What the database's active sessions are running: the dbt node (from dbt's
        query comment) or the query's start, with how long it has run, in seconds."""
        with self.admin() as connection:
            rows = connection.execute(
                "select query, extract(epoch from now() - query_start) from pg_stat_activity "
                "where datname = %s and state = 'active' and pid <> pg_backend_pid()", (self.name,)
            ).fetchall()
        return [f"{query_key(query)} (running for {float(seconds):.0f} s)" for query, seconds in rows]

    def terminate_backends(self) -> None:
        """End every session on the database: a killed client's query would otherwise run on."""
        with self.admin() as connection:
            connection.execute("select pg_terminate_backend(pid) from pg_stat_activity "
                               "where datname = %s and pid <> pg_backend_pid()", (self.name,))

    def server_is_local(self) -> bool:
        """Whether the server's backends are processes of this machine (our own
        backend's pid is a local ``postgres`` process)."""
        with self.admin() as connection:
            pid = connection.execute("select pg_backend_pid()").fetchone()[0]
        try:
            with open(f"/proc/{pid}/comm") as handle:
                return handle.read().strip().startswith("postgres")
        except OSError:
            return False


class Backends:
    """The server backends serving one database during one step, sampled
    (module docstring).

    Memory, MiB: ``peak_hwm_mib`` is the largest ``VmHWM`` of one backend (its
    peak RSS: private memory plus the shared buffers it touched, so up to
    ``shared_buffers`` of it is shared); ``peak_private_mib`` the peak of the
    summed ``RssAnon`` (private memory: sorts, hashes) of all of them at one
    sample. Both None when the server is not on this machine.
    ``backends_seen``: the pids sampled (none: the step used no backend, or
    ended before the first sample).

    Time, seconds: ``active_seconds`` adds, per query (:func:`query_key`), the
    time between samples during which a backend was seen running it: a
    sampling profile of where the database's time went (two backends at
    once count twice), available wherever the server is.
    """

    def __init__(self, database: BenchDatabase, local: bool):
        self.database = database
        self.local = local
        self.connection = database.admin()
        self.peak_hwm_mib: float | None = 0.0 if local else None
        self.peak_private_mib: float | None = 0.0 if local else None
        self.backends_seen: set[int] = set()
        self.active_seconds: dict[str, float] = {}
        self.last_sample = time.perf_counter()

    def sample(self) -> None:
        """Read each backend once."""
        now = time.perf_counter()
        elapsed, self.last_sample = now - self.last_sample, now
        try:
            rows = self.connection.execute(BACKENDS, (self.database.name,)).fetchall()
        except psycopg.Error:
            return
        for _, state, query in rows:
            if state == "active":
                key = query_key(query)
                self.active_seconds[key] = self.active_seconds.get(key, 0.0) + elapsed
        if self.local:
            self.read_memory([pid for pid, _, _ in rows])

    def read_memory(self, pids: list[int]) -> None:
        """Memory of the backends ``pids`` from ``/proc``."""
        self.backends_seen.update(pids)
        private_kib = 0
        for pid in pids:
            status = read_status(pid)
            self.peak_hwm_mib = max(self.peak_hwm_mib, status.get("VmHWM", 0) / 1024)
            private_kib += status.get("RssAnon", 0)
        self.peak_private_mib = max(self.peak_private_mib, private_kib / 1024)

    def busiest(self, count: int) -> list[tuple[str, float]]:
        """The ``count`` queries with the most sampled active time, seconds."""
        return sorted(self.active_seconds.items(), key=lambda item: -item[1])[:count]

    def close(self) -> None:
        self.connection.close()
