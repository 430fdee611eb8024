"""Production settings: DEBUG off unless asked, a real secret, HTTPS only, strict CSP;
`proxima check --deploy` gives no warning."""

import os
import subprocess
import sys

import pytest

from proxima import settings as project_settings

pytestmark = pytest.mark.django_db

PRODUCTION_ENV = {
    "PROXIMA_PRODUCTION": "1",
    "SECRET_KEY": "k" * 20 + "production-secret-for-the-test-only-0123456789",
    "ALLOWED_HOSTS": "proxima.example.org",
}


def run_proxima(*args: str, env: dict, tmp_path) -> subprocess.CompletedProcess:
    unwanted = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    return subprocess.run(
        [sys.executable, "-m", "proxima.manage", *args],
        env={**clean, **env},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_a_warning(tmp_path):
    result = run_proxima(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_proxima("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_debug_is_off_unless_asked_and_the_key_is_never_a_published_one(tmp_path):
    script = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY)"
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "PROXIMA_PRODUCTION"}
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proxima.settings'); django.setup(); {script}",
        ],
        env=clean,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    debug, key = result.stdout.split()
    assert debug == "False"
    assert len(key) >= 50 and "insecure" not in key
    assert (tmp_path / ".proxima-secret-key").read_text().strip() == key
    assert oct((tmp_path / ".proxima-secret-key").stat().st_mode & 0o777) == "0o600"


def test_passwords_are_hashed_with_argon2():
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_every_page_carries_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_the_written_matrix_in_the_docs_is_the_one_the_code_enforces():
    from pathlib import Path

    from proxima.core.roles import matrix_table

    docs = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
    assert matrix_table() in docs.read_text(encoding="utf-8")


def test_a_foreign_host_header_is_a_400_not_a_500(client):
    page = client.get("/", HTTP_HOST="evil.example")
    assert page.status_code == 400 and "Requête refusée" in page.content.decode()
    api = client.get("/api/hsds/services", HTTP_HOST="evil.example")
    assert api.status_code == 400 and api.json()["detail"]


def test_short_dates_in_english_cannot_be_misread_against_french():
    """December 1 is 01/12/2026 in French: English shows 2026-12-01, not the US 12/01/2026."""
    from datetime import datetime

    from django.utils import formats, translation

    moment = datetime(2026, 12, 1, 9, 30)
    with translation.override("en"):
        assert formats.date_format(moment, "SHORT_DATE_FORMAT") == "2026-12-01"
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "2026-12-01 9:30 a.m."
    with translation.override("fr"):
        assert formats.date_format(moment, "SHORT_DATE_FORMAT") == "01/12/2026"


def test_a_sqlite_database_is_readable_by_its_owner_only(tmp_path):
    """It was 0644 once migrated or restored: readable by every account of the machine."""
    import sqlite3

    from django.db import connections
    from django.db.utils import load_backend

    if connections["default"].vendor != "sqlite":
        pytest.skip("a SQLite file: the suite runs on PostgreSQL")
    path = tmp_path / "proxima.sqlite3"
    sqlite3.connect(path).close()
    path.chmod(0o644)
    settings_dict = {**connections["default"].settings_dict, "NAME": str(path)}
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "private")
    try:
        wrapper.ensure_connection()
        assert path.stat().st_mode & 0o777 == 0o600
        for companion in (tmp_path / "proxima.sqlite3-wal", tmp_path / "proxima.sqlite3-shm"):
            if companion.exists():
                assert companion.stat().st_mode & 0o777 == 0o600
    finally:
        wrapper.close()
