"""The Celery application: reads ``CELERY_*`` Django settings, finds ``tasks.py``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cci_site.settings.dev")

app = Celery("cci_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
