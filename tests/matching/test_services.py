"""Matching needs to services: eligibility, barriers, capacity, reasons."""

from datetime import date

import pytest

from proxima.directory import models as m
from proxima.matching.services import MatchConstraints, MatchInputError, match, match_need
from tests.factories import make_service, new_id

pytestmark = pytest.mark.django_db
SAINT_ROCH = (46.8139, -71.2247)  # G1K
LIMOILOU = (46.8283, -71.2164)  # about 2 km away
BEAUPORT = (46.859, -71.192)  # about 6 km away


@pytest.fixture
def food(need_domains):
    services = {
        "paid_near": make_service(
            "Épicerie solidaire",
            "Aliments à bas prix.",
            domain="food",
            point=SAINT_ROCH,
            is_free=False,
        ),
        "free_far": make_service(
            "Comptoir de Beauport", "Paniers gratuits.", domain="food", point=BEAUPORT, is_free=True
        ),
        "online": make_service(
            "Épicerie en ligne solidaire",
            "Livraison.",
            domain="food",
            delivers_online=True,
            delivers_in_person=False,
            is_free=False,
        ),
        "full": make_service(
            "Cuisine collective", "Repas.", domain="food", point=LIMOILOU, capacity_status="full"
        ),
    }
    return services


def names(matches) -> list[str]:
    return [match.service.name for match in matches]


def test_money_barrier_puts_free_services_first(food):
    found = match_need(
        "food", None, MatchConstraints(postal_code="G1K 3B2", barriers=frozenset({"cost"}))
    )
    assert names(found)[0] == "Comptoir de Beauport"
    assert "Gratuit" in found[0].reasons


def test_transport_barrier_puts_no_travel_or_nearby_first(food):
    found = match_need(
        "food", None, MatchConstraints(postal_code="G1K 3B2", barriers=frozenset({"transport"}))
    )
    assert set(names(found)[:2]) == {"Épicerie en ligne solidaire", "Épicerie solidaire"}
    by_name = {match.service.name: match for match in found}
    assert "Aucun déplacement nécessaire" in by_name["Épicerie en ligne solidaire"].reasons
    without = {
        match.service.name: match
        for match in match_need("food", None, MatchConstraints(postal_code="G1K 3B2"))
    }

    def lead(matches):  # how far online help is ahead of the service 6 km away
        return matches["Épicerie en ligne solidaire"].score - matches["Comptoir de Beauport"].score

    assert lead(by_name) > lead(without) + 0.5


def test_a_full_service_comes_last(food):
    found = match_need("food", None, MatchConstraints(postal_code="G1K 3B2"))
    assert names(found)[-1] == "Cuisine collective"
    assert len(found) == 4


def test_eligibility_age_territory_and_language(need_domains):
    make_service("Popote pour aînés", domain="food", point=SAINT_ROCH, minimum_age=65)
    served_elsewhere = make_service(
        "Comptoir de Lévis", domain="food", point=SAINT_ROCH, index=False
    )
    m.ServiceArea.objects.create(id=new_id(), service=served_elsewhere, postal_prefixes="G6V")
    from proxima.directory.services.indexing import reindex_services

    reindex_services([served_elsewhere.id])
    make_service("Food bank (English)", domain="food", point=SAINT_ROCH, languages=("en",))
    constraints = MatchConstraints(postal_code="G1K 3B2", age=30)
    assert names(match_need("food", None, constraints)) == ["Food bank (English)"]
    older = MatchConstraints(postal_code="G1K 3B2", age=70, language="fr")
    assert names(match_need("food", None, older)) == ["Popote pour aînés"]


def test_the_persons_age_and_postal_code_are_used(need_domains, db):
    from proxima.core.models import Region
    from proxima.people.models import Person

    make_service("Popote pour aînés", domain="food", point=SAINT_ROCH, minimum_age=65)
    region = Region.objects.create(code="03", name="Capitale-Nationale")
    person = Person.objects.create(
        region=region,
        given_name="Rita",
        family_name="Roy",
        name_key="roy rita",
        birth_date=date(1950, 1, 1),
        postal_code="G1K 3B2",
    )
    assert names(match_need("food", person, MatchConstraints())) == ["Popote pour aînés"]


def test_each_need_gets_its_services_most_severe_first(food):
    make_service("Aide au logement", domain="housing", point=SAINT_ROCH)
    found = match(
        {"food": {"severity": 1}, "housing": {"severity": 3}},
        None,
        MatchConstraints(postal_code="G1K 3B2"),
    )
    assert list(found) == ["housing", "food"]
    assert names(found["housing"]) == ["Aide au logement"]
    assert all(match.reasons for match in found["food"])


def test_unknown_barrier_is_refused(food):
    with pytest.raises(MatchInputError):
        match({"food": {"severity": 1}}, None, MatchConstraints(barriers=frozenset({"weather"})))
