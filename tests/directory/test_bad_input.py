"""Malformed input to the directory (HSDS API and search page): a 4xx with a reason in the
caller's language, or the empty page HSDS describes, never a 500."""

import pytest
from django.test import Client

from tests.factories import make_service

pytestmark = pytest.mark.django_db

LIST_ROUTES = ("services", "organizations", "service_at_locations", "taxonomies", "taxonomy_terms")
BEYOND_64_BITS = "99999999999999999999"


@pytest.fixture
def listed(need_domains):
    return make_service("Dépannage alimentaire", domain="food", point=(46.8139, -71.2247))


@pytest.mark.parametrize("route", LIST_ROUTES)
def test_a_page_beyond_the_last_is_an_empty_page_even_beyond_64_bits(listed, route):
    """HSDS pages carry `empty`: a page past the end is empty, however far past."""
    response = Client().get(f"/api/hsds/{route}", {"page": BEYOND_64_BITS})
    assert response.status_code == 200, response.content
    page = response.json()
    assert page["empty"] is True and page["contents"] == [] and page["last_page"] is True
    assert page["page_number"] == int(BEYOND_64_BITS) and page["total_items"] >= 1


@pytest.mark.parametrize("search", ["  ", "alimentaire"])
def test_a_far_page_of_a_search_is_empty_too(listed, search):
    response = Client().get("/api/hsds/services", {"search": search, "page": BEYOND_64_BITS})
    assert response.status_code == 200 and response.json()["empty"] is True


@pytest.mark.parametrize("route", ["services", "service_at_locations"])
@pytest.mark.parametrize("value", ["2024-13-45T00:00:00", "2024-01-01T00:00:00+25:00"])
def test_an_impossible_modified_after_is_a_400_naming_it(listed, route, value):
    french = Client().get(f"/api/hsds/{route}", {"modified_after": value})
    assert french.status_code == 400
    assert french.json()["detail"] == "modified_after doit être une date et une heure (ISO 8601)."
    english = Client().get(
        f"/api/hsds/{route}", {"modified_after": value}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.status_code == 400
    assert english.json()["detail"] == "modified_after must be a date and time (ISO 8601)."


@pytest.mark.parametrize("criteria", [{"q": " "}, {"language": "fr"}])
def test_the_search_page_far_past_the_last_page_shows_no_results(listed, criteria):
    response = Client().get("/", {**criteria, "page": BEYOND_64_BITS})
    assert response.status_code == 200
    assert "Dépannage alimentaire" not in response.content.decode()


@pytest.mark.parametrize("value", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+01:00"])
def test_a_modified_after_at_the_ends_of_the_calendar_is_a_400(listed, value):
    response = Client().get("/api/hsds/services", {"modified_after": value})
    assert response.status_code == 400
    assert response.json()["detail"] == "modified_after doit être une date et une heure (ISO 8601)."
