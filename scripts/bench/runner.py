"""The benchmark's runs.

A run is one fresh database (``cci_bench_<pid>_<n>``, migrated by
``manage.py migrate``) and one generated dataset; each step is a subprocess
measured by :func:`bench.process.run_command` under ``--step-timeout``.
A step that depends on one that did not finish is skipped, and says so.
"""

import argparse
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .datasets import append_skewed_lead, count_rows, header_of, write_increment
from .output import PIPELINE_PHASES, copied_rows, dbt_overhead, largest, node_seconds, pipeline_phases
from .postgres import Backends, BenchDatabase
from .process import Outcome, run_command
from .report import StepResult
from .sources import source_fingerprint

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
NAIVE_NAME = "naive floor: views + create table as (fixed offsets; not a correct result)"
SLOWEST_NODES = 6
BUSIEST_QUERIES = 5
PROFILED_STEP_SECONDS = 5.0


@dataclass(frozen=True)
class Plan:
    """One run. ``complete``: every step; otherwise only migrate, generate,
    load_raw and the full build (the control run without the skewed lead)."""

    label: str
    file_format: str
    skew: int
    complete: bool


@dataclass(frozen=True)
class Context:
    """What every run shares: the parsed options, the server's URL, the
    directory for data and logs, and whether the server's backends are local."""

    args: argparse.Namespace
    argv: list[str]
    server_url: str
    work_dir: Path
    local_server: bool
    source: str  # source_version() when the benchmark started
    fingerprint: str  # source_fingerprint() when the benchmark started


def python_command(*args: str) -> list[str]:
    """``python manage.py <args>`` with this interpreter."""
    return [sys.executable, str(ROOT / "manage.py"), *args]


