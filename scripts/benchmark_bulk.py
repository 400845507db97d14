"""Benchmark: a manager's bulk close of many cases,
and an SLA policy change that re-dates them.

    DATABASE_URL=... SECRET_KEY=... python scripts/benchmark_bulk.py --cases 100000

Uses the database named by DATABASE_URL: it must be migrated and should be a
scratch one (the cases it creates cannot be deleted: their audit events are
append-only). Inserts ``--cases`` high-severity cases in review by SQL,
times the re-dating of all of them by compliance.cases.sla.apply_policy
(what saving the SLA policy in admin does), then one bulk close of all of
them through compliance.cases.bulk (the service the case list uses). Both
are one set-based statement with one note and one audit event per case, row
history by trigger. Figures are recorded in the README.
"""

import argparse
import os
import time

CREATE_CASES = """
insert into compliance_case
    (violation_id, violation_type, severity, lead_id, attempt_id, attempt_ts, evidence, status, resolution,
     version, created_at, updated_at)
select md5('bulk-benchmark:' || n), 'outside_allowed_hours', 'high', 'B' || n, 'BA' || n,
       now() - n * interval '1 minute', '{}'::jsonb, 'in_review', '', 1, now(), now()
from generate_series(1, %s) as n
on conflict (violation_id) do nothing
"""


def main() -> None:
    """Create the cases, re-date them, close them all in one bulk operation, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cci_site.settings.dev")

    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.db import connection

    from compliance.cases.bulk import bulk_change
    from compliance.cases.sla import apply_policy
    from compliance.models import Case, SlaPolicy

    with connection.cursor() as cursor:
        cursor.execute(CREATE_CASES, [args.cases])
    manager, _ = User.objects.get_or_create(username="bulk-benchmark")
    manager.groups.add(Group.objects.get(name="compliance_manager"))
    cases = Case.objects.filter(violation_id__in=Case.objects.filter(lead_id__startswith="B").values("violation_id"),
                                status="in_review")
    started = time.perf_counter()
    redated = apply_policy(SlaPolicy.objects.get(severity="high"), manager)
    print(f"SLA policy change re-dating {redated} open cases: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    operation = bulk_change(cases, manager, "close", "Benchmark: closed in bulk.", resolution="remediated")
    elapsed = time.perf_counter() - started
    print(f"bulk close of {operation.changed} cases (of {operation.requested}): {elapsed:.1f} s")


if __name__ == "__main__":
    main()
