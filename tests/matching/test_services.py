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


ALL_DAY = [("MO,TU,WE,TH,FR,SA,SU", "00:00", "00:00")]
FAR = (46.99, -71.2247)  # about 20 km north of Saint-Roch


def test_an_age_restricted_service_comes_after_when_the_age_is_unknown(need_domains):
    """A severe food need, an anonymous caller: meals for seniors next door are not the
    first thing to read out; they come after, saying why."""
    make_service("Popote pour aînés", domain="food", point=SAINT_ROCH, minimum_age=65)
    make_service("Comptoir pour tous", domain="food", point=LIMOILOU)
    found = match({"food": {"severity": 3}}, None, MatchConstraints(postal_code="G1K 3B2"))
    assert names(found["food"]) == ["Comptoir pour tous", "Popote pour aînés"]
    assert "Réservé aux 65 ans et plus : demandez l’âge de la personne" in (
        found["food"][1].reasons
    )
    # The age known, the listing for that age fits best.
    older = match({"food": {"severity": 3}}, None, MatchConstraints(postal_code="G1K 3B2", age=70))
    assert names(older["food"])[0] == "Popote pour aînés"
    assert "Pour l’âge de la personne (65 ans et plus)" in older["food"][0].reasons


def test_open_now_weighs_more_as_the_need_is_severe(need_domains):
    make_service("Comptoir du quartier", domain="food", point=SAINT_ROCH)  # hours unknown
    make_service("Dépannage de Charlesbourg", domain="food", point=FAR, hours=ALL_DAY)

    def first(severity: int) -> str:
        found = match(
            {"food": {"severity": severity}}, None, MatchConstraints(postal_code="G1K 3B2")
        )
        return names(found["food"])[0]

    assert first(1) == "Comptoir du quartier"  # mild: the nearest
    assert first(3) == "Dépannage de Charlesbourg"  # severe: the one open now
    severe = match({"food": {"severity": 3}}, None, MatchConstraints(postal_code="G1K 3B2"))
    assert "Ouvert maintenant" in severe["food"][0].reasons


def test_a_waiting_list_comes_after_an_equal_service_taking_requests(need_domains):
    make_service("Logement A", domain="housing", point=SAINT_ROCH, capacity_status="waitlist")
    make_service("Logement B", domain="housing", point=LIMOILOU)
    found = match_need("housing", None, MatchConstraints(postal_code="G1K 3B2"), severity=2)
    assert names(found) == ["Logement B", "Logement A"]
    assert "Liste d’attente" in found[1].reasons


def test_age_limits_that_keep_no_one_out_are_not_a_reservation(need_domains):
    make_service("Comptoir pour tous", domain="food", point=SAINT_ROCH, minimum_age=0)
    make_service("Cuisine", domain="food", point=SAINT_ROCH, maximum_age=150)
    for found in match_need("food", None, MatchConstraints(postal_code="G1K 3B2")):
        assert not any("Réservé" in reason for reason in found.reasons)
    make_service("Club ado", domain="food", point=SAINT_ROCH, minimum_age=0, maximum_age=17)
    club = next(
        m
        for m in match_need("food", None, MatchConstraints(postal_code="G1K 3B2"))
        if m.service.name == "Club ado"
    )
    assert "Réservé aux 17 ans et moins : demandez l’âge de la personne" in club.reasons
