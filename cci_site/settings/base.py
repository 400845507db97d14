"""Settings shared by every environment. All values come from the environment
(12-factor): ``DATABASE_URL``, ``CELERY_BROKER_URL``, ``SECRET_KEY``, ``DEBUG``,
``ALLOWED_HOSTS``, ``CCI_DBT_PROJECT_DIR``, ``CCI_STATE_DIR``."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import pghistory
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str:
    """Return environment variable ``name``; raise ImproperlyConfigured if unset with no default."""
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable (1/true/yes/on, case-insensitive)."""
    return env(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
]
THIRD_PARTY_APPS = ["django_filters", "django_celery_beat", "django_pgviews", "pgtrigger", "pghistory", "axes", "csp"]
LOCAL_APPS = ["compliance"]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS
# Triggers (the audit trail's, django-pghistory's) are installed after every
# `migrate` instead of through migration files: django-pgviews replaces the
# migration autodetector, so pgtrigger's migration support cannot hook in.
PGTRIGGER_MIGRATIONS = False
PGTRIGGER_INSTALL_ON_MIGRATE = True
# The row history copies the tracked foreign keys (a case's assignee, closer,
# ...) without an index: nothing reads the history by them, and each index
# costs every history row (a first run writes one per new case: 4 s at 0.95M
# cases). The history is read by its object and its context, kept indexed.
PGHISTORY_FOREIGN_KEY_FIELD = pghistory.ForeignKey(db_index=False)
PGHISTORY_OBJ_FIELD = pghistory.ObjForeignKey(db_index=True)
PGHISTORY_CONTEXT_FIELD = pghistory.ContextForeignKey(db_index=True)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy header on every response (django-csp; policy below).
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A NUL character in the path, a query parameter or a form field is a 400 (PostgreSQL text cannot hold it).
    "compliance.web.middleware.RejectNulBytes",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Groups each request's database changes under one audit context (user, URL).
    "pghistory.middleware.HistoryMiddleware",
    # Login rate limit (django-axes): last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

# Login attempts are rate-limited per user name and address: after
# AXES_FAILURE_LIMIT failures the pair is locked out for AXES_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind reverse proxies the socket address is the nearest proxy's, so every
# user would share one lockout address. CCI_TRUSTED_PROXY_COUNT=N (N >= 1) says
# N proxies, each appending the address it received the request from to
# X-Forwarded-For, stand in front of CCI: lockouts then key on the address the
# outermost one saw (the N-th entry from the right; entries a client wrote
# further left are ignored). 0 (default): X-Forwarded-For is ignored. Set it
# only when CCI cannot be reached except through those proxies.
# django-axes resolves the address with django-ipware: its proxy count is the
# number of proxies listed in the header after the client, which is N - 1 (the
# nearest proxy is REMOTE_ADDR, not in the header); strict off, so a chain a
# client lengthened still yields the right entry.
CCI_TRUSTED_PROXY_COUNT = int(env("CCI_TRUSTED_PROXY_COUNT", "0"))
if CCI_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("CCI_TRUSTED_PROXY_COUNT must be 0 (no proxy) or the number of proxies.")
if CCI_TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = CCI_TRUSTED_PROXY_COUNT - 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

ROOT_URLCONF = "cci_site.urls"
WSGI_APPLICATION = "cci_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Replacements for third-party templates (found before every app's own),
        # e.g. django-celery-beat's task form without its inline script (CSP).
        "DIRS": [BASE_DIR / "compliance" / "templates" / "overrides"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "compliance.web.navigation.pages",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL"), conn_max_age=60)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "compliance:case_list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"  # stored and compared in UTC; local times come from IANA zones
USE_I18N = True
USE_TZ = True

# Content-Security-Policy (django-csp 4): scripts, styles, images and fonts
# only from CCI itself, no inline script or style (no page has one; the
# django-celery-beat form's script is a static file, templates/overrides), no
# plugins, no framing, forms post only to CCI.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# Views owned by django-pgviews-redux sit on dbt relations that do not exist
# until the first dbt build, and dbt's table rebuild drops them (CASCADE).
# The pipeline re-creates them after every build instead of at migrate time.
MATERIALIZED_VIEWS_DISABLE_SYNC_ON_MIGRATE = True

# Celery: JSON only, time limits on every task, schedules in the database.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 3600
CELERY_TASK_SOFT_TIME_LIMIT = 3300
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ROUTES = {"compliance.run_pipeline": {"queue": "pipeline"}}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a pipeline run is long: take one at a time
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# CCI
# A pipeline run requested while another builds: "skip" (recorded as skipped)
# or "queue" (waits for the running build, then builds).
CCI_PIPELINE_WHEN_BUSY = env("CCI_PIPELINE_WHEN_BUSY", "skip")
# Alerts (compliance/pipeline/alerts.py): comma-separated lists; empty sends nothing.
CCI_ALERT_EMAILS = [a for a in env("CCI_ALERT_EMAILS", "").split(",") if a]
CCI_ALERT_WEBHOOK_URLS = [u for u in env("CCI_ALERT_WEBHOOK_URLS", "").split(",") if u]
CCI_ALERT_WEBHOOK_SECRET = env("CCI_ALERT_WEBHOOK_SECRET", "")
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "cci-alerts@localhost")
CCI_DBT_PROJECT_DIR = Path(env("CCI_DBT_PROJECT_DIR", str(BASE_DIR / "dbt")))
CCI_STATE_DIR = Path(env("CCI_STATE_DIR", str(BASE_DIR / ".cci")))

# LOG_FORMAT=json (production default): one JSON object per line, with the
# pipeline run id (cci_site/logging.py); plain: human-readable lines. Python
# warnings are logged too (cci_site.logging.configure).
LOGGING_CONFIG = "cci_site.logging.configure"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"run_id": {"()": "cci_site.logging.RunIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [run %(run_id)s] %(message)s"},
        "json": {"()": "cci_site.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env("LOG_FORMAT", "plain"),
            "filters": ["run_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django_pgviews": {"level": "WARNING"}},
}
