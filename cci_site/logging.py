"""Structured logging: one JSON object per line, with the pipeline run id.

``run_context(run_id)`` sets the id for everything logged inside it (the
pipeline's steps and every line dbt prints); :class:`RunIdFilter` copies it
onto each record and :class:`JsonFormatter` writes ``{"time", "level",
"logger", "message", "run_id", ...}``. :func:`configure` (``LOGGING_CONFIG``)
applies ``LOGGING`` and routes Python warnings through it, so a process
writes nothing in another format (the web process at ``django.setup()``, a
Celery worker or beat from cci_site/celery.py).
"""

import contextvars
import json
import logging
import logging.config
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

current_run_id: contextvars.ContextVar[int | None] = contextvars.ContextVar("current_run_id", default=None)


@contextmanager
def run_context(run_id: int) -> Iterator[None]:
    """Tag every log record made inside the block with ``run_id``."""
    token = current_run_id.set(run_id)
    try:
        yield
    finally:
        current_run_id.reset(token)


class RunIdFilter(logging.Filter):
    """Adds ``record.run_id`` (None outside a pipeline run)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.run_id = current_run_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record; UTC ISO 8601 time."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "run_id": getattr(record, "run_id", None),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def configure(logging_settings: dict) -> None:
    """Django's ``LOGGING_CONFIG`` callable: ``logging.config.dictConfig`` of
    ``LOGGING``, then Python warnings (``warnings.warn``) become records of the
    ``py.warnings`` logger instead of raw text on stderr."""
    logging.config.dictConfig(logging_settings)
    logging.captureWarnings(True)
