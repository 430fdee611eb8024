"""The coverage table on a small territory checked by hand: two neighbourhoods side by
side, food services in one, an online housing service, three youth services for the
same ages, referrals to one food service."""

from datetime import timedelta

import pytest
from django.utils import timezone
from shapely.geometry import box

from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.coverage.services import (
    GAP_ENGLISH,
    GAP_HOURS,
    GAP_NONE,
    coverage_table,
)
from proxima.referrals.models import Referral
from proxima.territories.services import save_territory
from tests.factories import UserFactory, make_service

pytestmark = pytest.mark.django_db
WEST = box(-71.30, 46.80, -71.25, 46.85)
EAST = box(-71.25, 46.80, -71.20, 46.85)
DOMAINS = ["food", "housing", "youth"]


@pytest.fixture
def territory(need_domains):
    region, _ = save_territory("region", "R", "Région", box(-72, 46, -70, 48))
    west, _ = save_territory("neighbourhood", "A", "Ouest", WEST, parent=region)
    east, _ = save_territory("neighbourhood", "B", "Est", EAST, parent=region)
    evening = make_service(
        "Souper communautaire",
        domain="food",
        point=(46.82, -71.28),
        hours=[("MO", "17:00", "20:00")],
        languages=("fr",),
        is_free=True,
    )
    make_service(
        "Food bank",
        domain="food",
        point=(46.83, -71.27),
        hours=[("TU", "09:00", "12:00")],
        languages=("en",),
        capacity_status="waitlist",
    )
    make_service(
        "Aide au logement en ligne",
        domain="housing",
        delivers_online=True,
        delivers_in_person=False,
    )
    for name, low, high in (
        ("Maison des jeunes", 12, 17),
        ("Club ado", 10, 15),
        ("Relais", 13, 20),
    ):
        make_service(name, domain="youth", point=(46.81, -71.29), minimum_age=low, maximum_age=high)
    worker = UserFactory(role=Role.WORKER_811, region=Region.objects.get(code="R"))
    now = timezone.now()
    # Ten: five accepted after 2 hours, three declined after 4, two not answered yet.
    for answered_after, rejected in [(2, False)] * 5 + [(4, True)] * 3 + [(None, False)] * 2:
        sent = now - timedelta(days=3)
        Referral.objects.create(
            region=worker.region,
            need_domain="food",
            request_text="Panier",
            priority="72h",
            requester=worker,
            service=evening,
            target_organization=evening.organization,
            anonymous=True,
            status="rejected" if rejected else ("accepted" if answered_after else "requested"),
            reject_reason="full" if rejected else "",
            requested_at=sent,
            responded_at=sent + timedelta(hours=answered_after) if answered_after else None,
        )
    return {"A": west.pk, "B": east.pk}


def table(territory, **options):
    cells = coverage_table(level="neighbourhood", domains=DOMAINS, **options)
    names = {pk: code for code, pk in territory.items()}
    return {(names[c.territory_id], c.domain): c for c in cells}


def test_what_each_neighbourhood_has_for_each_need(territory):
    cells = table(territory)
    assert len(cells) == 6
    food = cells[("A", "food")]
    assert (food.services, food.located, food.accepting, food.waitlist) == (2, 2, 1, 1)
    assert (food.french, food.english, food.free) == (1, 1, 1)
    assert (food.evenings, food.weekends, food.in_person, food.remote) == (1, 0, 2, 0)
    assert (food.referrals_sent, food.referrals_accepted) == (10, 5)
    assert food.median_response_hours == 2.0  # answered after 2 (five times) and 4 hours
    assert food.gaps == [] and not food.duplication
    assert cells[("B", "food")].services == 0
    assert cells[("B", "food")].gaps == [GAP_NONE]


def test_an_online_service_reaches_every_neighbourhood(territory):
    cells = table(territory)
    for code in ("A", "B"):
        housing = cells[(code, "housing")]
        assert (housing.services, housing.located, housing.remote) == (1, 0, 1)
        # Online, French by default, no hours known: two gaps.
        assert housing.gaps == [GAP_HOURS, GAP_ENGLISH]


