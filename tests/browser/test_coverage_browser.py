"""The coverage map in a real browser: a coordinator opens it, switches the measure,
sorts the table and opens a territory's table."""

import re

import pytest
from playwright.sync_api import expect
from shapely.geometry import box

from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.directory.services.search_backends import backend
from proxima.directory.services.taxonomy import load_need_domains
from proxima.territories.services import save_territory
from tests.browser.conftest import sign_in
from tests.factories import UserFactory, make_service

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def coordinator():
    backend().clear()
    load_need_domains()
    region, _ = save_territory("region", "03", "Capitale-Nationale", box(-72, 46, -70, 48))
    save_territory("neighbourhood", "A", "Ouest", box(-71.30, 46.80, -71.25, 46.85), parent=region)
    save_territory("neighbourhood", "B", "Est", box(-71.25, 46.80, -71.20, 46.85), parent=region)
    make_service("Souper", domain="food", point=(46.82, -71.28), hours=[("SA", "17:00", "20:00")])
    make_service("Comptoir", domain="food", point=(46.83, -71.27))
    return UserFactory(
        role=Role.COORDINATOR, region=Region.objects.get(code="03"), username="coordo"
    )


def test_open_the_map_switch_the_measure_and_open_a_territory(page, coordinator):
    sign_in(page, page.base_url, coordinator, "secret-pass-123", "/coverage/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Couverture des besoins par territoire"
    )
    # The outlines are drawn (our own, no tiles), each a link named with its figures.
    west = page.get_by_role("link", name=re.compile(r"^Ouest — services accessibles : 2"))
    expect(west).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Est — .*rien d’accessible"))).to_be_visible()
    page.get_by_label("Colorer selon").select_option("weekends")
    page.get_by_role("button", name="Afficher").click()
    expect(
        page.get_by_role("link", name=re.compile(r"^Ouest — ouvert la fin de semaine : 1"))
    ).to_be_visible()
    # The table sorts by a column, most first.
    page.get_by_role("button", name="services accessibles").click()
    first = page.locator("#coverage-table tbody tr").first
    expect(first.locator("th")).to_have_text("Ouest")
    first.get_by_role("link", name="Ouest").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ouest")
    expect(page.get_by_role("row", name=re.compile("^Aide alimentaire"))).to_be_visible()
