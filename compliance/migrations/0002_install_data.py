"""The data a fresh install needs (CCI's migrations were reset to one initial
migration before any deployment, README "Migrations"):

* the role groups of compliance/roles.py with exactly their permissions;
* the nightly pipeline schedule in django-celery-beat: task
  ``compliance.run_pipeline`` at 02:00 UTC every day (crontab ``0 2 * * *``),
  expiring after 6 hours (21,600 s) if no worker took it; editable in admin;
* the default SLA policy in business days: critical 2, high 5, medium 10
  (CCI's service levels for compliance review) and low 20 (CCI's choice),
  editable in admin by compliance managers (compliance/cases/sla.py).

Each step is idempotent (get-or-create; the groups are set anew) and has a
reverse that removes what it made.
"""

from django.db import migrations

from compliance.roles import ROLES

from ._permissions import sync_role_groups

NIGHTLY_TASK_NAME = "Nightly compliance pipeline"
SLA_DEFAULTS = {"critical": 2, "high": 5, "medium": 10, "low": 20}


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[role.group for role in ROLES.values()]).delete()


def create_nightly_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
    )
    PeriodicTask.objects.get_or_create(
        name=NIGHTLY_TASK_NAME,
        defaults={"task": "compliance.run_pipeline", "crontab": crontab, "expire_seconds": 6 * 3600},
    )


def remove_nightly_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NIGHTLY_TASK_NAME).delete()


def create_sla_defaults(apps, schema_editor):
    SlaPolicy = apps.get_model("compliance", "SlaPolicy")
    for severity, days in SLA_DEFAULTS.items():
        SlaPolicy.objects.get_or_create(severity=severity, defaults={"business_days": days})


def remove_sla_defaults(apps, schema_editor):
    apps.get_model("compliance", "SlaPolicy").objects.filter(severity__in=list(SLA_DEFAULTS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(sync_role_groups, remove_role_groups),
        migrations.RunPython(create_nightly_schedule, remove_nightly_schedule),
        migrations.RunPython(create_sla_defaults, remove_sla_defaults),
    ]
