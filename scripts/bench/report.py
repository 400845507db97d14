"""The benchmark's output: one Markdown table of steps, then the ratios with their goals."""

from dataclasses import dataclass, field


@dataclass
class StepResult:
    """One measured step. ``wall_s``: seconds (None: not run, see ``skipped``);
    ``limit_s``: its time limit, seconds; ``rss_mib``: ``ru_maxrss`` of the
    step (largest single process, MiB; None if killed or in-process);
    ``processes``: sampled peak ``VmHWM`` per process label, MiB;
    ``tree_sum_mib``: peak of their summed RSS, MiB; ``pg_hwm_mib`` /
    ``pg_private_mib``: the server backends' peaks (bench.postgres.BackendMemory), MiB;
    ``pg_backends``: how many backends were sampled."""

    name: str
    wall_s: float | None = None
    limit_s: float | None = None
    finished: bool = False
    timed_out: bool = False
    failed: str = ""
    skipped: str = ""
    rows: str = ""
    rss_mib: float | None = None
    processes: dict[str, float] = field(default_factory=dict)
    tree_sum_mib: float | None = None
    pg_hwm_mib: float | None = None
    pg_private_mib: float | None = None
    pg_backends: int = 0
    notes: list[str] = field(default_factory=list)
    in_process: bool = False
    source: str = ""  # bench.sources.source_fingerprint() when the step started

    def wall_text(self) -> str:
        if self.skipped or self.wall_s is None:
            return "—"
        if self.timed_out:
            return f"did not finish in {self.limit_s:.0f} s"
        if self.failed:
            return f"{self.wall_s:.1f} (failed)"
        return f"{self.wall_s:.1f}"

    def rss_text(self) -> str:
        if self.in_process:
            return "(benchmark process)"
        if self.rss_mib is None:
            return "killed: sampled in note" if self.processes else "—"
        return f"{self.rss_mib:.0f}"

    def pg_text(self) -> str:
        if self.skipped or self.in_process or self.wall_s is None:
            return "—"
        if self.pg_hwm_mib is None:
            return "n/a"
        if not self.pg_backends:
            return "none seen"
        return f"{self.pg_hwm_mib:.0f} (private Σ {self.pg_private_mib:.0f})"

    def note_text(self) -> str:
        notes = [self.skipped] if self.skipped else []
        if self.processes:
            parts = [f"{label} {mib:.0f}" for label, mib in self.processes.items()]
            notes.append("peak per process (sampled, MiB): " + ", ".join(parts) + f"; together {self.tree_sum_mib:.0f}")
        return "; ".join(notes + ([self.failed] if self.failed else []) + self.notes)


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (pipes in cells escaped)."""
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |"
    return "\n".join([line(header), line(["---"] * len(header)), *(line(row) for row in rows)])


def steps_table(steps: list[StepResult]) -> str:
    header = ["step", "wall s", "rows", "peak RSS of the step's processes (MiB)", "peak PG backend (MiB)", "note"]
    return markdown_table(header, [[s.name, s.wall_text(), s.rows, s.rss_text(), s.pg_text(), s.note_text()]
                                   for s in steps])


@dataclass
class Ratio:
    """A figure and its goal: ``value`` in ``unit`` (x, % or s); ``at_least``:
    the value is a lower bound (a numerator step hit its time limit);
    ``missing``: why there is no value."""

    name: str
    goal: str
    limit: float
    unit: str
    value: float | None = None
    at_least: bool = False
    missing: str = ""
    mixed_code: bool = False  # the steps compared ran on different code (the checkout was edited)

    def value_text(self) -> str:
        if self.value is None:
            return f"— ({self.missing})"
        shown = {"x": f"{self.value:.2f}x", "%": f"{self.value:.1f}%", "s": f"{self.value:.1f} s"}[self.unit]
        return f"≥ {shown}" if self.at_least else shown

    def verdict(self) -> str:
        if self.value is None:
            return "not measured"
        if self.mixed_code:
            return "inconclusive (the checkout changed between the steps compared)"
        if self.value < 0:
            return "inconclusive (negative: the reference run was slower; noise)"
        if self.value > self.limit:
            return "FAIL"
        return "unknown" if self.at_least else "PASS"


def step_ratio(name: str, goal: str, limit: float, over: list[StepResult | None], under: list[StepResult | None],
               unit: str = "x") -> Ratio:
    """Sum of ``over``'s wall times / sum of ``under``'s (times 100 for %; seconds when ``under`` is empty)."""
    ratio = Ratio(name, goal, limit, unit)
    if any(step is None or step.wall_s is None or step.skipped for step in over + under):
        ratio.missing = "a step was not run"
    elif any(not step.finished for step in under):
        ratio.missing = "the reference step did not finish"
    elif any(step.failed for step in over):
        ratio.missing = "a step failed"
    else:
        denominator = sum(s.wall_s for s in under) if under else 1.0
        ratio.value = sum(s.wall_s for s in over) / denominator * (100 if unit == "%" else 1)
        ratio.at_least = any(not step.finished for step in over)
        ratio.mixed_code = len({step.source for step in over + under}) > 1
    return ratio


def seconds_figure(name: str, goal: str, limit: float, step: StepResult | None) -> Ratio:
    """A step's own wall time against a goal in seconds."""
    return step_ratio(name, goal, limit, [step], [], unit="s")


def ratios_table(ratios: list[Ratio]) -> str:
    return markdown_table(["ratio", "value", "goal", "result"],
                          [[r.name, r.value_text(), r.goal, r.verdict()] for r in ratios])
