"""What the group tests share: two regions; in ours, a CLSC worker of the social
consultation team facilitating a group of 3 places with a past and a future session,
people of the region; in the other, a worker of their own."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.groups import services
from proxima.groups.services import ActivityInput
from proxima.people.models import Person
from proxima.teams.services import standard_team
from tests.factories import OrganizationFactory, UserFactory


@pytest.fixture
def region(db):
    return Region.objects.create(code="03", name="Capitale-Nationale")


@pytest.fixture
def elsewhere(db):
    return Region.objects.create(code="07", name="Outaouais")


def person_of(region, given="Léa", family="Roy", born: date | None = None) -> Person:
    return Person.objects.create(
        region=region,
        given_name=given,
        family_name=family,
        name_key=f"{family} {given}".lower(),
        birth_date=born,
    )


@pytest.fixture
def people(region):
    return [person_of(region, given) for given in ("Ana", "Béa", "Cléo", "Dina", "Émi")]


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
def teammate(region):
    """Another CLSC worker of the same team, not a facilitator."""
    return UserFactory(role=Role.CLSC_WORKER, region=region, team="social_consultation")


def activity_input(region, **changes) -> ActivityInput:
    fields = {
        "team": standard_team(region, "social_consultation"),
        "title_fr": "Groupe de parents",
        "title_en": "Parenting group",
        "theme": "parenting",
        "description": "",
        "capacity": 3,
    }
    fields.update(changes)
    return ActivityInput(**fields)


@pytest.fixture
def activity(region, worker):
    return services.create_activity(activity_input(region), by=worker)


@pytest.fixture
def past_session(activity, worker):
    return services.add_session(
        activity, timezone.now() - timedelta(days=7), 120, "CLSC", by=worker
    )


@pytest.fixture
def future_session(activity, worker):
    return services.add_session(
        activity, timezone.now() + timedelta(days=7), 120, "CLSC", by=worker
    )


@pytest.fixture
def outsiders(region, elsewhere):
    """Who must never write on the group: a worker of another region, a worker of another
    team of the region, an 811 worker, a partner, an evaluator, a coordinator (reads)."""
    organization = OrganizationFactory()
    return {
        "other region": UserFactory(
            role=Role.CLSC_WORKER, region=elsewhere, team="social_consultation"
        ),
        "other team": UserFactory(role=Role.CLSC_WORKER, region=region, team="mobile_outreach"),
        "811": UserFactory(role=Role.WORKER_811, region=region, team="info_social"),
        "partner": UserFactory(role=Role.PARTNER_ADMIN, region=region, organization=organization),
        "evaluator": UserFactory(role=Role.EVALUATOR, region=region),
        "coordinator": UserFactory(role=Role.COORDINATOR, region=region),
    }


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
