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


def test_a_persons_area_and_a_services_places_come_from_the_territories(need_domains):
    from django.test import Client
    from django.urls import reverse

    from proxima.core.roles import Role
    from proxima.people.models import Person
    from proxima.people.services.records import area_of
    from tests.factories import UserFactory, make_service

    load_demo_territories()
    region = Region.objects.get(code="03")
    person = Person.objects.create(
        region=region,
        given_name="Léa",
        family_name="Roy",
        name_key="roy lea",
        postal_code="G1K 3B2",
    )
    assert [t.code for t in area_of(person)][-1] == "quebec-saint-roch"
    worker = Client()
    worker.force_login(UserFactory(role=Role.WORKER_811, region=region))
    page = worker.get(reverse("people:person", args=[person.pk])).content.decode()
    assert "Saint-Roch · CLSC Est de Québec-Sud (fictif)" in page
    service = make_service("Comptoir", domain="food", point=(46.8139, -71.2247))
    page = Client().get(reverse("directory:service", args=[service.id])).content.decode()
    assert "Territoire : Saint-Roch · CLSC Est de Québec-Sud (fictif) · RLS de Québec-Sud" in page
    shelter = make_service(
        "Refuge", domain="violence", point=(46.8139, -71.2247), confidential=True
    )
    page = Client().get(reverse("directory:service", args=[shelter.id])).content.decode()
    assert "Territoire :" not in page  # a confidential place's area is not told to the public
