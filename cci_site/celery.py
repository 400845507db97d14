"""The Celery application: reads ``CELERY_*`` Django settings, finds ``tasks.py``.

A worker (and beat) logs like the web process: :func:`use_django_logging`
answers Celery's ``setup_logging`` signal, so Celery keeps Django's
``LOGGING`` (cci_site/settings/base.py: JSON lines with the pipeline run id
under production settings, ``LOG_FORMAT``; level ``LOG_LEVEL``) instead of
installing its own handlers and format on the root logger. The worker's
``--loglevel`` is then not used; ``LOG_LEVEL`` is. A worker also configures it
on ``celeryd_init``, which comes earlier: the warnings of its start-up checks
(such as running as root) are then log records in that format too.
"""

import os

from celery import Celery
from celery.signals import celeryd_init, setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cci_site.settings.dev")

app = Celery("cci_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@celeryd_init.connect
@setup_logging.connect
def use_django_logging(**kwargs) -> None:
    """Configure logging from Django's ``LOGGING_CONFIG`` / ``LOGGING`` settings,
    as ``django.setup()`` does (:func:`cci_site.logging.configure`: Python
    warnings become log records). Being
    connected to ``setup_logging`` is what stops Celery from configuring
    logging itself (and from redirecting stdout/stderr to its logger); the
    signals' arguments (Celery's log level, file and format) are ignored."""
    from django.conf import settings
    from django.utils.log import configure_logging

    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
