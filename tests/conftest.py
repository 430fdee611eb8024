import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


def shared_path(*parts: str) -> Path:
    """A path in ../shared, or a skip (a failure in CI, where it must be there)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("PROXIMA_REQUIRE_SHARED"):
            pytest.fail(f"{path} is missing but PROXIMA_REQUIRE_SHARED is set")
        pytest.skip(f"{path} not found: the shared open-data folder is not beside the repository")
    return path


@pytest.fixture
def need_domains(db):
    from proxima.directory.services.taxonomy import load_need_domains

    load_need_domains()


@pytest.fixture(autouse=True)
def _english_off(settings):
    """Tests run in the default locale (French) unless they switch."""
    settings.LANGUAGE_CODE = "fr"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests create hundreds of accounts. (Production's
    hashers are checked in tests/accounts/test_settings.py.)"""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _force_login_signs_in_fully(monkeypatch):
    """`Client.force_login(user)` in tests means "signed in with the password and the
    one-time code", as every real session must be (the sign-in steps themselves are
    tested through the pages in tests/accounts/)."""
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY

        from tests.factories import verified_device

        session = self.session
        session[DEVICE_ID_SESSION_KEY] = verified_device(user).persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


def _teams_table_exists() -> bool:
    """False in the tests that migrate a database back to before teams were a model."""
    from django.db import connection

    return "teams_team" in connection.introspection.table_names()


@pytest.fixture(autouse=True)
def _regions_have_their_standard_teams():
    """Every region a test makes has its establishment's standard teams (info_social,
    social_consultation...), as the migration gave every region that existed and the demo
    gives its own: tests name teams by these codes. (tests/teams/ checks a region without
    them.)"""
    from django.db.models.signals import post_save

    from proxima.core.models import Region
    from proxima.teams.services import ensure_standard_teams

    def give_teams(sender, instance, created, raw=False, **kwargs):
        if created and not raw and _teams_table_exists():
            ensure_standard_teams(instance)

    post_save.connect(give_teams, sender=Region, dispatch_uid="tests-standard-teams")
    yield
    post_save.disconnect(sender=Region, dispatch_uid="tests-standard-teams")
