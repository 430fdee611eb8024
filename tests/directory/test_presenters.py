"""The results map: pins where the points are, something to orient by under them (our
neighbourhoods, postal areas, a scale), tiles only where a deployment names them."""

import math

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from proxima.directory import presenters
from proxima.directory.presenters import MAP_HEIGHT, MAP_WIDTH, results_map
from proxima.directory.services import geo
from tests.factories import make_service

SAINT_ROCH = (46.8139, -71.2247)
LIMOILOU = (46.8283, -71.2164)
BEAUPORT = (46.859, -71.192)


def pins_at(*points):
    return [(f"Service {i}", f"/s/{i}/", lat, lon) for i, (lat, lon) in enumerate(points)]


@pytest.mark.django_db
def test_pins_keep_north_up_and_east_right_inside_the_box():
    drawn = results_map(pins_at(SAINT_ROCH, LIMOILOU, BEAUPORT), None)
    by_label = {pin.label: pin for pin in drawn.pins}
    saint_roch, beauport = by_label["Service 0"], by_label["Service 2"]
    assert beauport.y < saint_roch.y  # Beauport is north: higher on the map
    assert beauport.x > saint_roch.x  # and east
    for pin in drawn.pins:
        assert 0 <= pin.x <= MAP_WIDTH and 0 <= pin.y <= MAP_HEIGHT
    # The aspect is kept: the ratio of distances on the map is the ratio on the ground.
    ground = geo.distance_km(*SAINT_ROCH, *BEAUPORT) / geo.distance_km(*SAINT_ROCH, *LIMOILOU)
    limoilou = by_label["Service 1"]
    on_map = math.dist((saint_roch.x, saint_roch.y), (beauport.x, beauport.y)) / math.dist(
        (saint_roch.x, saint_roch.y), (limoilou.x, limoilou.y)
    )
    assert on_map == pytest.approx(ground, rel=0.02)


@pytest.fixture
def neighbourhoods(db):
    from tests.factories import make_neighbourhood

    make_neighbourhood("quebec-saint-roch", "Saint-Roch", SAINT_ROCH)
    make_neighbourhood("quebec-limoilou", "Limoilou", LIMOILOU)
    make_neighbourhood("quebec-beauport", "Beauport", BEAUPORT)
    make_neighbourhood("vanier", "Vanier (Ottawa)", (45.44, -75.66), region_code="ON-E")


def test_the_background_names_neighbourhoods_and_postal_areas_in_sight(neighbourhoods):
    drawn = results_map(pins_at(SAINT_ROCH, BEAUPORT), None)
    labels = {mark.label for mark in drawn.landmarks}
    assert {"Saint-Roch", "Limoilou", "Beauport"} <= labels
    assert any(mark.is_area and len(mark.label) == 3 for mark in drawn.landmarks)
    assert "Vanier (Ottawa)" not in labels  # out of sight
    for a in drawn.landmarks:  # none crowding another
        for b in drawn.landmarks:
            assert a is b or math.dist((a.x, a.y), (b.x, b.y)) >= 56


@pytest.mark.parametrize(
    ("points", "expected_km"),
    [
        ((SAINT_ROCH,), (0.2, 0.5)),
        ((SAINT_ROCH, BEAUPORT), (1, 2)),
        ((SAINT_ROCH, (45.44, -75.66)), (50, 100)),
    ],
)
@pytest.mark.django_db
def test_the_scale_says_how_far_a_length_of_the_map_is(points, expected_km):
    drawn = results_map(pins_at(*points), None)
    assert 20 <= drawn.scale_px <= 120
    with translation.override("fr"):
        drawn = results_map(pins_at(*points), None)
    km = float(drawn.scale_label.split()[0].replace(",", ".").replace("\N{NO-BREAK SPACE}", ""))
    if drawn.scale_label.endswith(" m"):
        km /= 1000
    assert expected_km[0] <= km <= expected_km[1]


