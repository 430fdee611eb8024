"""A small network with one record of each kind, for the tests that walk every route
(the schemathesis pass, the malformed bodies): so that a route naming a record reaches
the code behind it instead of answering 404."""

from dataclasses import dataclass
from datetime import date

import pytest

from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.directory.models import Organization, Service, ServiceAtLocation
from proxima.directory.services.taxonomy import load_need_domains
from proxima.intake.models import ContactEpisode, Escalation
from proxima.intake.services.episodes import open_episode, record_screening
from proxima.intake.services.questionnaires import load_questionnaires
from proxima.outcomes.services.instruments import load_instruments
from proxima.people.models import Consent, Person
from proxima.people.services.consent import ConsentInput, record_consent
from proxima.people.services.records import PersonInput, create_person
from proxima.prescriptions.models import Prescription
from proxima.prescriptions.services.plans import PrescriptionInput, create_prescription
from proxima.referrals.models import Referral
from proxima.referrals.services.workflow import ReferralInput, create_referral
from tests.factories import OrganizationFactory, UserFactory, make_service


@dataclass
class Network:
    region: Region
    organization: Organization
    service: Service
    location: ServiceAtLocation
    worker: object
    person: Person
    relative: Person
    consent: Consent
    contact: ContactEpisode
    escalation: Escalation
    referral: Referral
    prescription: Prescription

    def user(self, role: str | None):
        """A user of this role in the network's region (and, for a partner, of its
        organization); None for anonymous."""
        if role is None:
            return None
        partner = role in ("partner_admin", "partner_worker", "partner_editor")
        return UserFactory(
            role=role,
            region=self.region,
            team="info_social",
            organization=self.organization if partner else None,
        )

    def url_values(self) -> dict[str, object]:
        """A real value for each name a route's path may take."""
        return {
            "person_id": self.person.pk,
            "episode_id": self.contact.pk,
            "contact_id": self.contact.pk,
            "escalation_id": self.escalation.pk,
            "consent_id": self.consent.pk,
            "referral_id": self.referral.pk,
            "prescription_id": self.prescription.pk,
            "service_id": self.service.pk,
            "code": "phq9",
            "app_label": "core",
        }


@pytest.fixture
def network(db) -> Network:
    """A region with a partner organization and its service, a person who consented to
    share with it, a contact with an escalation, a sent referral, a prescription."""
    load_questionnaires()
    load_need_domains()
    load_instruments()
    region = Region.objects.create(code="03", name="Capitale-Nationale")
    organization = OrganizationFactory(name="Comptoir alimentaire")
    service = make_service(
        "Dépannage alimentaire", domain="food", organization=organization, point=(46.81, -71.22)
    )
    worker = UserFactory(role=Role.WORKER_811, region=region, team="info_social")
    person = create_person(
        PersonInput("Élise", "Côté", date(1988, 3, 14)), by=worker, confirmed_new=True
    )
    relative = create_person(
        PersonInput("Léa", "Côté", date(2015, 5, 2)), by=worker, confirmed_new=True
    )
    consent = record_consent(
        person,
        ConsentInput(
            categories=["identity", "needs"],
            purpose="Référence",
            method="verbal",
            recipient_organization=organization,
        ),
        by=worker,
    )
    contact = open_episode(by=worker, channel="phone_811", reason="Plus rien à manger")
    screening = record_screening(
        contact, "cssrs-screen", {f"q{i}": i <= 4 for i in range(1, 7)}, by=worker
    )
    referral = create_referral(
        ReferralInput("food", "Panier cette semaine", "72h", service=service, person=person),
        by=worker,
        send_now=True,
    )
    prescription = create_prescription(
        person, PrescriptionInput("Bouger", "Élise", ["Marcher"], [service.pk]), by=worker
    )
    return Network(
        region=region,
        organization=organization,
        service=service,
        location=ServiceAtLocation.objects.filter(service=service).first(),
        worker=worker,
        person=person,
        relative=relative,
        consent=consent,
        contact=contact,
        escalation=screening.escalations[0],
        referral=referral,
        prescription=prescription,
    )
