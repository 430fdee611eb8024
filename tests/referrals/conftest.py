"""A small network: a region, the 811 team, a CLSC team, a partner organization with
its service, a coordinator, and a person who consented to share with the partner."""

from datetime import date

import pytest

from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.intake.services.questionnaires import load_questionnaires
from proxima.people.services.consent import ConsentInput, record_consent
from proxima.people.services.records import PersonInput, create_person
from proxima.referrals.services.workflow import ReferralInput, create_referral, send
from tests.factories import OrganizationFactory, UserFactory, make_service


@pytest.fixture
def region(db):
    load_questionnaires()
    return Region.objects.create(code="03", name="Capitale-Nationale")


@pytest.fixture
def worker(region):
    return UserFactory(
        role=Role.WORKER_811, region=region, team="info_social", email="info811@example.org"
    )


@pytest.fixture
def colleague(region):
    return UserFactory(role=Role.WORKER_811, region=region, team="info_social")


@pytest.fixture
def clsc(region):
    return UserFactory(role=Role.CLSC_WORKER, region=region, team="social_consultation")


@pytest.fixture
def coordinator(region):
    return UserFactory(role=Role.COORDINATOR, region=region, email="coordo@example.org")


@pytest.fixture
def partner_org(db):
    return OrganizationFactory(name="Comptoir alimentaire Limoilou")


@pytest.fixture
def service(partner_org, need_domains):
    return make_service("Comptoir alimentaire", domain="food", organization=partner_org)


@pytest.fixture
def partner(partner_org, region):
    return UserFactory(
        role=Role.PARTNER_ADMIN, organization=partner_org, email="accueil@comptoir.example"
    )


@pytest.fixture
def person(worker):
    return create_person(
        PersonInput("Élise", "Côté", date(1988, 3, 14), phone="418 555-0101"),
        by=worker,
        confirmed_new=True,
    )


@pytest.fixture
def consent(person, partner_org, worker):
    return record_consent(
        person,
        ConsentInput(
            categories=["identity", "needs"],
            purpose="Référence au comptoir alimentaire",
            method="verbal",
            recipient_organization=partner_org,
        ),
        by=worker,
    )


@pytest.fixture
def draft(worker, person, service, consent):
    return create_referral(
        ReferralInput(
            need_domain="food",
            request_text="Dépannage alimentaire cette semaine",
            priority="72h",
            service=service,
            person=person,
        ),
        by=worker,
    )


@pytest.fixture
def sent(draft, worker):
    return send(draft, by=worker, version=draft.version)
