"""Proxima settings: one module, configured by environment variables.

DATABASE_URL   database (default: SQLite file `proxima.sqlite3` in the working directory)
DATABASE_REPLICA_URL  a PostgreSQL streaming replica for public reads (optional)
SECRET_KEY     required when DEBUG is off
DEBUG          "1" for development (default on, the demo runs locally)
ALLOWED_HOSTS  comma separated
PROXIMA_BASE_URL  the address people use, for links in emails (default http://127.0.0.1:8000)
EMAIL_BACKEND  Django email backend (default: printed on the console, as in the demo)
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DEBUG = os.environ.get("DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY") or ("dev-only-insecure-key-change-me" if DEBUG else None)
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "proxima.core",
    "proxima.directory",
    "proxima.people",
    "proxima.intake",
    "proxima.matching",
    "proxima.referrals",
    "proxima.prescriptions",
    "proxima.outcomes",
    "proxima.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "proxima.core.middleware.RequestGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "proxima.core.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "proxima.urls"
WSGI_APPLICATION = "proxima.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "proxima.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{Path.cwd() / 'proxima.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while the writer writes; IMMEDIATE avoids lock-upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        # WAL for concurrent readers; a 64 MB page cache and memory-mapped reads keep
        # search fast on a directory of 100,000 services (see bench/search.py).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA cache_size=-65536; PRAGMA mmap_size=536870912; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Storage is solid-state: with the default random_page_cost (4, for spinning disks)
    # PostgreSQL prefers scanning the whole search table to using its full-text index.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get(
        "PROXIMA_POSTGRES_OPTIONS", "-c random_page_cost=1.1 -c max_parallel_workers_per_gather=0"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "directory:search"
LOGOUT_REDIRECT_URL = "directory:search"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "America/Toronto"

STATIC_URL = "static/"
STATIC_ROOT = Path.cwd() / "staticfiles"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "proxima@localhost")
PROXIMA_BASE_URL = os.environ.get("PROXIMA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Uploads of HSDS files go through the command line; requests stay small.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

NINJA_PAGINATION_PER_PAGE = 50

# Background tasks (referral reminders, daily digests) are rows in the database, run by
# `proxima db_worker` (started beside the web server by `proxima serve`): the same on
# SQLite and PostgreSQL, and enqueued in the same transaction as the change they follow.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Where the shared open data lives (postal-area centroids, taxonomies, HSDS schemas).
SHARED_DIR = Path(os.environ.get("PROXIMA_SHARED_DIR", BASE_DIR.parents[2] / "shared"))

# --- Read replica (issue 8, part 10) -------------------------------------------------------
# DATABASE_REPLICA_URL: a PostgreSQL streaming replica of DATABASE_URL. Public reads that
# tolerate a second of lag go there, everything else to the primary: proxima/core/db_router.py.
if os.environ.get("DATABASE_REPLICA_URL"):
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("DATABASE_REPLICA_URL needs DATABASE_URL on PostgreSQL")
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
    )
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests read what they wrote
    DATABASE_ROUTERS = ["proxima.core.db_router.PrimaryReplicaRouter"]
    MIDDLEWARE = [*MIDDLEWARE, "proxima.core.db_router.ReplicaMiddleware"]
# --- End of read replica -------------------------------------------------------------------

# --- Retention (issue 8, part 7) -----------------------------------------------------------
# How long each kind of record is kept, in days, before the daily task deletes it
# (proxima/privacy/services/retention.py; the table is in docs/privacy.md). The audit log is
# never deleted: entries older than RETENTION_AUDIT_YEARS are only counted, for archival.
RETENTION_DAYS = {
    "anonymous_contacts": int(os.environ.get("RETENTION_ANONYMOUS_CONTACT_DAYS", 2 * 365)),
    "referral_drafts": int(os.environ.get("RETENTION_REFERRAL_DRAFT_DAYS", 90)),
    "contact_drafts": int(os.environ.get("RETENTION_CONTACT_DRAFT_DAYS", 30)),
    "read_notifications": int(os.environ.get("RETENTION_READ_NOTIFICATION_DAYS", 180)),
    "finished_tasks": int(os.environ.get("RETENTION_FINISHED_TASK_DAYS", 30)),
    "expired_sessions": int(os.environ.get("RETENTION_EXPIRED_SESSION_DAYS", 0)),
}
RETENTION_AUDIT_YEARS = int(os.environ.get("RETENTION_AUDIT_YEARS", 10))
# --- End of retention ----------------------------------------------------------------------
