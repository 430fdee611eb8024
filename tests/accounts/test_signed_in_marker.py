"""The cookie naming the account a browser is signed in with (for the offline outreach
form's script): set once signed in with both factors, removed when signed out."""

import pytest
from django.conf import settings
from django.test import Client

from proxima.core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NAME = settings.PROXIMA_SIGNED_IN_COOKIE


def test_set_while_signed_in_and_removed_on_signing_out(db):
    user = UserFactory(role=Role.CLSC_WORKER)
    client = Client()
    client.force_login(user)
    answer = client.get("/home/")
    marker = answer.cookies[NAME]
    assert marker.value == str(user.pk) and not marker["httponly"]
    assert NAME not in client.get("/home/").cookies  # set once, not on every answer
    out = client.post("/logout/")
    assert out.cookies[NAME].value == "" and out.cookies[NAME]["max-age"] == 0


def test_never_set_for_someone_not_signed_in(client):
    assert NAME not in client.get("/").cookies
    client.cookies[NAME] = "42"  # left from an earlier session: removed
    assert client.get("/").cookies[NAME].value == ""


def test_gone_with_the_browser_and_with_an_idle_session(db):
    user = UserFactory(role=Role.CLSC_WORKER)
    client = Client()
    client.force_login(user)
    marker = client.get("/home/").cookies[NAME]
    assert marker["max-age"] == "" and marker["expires"] == ""  # a browser-session cookie
    session = client.session
    session["last_activity"] = 0  # idle for ever: the next answer signs out
    session.save()
    assert client.get("/home/").cookies[NAME].value == ""
