"""Run dbt in a subprocess against Django's database.

dbt documents that concurrent invocations in one Python process are
unsupported, so every call is its own process, with its own target and log
directory under ``CCI_STATE_DIR/dbt_runs/`` (the newest 20 are kept). Results
are read from dbt's ``run_results.json`` and ``manifest.json``.

Parsing the project takes dbt several seconds per call. Its partial-parsing
file (``partial_parse.msgpack``) is kept per project and database under
``CCI_STATE_DIR/dbt_parse_cache/`` and handed to the next call: dbt itself
checks it (project files, dbt version, variables, environment variables read
by the project, profile) and parses anew whatever changed.
"""

import contextlib
import ctypes
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection

MODEL_TYPES = ("model", "seed", "snapshot")
TEST_TYPES = ("test", "unit_test")
KEPT_RUN_DIRECTORIES = 20
PARTIAL_PARSE_FILE = "partial_parse.msgpack"
KEPT_PARSE_FILES = 20
PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass
class NodeResult:
    """One node of a dbt invocation (see ``PipelineNodeResult`` for the fields)."""

    unique_id: str
    resource_type: str
    name: str
    status: str
    severity: str
    execution_seconds: float | None
    rows_affected: int | None
    failures: int | None
    message: str


@dataclass
class DbtResult:
    """Outcome of one dbt invocation.

    ``success`` is true only when dbt exited 0 (no model error and no failing
    test of severity error). ``nodes`` lists every node dbt reported;
    ``log_tail`` the last lines dbt printed (the only evidence when dbt failed
    before running anything, e.g. a compilation error); ``target`` the
    directory holding this invocation's artifacts.
    """

    success: bool
    nodes: list[NodeResult] = field(default_factory=list)
    log_tail: str = ""
    target: Path | None = None

    def count(self, resource_types: tuple[str, ...], statuses: tuple[str, ...]) -> int:
        """Number of nodes of ``resource_types`` whose status is in ``statuses``."""
        return sum(1 for n in self.nodes if n.resource_type in resource_types and n.status in statuses)


def dbt_environment() -> dict[str, str]:
    """Environment for dbt: the ``CCI_DB_*`` variables read by
    ``dbt/profiles.yml``, from Django's default database settings."""
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        CCI_DB_HOST=db["HOST"] or "127.0.0.1",
        CCI_DB_PORT=str(db["PORT"] or 5432),
        CCI_DB_USER=db["USER"] or "postgres",
        CCI_DB_PASSWORD=db["PASSWORD"] or "",
        CCI_DB_NAME=db["NAME"],
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        DBT_USE_COLORS="false",
        DBT_PRINTER_WIDTH="100",
    )
    return env


def dbt_executable() -> str:
    """The ``dbt`` script installed beside the running Python."""
    return str(Path(sys.executable).with_name("dbt"))


def run_dbt(args: list[str], on_line: Callable[[str], None] | None = None) -> DbtResult:
    """Run ``dbt <args>`` on CCI's project and return its :class:`DbtResult`.

    ``on_line`` receives each line dbt prints, as it prints it. Never raises
    for a failing build: a failure is a result with ``success`` false.
    """
    project_dir = Path(settings.CCI_DBT_PROJECT_DIR)
    runs_root = Path(settings.CCI_STATE_DIR) / "dbt_runs"
    prune_run_directories(runs_root)
    run_dir = runs_root / f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    (run_dir / "target").mkdir(parents=True)
    cached_parse = parse_cache_file(project_dir)
    with contextlib.suppress(FileNotFoundError):  # none yet, or pruned by another call meanwhile
        shutil.copyfile(cached_parse, run_dir / "target" / PARTIAL_PARSE_FILE)
    command = [
        dbt_executable(),
        *args,
        "--project-dir", str(project_dir),
        "--profiles-dir", str(project_dir),
        "--target-path", str(run_dir / "target"),
        "--log-path", str(run_dir / "logs"),
    ]
    lines: list[str] = []
    with subprocess.Popen(
        command, env=dbt_environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        preexec_fn=die_with_parent,
    ) as process:
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if on_line:
                on_line(lines[-1])
    keep_parse(run_dir / "target" / PARTIAL_PARSE_FILE, cached_parse)
    return DbtResult(
        success=process.returncode == 0,
        nodes=read_node_results(run_dir / "target"),
        log_tail="\n".join(lines[-40:]),
        target=run_dir / "target",
    )


