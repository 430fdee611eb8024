from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from proxima.core.models import Region, User
from proxima.core.roles import Role
from proxima.intake.services.episodes import (
    open_episode,
    record_escalation_action,
    record_orientation,
    record_screening,
)
from proxima.intake.services.questionnaires import load_questionnaires
from proxima.outcomes.services.instruments import load_instruments
from proxima.outcomes.services.measures import record_measurement
from proxima.people.models import Person
from proxima.people.services.consent import ConsentInput, record_consent, withdraw_consent
from proxima.people.services.records import (
    PersonInput,
    create_person,
    link_household,
    read_person,
)
from proxima.prescriptions.services.plans import (
    PrescriptionInput,
    SupportInput,
    create_prescription,
    rate_goal,
)
from proxima.referrals.services.sharing import post_message, view_referral
from proxima.referrals.services.workflow import ReferralInput, create_referral, send, transition
from tests.factories import OrganizationFactory, UserFactory, make_service

POSITIVE_SCREEN = {"q1": True, "q2": True, "q3": True, "q4": True, "q5": False, "q6": False}


@dataclass
class Network:
    region: Region
    other_region: Region
    worker: User
    prescriber: User
    partner: User
    officer: User
    other_officer: User
    food: object
    music: object


@pytest.fixture
def network(need_domains) -> Network:
    load_questionnaires()
    load_instruments()
    region = Region.objects.create(code="03", name="Capitale-Nationale")
    other_region = Region.objects.create(code="06", name="Montréal")
    partner_org = OrganizationFactory(name="Comptoir alimentaire Limoilou")
    return Network(
        region=region,
        other_region=other_region,
        worker=UserFactory(
            role=Role.WORKER_811,
            region=region,
            team="info_social",
            first_name="Marie",
            last_name="Tremblay",
        ),
        prescriber=UserFactory(
            role=Role.SOCIAL_PRESCRIBER, region=region, team="social_prescribing", first_name="Jo"
        ),
        partner=UserFactory(role=Role.PARTNER_ADMIN, organization=partner_org, first_name="Sam"),
        officer=UserFactory(role=Role.PRIVACY_OFFICER, region=region, first_name="Odile"),
        other_officer=UserFactory(role=Role.PRIVACY_OFFICER, region=other_region),
        food=make_service(
            "Comptoir alimentaire", "Dépannage", domain="food", organization=partner_org
        ),
        music=make_service("Orchestre des jeunes", "Cours de musique", domain="arts"),
    )


@dataclass
class PersonFile:
    person: Person
    relative: Person
    contact: object
    referral: object
    prescription: object


def make_person_file(network: Network, given: str, family: str, parent: str) -> PersonFile:
    """A person with one of everything, each written through its service (and so in the
    audit log): household, consents (one withdrawn), a contact with a positive screen, an
    action and an orientation, a referral accepted with a message, a prescription with a
    rated goal, a support, a follow-up and a measure; and a read of the record."""
    worker, prescriber = network.worker, network.prescriber
    person = create_person(
        PersonInput(given, family, date(1988, 3, 14), phone="418 555-0101"),
        by=worker,
        confirmed_new=True,
    )
    relative = create_person(
        PersonInput(parent, family, date(1960, 1, 1)), by=worker, confirmed_new=True
    )
    link_household(person, relative, "parent", by=worker)
    record_consent(
        person,
        ConsentInput(
            categories=["identity", "needs", "follow_up"],
            purpose=f"Référence de {given} au comptoir",
            method="verbal",
            recipient_organization=network.food.organization,
        ),
        by=worker,
    )
    withdrawn = record_consent(
        person,
        ConsentInput(
            categories=["needs"],
            purpose=f"Suivi CLSC de {given}",
            method="written",
            recipient_team="social_consultation",
        ),
        by=worker,
    )
    withdraw_consent(withdrawn, by=worker, reason=f"{given} a changé d'avis")
    contact = open_episode(by=worker, channel="phone_811", reason=f"{given} appelle", person=person)
    result = record_screening(contact, "cssrs-screen", POSITIVE_SCREEN, by=worker)
    record_escalation_action(
        result.escalations[0], "crisis_intervention", by=worker, note=f"Intervention {given}"
    )
    record_orientation(contact, "referral", by=worker, service=network.food, note=f"Vers {given}")
    draft = create_referral(
        ReferralInput(
            need_domain="food",
            request_text=f"Dépannage alimentaire pour {given}",
            priority="72h",
            service=network.food,
            person=person,
            episode_id=contact.pk,
        ),
        by=worker,
    )
    referral = send(draft, by=worker, version=draft.version, acknowledge_duplicates=True)
    post_message(referral, f"Bonjour, au sujet de {given}", by=worker, category="follow_up")
    referral = transition(
        referral,
        "accepted",
        by=network.partner,
        version=referral.version,
        first_appointment_at=timezone.now() + timedelta(days=2),
    )
    view_referral(referral, by=network.partner)
    prescription = create_prescription(
        person,
        PrescriptionInput(
            what_matters=f"La musique, pour {given}",
            co_produced_with=given,
            goals=[f"Jouer chaque semaine ({given})"],
            service_ids=[network.music.pk],
            supports=[SupportInput("transport", f"Billets pour {given}", network.music.pk)],
            follow_ups=[timezone.localdate() + timedelta(days=14)],
        ),
        by=prescriber,
    )
    rate_goal(prescription.goals.get(), 3, by=prescriber)
    record_measurement(
        person,
        "k10",
        {f"k10_{i}": 3 for i in range(1, 11)},
        by=prescriber,
        occasion="baseline",
        prescription=prescription,
    )
    read_person(person.pk, by=worker, reason="person page")
    return PersonFile(person, relative, contact, referral, prescription)


@pytest.fixture
def lea(network) -> PersonFile:
    return make_person_file(network, "Léa", "Roy", parent="Claude")


@pytest.fixture
def zephyrin(network) -> PersonFile:
    return make_person_file(network, "Zéphyrin", "Gagnon", parent="Dominique")
