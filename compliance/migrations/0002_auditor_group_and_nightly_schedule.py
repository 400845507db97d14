"""The nightly pipeline schedule in django-celery-beat (02:00 UTC, editable in
admin). The role groups are made by 0011 from compliance/roles.py."""

from django.db import migrations

NIGHTLY_TASK_NAME = "Nightly compliance pipeline"


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


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NIGHTLY_TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(create_nightly_schedule, remove_schedule),
    ]
