"""The nightly pipeline schedule exists after migrate and names a real task."""

from django_celery_beat.models import PeriodicTask

from cci_site.celery import app


def test_nightly_schedule_is_created_by_migrate(db):
    task = PeriodicTask.objects.get(name="Nightly compliance pipeline")
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("2", "0", "UTC")
    app.loader.import_default_modules()
    assert task.task in app.tasks