def parse_cache_file(project_dir: Path) -> Path:
    """Where the partial-parsing file of ``project_dir`` on Django's database
    is kept (dbt refuses a file made for another profile, so one per database)."""
    db = connection.settings_dict
    key = json.dumps([str(project_dir.resolve()), db["HOST"], str(db["PORT"]), db["USER"], db["NAME"]])
    return Path(settings.CCI_STATE_DIR) / "dbt_parse_cache" / f"{hashlib.sha256(key.encode()).hexdigest()[:20]}.msgpack"


def keep_parse(produced: Path, cached: Path) -> None:
    """Replace ``cached`` by the partial-parsing file dbt just wrote, if it
    wrote one (atomically: concurrent calls each leave a whole file); keep the
    newest :data:`KEPT_PARSE_FILES` databases' files (about 1 MB each)."""
    if not produced.is_file():
        return
    cached.parent.mkdir(parents=True, exist_ok=True)
    incoming = cached.with_name(f"{cached.name}.{uuid.uuid4().hex[:8]}")
    shutil.copyfile(produced, incoming)
    os.replace(incoming, cached)
    kept = sorted(cached.parent.glob("*.msgpack"), key=lambda path: path.stat().st_mtime, reverse=True)
    for old in kept[KEPT_PARSE_FILES:]:
        old.unlink(missing_ok=True)


def die_with_parent() -> None:
    """In the dbt child: ask Linux to SIGKILL it when its parent dies, so a
    killed worker never leaves a dbt build running on its own (which would
    race the next run's build). No-op where ``prctl`` is unavailable."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def prune_run_directories(runs_root: Path) -> None:
    """Keep only the newest ``KEPT_RUN_DIRECTORIES`` dbt run directories."""
    if not runs_root.is_dir():
        return
    for old in sorted(runs_root.iterdir(), reverse=True)[KEPT_RUN_DIRECTORIES:]:
        shutil.rmtree(old, ignore_errors=True)


def read_node_results(target: Path) -> list[NodeResult]:
    """Nodes of ``target/run_results.json``, named and typed from
    ``manifest.json`` (both absent when dbt failed before running anything)."""
    results_path = target / "run_results.json"
    if not results_path.exists():
        return []
    manifest_path = target / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    described = {**manifest.get("nodes", {}), **manifest.get("unit_tests", {})}
    nodes = []
    for result in json.loads(results_path.read_text())["results"]:
        node = described.get(result["unique_id"], {})
        resource_type = node.get("resource_type") or result["unique_id"].split(".", 1)[0]
        nodes.append(
            NodeResult(
                unique_id=result["unique_id"],
                resource_type=resource_type,
                name=node.get("name") or result["unique_id"].rsplit(".", 1)[-1],
                status=result["status"],
                severity=str((node.get("config") or {}).get("severity") or "").lower(),
                execution_seconds=result.get("execution_time"),
                rows_affected=(result.get("adapter_response") or {}).get("rows_affected"),
                failures=result.get("failures"),
                message=(result.get("message") or "")[:4000],
            )
        )
    return nodes


NEVER_LOADED = "0001-01-01"


def read_stale_sources(target: Path) -> list[dict]:
    """Sources that ``dbt source freshness`` did not pass, from ``target/sources.json``:
    ``{"source", "status", "max_loaded_at", "age_hours"}`` each (``age_hours`` null
    when the source could not be checked). A source never loaded (dbt reports an
    empty table as loaded at 0001-01-01) belongs to a format the customer does
    not send: it is not stale."""
    path = target / "sources.json"
    if not path.exists():
        return []
    stale = []
    for result in json.loads(path.read_text())["results"]:
        if result["status"] == "pass" or str(result.get("max_loaded_at")).startswith(NEVER_LOADED):
            continue
        age = result.get("max_loaded_at_time_ago_in_s")
        stale.append({
            "source": result["unique_id"].split(".", 2)[-1],
            "status": result["status"],
            "max_loaded_at": result.get("max_loaded_at"),
            "age_hours": round(age / 3600, 1) if age is not None else None,
        })
    return stale
