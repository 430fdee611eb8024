"""The activity picker keeps the activities chosen across searches and looks for the
person's age, near their home (online ones anywhere); another region's person is refused."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from proxima.core.audit import AuditEvent
from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.people.services.records import PersonInput, create_person
from tests.factories import UserFactory, make_service

pytestmark = pytest.mark.django_db
SAINT_ROCH = (46.8139, -71.2247)
OTTAWA = (45.4393, -75.6610)


@pytest.fixture
def client(prescriber):
    client = Client()
    client.force_login(prescriber)
    return client


@pytest.fixture
def child(prescriber):
    return create_person(
        PersonInput("Awa", "Diallo", date(2016, 5, 2), postal_code="G1K 3B2"),
        by=prescriber,
        confirmed_new=True,
    )


@pytest.fixture
def music(need_domains):
    return {
        "near": make_service("Musique près", "Cours de musique.", domain="arts", point=SAINT_ROCH),
        "far": make_service("Musique loin", "Cours de musique.", domain="arts", point=OTTAWA),
        "online": make_service(
            "Musique en ligne", "Cours de musique.", domain="arts", delivers_online=True
        ),
        "adults": make_service(
            "Musique adultes",
            "Cours de musique.",
            domain="arts",
            point=SAINT_ROCH,
            minimum_age=18,
        ),
    }


def picked(client, **params) -> str:
    return client.get(reverse("prescriptions:activities"), params).content.decode()


def test_for_the_persons_age_near_home_and_online(client, child, music):
    page = picked(client, q="musique", person=str(child.pk))
    assert "Musique près" in page and "Musique en ligne" in page
    assert "Musique loin" not in page and "Musique adultes" not in page
    assert " km" in page and "en ligne" in page
    # Without a person (no age, no home), everything matching is offered.
    assert "Musique loin" in picked(client, q="musique")
    reads = AuditEvent.objects.filter(action="read_person", reason="activity search")
    assert reads.count() == 1  # the age and the home read for the search: audited


def test_the_chosen_ones_are_not_offered_again(client, child, music):
    page = picked(client, q="musique", person=str(child.pk), services=[music["near"].id])
    assert "Musique près" not in page and "Musique en ligne" in page


def test_another_regions_person_is_refused(music):
    elsewhere = UserFactory(
        role=Role.SOCIAL_PRESCRIBER,
        region=Region.objects.create(code="06", name="Montréal"),
        team="social_prescribing",
    )
    theirs = create_person(
        PersonInput("Léa", "Roy", date(2010, 1, 1), postal_code="H2X 1Y4"),
        by=elsewhere,
        confirmed_new=True,
    )

    ours = UserFactory(
        role=Role.SOCIAL_PRESCRIBER,
        region=Region.objects.create(code="03", name="Capitale-Nationale"),
        team="social_prescribing",
    )
    client = Client()
    client.force_login(ours)
    response = client.get(
        reverse("prescriptions:activities"), {"q": "musique", "person": theirs.pk}
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(actor=ours, action="read_person").exists()
