"""The public search on a phone: the query box first and focused, the filters folded
behind one button that counts the active ones, every filter refreshing the results, and
cards that say at a glance the number to call, today's hours, the distance and whether
it is open now."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from proxima.directory.models import Phone
from proxima.directory.services.search_backends import backend
from proxima.directory.services.taxonomy import load_need_domains
from tests.browser.conftest import check_accessibility, watch_addresses
from tests.factories import make_service

pytestmark = pytest.mark.django_db(transaction=True)
DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@pytest.fixture
def directory():
    backend().clear()  # a transactional flush does not reach the full-text table
    load_need_domains()
    always = make_service(
        "Dépannage alimentaire 24/7",
        "Paniers de nourriture à toute heure.",
        domain="food",
        point=(46.8139, -71.2247),
        hours=[("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59")],
    )
    Phone.objects.create(
        id="9d4c5c0e-0000-4000-8000-000000000001", service=always, number="418 555-0101"
    )
    other_day = DAY_CODES[(timezone.localtime().weekday() + 3) % 7]
    make_service(
        "Comptoir du jeudi",
        "Distribution alimentaire une fois par semaine.",
        domain="food",
        point=(46.82, -71.23),
        hours=[(other_day, "13:00", "14:00")],
    )


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        locale="fr-CA", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url
    visited = watch_addresses(context, live_server.url)
    yield page
    problems = check_accessibility(context, visited)
    context.close()
    assert not problems, "accessibility (axe-core):\n" + "\n".join(problems)


def test_search_on_a_phone(phone, directory):
    page = phone
    page.goto(page.base_url + "/")
    query = page.get_by_label("Que cherchez-vous ?")
    expect(query).to_be_focused()
    open_now = page.get_by_label("Ouvert maintenant")
    expect(open_now).to_be_hidden()  # folded: the results come first on a small screen
    query.fill("banque alimentaire")
    query.press("Enter")
    results = page.locator("ol.results > li")
    expect(results).to_have_count(2)
    first = results.filter(has_text="Dépannage alimentaire 24/7")
    expect(first.get_by_role("link", name="418 555-0101")).to_have_attribute(
        "href", "tel:4185550101"
    )
    expect(first).to_contain_text("Aujourd’hui : 24 h sur 24")
    expect(first.locator(".badge.open-now")).to_have_text("Ouvert maintenant")
    expect(results.filter(has_text="Comptoir du jeudi")).to_contain_text("Fermé aujourd’hui")
    box = query.bounding_box()
    assert box["y"] < 300  # the query box first, above the fold

    page.get_by_text("Filtres", exact=False).first.click()
    expect(open_now).to_be_visible()
    open_now.check()  # no "Search" click: the change refreshes the results
    expect(results).to_have_count(1)
    expect(page.locator("#filter-count")).to_have_text("(1 actif)")
