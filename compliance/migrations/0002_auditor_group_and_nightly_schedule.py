"""The ``auditor`` group with its permissions, and the nightly pipeline
schedule in django-celery-beat (02:00 UTC, editable in admin)."""

from django.db import migrations

from ._permissions import ensure_permissions

AUDITOR_PERMISSIONS = [
    ("compliance", "view_case"),
    ("compliance", "change_case"),
    ("compliance", "view_casenote"),
    ("compliance", "add_casenote"),
    ("compliance", "view_caseevent"),
    ("compliance", "view_pipelinerun"),
    ("compliance", "view_complianceviolation"),
    ("compliance", "view_quarantinedrow"),
]
NIGHTLY_TASK_NAME = "Nightly compliance pipeline"


def create_auditor_group(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="auditor")
    for app_label, codename in AUDITOR_PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


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


def remove_all(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="auditor").delete()
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NIGHTLY_TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(create_auditor_group, remove_all),
        migrations.RunPython(create_nightly_schedule, migrations.RunPython.noop),
    ]
