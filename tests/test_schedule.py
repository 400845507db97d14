"""The nightly pipeline schedule exists after migrate and names a real task."""

from django_celery_beat.models import PeriodicTask

from cci_site.celery import app


def test_nightly_schedule_is_created_by_migrate(db):
    task = PeriodicTask.objects.get(name="Nightly compliance pipeline")
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("2", "0", "UTC")
    app.loader.import_default_modules()
    assert task.task in app.tasks


def test_nightly_schedule_shows_in_admin(client, db):
    from django.contrib.auth.models import User
    from django.urls import reverse

    client.force_login(User.objects.create_superuser("ops", password="pw-ops-123456"))
    page = client.get(reverse("admin:django_celery_beat_periodictask_changelist"))
    assert "Nightly compliance pipeline" in page.content.decode()
