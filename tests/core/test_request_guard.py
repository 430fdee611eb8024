"""Bodies the site cannot take are refused before anything reads them, with the reason
in the user's language: too large (413), not JSON for the API (415), unreadable (400)."""

import json

import pytest
from django.conf import settings
from django.test import Client

from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.people.models import Person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

THREE_MB = "x" * (3 * 1024 * 1024)


@pytest.fixture
def worker(db):
    region = Region.objects.create(code="03", name="Capitale-Nationale")
    return UserFactory(role=Role.WORKER_811, region=region, team="info_social")


@pytest.fixture
def browser(worker) -> Client:
    """A signed-in browser: CSRF enforced, token in the cookie and the header."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker)
    client.get("/login/")
    client.defaults["HTTP_X_CSRFTOKEN"] = client.cookies["csrftoken"].value
    return client


def test_a_body_over_the_limit_to_the_api_is_a_413_in_the_callers_language(browser):
    body = json.dumps({"given_name": THREE_MB, "family_name": "Côté"})
    french = browser.post("/api/intake/people", body, content_type="application/json")
    assert french.status_code == 413 and french["Content-Type"].startswith("application/json")
    assert french.json()["detail"] == "La requête est trop volumineuse (au plus 2,0\xa0Mio)."
    english = browser.post(
        "/api/intake/people", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.json()["detail"] == "The request is too large (at most 2.0\xa0MB)."
    assert not Person.objects.exists()


def test_a_body_over_the_limit_to_a_page_is_a_small_413_page(browser):
    french = browser.post("/intake/calls/new/", {"channel": "phone_811", "reason": THREE_MB})
    assert french.status_code == 413 and french["Content-Type"].startswith("text/html")
    assert "La requête est trop volumineuse (au plus 2,0\xa0Mio)." in french.content.decode()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = browser.post("/intake/calls/new/", {"channel": "phone_811", "reason": THREE_MB})
    assert "The request is too large (at most 2.0\xa0MB)." in english.content.decode()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ({"given_name": "Élise", "family_name": "Côté"}, "multipart/form-data; boundary=BoUnDaRy"),
        ("given_name=%C3%89lise&family_name=C%C3%B4t%C3%A9", "application/x-www-form-urlencoded"),
        ('{"given_name": "Élise", "family_name": "Côté"}', "text/plain"),
        ('{"given_name": "Élise", "family_name": "Côté"}', ""),
    ],
)
def test_the_api_takes_json_only_and_says_so(browser, body, content_type):
    """A multipart body raised RawPostDataException (500) once the CSRF check had read it."""
    response = browser.post("/api/intake/people", body, content_type=content_type)
    assert response.status_code == 415
    assert response.json()["detail"] == "Cette API reçoit du JSON (Content-Type: application/json)."
    assert not Person.objects.exists()


def test_unreadable_json_to_the_api_is_a_400_in_the_callers_language(browser):
    for body in (b"\xff\xfe{", b"{", b"[" * 100_000):
        response = browser.post("/api/intake/people", body, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["detail"] == "Le corps de la requête n’est pas du JSON lisible."


def test_a_content_length_that_is_not_a_number_is_a_400(browser):
    response = browser.generic(
        "POST", "/intake/calls/new/", b"channel=phone_811", CONTENT_LENGTH="lots"
    )
    assert response.status_code == 400


def test_a_malformed_multipart_body_to_a_page_is_a_400(browser):
    response = browser.post(
        "/intake/calls/new/", b"--nope\r\n\r\n", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "Le formulaire envoyé est illisible." in response.content.decode()


def test_ninjas_own_refusals_are_in_the_callers_language(worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker)
    body = {"given_name": "Élise", "family_name": "Côté"}
    no_token = client.post("/api/intake/people", body, content_type="application/json")
    assert no_token.status_code == 403
    assert no_token.json()["detail"].startswith("Vérification CSRF échouée")
    unknown = client.get("/api/intake/people/00000000-0000-4000-8000-000000000000")
    assert unknown.status_code == 404 and unknown.json()["detail"] == "Introuvable."
    malformed = client.get("/api/intake/people", {"birth_date": "2024-02-30"})
    assert malformed.status_code == 422
    assert malformed.json()["detail"] == "Requête invalide : voyez errors."
    [error] = malformed.json()["errors"]  # pydantic's own words are English: ours
    assert error["msg"] == "Donnez une date (AAAA-MM-JJ)." and error["type"]
    signed_in = Client()
    signed_in.force_login(worker)
    body = signed_in.post("/api/intake/people", {"given_name": 5}, content_type="application/json")
    messages = {e["loc"][-1]: e["msg"] for e in body.json()["errors"]}
    assert messages == {
        "given_name": "Donnez du texte.",
        "family_name": "Ce champ est obligatoire.",
    }
    english = client.get(
        "/api/intake/people", {"birth_date": "2024-02-30"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.json()["detail"] == "Invalid request: see errors."


@pytest.mark.parametrize(
    ("path", "body", "content_type"),
    [
        ("/api/intake/people?q=%C3%89lise%00", None, None),
        ("/api/referrals?box=sent&status=%00", None, None),
        ("/api/hsds/services/%00", None, None),
        ("/api/intake/people", '{"given_name": "\\u0000", "family_name": "C"}', "application/json"),
        ("/people/?q=%00", None, None),
        ("/intake/calls/new/", "channel=phone_811&reason=%00", "application/x-www-form-urlencoded"),
    ],
)
def test_a_nul_character_anywhere_is_a_400_not_a_database_error(browser, path, body, content_type):
    """PostgreSQL stores no NUL character in text: a query with one was a 500 there."""
    if body is None:
        response = browser.get(path)
    else:
        response = browser.post(path, body, content_type=content_type)
    assert response.status_code == 400
    said = response.json()["detail"] if path.startswith("/api/") else response.content.decode()
    assert "La requête contient un caractère NUL" in said
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("path", "body", "content_type"),
    [
        (
            "/api/intake/contacts",
            '{"channel": "phone_811", "reason": "\\ud800"}',
            "application/json",
        ),
        (
            "/api/intake/people",
            '{"given_name": "\\udc00x", "family_name": "C"}',
            "application/json",
        ),
        ("/people/?q=%FF%FE", None, None),
        ("/api/intake/people?q=%C3", None, None),
        (
            "/intake/calls/new/",
            "channel=phone_811&reason=%FF%FE",
            "application/x-www-form-urlencoded",
        ),
        (
            "/intake/calls/new/",
            b"channel=phone_811&reason=\xff\xfe",
            "application/x-www-form-urlencoded",
        ),
    ],
)
def test_what_is_not_text_is_a_400_not_garbled_nor_a_500(browser, path, body, content_type):
    """A lone surrogate escape in JSON was a 500 (the database cannot encode it); bytes
    that are not UTF-8 in a form were stored garbled."""
    from proxima.intake.models import ContactEpisode

    if body is None:
        response = browser.get(path)
    else:
        response = browser.post(path, body, content_type=content_type)
    assert response.status_code == 400
    said = response.json()["detail"] if path.startswith("/api/") else response.content.decode()
    assert "La requête contient des caractères qui ne sont pas du texte." in said
    assert not Person.objects.exists() and not ContactEpisode.objects.exists()


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (
            "/api/intake/people",
            '{"given_name": "\\ud83d\\ude00 %00", "family_name": "C\\u00f4t\\u00e9"}',
        ),
    ],
)
def test_text_that_only_looks_odd_is_taken(browser, path, body):
    """An emoji written as a surrogate pair, and "%00" inside a JSON string, are text."""
    response = browser.post(path, body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Person.objects.get().given_name == "\U0001f600 %00"


def multipart(part_headers: str, payload: bytes) -> bytes:
    return (
        b"--BoUnDaRy\r\n"
        b'Content-Disposition: form-data; name="channel"\r\n\r\nphone_811\r\n'
        b"--BoUnDaRy\r\n"
        b'Content-Disposition: form-data; name="reason"\r\n'
        + part_headers.encode()
        + b"\r\n"
        + payload
        + b"\r\n--BoUnDaRy--\r\n"
    )


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (
            multipart("Content-Transfer-Encoding: base64\r\n", b"aGVsbG8Ad29ybGQ="),
            "caractère NUL",
        ),
        (multipart("", b"caf\xe9 \xff"), "ne sont pas du texte"),
    ],
    ids=["nul-in-base64", "latin-1-bytes"],
)
def test_a_multipart_form_is_checked_once_decoded(browser, body, said):
    """A part in base64 hides a NUL from the raw body (a 500 on PostgreSQL); bytes that
    are not UTF-8 were kept as U+FFFD."""
    from proxima.intake.models import ContactEpisode

    response = browser.post(
        "/intake/calls/new/", body, content_type="multipart/form-data; boundary=BoUnDaRy"
    )
    assert response.status_code == 400 and said in response.content.decode()
    assert not ContactEpisode.objects.exists()


def test_a_nul_in_a_header_is_a_400(db):
    """django-axes writes the User-Agent of a failed sign-in to the database."""
    response = Client(HTTP_USER_AGENT="Mozilla\x00evil").post(
        "/login/", {"username": "x", "password": "y"}
    )
    assert response.status_code == 400
