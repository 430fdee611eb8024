"""Gunicorn's configuration for `proxima serve --production` (gunicorn -c python:proxima.gunicorn_conf).

Environment variables (the address and the number of workers usually come from the
command line of `proxima serve --production`):

PROXIMA_WEB_WORKERS   worker processes (default: CPU cores + 1, at most 12)
PROXIMA_WEB_THREADS   threads per worker (default 4): a thread waiting on PostgreSQL lets
                      another one run
PROXIMA_WEB_TIMEOUT   seconds before a silent worker is restarted (default 30)
LOG_LEVEL             gunicorn's own lines (default info)
"""

import logging
import multiprocessing
import os
from pathlib import Path


def default_workers() -> int:
    """One per core and one more: each runs several threads (gunicorn's 2 x cores + 1 is
    for single-threaded workers; on 2 cores, 3 workers of 4 threads answered 10 to 25 %
    more than 5 of 4 with no longer tail: docs/performance.md). Capped so that a large
    machine does not open more database connections than PostgreSQL's default 100."""
    return min(multiprocessing.cpu_count() + 1, 12)


wsgi_app = "proxima.wsgi:application"
workers = int(os.environ.get("PROXIMA_WEB_WORKERS") or default_workers())
threads = int(os.environ.get("PROXIMA_WEB_THREADS") or 4)
worker_class = "gthread" if threads > 1 else "sync"

# The application is imported once, before the workers are forked: they start at once and
# share its memory (nothing opens a database connection at import).
preload_app = True
# A request that takes longer than this is stuck: its worker is replaced.
timeout = int(os.environ.get("PROXIMA_WEB_TIMEOUT") or 30)
# On SIGTERM, requests in flight get this long to finish.
graceful_timeout = 20
# Behind a reverse proxy that keeps connections open to us.
keepalive = 5
# Workers are replaced now and then (a slow leak never grows for long); the jitter keeps
# them from all restarting at once.
max_requests = 2000
max_requests_jitter = 200

# The reverse proxy says who the client was (X-Forwarded-For, X-Forwarded-Proto); gunicorn
# trusts those headers from the addresses it lists (itself by default).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Requests are small (settings.DATA_UPLOAD_MAX_MEMORY_SIZE): refuse huge header blocks early.
limit_request_line = 8190
limit_request_fields = 100

# No control socket (gunicorn's runtime control, one per user account by default, which
# several servers of one account would share): signals and systemd are enough.
control_socket_disable = True

# Logs: JSON lines on standard output (proxima/core/logs.py).
logger_class = "proxima.core.logs.GunicornJsonLogger"
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
proc_name = "proxima"


def when_ready(server):
    """Before the workers are forked from it (the application is preloaded): do once, here,
    what each worker would otherwise do on its first requests: import every view and the
    API, read the translations, compile the templates."""
    from django.apps import apps
    from django.conf import settings
    from django.template import TemplateSyntaxError, engines
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().reverse_dict  # noqa: B018 - imports every URLconf, view and API route
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("French")
    engine = engines["django"]
    for app in apps.get_app_configs():
        if not app.name.startswith("proxima."):
            continue  # the Django admin's pages are rare: compiled when first asked for
        folder = Path(app.path) / "templates"
        for template in folder.rglob("*.html"):
            try:
                engine.get_template(template.relative_to(folder).as_posix())
            except TemplateSyntaxError as error:
                logging.getLogger("proxima.serve").warning("template %s: %s", template, error)
