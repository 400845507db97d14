"""CCI Django project. Importing the package loads the Celery app so that
``@shared_task`` functions bind to it."""

from .celery import app as celery_app

__all__ = ("celery_app",)
