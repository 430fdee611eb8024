"""The demo's fictional territories: nested, idempotent, each named place in its own
neighbourhood."""

import pytest

from proxima.core.models import Region
from proxima.directory.services import geo
from proxima.territories.demo import load_demo_territories
from proxima.territories.models import Territory
from proxima.territories.services import territories_at

pytestmark = pytest.mark.django_db


def test_the_demo_territories_nest_and_hold_their_places():
    assert load_demo_territories() == load_demo_territories() == Territory.objects.count()
    assert Region.objects.get(code="03").territory.level == "region"
    for place in (p for p in geo.PLACES if p.key.startswith("quebec-")):
        levels = [t.level for t in territories_at(place.latitude, place.longitude)]
        assert levels == ["region", "local_network", "clsc", "neighbourhood"], place.key
        neighbourhood = territories_at(place.latitude, place.longitude)[-1]
        assert neighbourhood.code == place.key.removeprefix("quebec-")
        assert "fictifs" in neighbourhood.source
    # Every neighbourhood, CLSC and network sits under the level above it.
    for territory in Territory.objects.exclude(level="region"):
        above = ["region", "local_network", "clsc", "neighbourhood"]
        assert above.index(territory.parent.level) < above.index(territory.level)
