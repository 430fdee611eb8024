"""The person page: shown to staff of the region, audited, with who accessed it."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from proxima.core.models import AuditEvent
from proxima.core.roles import Role
from proxima.people.services.records import PersonInput, create_person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_person_page_shows_the_record_and_its_access_log(worker, other_region):
    person = create_person(
        PersonInput("Léa", "<b>Roy</b>", date(2016, 5, 2)), by=worker, confirmed_new=True
    )
    client = Client()
    client.force_login(worker)
    html = client.get(reverse("people:person", args=[person.pk])).content.decode()
    assert "&lt;b&gt;Roy&lt;/b&gt;" in html and "<b>Roy</b>" not in html  # escaped
    assert "Qui a consulté ce dossier" in html and "a consulté le dossier" in html
    assert "Intervenant·e 811 Info-Social" in html
    assert "Aucun consentement enregistré" in html
    assert AuditEvent.objects.filter(action="read_person", actor=worker).count() == 1

    outsider = Client()
    outsider.force_login(UserFactory(role=Role.WORKER_811, region=other_region))
    assert outsider.get(reverse("people:person", args=[person.pk])).status_code == 403
    assert AuditEvent.objects.filter(action="read_person").count() == 1


def test_unknown_person_is_a_404(worker):
    client = Client()
    client.force_login(worker)
    url = reverse("people:person", args=["6b1f2a4e-0000-4000-8000-000000000000"])
    assert client.get(url).status_code == 404
