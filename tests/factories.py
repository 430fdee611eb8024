"""Test data builders (factory_boy). Tests never rely on the demo territory."""

import itertools
import uuid

import factory

from proxima.core.models import User
from proxima.core.roles import Role
from proxima.directory import models as m
from proxima.directory.services.indexing import reindex_services
from proxima.directory.services.taxonomy import need_domain_term_id

_counter = itertools.count()


def new_id() -> str:
    return str(uuid.uuid4())


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.WORKER_811
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def save_after(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def team(obj, create, extracted, **kwargs):
        """`team="info_social"`: a member of the region's team of that code."""
        if create and extracted:
            from proxima.teams.services import join, standard_team

            join(obj, standard_team(obj.region, extracted))


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Organization

    id = factory.LazyFunction(new_id)
    name = factory.Sequence(lambda n: f"Organisme {n}")
    description = "Organisme communautaire."


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Service

    id = factory.LazyFunction(new_id)
    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    description = ""
    status = "active"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Location

    id = factory.LazyFunction(new_id)
    name = factory.Sequence(lambda n: f"Lieu {n}")
    location_type = "physical"
    latitude = 46.8139
    longitude = -71.2247


def make_service(
    name: str,
    description: str = "",
    *,
    domain: str | None = None,
    term_id: str | None = None,
    text_language: str = "fr",
    translations: dict | None = None,
    point: tuple[float, float] | None = None,
    confidential: bool = False,
    hours: list[tuple[str, str, str]] | None = None,
    languages: tuple[str, ...] = (),
    organization: m.Organization | None = None,
    index: bool = True,
    address: dict | None = None,
    accessibility: str = "",
    **fields,
) -> m.Service:
    """A service with its location, hours, languages and need domain, indexed for search."""
    service = ServiceFactory(
        name=name,
        description=description,
        text_language=text_language,
        translations=translations or {},
        organization=organization or OrganizationFactory(),
        **fields,
    )
    if point is not None:
        location = LocationFactory(
            latitude=point[0],
            longitude=point[1],
            is_confidential=confidential,
            organization=service.organization,
        )
        m.ServiceAtLocation.objects.create(id=new_id(), service=service, location=location)
        if address:
            m.Address.objects.create(id=new_id(), location=location, **address)
        if accessibility:
            m.Accessibility.objects.create(
                id=new_id(), location=location, description=accessibility
            )
    for days, opens, closes in hours or []:
        m.Schedule.objects.create(
            id=new_id(),
            service=service,
            freq="WEEKLY",
            byday=days,
            opens_at=opens,
            closes_at=closes,
        )
    for code in languages:
        m.Language.objects.create(id=new_id(), service=service, code=code)
    term = term_id or (need_domain_term_id(domain) if domain else None)
    if term:
        m.Attribute.objects.create(
            hsds_id=new_id(), link_id=service.id, link_entity="service", taxonomy_term_id=term
        )
    if index:
        reindex_services([service.id])
    return service


SECRET_STREET = "99, rue Secrète"
SHELTER_POINT = (46.8161, -71.2301)


def make_confidential_shelter() -> m.Service:
    """A shelter for victims of violence whose address and pin must never be public."""
    return make_service(
        "Maison d'hébergement",
        "Hébergement sécuritaire pour femmes victimes de violence.",
        domain="violence",
        point=SHELTER_POINT,
        confidential=True,
        address={
            "address_1": SECRET_STREET,
            "city": "Québec",
            "state_province": "QC",
            "postal_code": "G1K 1A1",
            "country": "CA",
            "address_type": "physical",
        },
    )


def sent_referral(
    region, organization, requester, status, requested, answered_after_hours=None, need="food"
):
    """An anonymous referral to an organization, sent at `requested` (year, month, day,
    hour in Quebec time) and answered so many hours later (if given)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from proxima.referrals.models import Referral

    requested_at = datetime(*requested, tzinfo=ZoneInfo("America/Montreal"))
    return Referral.objects.create(
        region=region,
        anonymous=True,
        need_domain=need,
        request_text="Panier",
        priority="72h",
        requester=requester,
        target_organization=organization,
        status=status,
        requested_at=requested_at,
        responded_at=requested_at + timedelta(hours=answered_after_hours)
        if answered_after_hours is not None
        else None,
    )


def verified_device(user):
    """The account's confirmed authenticator (created with a fixed secret if none)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def make_day_network() -> dict:
    """A day of the network's work in one region: a partner's service, an 811 worker, a
    prescriber, a partner, a person who consented, a referral sent, a contact opened, a
    prescription (the pages of each role have something to show)."""
    from datetime import date

    from proxima.core.models import Region
    from proxima.core.roles import Role
    from proxima.directory.services.taxonomy import load_need_domains
    from proxima.intake.services.episodes import open_episode
    from proxima.intake.services.questionnaires import load_questionnaires
    from proxima.outcomes.services.instruments import load_instruments
    from proxima.people.services.consent import ConsentInput, record_consent
    from proxima.people.services.records import PersonInput, create_person
    from proxima.prescriptions.services.plans import PrescriptionInput, create_prescription
    from proxima.referrals.services.workflow import ReferralInput, create_referral, send

    load_need_domains()
    load_questionnaires()
    load_instruments()
    region = Region.objects.create(code="03", name="Capitale-Nationale")
    partner_org = OrganizationFactory(name="Comptoir alimentaire Limoilou")
    service = make_service(
        "Comptoir alimentaire",
        "Dépannage alimentaire.",
        domain="food",
        organization=partner_org,
        point=(46.8139, -71.2247),
        hours=[("MO,TU,WE,TH,FR", "09:00", "17:30")],
        languages=("fr", "ar"),
    )
    worker = UserFactory(role=Role.WORKER_811, region=region, team="info_social")
    prescriber = UserFactory(role=Role.SOCIAL_PRESCRIBER, region=region)
    partner = UserFactory(role=Role.PARTNER_ADMIN, organization=partner_org)
    person = create_person(
        PersonInput("Élise", "Côté", date(1988, 3, 14), postal_code="G1K 3B2"),
        by=worker,
        confirmed_new=True,
    )
    record_consent(
        person,
        ConsentInput(
            categories=["identity", "needs"],
            purpose="Référence",
            method="verbal",
            recipient_organization=partner_org,
        ),
        by=worker,
    )
    referral = create_referral(
        ReferralInput(
            need_domain="food",
            request_text="Dépannage cette semaine",
            priority="72h",
            service=service,
            person=person,
        ),
        by=worker,
    )
    send(referral, by=worker, version=referral.version)
    episode = open_episode(by=worker, channel="phone_811", reason="Plus rien à manger")
    prescription = create_prescription(
        person,
        PrescriptionInput(
            what_matters="Sortir",
            co_produced_with="Élise",
            goals=["Voir du monde"],
            service_ids=[service.id],
        ),
        by=prescriber,
    )
    return {
        "service": service,
        "worker": worker,
        "prescriber": prescriber,
        "partner": partner,
        "person": person,
        "referral": referral,
        "episode": episode,
        "prescription": prescription,
    }


def make_neighbourhood(
    key: str, name: str, point: tuple[float, float], *, region_code: str = "03", size: float = 0.01
):
    """A neighbourhood territory (a square around the point) in its region (a larger
    square, created the first time): a place a worker can pick in search."""
    from shapely.geometry import box

    from proxima.territories.models import Territory
    from proxima.territories.services import save_territory

    latitude, longitude = point
    region = Territory.objects.filter(level="region", code=region_code).first()
    if region is None:
        region, _ = save_territory(
            "region", region_code, f"Région {region_code}", box(-180, -80, 180, 80)
        )
    territory, _ = save_territory(
        "neighbourhood",
        key,
        name,
        box(longitude - size, latitude - size, longitude + size, latitude + size),
        parent=region,
    )
    return territory