def psql_command(url: str, script: Path) -> list[str]:
    return ["psql", "-X", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", str(script)]


class Run:
    """One plan's steps on its own fresh database; ``steps`` by key, in order."""

    def __init__(self, plan: Plan, context: Context, index: int):
        self.plan = plan
        self.context = context
        self.timeout = context.args.step_timeout
        self.db = BenchDatabase(context.server_url, f"cci_bench_{os.getpid()}_{index}")
        self.data_dir = context.work_dir / f"run{index}-{plan.label.replace(' ', '-')}"
        self.export = self.data_dir / "export"
        self.logs = context.work_dir / "logs"
        self.steps: dict[str, StepResult] = {}
        self.outcomes: dict[str, Outcome] = {}
        self.nodes: dict[str, dict[str, float]] = {}  # step key -> dbt node -> seconds
        self.details: list[str] = []
        self.attempts = 0
        self.sizes: list[str] = []
        self.sync_phase: StepResult | None = None

    def env(self) -> dict[str, str]:
        env = dict(os.environ, DATABASE_URL=self.db.url, PYTHONUNBUFFERED="1")
        env.setdefault("DJANGO_SETTINGS_MODULE", "cci_site.settings.dev")
        return env

    def missing(self, needs: tuple[str, ...]) -> str:
        """Why a step that needs the steps ``needs`` cannot run ('' if it can)."""
        for key in needs:
            if key not in self.steps or not self.steps[key].finished:
                return f"skipped: needs '{self.steps[key].name if key in self.steps else key}', which did not finish"
        return ""

    def record(self, key: str, result: StepResult) -> StepResult:
        self.steps[key] = result
        unit = " s" if result.wall_s is not None and not result.timed_out else ""
        shown = result.skipped or f"{result.wall_text()}{unit}"
        print(f"[{self.plan.label}] {result.name}: {shown} {result.rows}", file=sys.stderr, flush=True)
        return result

    def skip(self, key: str, name: str, reason: str) -> StepResult:
        return self.record(key, StepResult(name, skipped=reason))

    def command(self, key: str, name: str, argv: list[str], needs: tuple[str, ...] = (),
                rows: Callable[[Outcome], str] | None = None) -> StepResult:
        """Run ``argv`` as step ``key`` (module docstring), with the server backends' memory."""
        if reason := self.missing(needs):
            return self.skip(key, name, reason)
        fingerprint = source_fingerprint()
        backends = Backends(self.db, self.context.local_server)
        temp_before = self.db.temp_bytes()
        running: list[str] = []
        log = self.logs / f"{self.data_dir.name}-{key}.log"
        try:
            outcome = run_command(argv, self.env(), self.timeout, log, [backends.sample],
                                  on_timeout=lambda: running.extend(self.db.running_nodes()))
        finally:
            backends.close()
        self.outcomes[key] = outcome
        if outcome.timed_out:
            self.db.terminate_backends()
        result = StepResult(name, wall_s=outcome.wall_s, limit_s=self.timeout, finished=outcome.succeeded,
                            timed_out=outcome.timed_out, rss_mib=outcome.max_rss_mib,
                            processes=outcome.tree.by_label(), tree_sum_mib=outcome.tree.peak_sum_mib,
                            pg_hwm_mib=backends.peak_hwm_mib, pg_private_mib=backends.peak_private_mib,
                            pg_backends=len(backends.backends_seen), source=fingerprint)
        if running:
            result.notes.append("running at the time limit: " + ", ".join(running))
        if fingerprint != self.context.fingerprint:
            result.notes.append(f"the checkout's sources changed since the benchmark started (now {fingerprint})")
        if not outcome.timed_out and outcome.returncode != 0:
            result.failed = f"exit {outcome.returncode} (log {log}): {outcome.tail(3)}"
        temp = self.db.temp_bytes() - temp_before
        if temp >= 2**20:
            result.notes.append(f"temp files {temp / 2**20:,.0f} MiB")
        if result.finished and rows:
            result.rows = rows(outcome)
        if outcome.wall_s >= PROFILED_STEP_SECONDS and backends.active_seconds:
            self.details.append(f"{self.plan.label} · {name}: database time by query (sampled): "
                                f"{largest(backends.active_seconds, BUSIEST_QUERIES)}")
        return self.record(key, result)

    def in_process(self, key: str, name: str, action: Callable[[], str], needs: tuple[str, ...] = ()) -> StepResult:
        """Time ``action`` (which returns the rows text) in the benchmark's own process."""
        if reason := self.missing(needs):
            return self.skip(key, name, reason)
        started = time.perf_counter()
        rows = action()
        return self.record(key, StepResult(name, wall_s=time.perf_counter() - started, finished=True, rows=rows,
                                           in_process=True, source=source_fingerprint()))

    # The steps, in the order they run.

    def migrate(self) -> None:
        self.command("migrate", "migrate (fresh database)", python_command("migrate", "--no-input", "-v", "0"))

    def generate(self) -> None:
        plan, args = self.plan, self.context.args
        name = f"generate ({plan.file_format}, {args.leads:,} leads, seed {args.seed})"
        skew_notes: list[str] = []
        result = self.command("generate", name, python_command(
            "generate_synthetic", "--out", str(self.export), "--format", plan.file_format,
            "--leads", str(args.leads), "--seed", str(args.seed), "--clean"), rows=lambda _: self.add_skew(skew_notes))
        if result.finished:
            result.notes += [f"{args.leads / result.wall_s:,.0f} leads/s", *skew_notes]

    def add_skew(self, notes: list[str]) -> str:
        """Append the skewed lead (if any) to the generated files; return the rows text."""
        if self.plan.skew:
            started = time.perf_counter()
            added = append_skewed_lead(self.export, self.plan.file_format, self.plan.skew)
            notes.append(f"+ one skewed lead with {added:,} attempts in July 2025, appended by the "
                         f"benchmark in {time.perf_counter() - started:.1f} s (not in wall s)")
        self.attempts = count_rows(self.export / "contact_attempts.csv")
        return f"{self.attempts:,} attempts, {count_rows(self.export / 'leads.csv'):,} leads"

    def copy_floor(self) -> None:
        """psql ``\\copy`` of every file into plain text tables (the load floor); dropped afterwards."""
        script = self.data_dir / "copy_floor.sql"
        lines = ["create schema bench_floor;"]
        for path in sorted(self.export.glob("*.csv")):
            columns = ", ".join(f'"{column}" text' for column in header_of(path))
            lines += [f'create table bench_floor."{path.stem}" ({columns});',
                      f"\\copy bench_floor.\"{path.stem}\" from '{path}' with (format csv, header true)"]
        script.write_text("\n".join(lines) + "\n")
        self.command("copy", "psql \\copy of the same files (load floor)", psql_command(self.db.url, script),
                     needs=("generate",), rows=lambda outcome: f"{copied_rows(outcome):,} rows")
        self.db.execute("drop schema if exists bench_floor cascade")

    def load(self, key: str, name: str, directory: Path, needs: tuple[str, ...]) -> None:
        table = f"raw.{self.plan.file_format}_contact_attempts"
        self.command(key, name, python_command("load_raw", "--format", self.plan.file_format, str(directory)),
                     needs=needs, rows=lambda _: f"{self.db.count(table):,} raw attempts")

    def naive(self) -> None:
        if self.plan.file_format != "seed":
            self.skip("naive", NAIVE_NAME, "skipped: written for the seed format (the native ratio is native/seed)")
            return
        self.command("naive", NAIVE_NAME, psql_command(self.db.url, HERE / "naive.sql"), needs=("load",),
                     rows=lambda _: f"{self.db.count('naive.naive_mart'):,} naive mart rows")
        self.db.execute("drop schema if exists naive cascade")

    def pipeline(self, key: str, name: str, needs: tuple[str, ...]) -> StepResult:
        """``manage.py run_pipeline``; its phases in the note, its slowest dbt nodes in the details."""
        result = self.command(key, name, python_command("run_pipeline"), needs=needs,
                              rows=lambda _: self.mart_and_cases())
        outcome = self.outcomes.get(key)
        if outcome is None:
            return result
        phases = pipeline_phases(outcome)
        result.notes.insert(0, " · ".join(f"{phase} {seconds:.1f} s" for phase, seconds in phases))
        self.nodes[key] = node_seconds(outcome)
        self.details.append(f"{self.plan.label} · {name}: {dbt_overhead(outcome, dict(phases))}slowest dbt nodes "
                            f"(of those that finished): {largest(self.nodes[key], SLOWEST_NODES)}")
        if key == "full" and result.finished:
            self.sync_phase = next((StepResult(phase, wall_s=seconds, finished=True, source=result.source)
                                    for phase, seconds in phases if phase == PIPELINE_PHASES[2][0]), None)
        return result

    def mart_and_cases(self) -> str:
        mart = self.db.count("analytics.mart_compliance_risk") or 0
        return f"{mart:,} mart rows, {self.db.count('compliance_case'):,} cases"

    def case_floor(self) -> None:
        self.command("case_floor", "plain insert … select of the mart into a copy of compliance_case "
                     "(case sync floor)", psql_command(self.db.url, HERE / "case_floor.sql"), needs=("full",),
                     rows=lambda _: f"{self.db.count('bench_floor_cases.compliance_case'):,} rows")
        self.db.execute("drop schema if exists bench_floor_cases cascade")

    def increment(self) -> None:
        increment = self.data_dir / "increment"

        def write() -> str:
            counts = write_increment(self.export, increment, self.plan.file_format, self.context.args.seed)
            return ", ".join(f"{name.removesuffix('.csv')} {count:,}" for name, count in counts.items() if count)

        self.in_process("inc_write", "write the nightly increment", write, needs=("full",))
        self.load("inc_load", "load_raw of the increment", increment, needs=("inc_write",))
        self.pipeline("inc_run", "run_pipeline, incremental (after the increment)", needs=("inc_load",))

    def execute(self) -> None:
        """Every step of the plan, then the database's size; drops the database unless --keep-db."""
        self.db.create()
        try:
            self.migrate()
            self.generate()
            if self.plan.complete:
                self.copy_floor()
            self.load("load", "load_raw (COPY; no dbt)", self.export, needs=("migrate", "generate"))
            if self.context.args.only == "load":
                return
            if self.plan.complete:
                self.naive()
            self.pipeline("full", "run_pipeline, full (dbt build + every test, publish, case sync, views)",
                          needs=("load",))
            self.sizes.append(f"{self.db.size_mib():,.0f} MiB after the full build")
            if self.plan.complete:
                self.case_floor()
                self.pipeline("nothing", "run_pipeline, nothing new", needs=("full",))
                if self.context.args.incremental:
                    self.increment()
                self.sizes.append(f"{self.db.size_mib():,.0f} MiB at the end")
        finally:
            self.finish()

    def finish(self) -> None:
        """Drop the database (unless --keep-db) and the generated files (unless --work-dir was given)."""
        if self.context.args.keep_db:
            print(f"[{self.plan.label}] kept database {self.db.name}", file=sys.stderr)
        else:
            self.db.drop()
        if not self.context.args.work_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def table_steps(self, prefixed: bool) -> list[StepResult]:
        """The steps as table rows, and the database's size as a last row."""
        steps = list(self.steps.values()) + [StepResult("database size on disk (pg_database_size)",
                                                        rows="; ".join(self.sizes))]
        if prefixed:
            for step in steps:
                step.name = f"{self.plan.label} · {step.name}"
        return steps
