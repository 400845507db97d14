"""Reading a step's output: the phases of ``run_pipeline`` (from the times its
progress lines were printed), dbt's per-node seconds, psql's ``COPY n`` counts."""

import re

from .process import Outcome

COPY_DONE = re.compile(r"^COPY (\d+)$")
DBT_NODE_DONE = re.compile(r"\d+ of \d+ (?:OK|PASS|WARN|ERROR|FAIL)\s+(.*?)[\s.]*\[[^\]]*?in (\d+(?:\.\d+)?)s\]")
PIPELINE_PHASES = (("freshness", ": dbt source freshness"), ("dbt build", ": dbt build"),
                   ("case sync + publish + views", "Syncing cases, publishing"))
PIPELINE_END = re.compile(r"^Pipeline run \d+ (succeeded|failed|skipped)")
DBT_FINISHED = re.compile(r"Finished running .* \((\d+(?:\.\d+)?)s\)\.")


def pipeline_phases(outcome: Outcome) -> list[tuple[str, float]]:
    """Seconds per phase of a ``run_pipeline`` step, from the times its progress
    lines were printed: start-up (Django, lock), freshness, dbt build, case
    sync + publish + views, and what followed (alerts, exit)."""
    marks = [("start-up", 0.0)]
    for at, line in outcome.lines:
        for phase, marker in PIPELINE_PHASES:
            if marker in line and phase not in dict(marks):
                marks.append((phase, at))
        if PIPELINE_END.match(line):
            marks.append(("end", at))
    ends = [at for _, at in marks[1:]] + [outcome.wall_s]
    return [(phase, end - at) for (phase, at), end in zip(marks, ends)]


def node_seconds(outcome: Outcome) -> dict[str, float]:
    """Seconds per finished dbt node, from dbt's ``N of M OK ... [... in S s]`` lines."""
    return {found.group(1).split()[-1]: float(found.group(2))
            for found in map(DBT_NODE_DONE.search, (line for _, line in outcome.lines)) if found}


def largest(seconds: dict[str, float], count: int) -> str:
    """The ``count`` largest entries of ``seconds`` as text."""
    top = sorted(seconds.items(), key=lambda item: -item[1])[:count]
    return ", ".join(f"{name} {value:.1f} s" for name, value in top) or "none"


def dbt_overhead(outcome: Outcome, phases: dict[str, float]) -> str:
    """How much of the dbt build phase dbt spent running nodes (its ``Finished
    running ... (S s)`` line); the rest is dbt's start-up and project parsing."""
    finished = [float(found.group(1)) for found in (DBT_FINISHED.search(line) for _, line in outcome.lines) if found]
    build = phases.get(PIPELINE_PHASES[1][0])
    if not finished or build is None or len(finished) < 2:
        return ""
    return (f"dbt build phase {build:.1f} s, of which running nodes {finished[-1]:.1f} s "
            "(the rest: dbt start-up, parsing); ")


def copied_rows(outcome: Outcome) -> int:
    """Rows psql reported copied (its ``COPY n`` lines)."""
    return sum(int(found.group(1)) for found in (COPY_DONE.match(line) for _, line in outcome.lines) if found)
