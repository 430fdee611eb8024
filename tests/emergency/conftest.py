"""What the emergency tests share: two regions; in ours, a team lead who declares, the
emergency psychosocial team (a CLSC worker a member) that makes the follow-up calls, an
active event; in the other, a responder of their own."""

from datetime import date

import pytest
from django.test import Client

from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.emergency import services
from proxima.emergency.services import AffectedInput, EventInput
from proxima.people.models import Person
from proxima.teams.services import join, standard_team
from tests.factories import OrganizationFactory, UserFactory


@pytest.fixture
def region(db):
    return Region.objects.create(code="03", name="Capitale-Nationale")


@pytest.fixture
def elsewhere(db):
    return Region.objects.create(code="07", name="Outaouais")


@pytest.fixture
def team(region):
    return standard_team(region, "emergency_psychosocial")


@pytest.fixture
def lead(region, team):
    """The team lead who declares the events and leads them."""
    user = UserFactory(
        role=Role.TEAM_LEAD, region=region, team="social_consultation", first_name="Charlie"
    )
    join(user, team)
    return user


@pytest.fixture
def worker(region, team):
    """A CLSC worker of the emergency psychosocial team (makes the follow-up calls)."""
    user = UserFactory(
        role=Role.CLSC_WORKER,
        region=region,
        team="social_consultation",
        first_name="Dominique",
        last_name="Roy",
    )
    join(user, team)
    return user


@pytest.fixture
def worker_811(region):
    """An 811 worker: registers people, not of the follow-up team."""
    return UserFactory(role=Role.WORKER_811, region=region, team="info_social")


@pytest.fixture
def coordinator(region):
    return UserFactory(role=Role.COORDINATOR, region=region)


def event_input(region, lead, team, **changes) -> EventInput:
    fields = {
        "kind": "flood",
        "title": "Crue de la rivière",
        "place": "Rue des Saules",
        "occurred_on": date(2026, 11, 30),
        "lead": lead,
        "team": team,
    }
    fields.update(changes)
    return EventInput(**fields)


@pytest.fixture
def declared(region, lead, team):
    return services.declare_event(event_input(region, lead, team), by=lead)


@pytest.fixture
def event(declared, lead):
    return services.activate_event(declared, by=lead)


def register(event, by, given="Léa", **changes):
    return services.register_affected_person(
        event, AffectedInput(given_name=given, **changes), by=by
    )


def person_of(region, given="Léa", family="Roy") -> Person:
    return Person.objects.create(
        region=region, given_name=given, family_name=family, name_key=f"{family} {given}".lower()
    )


@pytest.fixture
def outsiders(region, elsewhere):
    """Who must never reach the event: a responder of another region, a partner, an
    evaluator, an administrator."""
    organization = OrganizationFactory()
    return {
        "other region": UserFactory(role=Role.TEAM_LEAD, region=elsewhere, team="info_social"),
        "partner": UserFactory(role=Role.PARTNER_ADMIN, region=region, organization=organization),
        "evaluator": UserFactory(role=Role.EVALUATOR, region=region),
        "admin": UserFactory(role=Role.ADMIN, region=region),
    }


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
