"""Precision: words any listing may hold ("aide", "help", "service", "programme") never make
a match alone, and a search that finds nothing says one thing, not two."""

import pytest
from django.test import Client

from proxima.directory.services.search import SearchQuery, search_services
from tests.factories import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def listings(need_domains):
    return {
        "transport": make_service(
            "Aide au transport médical", "Un service d'aide pour aller à vos rendez-vous"
        ),
        "food": make_service(
            "Banque alimentaire Saint-Roch", "Paniers de nourriture", domain="food"
        ),
    }


def names(text: str) -> list[str]:
    return [hit.service.name for hit in search_services(SearchQuery(text=text)).hits]


@pytest.mark.parametrize(
    "text",
    [
        "aide",
        "help",
        "service",
        "programme",
        "besoin d'aide",
        "I need help",
        # The verb's other forms (an outsider's probe: each listed caregivers' services).
        "aidez-moi",
        "aidé",
        "aidera",
        "helped",
        "aide svp",
        "please help",
        "au secours",
        "SOS",
    ],
)
def test_generic_words_alone_find_nothing(listings, text):
    results = search_services(SearchQuery(text=text))
    assert results.hits == [] and results.only_generic


def test_a_generic_word_beside_a_real_one_does_not_bring_noise(listings):
    assert names("food bank help") == ["Banque alimentaire Saint-Roch"]
    assert names("aide banque alimentaire") == ["Banque alimentaire Saint-Roch"]


def test_the_page_says_one_thing_when_nothing_matches(listings):
    page = Client().get("/", {"q": "aide"}).content.decode()
    assert "Précisez un peu" in page
    assert "ne correspond à tous les mots" not in page
    nothing = Client().get("/", {"q": "zzzz yyyy"}).content.decode()
    assert "Aucun service ne correspond." in nothing
    assert "ne correspond à tous les mots" not in nothing  # not both messages


@pytest.mark.parametrize("text", ["!!!", "😀", "*", '"', "en", "(((", "AND OR"])
def test_a_search_with_nothing_to_look_for_asks_for_more_not_everything(need_domains, text):
    make_service("Banque alimentaire", "Paniers.", domain="food")
    results = search_services(SearchQuery(text=text))
    assert results.hits == [] and results.only_generic


def test_caregivers_are_not_a_generic_word(need_domains):
    make_service("Soutien aux proches aidants", "Répit et écoute.")
    assert names("proches aidants") == ["Soutien aux proches aidants"]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("urgence alimentaire", "Banque alimentaire Saint-Roch"),
        ("emergency dental", "Clinique dentaire"),
        ("dépannage alimentaire d'urgence", "Banque alimentaire Saint-Roch"),
    ],
)
def test_an_urgent_need_is_that_need_not_a_crisis(listings, text, first):
    """ "Urgence"/"emergency" alone is a crisis; with another need's words it says that
    need is urgent (an outsider's probe: the crisis line came before the food banks)."""
    make_service("Ligne d'intervention de crise 24/7", "Ligne de crise.", domain="crisis")
    make_service("Clinique dentaire", "Emergency dental care, dentist.", text_language="en")
    assert names(text)[0] == first
    assert names("urgence")[0] == "Ligne d'intervention de crise 24/7"
