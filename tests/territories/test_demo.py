"""The demo's fictional territories: nested, idempotent, each named place in its own
neighbourhood and one region only, and the places a worker picks in search."""

import pytest
from django.utils import translation

from proxima.core.models import Region
from proxima.directory.services import geo
from proxima.territories.demo import REGIONS, load_demo_territories
from proxima.territories.models import Territory
from proxima.territories.services import places, territories_at

pytestmark = pytest.mark.django_db
LEVELS = ["region", "local_network", "clsc", "neighbourhood"]


def test_the_demo_territories_nest_and_hold_their_places():
    assert load_demo_territories() == load_demo_territories() == Territory.objects.count()
    assert Region.objects.get(code="03").territory.level == "region"
    for spec in REGIONS:
        for key, _name, latitude, longitude in spec["places"]:
            found = territories_at(latitude, longitude)
            assert [t.code for t in found if t.level == "region"] == [spec["code"]], key
            assert found[-1].level == "neighbourhood" and found[-1].code == key
            if spec["code"] == "03":  # Quebec's levels, all of them
                assert [t.level for t in found] == LEVELS
            assert "fictifs" in found[-1].source
    for territory in Territory.objects.exclude(level="region"):
        assert LEVELS.index(territory.parent.level) < LEVELS.index(territory.level)


def test_the_places_to_pick_are_the_neighbourhoods_inside_them():
    load_demo_territories()
    picked = places()
    assert len(picked) == sum(len(spec["places"]) for spec in REGIONS)
    for place in picked:  # each place's point lies in its own neighbourhood
        assert territories_at(place.latitude, place.longitude)[-1].code == place.key
    with translation.override("en"):
        assert geo.place("ottawa-lowertown").label == "Ottawa — Lowertown"
    with translation.override("fr"):
        groups = dict(geo.place_choices())
        assert ("quebec-saint-roch", "Saint-Roch") in groups["Capitale-Nationale"]
        assert list(groups) == sorted(groups)  # regions in the reader's order
    assert geo.place("nowhere") is None
