"""Error pages in the reader's language, in the site's look, saying what to do; the
administration's sign-in tells a signed-in non-administrator it is not for them."""

import pytest
from django.test import Client

from proxima.core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def signed_in(role) -> Client:
    client = Client()
    client.force_login(UserFactory(role=role))
    return client


@pytest.mark.parametrize(
    ("language", "title", "what_to_do", "home"),
    [
        ("fr", "Accès refusé", "Que faire : revenez à votre travail", "Aller à ma page d’accueil"),
        ("en", "Access refused", "What to do: go back to your own work", "Go to my home page"),
    ],
)
def test_a_403_says_what_to_do_in_the_readers_language(language, title, what_to_do, home):
    client = signed_in(Role.EVALUATOR)
    client.cookies["django_language"] = language
    page = client.get("/intake/")
    body = page.content.decode()
    assert page.status_code == 403 and f"<h1>{title}</h1>" in body
    assert what_to_do in body and home in body and 'href="/home/"' in body
    assert '<header class="site-header">' in body  # the site's look, not a bare text


def test_a_404_and_the_public_403_say_what_to_do():
    page = signed_in(Role.WORKER_811).get("/services/no-such-service/")
    assert page.status_code == 404 and "Que faire : vérifiez l’adresse" in page.content.decode()
    public = Client().get("/taxonomies/", follow=False)
    assert public.status_code in (302, 403)


def test_the_admin_sign_in_tells_a_signed_in_evaluator_it_is_not_for_them():
    page = signed_in(Role.EVALUATOR).get("/admin/", follow=True)
    assert page.status_code == 403
    assert "réservées à l’administrateur" in page.content.decode()
    anonymous = Client().get("/admin/login/?next=/admin/")
    assert anonymous.status_code == 302 and anonymous["Location"] == "/login/?next=/admin/"


def test_the_icon_a_browser_asks_for_is_an_empty_answer_that_sets_no_cookie():
    """A 404 page holds the language form's CSRF token: answered to an icon request made
    without cookies, it set a new CSRF cookie under a sign-in form opened at the same
    moment, whose post was then refused (a CI run's browser sign-in)."""
    anonymous = Client()
    icon = anonymous.get("/favicon.ico")
    assert icon.status_code == 204 and icon.content == b""
    assert not icon.cookies and "max-age=86400" in icon["Cache-Control"]
    assert anonymous.head("/favicon.ico").status_code == 204
    assert anonymous.post("/favicon.ico").status_code == 405
    missing = anonymous.get("/no-such-page/")  # what the icon request met before
    assert missing.status_code == 404 and "csrftoken" in missing.cookies


def test_every_full_page_says_it_has_no_icon_so_browsers_do_not_ask():
    from pathlib import Path

    import proxima

    pages = [
        path
        for path in Path(proxima.__file__).parent.rglob("templates/**/*.html")
        if "<html" in path.read_text(encoding="utf-8")
    ]
    assert len(pages) >= 5  # the base, the print pages, the error pages, the API docs
    without = [
        str(path)
        for path in pages
        if 'rel="icon"' not in (text := path.read_text(encoding="utf-8"))
        and '{% include "ninja/favicons.html" %}' not in text
    ]
    assert without == []
