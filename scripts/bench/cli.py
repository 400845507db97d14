"""The command line (``scripts/benchmark.py`` is its entry point): which runs,
the ratios with their goals, and the report."""

import argparse
import os
import platform
import signal
import sys
import tempfile
import time
from pathlib import Path

from .output import largest
from .postgres import BenchDatabase
from .process import GNU_TIME
from .report import Ratio, ratios_table, seconds_figure, step_ratio, steps_table
from .runner import SLOWEST_NODES, Context, Plan, Run
from .sources import source_fingerprint, source_version


def plans(args: argparse.Namespace) -> list[Plan]:
    """The runs asked for: the main one, the other format (--compare-native), the control without the skewed lead."""
    def label(file_format: str, skew: int) -> str:
        return f"{file_format}+skew" if skew else file_format

    chosen = [Plan(label(args.format, args.skewed_attempts), args.format, args.skewed_attempts, True)]
    if args.compare_native:
        other = "native" if args.format == "seed" else "seed"
        chosen.append(Plan(label(other, args.skewed_attempts), other, args.skewed_attempts, True))
    if args.compare_skew:
        chosen.append(Plan(f"{args.format} without skew", args.format, 0, False))
    return chosen


def skew_ratio(runs: list[Run]) -> Ratio:
    """(full build with the skewed lead − without) / (full build without × skewed attempts / its attempts)."""
    ratio = Ratio("skewed lead's extra full-build time / time of as many ordinary attempts", "about 1x (≤ 2x)",
                  2, "x", missing="needs --skewed-attempts and --compare-skew")
    skewed = next((r for r in runs if r.plan.skew), None)
    control = next((r for r in runs if not r.plan.complete), None)
    if not skewed or not control:
        return ratio
    with_skew, without = skewed.steps.get("full"), control.steps.get("full")
    if not (without and without.finished and with_skew and with_skew.wall_s and not with_skew.failed):
        ratio.missing = "a full build did not finish"
        return ratio
    ordinary = without.wall_s * skewed.plan.skew / control.attempts
    ratio.value, ratio.missing = (with_skew.wall_s - without.wall_s) / ordinary, ""
    ratio.at_least = not with_skew.finished
    ratio.mixed_code = with_skew.source != without.source
    return ratio


def skew_details(runs: list[Run]) -> list[str]:
    """The dbt nodes the skewed lead slowed most (full build with it − without), seconds."""
    skewed = next((r for r in runs if r.plan.skew), None)
    control = next((r for r in runs if not r.plan.complete), None)
    if not skewed or not control or "full" not in skewed.nodes or "full" not in control.nodes:
        return []
    with_skew, without = skewed.nodes["full"], control.nodes["full"]
    growth = {node: seconds - without.get(node, 0.0) for node, seconds in with_skew.items()}
    return [f"skewed lead: dbt nodes slowed most (full build with it − without): {largest(growth, SLOWEST_NODES)}"]


def ratios(runs: list[Run]) -> list[Ratio]:
    """Every ratio the runs measured, with its goal."""
    main = runs[0].steps
    complete = {run.plan.file_format: run for run in runs if run.plan.complete}
    seed = complete.get("seed")
    found = [
        step_ratio("full pipeline / naive floor (build + materialize), seed", "≤ 6x", 6,
                   [seed.steps.get("full") if seed else None], [seed.steps.get("naive") if seed else None]),
        step_ratio("load_raw / psql \\copy of the same files", "≤ 3x", 3, [main.get("load")], [main.get("copy")]),
        step_ratio("incremental run_pipeline / full run_pipeline", "≤ 10%", 10,
                   [main.get("inc_run")], [main.get("full")], "%"),
        step_ratio("incremental load_raw + run_pipeline / full load_raw + run_pipeline", "≤ 10%", 10,
                   [main.get("inc_load"), main.get("inc_run")], [main.get("load"), main.get("full")], "%"),
        seconds_figure("run_pipeline with nothing new", "seconds (≤ 10 s)", 10, main.get("nothing")),
        step_ratio("case sync + publish + views phase / plain insert … select of the same rows", "≤ 2x", 2,
                   [runs[0].sync_phase], [main.get("case_floor")]),
    ]
    if "native" in complete and seed:
        found.append(step_ratio("native full pipeline / seed full pipeline", "≤ 1.5x", 1.5,
                                [complete["native"].steps.get("full")], [seed.steps.get("full")]))
    found.append(skew_ratio(runs))
    return found


