"""What the outreach tests share: two regions; in ours, a worker of the mobile outreach
team, a teammate and a CLSC worker of another team; a coordinator; an emergency under
way; in the other region, a worker of their own."""

import uuid
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.emergency.models import Event, EventKind, EventStatus
from proxima.outreach.services import ContactInput
from proxima.teams.services import standard_team
from tests.factories import OrganizationFactory, UserFactory


@pytest.fixture
def region(db):
    return Region.objects.create(code="03", name="Capitale-Nationale")


@pytest.fixture
def elsewhere(db):
    return Region.objects.create(code="07", name="Outaouais")


@pytest.fixture
def worker(region):
    return UserFactory(
        role=Role.CLSC_WORKER, region=region, team="mobile_outreach", first_name="Alex"
    )


@pytest.fixture
def teammate(region):
    return UserFactory(role=Role.CLSC_WORKER, region=region, team="mobile_outreach")


@pytest.fixture
def other_team(region):
    return UserFactory(role=Role.CLSC_WORKER, region=region, team="social_consultation")


@pytest.fixture
def coordinator(region):
    return UserFactory(role=Role.COORDINATOR, region=region)


@pytest.fixture
def stranger(elsewhere):
    return UserFactory(role=Role.CLSC_WORKER, region=elsewhere, team="mobile_outreach")


@pytest.fixture
def refused_roles(region):
    """Who may not record an outreach contact in the region."""
    organization = OrganizationFactory()
    return {
        "811": UserFactory(role=Role.WORKER_811, region=region, team="info_social"),
        "partner": UserFactory(role=Role.PARTNER_ADMIN, region=region, organization=organization),
        "evaluator": UserFactory(role=Role.EVALUATOR, region=region),
        "coordinator": UserFactory(role=Role.COORDINATOR, region=region),
        "privacy": UserFactory(role=Role.PRIVACY_OFFICER, region=region),
    }


def event_of(region, lead, *, status=EventStatus.ACTIVE, activated_hours_ago=48, closed=False):
    now = timezone.now()
    return Event.objects.create(
        region=region,
        kind=EventKind.FLOOD,
        title="Crue de la rivière",
        place="Quartier Saint-Sauveur",
        occurred_on=date.today() - timedelta(days=2),
        lead=lead,
        team=standard_team(region, "mobile_outreach"),
        status=EventStatus.CLOSED if closed else status,
        declared_at=now - timedelta(hours=activated_hours_ago + 1),
        declared_by=lead,
        activated_at=now - timedelta(hours=activated_hours_ago),
        closed_at=now - timedelta(hours=1) if closed else None,
    )


@pytest.fixture
def event(region, coordinator):
    return event_of(region, coordinator)


def contact_input(**changes) -> ContactInput:
    fields = {
        "id": uuid.uuid4(),
        "met_at": timezone.now() - timedelta(minutes=10),
        "place": "Parc Victoria",
        "people_count": 2,
        "age_band": "25-64",
        "need_domains": ["food", "housing"],
        "help_given": ["listening", "material"],
        "orientation": "resource",
        "orientation_note": "Comptoir alimentaire",
        "note": "Deux hommes sans logement depuis la crue.",
    }
    fields.update(changes)
    return ContactInput(**fields)


def sent(**changes) -> dict:
    """A contact as a phone's queue sends it (JSON)."""
    item = {
        "id": str(uuid.uuid4()),
        "met_at": (timezone.now() - timedelta(minutes=10)).isoformat(),
        "place": "Parc Victoria",
        "territory": "",
        "people_count": "2",
        "age_band": "25-64",
        "need_domains": ["food"],
        "help_given": ["listening"],
        "orientation": "information",
        "orientation_note": "",
        "note": "",
        "event": "",
    }
    item.update(changes)
    return item


def client_of(user) -> Client:
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    return client
