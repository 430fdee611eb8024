"""What the casework tests share: two regions; in ours, a person, a CLSC worker of the
social consultation team with a case (its lead), a co-worker candidate, a member of the
interprofessional team; in the other, a worker and a person of their own."""

from datetime import date

import pytest
from django.test import Client

from proxima.casework import services
from proxima.casework.services import NoteInput
from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.people.models import Person
from proxima.teams.services import standard_team
from tests.factories import OrganizationFactory, UserFactory


@pytest.fixture
def region(db):
    return Region.objects.create(code="03", name="Capitale-Nationale")


@pytest.fixture
def elsewhere(db):
    return Region.objects.create(code="07", name="Outaouais")


def person_of(region, given="Léa", family="Roy") -> Person:
    return Person.objects.create(
        region=region, given_name=given, family_name=family, name_key=f"{family} {given}".lower()
    )


@pytest.fixture
def person(region):
    return person_of(region)


@pytest.fixture
def worker(region):
    return UserFactory(
        role=Role.CLSC_WORKER,
        region=region,
        team="social_consultation",
        first_name="Dominique",
        last_name="Roy",
    )


@pytest.fixture
def colleague(region):
    """Another CLSC worker of the same team, not on the case."""
    return UserFactory(role=Role.CLSC_WORKER, region=region, team="social_consultation")


@pytest.fixture
def consultant(region):
    """A member of the region's interprofessional team."""
    return UserFactory(role=Role.CLSC_WORKER, region=region, team="interprofessional")


@pytest.fixture
def interprofessional(region):
    return standard_team(region, "interprofessional")


@pytest.fixture
def case(person, worker, region):
    return services.open_case(
        person,
        by=worker,
        team=standard_team(region, "social_consultation"),
        plan="Soutenir Léa",
    )


def note_input(**changes) -> NoteInput:
    fields = {
        "intervention_type": "support",
        "duration_minutes": 45,
        "place": "home",
        "happened_on": date(2026, 11, 20),
        "text": "Rencontre à domicile.",
    }
    fields.update(changes)
    return NoteInput(**fields)


@pytest.fixture
def signed_note(case, worker):
    note = services.write_note(case, note_input(), by=worker)
    return services.sign_note(note, by=worker)


@pytest.fixture
def outsiders(region, elsewhere):
    """Who must never reach the case: a worker of another region, a worker of another
    team of the region, an 811 worker, a partner, an evaluator, a privacy officer, the
    administrator."""
    organization = OrganizationFactory()
    return {
        "other region": UserFactory(
            role=Role.CLSC_WORKER, region=elsewhere, team="social_consultation"
        ),
        "other team": UserFactory(role=Role.CLSC_WORKER, region=region, team="mobile_outreach"),
        "811": UserFactory(role=Role.WORKER_811, region=region, team="info_social"),
        "partner": UserFactory(role=Role.PARTNER_ADMIN, region=region, organization=organization),
        "partner worker": UserFactory(
            role=Role.PARTNER_WORKER, region=region, organization=organization
        ),
        "evaluator": UserFactory(role=Role.EVALUATOR, region=region),
        "privacy officer": UserFactory(role=Role.PRIVACY_OFFICER, region=region),
        "admin": UserFactory(role=Role.ADMIN, region=region),
    }


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
