"""Logs as JSON lines in production: one object per line with time, level, logger and
message, and for each request its id, method, path, status and duration.

The request id comes from the reverse proxy's `X-Request-ID` when it sends one (so a line
of nginx's log and one of ours can be matched), otherwise it is made here; it is sent back
in the response's `X-Request-ID` and added to every line logged while the request runs.
Used by settings.LOGGING (Django, the task worker) and by the gunicorn configuration
(proxima/gunicorn_conf.py: its own lines and the access log).
"""

import logging
import os
import re
import sys
import uuid
from contextvars import ContextVar

from gunicorn import glogging
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
ENVIRON_KEY = "proxima.request_id"
# A proxy's id is kept only when it looks like one (no spaces, quotes or control characters).
ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

current_request_id: ContextVar[str] = ContextVar("request_id", default="")


class JsonFormatter(BaseJsonFormatter):
    """`{"time": ..., "level": ..., "logger": ..., "message": ...}` plus any extra fields
    and the current request's id."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        kwargs.setdefault("datefmt", "%Y-%m-%dT%H:%M:%S%z")
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        request_id = getattr(record, "request_id", "") or current_request_id.get()
        if request_id:
            log_data["request_id"] = request_id


def with_request_id(application):
    """WSGI middleware: every request gets an id (the proxy's or a new one), kept in
    `current_request_id` while it runs and returned in `X-Request-ID`."""

    def run(environ, start_response):
        given = environ.get(REQUEST_ID_HEADER, "")
        request_id = given if ACCEPTABLE_ID.fullmatch(given) else uuid.uuid4().hex
        environ[ENVIRON_KEY] = request_id
        token = current_request_id.set(request_id)

        def start(status, headers, exc_info=None):
            return start_response(status, [*headers, ("X-Request-ID", request_id)], exc_info)

        try:
            return application(environ, start)
        finally:
            current_request_id.reset(token)

    return run


def client_address(environ) -> str:
    """The caller: the address our reverse proxy appended last to X-Forwarded-For when
    PROXIMA_BEHIND_PROXY says there is one (as the sign-in audit does), else the peer's."""
    forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
    if os.environ.get("PROXIMA_BEHIND_PROXY") == "1" and forwarded:
        return forwarded.split(",")[-1].strip()[:64]
    return environ.get("REMOTE_ADDR", "")


class GunicornJsonLogger(glogging.Logger):
    """Gunicorn's own lines and its access log as JSON lines on standard output."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())
                if isinstance(handler, logging.StreamHandler) and not isinstance(
                    handler, logging.FileHandler
                ):
                    handler.setStream(sys.stdout)

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        query = environ.get("QUERY_STRING", "")
        self.access_log.info(
            "%s %s %s",
            environ.get("REQUEST_METHOD"),
            environ.get("PATH_INFO"),
            status,
            extra={
                "request_id": environ.get(ENVIRON_KEY, ""),
                "method": environ.get("REQUEST_METHOD"),
                # The path only: a query string may hold what a person searched for.
                "path": environ.get("PATH_INFO"),
                "has_query": bool(query),
                "status": int(status) if str(status).isdigit() else status,
                "duration_ms": round(request_time.total_seconds() * 1000, 2),
                "bytes": getattr(resp, "sent", None),
                "remote_addr": client_address(environ),
            },
        )
