"""Every privacy route refuses what it must, before anything is read or written: a
privacy officer of another region (404, the record is not theirs to know of), every other
role (403) and anonymous visitors (sent to sign in)."""

import pytest
from django.test import Client
from django.urls import reverse

from proxima.core.models import AuditEvent
from proxima.core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PERSON_ROUTES = [
    "privacy:access_report",
    "privacy:access_report_csv",
    "privacy:export",
    "privacy:export_json",
]
ROUTES = ["privacy:log", "privacy:search", *PERSON_ROUTES]
QUERY = {"reason": "curiosité", "q": "Roy", "actor": "marie"}


def url(name, file):
    return reverse(name, args=[file.person.pk] if name in PERSON_ROUTES else [])


@pytest.mark.parametrize("name", PERSON_ROUTES)
def test_an_officer_of_another_region_gets_404_and_nothing_is_written(network, lea, name):
    client = Client()
    client.force_login(network.other_officer)
    before = AuditEvent.objects.count()
    assert client.get(url(name, lea), QUERY).status_code == 404
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.PRIVACY_OFFICER}))
def test_every_other_role_gets_403_and_nothing_is_written(network, lea, role):
    client = Client()
    client.force_login(UserFactory(role=role, region=network.region))
    before = AuditEvent.objects.count()
    for name in ROUTES:
        response = client.get(url(name, lea), QUERY)
        assert response.status_code == 403, (name, response.status_code)
    assert AuditEvent.objects.count() == before


def test_an_officer_without_a_region_gets_403(network, lea):
    client = Client()
    client.force_login(UserFactory(role=Role.PRIVACY_OFFICER, region=None))
    for name in ROUTES:
        assert client.get(url(name, lea), QUERY).status_code == 403, name


def test_anonymous_visitors_are_sent_to_sign_in(network, lea):
    before = AuditEvent.objects.count()
    for name in ROUTES:
        response = Client().get(url(name, lea), QUERY)
        assert response.status_code == 302 and "login" in response["Location"], name
    assert AuditEvent.objects.count() == before


def test_writing_methods_are_refused(network, lea):
    client = Client()
    client.force_login(network.officer)
    for name in ROUTES:
        assert client.post(url(name, lea), QUERY).status_code == 405, name