def server_version(context: Context) -> str:
    db = BenchDatabase(context.server_url, "postgres")
    return db.scalar("show server_version") + f", shared_buffers {db.scalar('show shared_buffers')}, " \
        f"work_mem {db.scalar('show work_mem')}"


def changed_since(context: Context) -> str:
    now = source_fingerprint()
    return "" if now == context.fingerprint else f", changed during the run: now {now}, see the notes"


def report(runs: list[Run], context: Context) -> str:
    """The whole Markdown output: what was run, the table, the ratios, where the time went."""
    steps = [step for run in runs for step in run.table_steps(prefixed=len(runs) > 1)]
    memory = "from /proc (server on this machine)" if context.local_server else "n/a (server not on this machine)"
    lines = [
        f"Benchmark {time.strftime('%Y-%m-%d %H:%M')}: `scripts/benchmark.py {' '.join(context.argv)}` on "
        f"{context.source} (sources {context.fingerprint}{changed_since(context)}); "
        f"{os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, {platform.system()}; "
        f"PostgreSQL {server_version(context)}; RSS from {'/usr/bin/time -v' if GNU_TIME else 'os.wait4'}; "
        f"PG backend memory {memory}.",
        "", steps_table(steps), "", ratios_table(ratios(runs)),
    ]
    details = [detail for run in runs for detail in run.details] + skew_details(runs)
    if details:
        lines += ["", "Where the time goes:", "", *(f"- {detail}" for detail in details)]
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/benchmark.py",
        description="Generate a dataset, build it on a fresh database and print one Markdown table of every "
                    "step's wall time, rows and peak memory, then the ratios with their goals.")
    parser.add_argument("--leads", type=int, default=20000)
    parser.add_argument("--format", choices=["seed", "native"], default="seed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--step-timeout", type=float, default=1800, metavar="SECONDS",
                        help="Kill a step (and everything it started) after this many seconds (default 1800).")
    parser.add_argument("--skewed-attempts", type=int, default=0, metavar="N",
                        help="Append one lead with N attempts within one month (the scale goals use 20000).")
    parser.add_argument("--incremental", action="store_true",
                        help="After the full build, load a nightly increment and run the pipeline again.")
    parser.add_argument("--compare-native", action="store_true",
                        help="Also run the other format (its own database) for the native/seed ratio.")
    parser.add_argument("--compare-skew", action="store_true",
                        help="Also build the dataset without the skewed lead (its own database) to price the skew.")
    parser.add_argument("--only", choices=["load"],
                        help="Run only up to one step: 'load' migrates, generates, takes the psql \\copy floor and "
                             "runs load_raw, then stops (the load ratio only; no pipeline).")
    parser.add_argument("--keep-db", action="store_true", help="Keep the benchmark databases.")
    parser.add_argument("--work-dir", type=Path,
                        help="Where data and logs go (kept); default a new directory under /tmp (data removed).")
    args = parser.parse_args(argv)
    if args.compare_skew and not args.skewed_attempts:
        parser.error("--compare-skew needs --skewed-attempts")
    if args.only and (args.incremental or args.compare_native or args.compare_skew):
        parser.error("--only runs one load; it excludes --incremental, --compare-native and --compare-skew")
    return args


def interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; the report goes to stdout, progress to stderr. Exit 130 on Ctrl-C or SIGTERM."""
    args = parse_args(argv)
    for variable in ("DATABASE_URL", "SECRET_KEY"):
        if not os.environ.get(variable):
            sys.exit(f"{variable} must be set (see docs/benchmarks.md)")
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, interrupt)
    work_dir = args.work_dir or Path(tempfile.mkdtemp(prefix=f"cci_bench_{os.getpid()}_"))
    (work_dir / "logs").mkdir(parents=True, exist_ok=True)
    server = BenchDatabase(os.environ["DATABASE_URL"], "postgres")
    context = Context(args, sys.argv[1:] if argv is None else argv, os.environ["DATABASE_URL"], work_dir,
                      server.server_is_local(), source_version(), source_fingerprint())
    runs = [Run(plan, context, index) for index, plan in enumerate(plans(args), 1)]
    try:
        for run in runs:
            run.execute()
    except KeyboardInterrupt:
        print("interrupted: the running step killed, databases dropped (unless --keep-db); "
              "the steps that ended before:", file=sys.stderr)
        print(report([run for run in runs if run.steps], context))
        return 130
    finally:
        print(f"logs: {work_dir / 'logs'}", file=sys.stderr)
    print(report(runs, context))
    return 0

