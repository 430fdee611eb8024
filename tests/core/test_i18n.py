"""French is the default and complete: every message has a translation, and the compiled
catalog matches the source one."""

import gettext
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "src" / "proxima" / "locale" / "fr" / "LC_MESSAGES"
ENTRY = re.compile(
    r'^msgid "(?P<id>(?:[^"\\]|\\.)*)"\n(?:msgid_plural "(?:[^"\\]|\\.)*"\n)?'
    r'(?P<strs>(?:msgstr(?:\[\d\])? ".*"\n(?:".*"\n)*)+)',
    re.MULTILINE,
)


def po_entries() -> dict[str, str]:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in text, "fuzzy entries are not used by Django"
    entries = {}
    for match in ENTRY.finditer(text):
        if match.group("id"):
            entries[match.group("id")] = match.group("strs")
    return entries


def unescape(msgid: str) -> str:
    return msgid.replace('\\"', '"').replace("\\n", "\n")


def test_every_message_is_translated_to_french():
    entries = po_entries()
    assert len(entries) > 150
    untranslated = [
        msgid for msgid, strs in entries.items() if re.search(r'msgstr(\[\d\])? ""\n(?!")', strs)
    ]
    assert not untranslated


def test_compiled_catalog_matches_the_source():
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    # A message with a context ("agreement status") is compiled as "context\x04message".
    ids = {
        (key if isinstance(key, str) else key[0]).split("\x04")[-1]
        for key in compiled._catalog
        if key
    }
    missing = [msgid for msgid in po_entries() if unescape(msgid) not in ids]
    assert not missing, f"run `make messages`: {missing[:5]}"


def test_french_is_the_default_and_english_is_available(db):
    html = Client().get("/").content.decode()
    assert '<html lang="fr">' in html
    with translation.override("en"):
        assert translation.gettext("Open now") == "Open now"
    with translation.override("fr"):
        assert translation.gettext("Open now") == "Ouvert maintenant"


@pytest.mark.parametrize(
    "language, expected", [("fr", "24 novembre 2026"), ("en", "Nov. 24, 2026")]
)
def test_dates_are_localized(language, expected):
    from datetime import date

    from django.utils.formats import date_format

    with translation.override(language):
        assert date_format(date(2026, 11, 24)) == expected


def test_pages_stay_french_for_an_english_browser_until_english_is_chosen(db):
    browser = Client(headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="fr">' in browser.get("/").content.decode()
    browser.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in browser.get("/").content.decode()


def test_the_api_follows_accept_language(db):
    english = Client(headers={"accept-language": "en"}).get("/api/hsds/services", {"page": 0})
    assert "page number" in english.json()["detail"]
    french = Client().get("/api/hsds/services", {"page": 0})
    assert "numéro de page" in french.json()["detail"]


def test_the_language_chosen_becomes_the_accounts_for_notices_and_emails(db):
    """Notices about referrals are written in the account's language: choosing English
    with the switch makes it the account's (it stayed French)."""
    from proxima.core.models import Region
    from proxima.core.roles import Role
    from tests.factories import UserFactory

    region = Region.objects.create(code="03", name="Capitale-Nationale")
    user = UserFactory(role=Role.WORKER_811, region=region, preferred_language="fr")
    client = Client()
    client.force_login(user)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "en"
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "en"  # an unknown language changes nothing
    assert Client().post("/i18n/setlang/", {"language": "en"}).status_code == 302  # public


def test_french_has_no_point_median():
    """Quebec's public-service French writes "intervenant ou intervenante" (or an epicene
    word), not "intervenant·e": in the catalogue and in the data shown to people."""
    pattern = re.compile(r"\w·\w")
    found = [strs for strs in po_entries().values() if pattern.search(strs)]
    source = LOCALE.parents[2]
    found += [
        f"{path.name}: {line.strip()}"
        for path in source.rglob("*")
        if path.suffix in {".json", ".html", ".py", ".txt"} and "locale" not in path.parts
        for line in path.read_text(encoding="utf-8").splitlines()
        if pattern.search(line)
    ]
    assert not found, found
