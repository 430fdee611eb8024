"""`proxima serve [ADDR]`: the web server and the background-task worker together (the
worker runs referral reminders and digests); stopping one stops the other.

`proxima serve --production [ADDR]` runs gunicorn (proxima/gunicorn_conf.py) with
production settings (PROXIMA_PRODUCTION=1) instead of Django's development server:
static files are collected first and served by whitenoise, the task worker is restarted
if it dies, SIGTERM or SIGINT stops both gracefully, and logs are JSON lines.
"""

import io
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.commands.runserver import Command as RunserverCommand

from proxima import gunicorn_conf

logger = logging.getLogger("proxima.serve")

WORKER_COMMAND = ["-m", "proxima.manage", "db_worker", "--interval", "5", "--no-reload"]
# A task worker that dies sooner than this after starting is restarted after a pause.
QUICK_DEATH_SECONDS = 10
# The development server's task worker writes here (its reminders and digests would
# otherwise print over the address and the demo logins).
WORKER_LOG = "proxima-worker.log"
STOP_GRACE_SECONDS = gunicorn_conf.graceful_timeout + 5


class Command(BaseCommand):
    help = "Run the web server with the background-task worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--production",
            action="store_true",
            help="gunicorn with production settings, static files collected, JSON logs.",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="gunicorn worker processes (default: PROXIMA_WEB_WORKERS or cores + 1).",
        )
        parser.add_argument(
            "--banner",
            default="",
            help="a text file printed last, once the development server listens "
            "(`make run`: the demo logins).",
        )

    def handle(self, addrport: str, production: bool = False, workers=None, banner="", **options):
        if production:
            return self.serve_production(addrport, workers)
        call_command("start-schedules", stdout=io.StringIO())
        log = Path(WORKER_LOG).resolve()
        with open(log, "ab") as output:
            worker = subprocess.Popen(  # noqa: S603
                [sys.executable, *WORKER_COMMAND], stdout=output, stderr=subprocess.STDOUT
            )
        # SIGTERM ends Python without `finally`: as Ctrl-C, so the worker stops too.
        signal.signal(signal.SIGTERM, _interrupt)
        server = _Runserver()
        server.banner = _banner(addrport, banner, log)
        try:
            call_command(server, addrport, use_reloader=False)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()

    def serve_production(self, addrport: str, workers: int | None) -> None:
        if os.environ.get("PROXIMA_PRODUCTION") != "1":
            # Settings are read once per process: start again with production settings.
            os.environ["PROXIMA_PRODUCTION"] = "1"
            command = [sys.executable, "-m", "proxima.manage", "serve", "--production", addrport]
            if workers is not None:
                command += ["--workers", str(workers)]
            os.execv(sys.executable, command)  # noqa: S606 - our own interpreter and module
        if settings.DEBUG:
            raise CommandError("DEBUG is on: production serving needs DEBUG off.")
        if workers is not None and workers < 1:
            raise CommandError("--workers must be at least 1.")
        call_command("collectstatic", interactive=False, verbosity=0)
        schedules = io.StringIO()
        call_command("start-schedules", stdout=schedules)
        logger.info("periodic tasks: %s", "; ".join(schedules.getvalue().split("\n")).strip("; "))
        Supervisor(addrport, workers).run()


class Supervisor:
    """gunicorn and one task worker; the worker is restarted when it dies, and both are
    stopped (SIGTERM, then SIGKILL after the grace period) when we are asked to stop or
    when gunicorn exits."""

    def __init__(self, addrport: str, workers: int | None):
        self.web_command = [sys.executable, "-m", "gunicorn", "-c", "python:proxima.gunicorn_conf"]
        self.web_command += ["--bind", addrport]
        if workers:
            self.web_command += ["--workers", str(workers)]
        self.stopping = False
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.worker_started = 0.0

    def run(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self.stop)
        self.web = subprocess.Popen(self.web_command)  # noqa: S603 - our own interpreter
        self.start_worker()
        exit_code = 0
        while not self.stopping:
            if self.web.poll() is not None:
                logger.error("gunicorn exited (%s): stopping", self.web.returncode)
                exit_code = self.web.returncode or 1
                break
            if self.worker.poll() is not None:
                self.restart_worker()
            time.sleep(0.2)
        self.shutdown()
        if exit_code:
            sys.exit(exit_code)

    def stop(self, signum, frame) -> None:
        logger.info("%s received: stopping", signal.Signals(signum).name)
        self.stopping = True

    def start_worker(self) -> None:
        self.worker = subprocess.Popen([sys.executable, *WORKER_COMMAND])  # noqa: S603
        self.worker_started = time.monotonic()

    def restart_worker(self) -> None:
        lived = time.monotonic() - self.worker_started
        logger.error("task worker exited (%s) after %.0f s", self.worker.returncode, lived)
        if lived < QUICK_DEATH_SECONDS:
            # Dying at once (database down?): do not spin.
            deadline = time.monotonic() + QUICK_DEATH_SECONDS
            while not self.stopping and time.monotonic() < deadline:
                time.sleep(0.2)
        if not self.stopping:
            logger.info("restarting the task worker")
            self.start_worker()

    def shutdown(self) -> None:
        children = [child for child in (self.web, self.worker) if child is not None]
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in children:
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                logger.warning("pid %s did not stop in time: killed", child.pid)
                child.kill()
                child.wait()
        logger.info("stopped")


class _Runserver(RunserverCommand):
    """Django's development server, printing the banner last, once it listens."""

    banner = ""

    def on_bind(self, server_port):
        super().on_bind(server_port)
        self.stdout.write(self.banner)


def _banner(addrport: str, path: str, worker_log: Path) -> str:
    address = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
    lines = ["", f"Proxima: http://{address}/  (API docs: http://{address}/api/docs)"]
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        lines.append(f"Emails sent: files in {settings.EMAIL_FILE_PATH}")
    lines.append(f"Task worker log: {worker_log}")
    if path and Path(path).is_file():
        lines += ["", Path(path).read_text(encoding="utf-8", errors="replace").rstrip()]
    return "\n".join(lines)


def _interrupt(signum, frame):
    raise KeyboardInterrupt
