"""The main job in one command (run by ``scripts/demo``).

``python scripts/main_job.py [--leads N] [--seed S] [--port P]`` with
``DATABASE_URL`` and ``CELERY_BROKER_URL`` set (``scripts/local_services.py``
sets them): migrate, generate a synthetic export in each format (seed CSV and
native JSON Lines), load them, run the pipeline
through a Celery worker, create the demo compliance manager and serve the UI until
Ctrl-C.
"""

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEMO_USER = "auditor"


def free_port(preferred: int) -> int:
    """``preferred`` if nothing listens there, else the next free port."""
    for port in range(preferred, preferred + 50):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise SystemExit(f"No free port between {preferred} and {preferred + 49}.")


def wait_for_celery_run(worker: subprocess.Popen, since, timeout: float = 900):
    """The first pipeline run the worker started after ``since``, once finished."""
    from compliance.models import PipelineRun

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise SystemExit("The Celery worker stopped before the pipeline finished; see its output above.")
        run = PipelineRun.objects.filter(trigger=PipelineRun.Trigger.CELERY, started_at__gte=since).first()
        if run and run.status not in (PipelineRun.Status.QUEUED, PipelineRun.Status.RUNNING):
            return run
        time.sleep(2)
    raise SystemExit("The pipeline did not finish within 15 minutes.")


def stop_on_sigterm(signum, frame) -> None:
    """SIGTERM stops the demo like Ctrl-C: the worker and web server are terminated too."""
    raise KeyboardInterrupt


def main() -> int:
    """Run the main job; return 0 when stopped with Ctrl-C or SIGTERM at any step, non-zero on failure."""
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    # A shell without job control starts background commands with SIGINT ignored: take it back, so
    # Ctrl-C or `kill -INT` stops the demo however it was started.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=400)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args()
    try:
        return run(args)
    except KeyboardInterrupt:
        # Ctrl-C reaches the whole process group and local_services then sends
        # SIGTERM: the signals that follow must not end in a traceback.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        return 0


def run(args: argparse.Namespace) -> int:
    """Migrate, generate and load the demo data, run the pipeline through a
    Celery worker, then serve the UI until the web server stops (its exit
    code). Ctrl-C or SIGTERM at any step raises KeyboardInterrupt, after the
    worker and web server are stopped."""
    state_dir = Path(os.environ.get("CCI_STATE_DIR", BASE_DIR / ".cci"))
    state_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cci_site.settings.dev")

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from compliance.models import PipelineRun
    from compliance.tasks import run_pipeline_task

    print("== Migrating the database", flush=True)
    call_command("migrate", verbosity=0)
    for file_format, file_type in (("seed", "csv"), ("native", "jsonl")):
        data_dir = state_dir / f"demo-data-{file_format}"
        print(f"== Generating a synthetic {file_format}-format export in {data_dir}", flush=True)
        call_command("generate_synthetic", out=data_dir, file_format=file_format, file_type=file_type,
                     leads=args.leads, seed=args.seed)
        print("== Loading it into the raw schema", flush=True)
        call_command("load_raw", str(data_dir), "--format", file_format)

    print("== Starting a Celery worker and running the pipeline through it", flush=True)
    python = sys.executable
    worker = subprocess.Popen([python, "-m", "celery", "-A", "cci_site", "worker", "--pool=solo",
                               "--queues=pipeline,celery", "--loglevel=INFO", "--without-gossip",
                               "--without-mingle"], cwd=BASE_DIR)
    server = None
    try:
        since = timezone.now()
        run_pipeline_task.delay()
        run = wait_for_celery_run(worker, since)
        print(f"== Pipeline run {run.pk} {run.status}: {run.cases_created} new case(s), "
              f"{run.tests_passed} dbt tests passed, {run.tests_failed} failed", flush=True)
        if run.status != PipelineRun.Status.SUCCEEDED:
            print(run.error, file=sys.stderr)
            return 1

        password = secrets.token_urlsafe(9)
        call_command("create_role_user", DEMO_USER, password=password, role="compliance_manager")
        port = free_port(args.port)
        server = subprocess.Popen(
            [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"], cwd=BASE_DIR
        )
        print("\n" + "=" * 64)
        print(f"  CCI is running:  http://127.0.0.1:{port}/")
        print(f"  Log in as:       {DEMO_USER} / {password}")
        print("  Stop with Ctrl-C.")
        print("=" * 64 + "\n", flush=True)
        return server.wait()
    finally:
        # Stopping takes seconds (the worker's warm shutdown): a second signal
        # must not interrupt the wait.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for process in (server, worker):
            if process and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
