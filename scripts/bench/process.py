"""One benchmark step as a subprocess: wall time, time limit, output, peak memory.

Each step starts in its own session (``start_new_session``), so the step and
every process it starts (dbt under ``run_pipeline``) form one process group
that a time limit or Ctrl-C kills as a whole.

Memory of the step's own processes, two figures:

* ``max_rss_mib``: the kernel's ``ru_maxrss`` for the step, as
  ``/usr/bin/time -v`` prints it ("Maximum resident set size"; read from
  ``os.wait4`` when GNU time is missing: the same number). It is the peak
  RSS of the *largest single process* among the step and the descendants
  that were waited for (dbt is: ``run_pipeline`` waits for it), not a sum.
  A step killed at its time limit has none (nothing was waited for).
* ``tree``: every process of the step's session read from
  ``/proc/<pid>/status`` every :data:`SAMPLE_SECONDS` s: each process's
  ``VmHWM`` (its kernel-tracked peak RSS, last value read before it ended),
  by label (``manage.py run_pipeline``, ``dbt``, ``psql``), and the peak of
  the summed ``VmRSS`` of all of them at one sample.
"""

import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_SECONDS = 0.5
KILL_GRACE_SECONDS = 5.0
GNU_TIME = shutil.which("time", path="/usr/bin")
MAX_RSS_LINE = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
IMPORTED_MODULE = re.compile(r"from ([\w.]+) import")


def read_status(pid: int) -> dict[str, int]:
    """The ``Vm*``/``Rss*`` lines of ``/proc/<pid>/status``, in KiB (empty if the process is gone)."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return {}
    values = {}
    for line in lines:
        key, _, rest = line.partition(":")
        if key.startswith(("Vm", "Rss")) and rest.strip().endswith("kB"):
            values[key] = int(rest.split()[0])
    return values


def session_of(pid: int) -> int | None:
    """The session id of ``pid`` (field 6 of ``/proc/<pid>/stat``), or None if it is gone or a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return None if fields[0] == "Z" else int(fields[3])


def pids_in_session(session: int) -> list[int]:
    """Every live (not zombie) process whose session id is ``session``."""
    return [int(name) for name in os.listdir("/proc") if name.isdigit() and session_of(int(name)) == session]


