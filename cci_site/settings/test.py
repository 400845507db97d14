"""Test settings: a fixed, non-secret key and fast password hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-not-a-secret")

from .base import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Runs requested by in-process tests go to a queue no real worker listens to
# (tests that need a worker start their own, on queues of their own).
CELERY_TASK_ROUTES = {"compliance.run_pipeline": {"queue": "pipeline-tests"}}
