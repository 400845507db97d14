"""Production: HTTPS only, secure cookies, HSTS. ``SECRET_KEY``, ``DATABASE_URL``,
``ALLOWED_HOSTS`` and ``CELERY_BROKER_URL`` must come from the environment."""

import os

os.environ.setdefault("LOG_FORMAT", "json")

from .base import *  # noqa: E402,F401,F403
from .base import MIDDLEWARE, env, env_bool  # noqa: E402

# Static files served by the app itself (WhiteNoise), right after security.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

if CCI_ALERT_WEBHOOK_URLS and not CCI_ALERT_WEBHOOK_SECRET:  # noqa: F405
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set CCI_ALERT_WEBHOOK_SECRET to sign webhook alerts.")