@pytest.mark.django_db
def test_no_tiles_unless_a_deployment_names_them(settings):
    settings.PROXIMA_MAP_TILES = ""
    assert results_map(pins_at(SAINT_ROCH, BEAUPORT), None).tiles == []
    settings.PROXIMA_MAP_TILES = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.PROXIMA_MAP_ATTRIBUTION = "© Contributeurs OpenStreetMap"
    drawn = results_map(pins_at(SAINT_ROCH, BEAUPORT), None)
    assert drawn.tiles and drawn.attribution == "© Contributeurs OpenStreetMap"
    # The tiles cover the whole box, and each is where Web Mercator puts it.
    assert min(t.x for t in drawn.tiles) <= 0 and min(t.y for t in drawn.tiles) <= 0
    assert max(t.x + t.size for t in drawn.tiles) >= MAP_WIDTH
    assert max(t.y + t.size for t in drawn.tiles) >= MAP_HEIGHT
    tile = drawn.tiles[0]
    zoom, x, y = (int(part) for part in tile.href.rsplit(".", 1)[0].split("/")[-3:])
    saint_roch = drawn.pins[0]
    mx, my = presenters._mercator(*SAINT_ROCH)
    # The pin sits inside the tile that holds its point, at the same fraction.
    holding = [
        t
        for t in drawn.tiles
        if t.href.endswith(f"/{math.floor(mx * 2**zoom)}/{math.floor(my * 2**zoom)}.png")
    ]
    (held,) = holding
    fraction_x = mx * 2**zoom - math.floor(mx * 2**zoom)
    assert saint_roch.x == pytest.approx(held.x + fraction_x * (held.size - 0.5), abs=1.0)
    assert 0 <= x < 2**zoom and 0 <= y < 2**zoom


@pytest.mark.django_db
def test_the_search_page_draws_the_background(need_domains, neighbourhoods):
    make_service("Comptoir Saint-Roch", "Paniers.", domain="food", point=SAINT_ROCH)
    make_service("Comptoir Beauport", "Paniers.", domain="food", point=BEAUPORT)
    page = Client().get(reverse("directory:search"), {"q": "paniers"}).content.decode()
    assert 'class="landmarks"' in page and "Limoilou" in page
    assert "<image" not in page  # nothing fetched from elsewhere by default
    assert 'aria-label="1. Comptoir' in page  # each pin a named link


@pytest.mark.django_db
def test_no_tiles_around_a_confidential_place_even_for_staff(need_domains, settings):
    from proxima.core.models import Region
    from proxima.core.roles import Role
    from tests.factories import UserFactory, make_confidential_shelter

    settings.PROXIMA_MAP_TILES = "https://tiles.example.org/{z}/{x}/{y}.png"
    shelter = make_confidential_shelter()
    staff = Client()
    region = Region.objects.create(code="03", name="Capitale-Nationale")
    staff.force_login(UserFactory(role=Role.WORKER_811, region=region))
    page = staff.get(reverse("directory:service", args=[shelter.id])).content.decode()
    assert 'class="map"' in page  # staff see the point itself
    assert "tiles.example.org" not in page  # but the tile server is not told where
    open_service = make_service("Comptoir", domain="food", point=SAINT_ROCH)
    page = staff.get(reverse("directory:service", args=[open_service.id])).content.decode()
    assert "tiles.example.org" in page


@pytest.mark.parametrize(
    "address",
    [
        "http://tiles.example.org/{z}/{x}/{y}.png",
        "https://{s}.tiles.example.org/{z}/{x}/{y}.png",
        "https:///{z}/{x}/{y}.png",
        "https://tiles.example.org/{z}/{x}.png",
    ],
)
def test_a_tile_address_that_cannot_work_stops_the_start(address):
    import os
    import subprocess
    import sys

    started = subprocess.run(
        [sys.executable, "-c", "import proxima.settings"],
        env={**os.environ, "PROXIMA_MAP_TILES": address},
        capture_output=True,
        text=True,
    )
    assert started.returncode != 0 and "PROXIMA_MAP_TILES" in started.stderr
