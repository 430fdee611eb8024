"""Finding a record for a person's request: by name or number, within the officer's
region, for a reason the officer types; the search and each record listed are audited."""

import pytest
from django.test import Client
from django.urls import reverse

from proxima.core.models import AuditEvent

pytestmark = pytest.mark.django_db
URL = reverse("privacy:search")
REASON = "Demande d'accès no 2026-114"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_by_name_accents_optional_then_links_to_the_report_and_the_export(network, lea, zephyrin):
    page = signed_in(network.officer).get(URL, {"q": "lea roy", "reason": REASON})
    assert page.status_code == 200
    assert page.context["found"] == [lea.person]
    text = page.content.decode()
    assert reverse("privacy:access_report", args=[lea.person.pk]) + "?reason=Demande" in text
    assert reverse("privacy:export", args=[lea.person.pk]) in text
    search = AuditEvent.objects.get(action="search_people_for_privacy")
    assert (search.reason, search.detail) == (REASON, {"results": 1})
    listed = AuditEvent.objects.filter(action="list_person", actor=network.officer).get()
    assert (listed.object_id, listed.reason) == (str(lea.person.pk), REASON)


def test_by_record_number(network, lea):
    page = signed_in(network.officer).get(URL, {"q": str(lea.person.pk), "reason": REASON})
    assert page.context["found"] == [lea.person]


def test_another_region_s_record_is_not_found(network, lea):
    client = signed_in(network.other_officer)
    assert client.get(URL, {"q": "Roy", "reason": REASON}).context["found"] == []
    assert client.get(URL, {"q": str(lea.person.pk), "reason": REASON}).context["found"] == []
    assert not AuditEvent.objects.filter(action="list_person", actor=network.other_officer).exists()


def test_no_reason_no_search(network, lea):
    client = signed_in(network.officer)
    before = AuditEvent.objects.count()
    page = client.get(URL, {"q": "Roy", "reason": " "})
    assert page.status_code == 400 and "Dites pourquoi" in page.content.decode()
    assert page.context["found"] is None
    assert AuditEvent.objects.count() == before


def test_the_empty_form(network):
    client = signed_in(network.officer)
    before = AuditEvent.objects.count()
    page = client.get(URL)
    assert page.status_code == 200 and page.context["found"] is None
    assert AuditEvent.objects.count() == before
