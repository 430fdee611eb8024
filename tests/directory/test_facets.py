"""Ages and hours as index tokens: never narrower than the exact answer, and used by
searches with words or filters (services/facets.py)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proxima.directory.services import facets, hours
from proxima.directory.services.search import SearchQuery, search_services
from tests.factories import make_service

LOCAL = ZoneInfo("America/Toronto")
ages = st.floats(min_value=0, max_value=200, allow_nan=False)


@given(ages, ages, ages)
def test_a_listing_taking_an_age_holds_one_of_its_query_tokens(low, high, age):
    minimum, maximum = min(low, high), max(low, high)
    held = set(facets.age_tokens(minimum, maximum))
    wanted = set(facets.age_query_tokens(age))
    if minimum <= age <= maximum:
        assert held & wanted
    band = int(facets.age_query_tokens(age)[1][3:])
    lower, upper = facets.AGE_BOUNDS[band], facets._upper(band)
    if upper <= minimum or lower > maximum:
        # The age's whole band is outside the listing's ages: the index already leaves it.
        assert not held & wanted


def test_age_tokens_at_the_edges():
    assert facets.age_tokens(0, 200) == [facets.ALL_AGES]
    assert facets.age_tokens(65, 200) == ["f_a9", "f_a10"]
    assert facets.age_tokens(12, 17) == ["f_a3", "f_a4"]
    assert facets.age_tokens(130, 130) == ["f_a10"]  # past the last bound, still found
    assert facets.age_query_tokens(17.5) == [facets.ALL_AGES, "f_a4"]
    assert facets.age_query_tokens(130) == [facets.ALL_AGES, "f_a10"]
    assert facets.age_query_tokens(0) == [facets.ALL_AGES, "f_a0"]


intervals = st.lists(
    st.tuples(
        st.integers(0, 6),
        st.integers(0, 24 * 60 - 1),
        st.integers(1, 24 * 60),
    ).map(lambda t: [t[0], t[1], max(t[2], t[1] + 1), "", "", 0]),
    max_size=6,
)
moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31))


@given(intervals, moments)
def test_a_listing_open_at_a_moment_holds_one_of_its_query_tokens(spans, moment):
    held = set(facets.open_tokens(hours.weekly_bitmasks(spans)))
    if hours.is_open_at(spans, moment):
        assert held & set(facets.open_query_tokens(moment))


def test_open_tokens_of_a_week():
    weekdays_9_to_17 = [[day, 9 * 60, 17 * 60, "", "", 0] for day in range(5)]
    tokens = facets.open_tokens(hours.weekly_bitmasks(weekdays_9_to_17))
    assert tokens[:3] == ["f_o02", "f_o03", "f_o04"] and len(tokens) == 15
    always = [[day, 0, 24 * 60, "", "", 0] for day in range(7)]
    assert facets.open_tokens(hours.weekly_bitmasks(always)) == [facets.ALWAYS_OPEN]
    assert facets.open_tokens([0] * 7) == []


@pytest.mark.django_db
def test_a_search_with_words_an_age_and_a_moment_keeps_exactly_those_that_fit(need_domains):
    """The tokens narrow, the exact checks decide: band edges, overnight hours, half
    hours, a 24/7 line, a listing without hours, none missing and none extra."""
    week = "MO,TU,WE,TH,FR"
    listings = [
        (
            "Atelier jour ados",
            dict(minimum_age=12, maximum_age=17, hours=[(week, "09:00", "17:00")]),
        ),
        ("Atelier soir adultes", dict(minimum_age=18, hours=[(week, "18:00", "21:30")])),
        ("Atelier nuit", dict(hours=[("FR,SA", "22:00", "03:00")])),
        ("Atelier toujours", dict(hours=[("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59")])),
        ("Atelier aînés", dict(minimum_age=65, hours=[(week, "13:00", "16:00")])),
        ("Atelier sans heures", dict()),
        (
            "Atelier 16 ans pile",
            dict(minimum_age=16, maximum_age=16, hours=[("SA", "10:00", "10:30")]),
        ),
    ]
    for name, options in listings:
        make_service(name, "Atelier de cuisine collective.", **options)
    monday = datetime(2026, 11, 23, tzinfo=LOCAL)
    unfiltered = search_services(SearchQuery(text="atelier cuisine", per_page=20))
    assert len(unfiltered.hits) == len(listings)
    for age in (None, 0, 12, 15.5, 16, 17, 17.5, 18, 40, 64.9, 65, 99, 130):
        for offset in range(0, 7 * 24 * 60, 211):  # every weekday, at odd minutes
            moment = monday + timedelta(minutes=offset)
            found = search_services(
                SearchQuery(text="atelier cuisine", age=age, open_at=moment, per_page=20)
            )
            expected = {
                hit.service.name
                for hit in unfiltered.hits
                if _fits(hit.service, age) and _open(hit.service, moment)
            }
            assert {hit.service.name for hit in found.hits} == expected, (age, moment)


def _fits(service, age) -> bool:
    if age is None:
        return True
    low = service.minimum_age if service.minimum_age is not None else 0
    high = service.maximum_age if service.maximum_age is not None else 200
    return low <= age <= high


def _open(service, moment) -> bool:
    return hours.is_open_at(hours.decode(service.search_document.hours), moment)


latitudes = st.floats(min_value=42, max_value=62, allow_nan=False)
longitudes = st.floats(min_value=-141, max_value=-52, allow_nan=False)
radii = st.floats(min_value=0.1, max_value=1000, allow_nan=False)


@given(latitudes, longitudes, radii, st.floats(0, 1), st.floats(0, 2 * 3.14159))
def test_a_point_within_the_radius_holds_one_of_its_cells(lat, lon, km, share, angle):
    """Any point inside the circle (placed by a share of the radius and an angle) is in a
    cell the radius asks for; a remote listing anywhere is asked for when wanted."""
    import math

    from proxima.directory.services import geo

    reach = km * share * 0.999
    point_lat = lat + reach * math.sin(angle) / geo.KM_PER_DEGREE
    point_lon = lon + reach * math.cos(angle) / (geo.KM_PER_DEGREE * math.cos(math.radians(lat)))
    wanted = facets.place_query_tokens(lat, lon, km, include_remote=False)
    assert wanted is not None and len(wanted) <= facets.MAX_CELLS
    assert set(facets.place_tokens([(point_lat, point_lon)], remote=False)) & set(wanted)
    far = facets.place_tokens([(point_lat, point_lon + 80)], remote=True)
    assert not set(far) & set(wanted)
    assert facets.REMOTE in facets.place_query_tokens(lat, lon, km, include_remote=True)


def test_place_tokens_name_negative_coordinates_in_letters():
    """Index tokens hold letters, digits and underscores only (FTS5 splits on '-')."""
    tokens = facets.place_tokens([(46.81, -71.22)], remote=True)
    assert tokens == ["f_g0_468_m713", "f_g1_93_m143", "f_g2_23_m36", "f_g3_4_m8", "f_remote"]


@pytest.mark.django_db
def test_a_search_with_words_and_a_radius_keeps_exactly_those_within_it(need_domains):
    """Near, far, remote, a confidential place (coarsened), a listing with two places:
    the cells narrow, the distance decides."""
    places = {
        "Cuisine Saint-Roch": dict(point=(46.8139, -71.2247)),
        "Cuisine Limoilou": dict(point=(46.8283, -71.2164)),
        "Cuisine Lévis": dict(point=(46.8033, -71.1779)),
        "Cuisine Beauport": dict(point=(46.8600, -71.1900)),
        "Cuisine Ottawa": dict(point=(45.4393, -75.6610)),
        "Cuisine en ligne": dict(point=(45.4393, -75.6610), delivers_online=True),
        "Cuisine cachée": dict(point=(46.8201, -71.2301), confidential=True),
    }
    for name, options in places.items():
        make_service(name, "Atelier de cuisine collective.", **options)
    for km in (0.5, 1, 2, 3, 5, 8, 20, 300, 1000):
        for include_remote in (True, False):
            query = dict(text="cuisine collective", postal_code="G1K 3B2", max_km=km)
            found = search_services(SearchQuery(**query, include_remote=include_remote))
            everything = search_services(
                SearchQuery(text="cuisine collective", postal_code="G1K 3B2")
            )
            assert len(everything.hits) == len(places)
            expected = {
                hit.service.name
                for hit in everything.hits
                if (hit.distance_km is not None and hit.distance_km <= km)
                or (include_remote and hit.service.delivers_online)
            }
            assert {hit.service.name for hit in found.hits} == expected, (km, include_remote)