def test_services_within_reach_count_for_the_neighbourhood_next_door(territory):
    near = table(territory, reach_km=5)
    assert (near[("B", "food")].services, near[("B", "food")].located) == (2, 0)
    assert near[("B", "food")].referrals_sent == 0  # referrals counted where the service is
    assert table(territory, reach_km=0.5)[("B", "food")].services == 0  # 1.5 km away


def test_several_little_used_services_for_the_same_ages_are_flagged(territory):
    cells = table(territory)
    assert cells[("A", "youth")].duplication and cells[("A", "youth")].located == 3
    assert not cells[("B", "youth")].duplication


def test_a_region_keeps_its_own_territories(territory):
    assert coverage_table(level="neighbourhood", region_code="R", domains=["food"])
    assert coverage_table(level="neighbourhood", region_code="ELSEWHERE", domains=["food"]) == []


def test_a_remote_service_reaches_the_territories_its_service_areas_name(territory):
    from proxima.directory import models as m
    from proxima.directory.services.indexing import reindex_services
    from tests.factories import new_id

    def remote(name, prefixes):
        service = make_service(name, domain="legal", delivers_online=True, delivers_in_person=False)
        m.ServiceArea.objects.create(id=new_id(), service=service, postal_prefixes=prefixes)
        reindex_services([service.id])

    remote("Ligne juridique d'Ottawa", "K1L, K1N")
    remote("Ligne juridique de Saint-Roch", "G1K")  # G1K's centre lies in B
    cells = coverage_table(level="neighbourhood", domains=["legal"])
    reached = {c.territory_id: c.services for c in cells}
    assert reached == {territory["A"]: 0, territory["B"]: 1}


def test_a_remote_service_reaches_the_territories_its_areas_are_hold_or_lie_in(territory):
    from proxima.directory import models as m
    from proxima.territories.models import Territory
    from tests.factories import new_id

    def remote(name, territory_pk):
        service = make_service(name, domain="legal", delivers_online=True, delivers_in_person=False)
        m.ServiceArea.objects.create(id=new_id(), service=service, territory_id=territory_pk)

    region = Territory.objects.get(level="region", code="R").pk
    remote("Ligne juridique de l'ouest", territory["A"])
    remote("Ligne juridique régionale", region)
    cells = coverage_table(level="neighbourhood", domains=["legal"])
    assert {c.territory_id: c.services for c in cells} == {territory["A"]: 2, territory["B"]: 1}
    # Seen from the region, a service of one of its neighbourhoods serves part of it.
    regions = coverage_table(level="region", domains=["legal"])
    assert {c.territory_id: c.services for c in regions} == {region: 2}


def test_referral_figures_are_protected_and_perturbed_for_evaluators(territory):
    from proxima.core.perturbation import PERTURBED

    # Ten sent, five accepted (above), exact for those who read the referrals anyway.
    # For an evaluator: counted over the last twelve whole months (the window no longer
    # moves each day, so two days' pages cannot isolate a day's referrals), perturbed.
    later = timezone.now() + timedelta(days=40)
    food = table(territory, now=later, noise=PERTURBED)[("A", "food")]
    assert abs(food.referrals_sent - 10) <= 2 and food.referrals_sent >= 5
    assert abs(food.referrals_accepted - 5) <= 2
    assert food.median_response_hours == 2.0
    assert table(territory, now=later)[("A", "food")].referrals_sent == 10
    # A year and more later: outside the twelve whole months.
    gone = table(territory, now=timezone.now() + timedelta(days=400), noise=PERTURBED)
    assert gone[("A", "food")].referrals_sent == 0
    # Seven of the ten accepted: the three others could be counted, so the accepted
    # are suppressed; with three sent, all is (and the median of fewer than 5 answers).
    pending = Referral.objects.filter(status="requested")
    Referral.objects.filter(status="rejected").update(status="accepted", reject_reason="")
    food = table(territory)[("A", "food")]
    assert (food.referrals_sent, food.referrals_accepted) == (10, None)
    Referral.objects.exclude(pk__in=pending.values("pk")).exclude(
        pk__in=Referral.objects.filter(status="accepted").values("pk")[:1]
    ).delete()
    food = table(territory)[("A", "food")]
    assert (food.referrals_sent, food.referrals_accepted, food.median_response_hours) == (
        None,
        None,
        None,
    )
