"""Proxima settings: one module, configured by environment variables.

DATABASE_URL   database (default: SQLite file `proxima.sqlite3` in the working directory)
DATABASE_REPLICA_URL  a PostgreSQL streaming replica for public reads (optional)
PROXIMA_PRODUCTION  "1" in production: DEBUG off, SECRET_KEY required, HTTPS only (HSTS,
               secure cookies, redirect to https); `proxima check --deploy` is clean
PROXIMA_BEHIND_PROXY  "1" when a reverse proxy terminates TLS and sets X-Forwarded-Proto
PROXIMA_HSTS_SECONDS  HSTS max-age in production (default one year)
SECRET_KEY     required in production; elsewhere a key is generated once and kept in
               `.proxima-secret-key` in the working directory (never a published value)
DEBUG          "1" for development (default off; `make run` turns it on)
ALLOWED_HOSTS  comma separated
PROXIMA_SESSION_IDLE_MINUTES  sign out after this long without a request (default 30)
PROXIMA_SESSION_MAX_HOURS     sign out after this long in any case (default 10)
PROXIMA_LOGIN_FAILURES        failed logins (same account, same address) before a lockout (5)
PROXIMA_LOCKOUT_MINUTES       how long a lockout lasts (default 15)
PROXIMA_BASE_URL  the address people use, for links in emails (default http://127.0.0.1:8000)
EMAIL_BACKEND  Django email backend (default: printed on the console; with DEBUG, one file
               per email in EMAIL_FILE_PATH, default ./proxima-emails)
EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS ("1"),
EMAIL_USE_SSL ("1")  the SMTP server, with the SMTP backend
PROXIMA_SMS_BACKEND  text messages to callers who ask for them: "" (none, the default
               outside DEBUG), "file" (one file per text in PROXIMA_SMS_FILE_PATH, default
               ./proxima-sms; the default with DEBUG) or "twilio" (PROXIMA_SMS_ACCOUNT,
               PROXIMA_SMS_TOKEN, PROXIMA_SMS_FROM; PROXIMA_SMS_API_URL for another address
               speaking that API); see proxima/core/sms.py
PROXIMA_MAP_TILES  a tile address for the maps' background, "https://host/{z}/{x}/{y}.png"
               (256-pixel Web Mercator tiles; default none: the maps draw our neighbourhoods
               and postal areas instead; nothing is fetched unless it is set)
PROXIMA_MAP_ATTRIBUTION  the credit the tiles' licence asks for, shown under each map
LOG_LEVEL      root log level (default INFO in production, WARNING otherwise); logs are JSON
               lines on standard output in production, plain lines otherwise
PROXIMA_WEB_WORKERS, PROXIMA_WEB_THREADS, PROXIMA_WEB_TIMEOUT  gunicorn under
               `proxima serve --production` (proxima/gunicorn_conf.py)
PROXIMA_STATIC_ROOT  where collectstatic puts the static files (default `staticfiles` in
               the working directory)
PROXIMA_EXTRACT_KEY  the key of the research extract's pseudonyms (HMAC, 32 characters or
               more, never SECRET_KEY), or PROXIMA_EXTRACT_KEY_FILE naming a file holding
               it; required in production for `proxima research-extract`; elsewhere one is
               generated once and kept in `.proxima-extract-key` in the working directory
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PRODUCTION = os.environ.get("PROXIMA_PRODUCTION") == "1"
DEBUG = os.environ.get("DEBUG", "0") == "1" and not PRODUCTION


def _secret_key() -> str:
    """SECRET_KEY from the environment; required in production. Elsewhere, one generated
    for this working directory and kept (readable by its owner only) for the next run."""
    key = os.environ.get("SECRET_KEY", "")
    if key or PRODUCTION:
        if len(key) < 50 or len(set(key)) < 5:
            raise RuntimeError("SECRET_KEY must be set (50 characters or more) in production")
        return key
    path = Path.cwd() / ".proxima-secret-key"
    try:
        return path.read_text().strip() or _new_key(path)
    except FileNotFoundError:
        return _new_key(path)


def _new_key(path: Path) -> str:
    from django.core.management.utils import get_random_secret_key

    key = get_random_secret_key()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as file:
        file.write(key)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "proxima.core",
    "proxima.accounts",
    "proxima.directory",
    "proxima.people",
    "proxima.intake",
    "proxima.matching",
    "proxima.referrals",
    "proxima.prescriptions",
    "proxima.outcomes",
    "proxima.privacy",
    "proxima.territories",
    "proxima.teams",
    "proxima.casework",
    "proxima.groups",
    "proxima.emergency",
    "proxima.outreach",
    "proxima.agreements",
    "proxima.coverage",
    "proxima.indicators",
    "ninja",  # after Proxima's apps: core/templates/ninja/swagger.html themes its docs page
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "proxima.core.middleware.RequestGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "proxima.core.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Outside the two below: their own answers (the session ended) remove the cookie too.
    "proxima.accounts.middleware.SignedInMarkerMiddleware",
    "proxima.accounts.middleware.SessionIdleTimeoutMiddleware",
    "proxima.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
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
                "proxima.directory.context_processors.demo_banner",
                "proxima.referrals.context_processors.referrals_menu",
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
    # Scans start at the table's first row: a scan of a large table otherwise starts where
    # another recently was (synchronize_seqscans), and a search's pool (the first matches
    # a scan gives) changed from one run of the same search to the next.
    # PROXIMA_POSTGRES_OPTIONS replaces all three.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get(
        "PROXIMA_POSTGRES_OPTIONS",
        "-c random_page_cost=1.1 -c max_parallel_workers_per_gather=0 -c synchronize_seqscans=off",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "directory:search"

# Signing in: a password (Argon2), then a one-time code (django-otp: an authenticator app,
# or a single-use recovery code) for every account; wrong passwords are counted per
# account and address, and lock that pair out for a while (django-axes). Sign-ins,
# failures and lockouts are audited (proxima/accounts/signals.py).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # older hashes, upgraded at sign-in
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PROXIMA_BEHIND_PROXY = os.environ.get("PROXIMA_BEHIND_PROXY") == "1"
AXES_FAILURE_LIMIT = int(os.environ.get("PROXIMA_LOGIN_FAILURES", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("PROXIMA_LOCKOUT_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "proxima.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "proxima.accounts.services.audit.client_address"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "Proxima"
PASSWORD_RESET_TIMEOUT = 60 * 60
# Sessions: gone when the browser closes, after PROXIMA_SESSION_IDLE_MINUTES without a
# request, and after PROXIMA_SESSION_MAX_HOURS in any case.
PROXIMA_SESSION_IDLE_MINUTES = int(os.environ.get("PROXIMA_SESSION_IDLE_MINUTES", 30))
SESSION_COOKIE_AGE = int(os.environ.get("PROXIMA_SESSION_MAX_HOURS", 10)) * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
FORMAT_MODULE_PATH = ["proxima.formats"]  # English dates as in Canada (proxima/formats)
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "America/Toronto"

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("PROXIMA_STATIC_ROOT") or Path.cwd() / "staticfiles")
# Static files are served by whitenoise. In production from STATIC_ROOT (filled by
# collectstatic, which `proxima serve --production` runs first): names carry a hash of the
# content, so they are cached for a year, and gzip and brotli copies are made once. Elsewhere
# (development, tests) straight from the apps' folders, nothing to collect.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "proxima.core.staticfiles.StaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The account this browser is signed in with, for the offline outreach form's script
# (accounts.middleware.SignedInMarkerMiddleware).
PROXIMA_SIGNED_IN_COOKIE = "proxima_signed_in"
CSRF_COOKIE_HTTPONLY = False  # read by the pages' scripts to send it with HTMX and JSON
CSRF_FAILURE_VIEW = "proxima.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    # HTTPS only: cookies never sent in clear, browsers told to stay on HTTPS for a year.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("PROXIMA_HSTS_SECONDS", 365 * 24 * 60 * 60))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if PROXIMA_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

PROXIMA_MAP_TILES = os.environ.get("PROXIMA_MAP_TILES", "")
PROXIMA_MAP_ATTRIBUTION = os.environ.get("PROXIMA_MAP_ATTRIBUTION", "")
if PROXIMA_MAP_TILES:
    try:  # {z}, {x} and {y}, nothing else ("{s}" sub-domains are not supported)
        _tile_example = PROXIMA_MAP_TILES.format(z=0, x=0, y=0)
    except (KeyError, IndexError, ValueError):
        _tile_example = ""
    _tile_parts = all(part in PROXIMA_MAP_TILES for part in ("{z}", "{x}", "{y}"))
    _tile_host = PROXIMA_MAP_TILES.split("/")[2] if PROXIMA_MAP_TILES.count("/") >= 3 else ""
    _tile_ok = PROXIMA_MAP_TILES.startswith("https://") and bool(_tile_host.strip(". "))
    if not (_tile_ok and _tile_parts and _tile_example and "{" not in _tile_host):
        raise RuntimeError("PROXIMA_MAP_TILES must be an https:// address with {z}, {x}, {y} only")
_TILE_ORIGIN = "/".join(PROXIMA_MAP_TILES.split("/")[:3]) if PROXIMA_MAP_TILES else ""

# The research extract's pseudonym key, kept outside the database (indicators/extract.py).
PROXIMA_EXTRACT_KEY = os.environ.get("PROXIMA_EXTRACT_KEY", "")
PROXIMA_EXTRACT_KEY_FILE = os.environ.get("PROXIMA_EXTRACT_KEY_FILE", "")

# Content-Security-Policy: scripts, styles and images from this site only; no inline
# script or style anywhere (the pages keep theirs in static files), no framing, no plugin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# In development (`make run`) each email is a file in EMAIL_FILE_PATH, not printed over the
# address and the demo logins; otherwise printed on the console unless a backend is set.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(Path.cwd() / "proxima-emails"))
# An SMTP server (with EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL") == "1"
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "proxima@localhost")
PROXIMA_BASE_URL = os.environ.get("PROXIMA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
PROXIMA_SMS_BACKEND = os.environ.get("PROXIMA_SMS_BACKEND", "file" if DEBUG else "")
PROXIMA_SMS_FILE_PATH = os.environ.get("PROXIMA_SMS_FILE_PATH", str(Path.cwd() / "proxima-sms"))
PROXIMA_SMS_ACCOUNT = os.environ.get("PROXIMA_SMS_ACCOUNT", "")
PROXIMA_SMS_TOKEN = os.environ.get("PROXIMA_SMS_TOKEN", "")
PROXIMA_SMS_FROM = os.environ.get("PROXIMA_SMS_FROM", "")
PROXIMA_SMS_API_URL = os.environ.get("PROXIMA_SMS_API_URL", "https://api.twilio.com")

# Uploads of HSDS files go through the command line; requests stay small.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

NINJA_PAGINATION_PER_PAGE = 50

# Background tasks (referral reminders, daily digests) are rows in the database, run by
# `proxima db_worker` (started beside the web server by `proxima serve`): the same on
# SQLite and PostgreSQL, and enqueued in the same transaction as the change they follow.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Production: JSON lines on standard output (time, level, logger, message, request id;
# proxima/core/logs.py), for the log collector. Development: plain readable lines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "proxima.core.logs.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout" if PRODUCTION else "ext://sys.stderr",
            "formatter": "json" if PRODUCTION else "plain",
        }
    },
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("LOG_LEVEL", "INFO" if PRODUCTION else "WARNING"),
    },
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
    # An anonymous contact that raised a risk (suicide, violence, a report to youth
    # protection) is the only trace of what was done: kept longer. Set it from the
    # region's retention calendar.
    "anonymous_risk_contacts": int(
        os.environ.get("RETENTION_ANONYMOUS_RISK_CONTACT_DAYS", 10 * 365)
    ),
    "referral_drafts": int(os.environ.get("RETENTION_REFERRAL_DRAFT_DAYS", 90)),
    "contact_drafts": int(os.environ.get("RETENTION_CONTACT_DRAFT_DAYS", 30)),
    "read_notifications": int(os.environ.get("RETENTION_READ_NOTIFICATION_DAYS", 180)),
    "finished_tasks": int(os.environ.get("RETENTION_FINISHED_TASK_DAYS", 30)),
    "expired_sessions": int(os.environ.get("RETENTION_EXPIRED_SESSION_DAYS", 0)),
}
RETENTION_AUDIT_YEARS = int(os.environ.get("RETENTION_AUDIT_YEARS", 10))
# --- End of retention ----------------------------------------------------------------------