def process_label(pid: int) -> str:
    """A short name for a step's process: ``manage.py <command>``, ``dbt``, ``python -c <code>``, or the
    program's name."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            argv = handle.read().decode(errors="replace").split("\0")
    except OSError:
        return "?"
    if not argv[0]:
        return ""
    names = [os.path.basename(arg) for arg in argv]
    if "manage.py" in names[:3]:
        index = names.index("manage.py")
        return " ".join(names[index:index + 2])
    if "dbt" in names[:2]:
        return "dbt"
    if "-c" in argv[1:-1]:  # e.g. multiprocessing's resource tracker: python -c multiprocessing.resource_tracker
        code = argv[argv.index("-c", 1) + 1]
        imported = IMPORTED_MODULE.search(code)
        return f"{names[0]} -c {imported.group(1) if imported else code[:30]}"
    return names[0]


@dataclass
class TreeMemory:
    """Peak memory of the processes of one session, sampled (module docstring). MiB."""

    session: int
    peaks: dict[int, tuple[str, float]] = field(default_factory=dict)  # pid -> (label, VmHWM MiB)
    peak_sum_mib: float = 0.0

    def sample(self) -> None:
        """Read every process of the session once."""
        total_kib = 0
        for pid in pids_in_session(self.session):
            status = read_status(pid)
            if not status:
                continue
            # Read again each time: a process may have exec'd since (GNU time's child, psql's wrapper).
            self.peaks[pid] = (process_label(pid), status.get("VmHWM", 0) / 1024)
            total_kib += status.get("VmRSS", 0)
        self.peak_sum_mib = max(self.peak_sum_mib, total_kib / 1024)

    def by_label(self) -> dict[str, float]:
        """Largest ``VmHWM`` per label, MiB, largest first (GNU time's wrapper left out)."""
        largest: dict[str, float] = {}
        for label, mib in self.peaks.values():
            if label not in ("time", "?", ""):
                largest[label] = max(largest.get(label, 0.0), mib)
        return dict(sorted(largest.items(), key=lambda item: -item[1]))


@dataclass
class Outcome:
    """How one command ended. ``wall_s``: seconds from start to exit (or to the kill);
    ``max_rss_mib``: module docstring (None when killed); ``lines``: (seconds
    since start, line) of its merged stdout and stderr."""

    wall_s: float
    returncode: int | None
    timed_out: bool
    max_rss_mib: float | None
    tree: TreeMemory
    lines: list[tuple[float, str]]

    @property
    def succeeded(self) -> bool:
        return not self.timed_out and self.returncode == 0

    def tail(self, count: int = 15) -> str:
        """The last ``count`` lines printed."""
        return "\n".join(line for _, line in self.lines[-count:])


class Sampler(threading.Thread):
    """Calls each of ``probes`` every :data:`SAMPLE_SECONDS` s until stopped."""

    def __init__(self, probes: list[Callable[[], None]]):
        super().__init__(daemon=True)
        self.probes = probes
        self.stopping = threading.Event()

    def run(self) -> None:
        while True:
            for probe in self.probes:
                probe()
            if self.stopping.wait(SAMPLE_SECONDS):
                return

    def stop(self) -> None:
        """Stop after one last sample."""
        self.stopping.set()
        self.join()
        for probe in self.probes:
            probe()


def read_output(stream, started: float, log_path: Path, lines: list[tuple[float, str]]) -> None:
    """Copy ``stream`` to ``log_path`` and ``lines``, each line with its time since ``started``."""
    with open(log_path, "w") as log:
        for line in stream:
            lines.append((time.perf_counter() - started, line.rstrip("\n")))
            log.write(line)
            log.flush()


def kill_group(pgid: int) -> None:
    """SIGTERM the process group, then SIGKILL it and anything left of it after :data:`KILL_GRACE_SECONDS`."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + KILL_GRACE_SECONDS
        while time.monotonic() < deadline and pids_in_session(pgid):
            time.sleep(0.1)
    for pid in pids_in_session(pgid):  # left the group but not the session
        os.kill(pid, signal.SIGKILL)


def wait_for(pid: int, deadline: float, on_timeout: Callable[[], None]) -> tuple[int | None, object, bool]:
    """Reap ``pid``; at ``deadline`` call ``on_timeout``, kill its group and reap it.
    Returns (exit status or None, rusage, timed out)."""
    while time.perf_counter() < deadline:
        reaped, status, usage = os.wait4(pid, os.WNOHANG)
        if reaped:
            return status, usage, False
        time.sleep(0.1)
    on_timeout()
    kill_group(pid)
    _, status, usage = os.wait4(pid, 0)
    return None, usage, True


def run_command(argv: list[str], env: dict[str, str], timeout_s: float, log_path: Path,
                probes: list[Callable[[], None]], on_timeout: Callable[[], None]) -> Outcome:
    """Run ``argv`` in a new session under GNU time (when present), sampling
    ``probes`` and the session's memory while it runs; kill its group after
    ``timeout_s`` seconds (``on_timeout`` is called first) or on Ctrl-C (then
    KeyboardInterrupt is raised again)."""
    rusage_file = log_path.with_suffix(".time")
    wrapped = [GNU_TIME, "-v", "-o", str(rusage_file), *argv] if GNU_TIME else argv
    started = time.perf_counter()
    process = subprocess.Popen(wrapped, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               errors="replace", start_new_session=True)
    tree = TreeMemory(session=process.pid)
    sampler = Sampler([tree.sample, *probes])
    sampler.start()
    lines: list[tuple[float, str]] = []
    reader = threading.Thread(target=read_output, args=(process.stdout, started, log_path, lines), daemon=True)
    reader.start()
    try:
        status, usage, timed_out = wait_for(process.pid, started + timeout_s, on_timeout)
    except KeyboardInterrupt:
        kill_group(process.pid)
        os.waitpid(process.pid, 0)
        process.returncode = -signal.SIGINT
        raise
    finally:
        wall = time.perf_counter() - started
        sampler.stop()
        reader.join(timeout=10)
    returncode = None if status is None else os.waitstatus_to_exitcode(status)
    process.returncode = returncode if returncode is not None else -signal.SIGKILL  # reaped here, not by Popen
    return Outcome(wall, returncode, timed_out, max_rss(rusage_file, usage, timed_out), tree, lines)


def max_rss(rusage_file: Path, usage, timed_out: bool) -> float | None:
    """``ru_maxrss`` of the step in MiB: GNU time's figure if it wrote one, else ``os.wait4``'s."""
    if timed_out:
        return None
    if rusage_file.exists():
        found = MAX_RSS_LINE.search(rusage_file.read_text())
        if found:
            return int(found.group(1)) / 1024
    return usage.ru_maxrss / 1024
