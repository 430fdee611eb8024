"""A worker's path through the directory in a real browser: search in French, filter
open now, switch to English, open a result."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from proxima.directory.services.search_backends import backend
from proxima.directory.services.taxonomy import load_need_domains
from tests.factories import make_neighbourhood, make_service

pytestmark = pytest.mark.django_db(transaction=True)
DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@pytest.fixture
def directory():
    backend().clear()  # a transactional flush does not reach the full-text table
    load_need_domains()
    other_day = DAY_CODES[(timezone.localtime().weekday() + 3) % 7]
    make_service(
        "Dépannage alimentaire 24/7",
        "Paniers de nourriture à toute heure.",
        domain="food",
        point=(46.8139, -71.2247),
        hours=[("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59")],
        translations={"en": {"name": "Emergency food 24/7", "description": "Food baskets."}},
        email="accueil.depannage-alimentaire-24-7@organisme-communautaire.demo.example",
    )
    make_service(
        "Comptoir du jeudi",
        "Distribution alimentaire une fois par semaine.",
        domain="food",
        point=(46.82, -71.23),
        hours=[(other_day, "13:00", "14:00")],
    )
    make_service("Ligue de soccer", "Soccer pour jeunes.", domain="sports")
    make_neighbourhood("quebec-saint-roch", "Saint-Roch", (46.8139, -71.2247))


def test_search_in_french_filter_open_now_switch_to_english_and_open_a_result(page, directory):
    page.goto(page.base_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trouver une ressource communautaire")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.get_by_label("Que cherchez-vous ?").fill("on n'a plus rien dans le frigo")
    page.get_by_role("button", name="Rechercher").click()
    results = page.locator("ol.results > li")
    expect(results).to_have_count(2)
    expect(results.get_by_role("link", name="Comptoir du jeudi")).to_be_visible()
    expect(results.get_by_text("Ligue de soccer")).to_have_count(0)

    page.get_by_label("Ouvert maintenant").check()
    page.get_by_role("button", name="Rechercher").click()
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Dépannage alimentaire 24/7")
    expect(page).to_have_url(re.compile(r"open_now=on"))

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a community resource")
    expect(page.get_by_label("Open now")).to_be_checked()  # the search survived the switch
    expect(results).to_have_count(1)

    results.get_by_role("link", name="Emergency food 24/7").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Emergency food 24/7")
    expect(page.get_by_text("Food baskets.")).to_be_visible()


def test_keyboard_only_search(page, directory):
    page.goto(page.base_url + "/")
    # The query box has the focus on arrival; the skip link is still the first stop.
    expect(page.get_by_label("Que cherchez-vous ?")).to_be_focused()
    first_stop = page.evaluate(
        "document.querySelector('a[href], button, input, select, textarea').textContent"
    )
    assert first_stop == "Aller au contenu"
    page.keyboard.type("soccer")
    page.keyboard.press("Enter")
    expect(page.locator("ol.results > li")).to_have_count(1)
    expect(page.locator("ol.results").get_by_role("link", name="Ligue de soccer")).to_be_visible()


def test_pages_fit_a_phone_screen(page, directory):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(page.base_url + "/?q=alimentaire")
    fits = "document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(fits)
    page.locator("ol.results").get_by_role("link", name="Dépannage alimentaire 24/7").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dépannage alimentaire 24/7")
    assert page.evaluate(fits)


def test_the_map_shows_where_and_its_pins_work_from_the_keyboard(page, directory):
    page.goto(page.base_url + "/?q=alimentaire&postal_code=G1K+3B2")
    figure = page.locator("svg.map")
    expect(figure).to_be_visible()
    # Something to orient by: our neighbourhoods, a postal area, a scale, north.
    expect(figure.locator(".landmarks text", has_text="Saint-Roch")).to_have_count(1)
    expect(figure.locator(".scale text")).to_have_text(re.compile(r"^\d+ (m|km)$|^\d+,\d km$"))
    pin = page.get_by_role("link", name=re.compile(r"^1\. "))
    for _ in range(60):  # Tab through the page until the first pin has the focus
        page.keyboard.press("Tab")
        if pin.evaluate("element => element === document.activeElement"):
            break
    expect(pin).to_be_focused()
    name = pin.get_attribute("aria-label").split(". ", 1)[1]
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
