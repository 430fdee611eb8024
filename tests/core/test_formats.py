"""Hours, numbers, distances and language names as a person reads them: Quebec
public-service French ("13 h à 16 h 30", "1,8 km", "arabe"), Canadian English."""

import pytest
from django.utils import translation

from proxima.core import formats


@pytest.mark.parametrize(
    ("language", "opens", "closes", "expected"),
    [
        ("fr", 13 * 60, 16 * 60 + 30, "13 h à 16 h 30"),
        ("fr", 9 * 60, 17 * 60, "9 h à 17 h"),
        ("fr", 0, 24 * 60, "24 h sur 24"),
        ("fr", 22 * 60, 2 * 60 + 5, "22 h à 2 h 05"),
        ("en", 13 * 60, 16 * 60 + 30, "1 p.m. to 4:30 p.m."),
        ("en", 9 * 60, 12 * 60, "9 a.m. to noon"),
        ("en", 0, 24 * 60, "24 hours a day"),
        ("en", 22 * 60 + 15, 2 * 60, "10:15 p.m. to 2 a.m."),
    ],
)
def test_hours(language, opens, closes, expected):
    with translation.override(language):
        assert formats.time_span(opens, closes) == expected


@pytest.mark.parametrize(
    ("language", "km", "expected"),
    [("fr", 1.84, "1,8 km"), ("en", 1.84, "1.8 km"), ("fr", 12.4, "12 km"), ("fr", 0.04, "0,0 km")],
)
def test_distances_use_the_languages_decimal_sign(language, km, expected):
    with translation.override(language):
        assert formats.distance_km(km) == expected


@pytest.mark.parametrize(
    ("language", "code", "expected"),
    [
        ("fr", "fr", "français"),
        ("fr", "ar", "arabe"),
        ("fr", "fr-CA", "français"),
        ("fr", "moe", "innu"),
        ("en", "ar", "Arabic"),
        ("en", "iu", "Inuktitut"),
        ("fr", "zz", "zz"),
    ],
)
def test_language_codes_are_named_in_the_readers_language(language, code, expected):
    with translation.override(language):
        assert formats.language_name(code) == expected


@pytest.mark.django_db
def test_a_search_says_distance_and_languages_in_french(need_domains):
    from proxima.directory.services.search import SearchQuery, search_services
    from tests.factories import make_service

    make_service("Accueil", "Accueil des familles.", point=(46.8283, -71.2164), languages=("ar",))
    with translation.override("fr"):
        hit = search_services(
            SearchQuery(text="accueil familles", postal_code="G1K 3B2", languages=["ar"])
        ).hits[0]
    assert any(r.endswith(" km") and "," in r for r in hit.reasons), hit.reasons
    assert "Offert en : arabe" in hit.reasons
    with translation.override("fr"):
        hit = search_services(
            SearchQuery(text="accueil", delivery_modes=["in_person", "home_visit"])
        ).hits[0]
    assert "Prestation : en personne, visites à domicile" in hit.reasons


def test_words_sort_as_a_reader_expects():
    words = ["Emploi", "éducation", "Droit", "Zoothérapie", "Écoute", "aide"]
    assert sorted(words, key=formats.collation_key) == [
        "aide",
        "Droit",
        "Écoute",
        "éducation",
        "Emploi",
        "Zoothérapie",
    ]


@pytest.mark.django_db
def test_the_referral_forms_needs_are_in_the_readers_order(need_domains):
    from django.test import Client

    from proxima.core.models import Region
    from proxima.core.roles import Role
    from tests.factories import UserFactory

    worker = UserFactory(
        role=Role.WORKER_811, region=Region.objects.create(code="03", name="Capitale-Nationale")
    )
    client = Client()
    client.force_login(worker)
    for language in ("fr", "en"):
        client.cookies["django_language"] = language
        page = client.get("/referrals/new/").content.decode()
        select = page[page.index('id="need_domain"') :]
        select = select[: select.index("</select>")]
        import re

        shown = re.findall(r">([^<]+)</option>", select)
        assert len(shown) > 5 and shown == sorted(shown, key=formats.collation_key), shown


@pytest.mark.parametrize(
    ("language", "km", "expected"),
    [
        ("fr", 1234.5, "1\N{NO-BREAK SPACE}234 km"),
        ("en", 1234.5, "1,234 km"),
        ("fr", 1.84, "1,8 km"),
    ],
)
def test_long_distances_are_grouped(language, km, expected):
    with translation.override(language):
        assert formats.distance_km(km) == expected
