"""Run dbt in a subprocess against Django's database.

dbt documents that concurrent invocations in one Python process are
unsupported, so every call is its own process, with its own target and log
directory under ``CCI_STATE_DIR/dbt_runs/`` (the newest 20 are kept). Results are read from dbt's
``run_results.json``.
"""

import json
import os
import shutil
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
KEPT_RUN_DIRECTORIES = 20
TEST_TYPES = ("test", "unit_test")


@dataclass
class DbtResult:
    """Outcome of one dbt invocation.

    ``success`` is true only when dbt exited 0 (no model error and no failing
    test). ``failed_nodes`` lists ``{"node", "status", "message"}`` per failed
    or erroring node; ``log_tail`` the last lines dbt printed.
    """

    success: bool
    models_passed: int = 0
    models_failed: int = 0
    tests_passed: int = 0
    tests_failed: int = 0
    skipped: int = 0
    failed_nodes: list[dict] = field(default_factory=list)
    log_tail: str = ""


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
    run_dir.mkdir(parents=True)
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
        command, env=dbt_environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if on_line:
                on_line(lines[-1])
    result = parse_run_results(run_dir / "target" / "run_results.json")
    result.success = process.returncode == 0
    result.log_tail = "\n".join(lines[-40:])
    if not result.success and not result.failed_nodes:
        result.failed_nodes.append({"node": "dbt", "status": "error", "message": result.log_tail[-2000:]})
    return result


def prune_run_directories(runs_root: Path) -> None:
    """Keep only the newest ``KEPT_RUN_DIRECTORIES`` dbt run directories."""
    if not runs_root.is_dir():
        return
    for old in sorted(runs_root.iterdir(), reverse=True)[KEPT_RUN_DIRECTORIES:]:
        shutil.rmtree(old, ignore_errors=True)


def parse_run_results(path: Path) -> DbtResult:
    """Count passed and failed models and tests in a ``run_results.json``
    (absent when dbt failed before running anything: all counts zero)."""
    result = DbtResult(success=False)
    if not path.exists():
        return result
    for node in json.loads(path.read_text())["results"]:
        resource_type = node["unique_id"].split(".", 1)[0]
        status = node["status"]
        if status == "skipped":
            result.skipped += 1
        elif resource_type in MODEL_TYPES:
            if status == "success":
                result.models_passed += 1
            else:
                result.models_failed += 1
        elif resource_type in TEST_TYPES:
            if status in ("pass", "warn"):
                result.tests_passed += 1
            else:
                result.tests_failed += 1
        if status in ("error", "fail", "runtime error"):
            result.failed_nodes.append(
                {"node": node["unique_id"], "status": status, "message": (node.get("message") or "")[:2000]}
            )
    return result
