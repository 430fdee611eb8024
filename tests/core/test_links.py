"""Only http, https, mailto and tel links are ever offered to a click: checked at import
(tests/directory/test_hsds_io.py), in forms and models, and at render."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from proxima.core.links import SAFE_SCHEMES, safe_link, validate_safe_link
from proxima.directory.models import Service
from tests.factories import make_service

UNSAFE = [
    "javascript:alert(5)",
    "JaVaScRiPt:alert(5)",
    "  javascript:alert(5)",
    "java\tscript:alert(5)",
    "java\nscript:alert(5)",
    "\x01javascript:alert(5)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==",
    "//evil.example/steal",
    "https:alert(5)",
    'http://ok.example/"onmouseover="alert(5)',
    "file:///etc/passwd",
    "/relative/path",
    "pas un lien",
]
SAFE = {
    "https://aide.example.org/repas": "https://aide.example.org/repas",
    "http://aide.example.org": "http://aide.example.org",
    "HTTPS://AIDE.EXAMPLE.ORG": "HTTPS://AIDE.EXAMPLE.ORG",
    "mailto:accueil@aide.example.org": "mailto:accueil@aide.example.org",
    "tel:+1-418-555-0101": "tel:+1-418-555-0101",
    "www.aide.example.org/repas": "https://www.aide.example.org/repas",
}


@pytest.mark.parametrize("link", UNSAFE)
def test_unsafe_links_are_never_offered(link):
    assert safe_link(link) == ""
    with pytest.raises(ValidationError):
        validate_safe_link(link)


@pytest.mark.parametrize(("link", "href"), SAFE.items())
def test_web_email_and_phone_links_are_kept(link, href):
    assert safe_link(link) == href
    validate_safe_link(link)


@given(st.text(max_size=80))
def test_any_text_gives_a_safe_link_or_none(text):
    href = safe_link(text)
    assert href == "" or href.split(":", 1)[0].lower() in SAFE_SCHEMES


@pytest.mark.django_db
def test_a_stored_javascript_link_is_not_clickable_on_the_public_page(client, need_domains):
    service = make_service("Comptoir alimentaire", domain="food")
    # As if it came in before links were checked (the migration empties these too).
    Service.objects.filter(pk=service.pk).update(url="javascript:alert(5)")
    page = client.get(f"/services/{service.pk}/").content.decode()
    assert 'href="javascript' not in page.lower()
    Service.objects.filter(pk=service.pk).update(url="https://comptoir.example.org")
    page = client.get(f"/services/{service.pk}/").content.decode()
    assert 'href="https://comptoir.example.org"' in page


@pytest.mark.django_db
def test_a_model_form_refuses_an_unsafe_website(need_domains):
    service = make_service("Comptoir alimentaire", domain="food")
    service.url = "javascript:alert(5)"
    with pytest.raises(ValidationError) as refused:
        service.full_clean()
    assert "url" in refused.value.message_dict
