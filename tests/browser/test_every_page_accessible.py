"""axe-core on the pages of each role's day (conftest's `page` fixture checks every page
visited, at desktop and phone width, when the test ends): the directory, a service, the
contacts, a contact, people, a record, the inbox, a referral, a new referral, the
notifications, a prescription and its print, the privacy officer's log and search, the
taxonomy review, the account, the API docs, the sign-in and the error pages."""

from datetime import date

import pytest

from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.directory.services.search_backends import backend
from proxima.directory.services.taxonomy import load_need_domains
from proxima.intake.services.episodes import open_episode
from proxima.intake.services.questionnaires import load_questionnaires
from proxima.outcomes.services.instruments import load_instruments
from proxima.people.services.consent import ConsentInput, record_consent
from proxima.people.services.records import PersonInput, create_person
from proxima.prescriptions.services.plans import PrescriptionInput, create_prescription
from proxima.referrals.services.workflow import ReferralInput, create_referral, send
from tests.browser.conftest import sign_in
from tests.factories import OrganizationFactory, UserFactory, make_service

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "secret-pass-123"


@pytest.fixture
def network():
    backend().clear()
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
        hours=[("MO,TU,WE,TH,FR", "09:00", "17:00")],
    )
    worker = UserFactory(
        username="info811", role=Role.WORKER_811, region=region, team="info_social"
    )
    prescriber = UserFactory(username="prescripteur", role=Role.SOCIAL_PRESCRIBER, region=region)
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
            what_matters="Sortir de chez moi",
            co_produced_with="Élise",
            goals=["Voir du monde"],
            service_ids=[service.id],
        ),
        by=prescriber,
    )
    return {
        "worker": worker,
        "prescriber": prescriber,
        "privacy": UserFactory(username="confidentialite", role=Role.PRIVACY_OFFICER),
        "coordinator": UserFactory(username="coordo", role=Role.COORDINATOR, region=region),
        "service": service,
        "person": person,
        "referral": referral,
        "episode": episode,
        "prescription": prescription,
    }


def test_the_public_pages(page, network):
    base = page.base_url
    for path in (
        "/",
        "/?q=banque+alimentaire&postal_code=G1K+3B2",
        f"/services/{network['service'].id}/",
        "/login/",
        "/password/reset/",
        "/api/docs",
        "/services/no-such-service/",  # the 404 page
        "/intake/",  # the sign-in asked
    ):
        page.goto(base + path)


def test_the_811_workers_pages(page, network):
    base = page.base_url
    sign_in(page, base, network["worker"], PASSWORD, "/home/")
    for path in (
        "/intake/",
        f"/intake/calls/{network['episode'].pk}/",
        "/people/?q=cote",
        f"/people/{network['person'].pk}/",
        "/referrals/",
        "/referrals/?box=sent",
        f"/referrals/{network['referral'].pk}/",
        f"/referrals/new/?service={network['service'].id}&find=cote",
        "/referrals/notifications/",
        "/account/",
        "/privacy/",  # the 403 page
    ):
        page.goto(base + path)


def test_the_prescribers_the_coordinators_and_the_privacy_officers_pages(page, network):
    base = page.base_url
    prescription = network["prescription"]
    sign_in(page, base, network["prescriber"], PASSWORD, "/home/")
    for path in (
        f"/prescriptions/{prescription.pk}/",
        f"/prescriptions/{prescription.pk}/print/",
        f"/prescriptions/{prescription.pk}/print/?lang=en",
        f"/prescriptions/new/?person={network['person'].pk}",
    ):
        page.goto(base + path)
    page.context.clear_cookies()
    sign_in(page, base, network["coordinator"], PASSWORD, "/home/")
    page.goto(base + "/taxonomies/")
    page.context.clear_cookies()
    sign_in(page, base, network["privacy"], PASSWORD, "/home/")
    page.goto(base + "/privacy/")
    page.goto(base + "/privacy/people/?q=cote")
