"""`proxima serve --production`: gunicorn and the task worker, started as an operator would
(a subprocess, a fresh SQLite database, SECRET_KEY and ALLOWED_HOSTS set, behind a proxy
that terminates TLS), answering pages with security headers, static files compressed with
hashed names and a far-future cache, JSON log lines, and a clean stop on SIGTERM."""

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

STARTUP_SECONDS = 60
# Kept between runs: compressing the static files takes seconds the first time only.
STATIC_ROOT = Path(tempfile.gettempdir()) / "proxima-test-staticfiles"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (gunicorn's master, its workers, the task worker)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def get(port: int, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    # As the reverse proxy that terminates TLS would (PROXIMA_BEHIND_PROXY=1).
    connection.request("GET", path, headers={"X-Forwarded-Proto": "https", **(headers or {})})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


@pytest.fixture
def server(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "PROXIMA_", "DJANGO_")) and key != "DEBUG"
    }
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'proxima.sqlite3'}",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "PROXIMA_BEHIND_PROXY": "1",
        "PROXIMA_WEB_THREADS": "2",
        "PROXIMA_STATIC_ROOT": str(STATIC_ROOT),
    }
    manage = [sys.executable, "-m", "proxima.manage"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=tmp_path, env=env, check=True)
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [*manage, "serve", "--production", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    errors: list[str] = []
    readers = [
        threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True),
        threading.Thread(target=lambda: errors.extend(process.stderr), daemon=True),
    ]
    for reader in readers:
        reader.start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            get(port, "/api/hsds/")
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("the server did not start:\n" + "".join(lines + errors)[-3000:])
            time.sleep(0.2)
    yield {"process": process, "port": port, "lines": lines, "errors": errors}
    if process.poll() is None:
        for pid in descendants(process.pid):
            os.kill(pid, signal.SIGKILL)
        process.kill()
        process.wait()


def test_serves_pages_and_static_files_logs_json_and_stops_on_sigterm(server):
    port = server["port"]

    page = get(port, "/")
    assert page.status == 200, page.body[:500]
    assert page.getheader("X-Content-Type-Options") == "nosniff"
    assert page.getheader("X-Frame-Options") == "DENY"
    assert page.getheader("Referrer-Policy") == "same-origin"
    assert page.getheader("X-Request-ID")
    assert "max-age=" in page.getheader("Strict-Transport-Security")
    assert "default-src 'self'" in page.getheader("Content-Security-Policy")
    # Without the proxy's word that the request came over HTTPS: sent to https.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/")
    assert connection.getresponse().getheader("Location", "").startswith("https://")
    connection.close()

    manifest = json.loads((STATIC_ROOT / "staticfiles.json").read_text())
    hashed = manifest["paths"]["core/proxima.css"]
    assert hashed != "core/proxima.css"
    static = get(port, f"/static/{hashed}", {"Accept-Encoding": "gzip, br"})
    assert static.status == 200
    assert static.getheader("Content-Encoding") in {"gzip", "br"}
    cache = static.getheader("Cache-Control")
    assert "immutable" in cache and "max-age=315360000" in cache

    # gunicorn's master, its two workers and the task worker (which may still be starting).
    deadline = time.monotonic() + STARTUP_SECONDS
    while len(children := descendants(server["process"].pid)) < 4:
        assert time.monotonic() < deadline, children
        time.sleep(0.2)
    server["process"].send_signal(signal.SIGTERM)
    assert server["process"].wait(timeout=30) == 0
    time.sleep(0.2)
    assert not [pid for pid in children if is_running(pid)]

    records = [json.loads(line) for line in server["lines"] if line.strip()]
    assert {"time", "level", "logger", "message"} <= records[0].keys()
    requests = [r for r in records if r.get("path") == f"/static/{hashed}"]
    assert requests, records
    assert requests[0]["status"] == 200
    assert requests[0]["request_id"] and requests[0]["duration_ms"] >= 0
    assert any(r["logger"] == "proxima.serve" and r["message"] == "stopped" for r in records)


def test_the_development_server_stops_its_task_worker_on_sigterm(tmp_path):
    """`proxima serve` (runserver and the task worker): SIGTERM left the worker running."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "PROXIMA_", "DJANGO_"))
    }
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'proxima.sqlite3'}", "DEBUG": "1"}
    manage = [sys.executable, "-m", "proxima.manage"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=tmp_path, env=env, check=True)
    port = free_port()
    (tmp_path / "logins.txt").write_text("  admin  password demo\n", encoding="utf-8")
    output = open(tmp_path / "out.txt", "wb")  # noqa: SIM115 - the server's whole life
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [*manage, "serve", f"127.0.0.1:{port}", "--banner", "logins.txt"],
        cwd=tmp_path,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", "/api/hsds/")
                connection.getresponse().read()
                connection.close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        children = descendants(process.pid)
        assert children  # the task worker
        # A quiet start (`make run`): the address and the logins come last, the task
        # worker writes to its own log and emails go to files.
        printed = (tmp_path / "out.txt").read_text(encoding="utf-8").splitlines()
        lines = [line for line in printed if line.strip() and '"GET ' not in line]  # requests
        address = f"http://127.0.0.1:{port}"
        assert lines[-4:] == [
            f"Proxima: {address}/  (API docs: {address}/api/docs)",
            f"Emails sent: files in {tmp_path / 'proxima-emails'}",
            f"Task worker log: {tmp_path / 'proxima-worker.log'}",
            "  admin  password demo",
        ], printed
        assert (tmp_path / "proxima-worker.log").exists()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        time.sleep(0.5)
        assert not [pid for pid in children if is_running(pid)]
    finally:
        for pid in descendants(process.pid):
            os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            process.kill()
        output.close()
