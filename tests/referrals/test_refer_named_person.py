"""Refer a named person from wherever the worker is: from the person's record through the
directory, or from a service page by finding the person on the referral form; "Send"
sends. Strangers find nobody and write nothing."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from proxima.core.audit import AuditEvent
from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.people.services.records import PersonInput, create_person
from proxima.referrals.models import Referral
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_from_a_service_page_find_the_person_then_send(worker, person, service, consent):
    referrer = client_of(worker)
    page = referrer.get(reverse("referrals:new"), {"service": service.pk}).content.decode()
    assert "Pour qui ?" in page and 'name="find"' in page
    listed_before = AuditEvent.objects.filter(action="list_person").count()
    found = referrer.get(
        reverse("referrals:new"), {"service": service.pk, "find": "cote elise"}
    ).content.decode()
    pick = f"person={person.pk}"
    assert pick in found and "Référer Élise Côté" in found
    # Being shown in the list is a read of the name: audited.
    assert AuditEvent.objects.filter(action="list_person").count() == listed_before + 1
    form = referrer.get(
        reverse("referrals:new"), {"service": service.pk, "person": person.pk}
    ).content.decode()
    assert "Pour Élise Côté" in form and 'name="find"' not in form
    response = referrer.post(
        reverse("referrals:new"),
        {
            "service": service.pk,
            "person": person.pk,
            "need_domain": "food",
            "request_text": "Dépannage alimentaire",
            "priority": "72h",
            "send_now": "1",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and referral.person_id == person.pk
    assert referral.status == "requested"  # "Send" sends; a draft is the other button


def test_from_the_record_through_the_directory(worker, person, service, consent):
    referrer = client_of(worker)
    record = referrer.get(reverse("people:person", args=[person.pk])).content.decode()
    directory_link = f"{reverse('directory:search')}?for={person.pk}"
    assert directory_link in record
    results = referrer.get(
        reverse("directory:search"), {"for": str(person.pk), "q": "comptoir alimentaire"}
    ).content.decode()
    refer = f"{reverse('referrals:new')}?service={service.pk}&amp;person={person.pk}"
    assert refer in results
    assert f'name="for" value="{person.pk}"' in results  # kept by the next search
    page = referrer.get(
        reverse("directory:service", args=[service.pk]), {"for": str(person.pk)}
    ).content.decode()
    assert refer in page and "Référer la personne à ce service" in page


def test_a_for_that_is_no_id_or_from_the_public_is_dropped(worker, service):
    for value in ("x' onmouseover='alert(1)", "../../admin", "1" * 300):
        page = (
            client_of(worker)
            .get(reverse("directory:search"), {"for": value, "q": "comptoir"})
            .content.decode()
        )
        assert "Référer la personne" not in page and 'name="for"' not in page
    public = Client().get(reverse("directory:search"), {"for": str(service.pk), "q": "comptoir"})
    assert 'name="for"' not in public.content.decode()


def test_another_region_finds_nobody_and_cannot_name_the_person(person, service):
    elsewhere = Region.objects.create(code="06", name="Montréal")
    stranger = UserFactory(role=Role.WORKER_811, region=elsewhere, team="info_social")
    other = create_person(
        PersonInput("Élise", "Côté", date(1990, 1, 2)), by=stranger, confirmed_new=True
    )
    page = (
        client_of(stranger)
        .get(reverse("referrals:new"), {"service": service.pk, "find": "elise cote"})
        .content.decode()
    )
    assert f"person={other.pk}" in page and f"person={person.pk}" not in page
    response = client_of(stranger).post(
        reverse("referrals:new"),
        {
            "service": service.pk,
            "person": person.pk,
            "need_domain": "food",
            "request_text": "x",
            "send_now": "1",
        },
    )
    assert response.status_code in (403, 404) and not Referral.objects.exists()


def test_a_partner_has_no_person_picker(partner, service):
    response = client_of(partner).get(reverse("referrals:new"), {"service": service.pk})
    assert response.status_code == 403 or 'name="find"' not in response.content.decode()


def test_a_merged_record_leads_the_referral_to_the_record_kept(worker, person, service, consent):
    from proxima.people.services.records import merge_people

    duplicate = create_person(
        PersonInput("Elise", "Cote", date(1988, 3, 14)), by=worker, confirmed_new=True
    )
    merge_people(person, duplicate, by=worker, reason="same person")
    client_of(worker).post(
        reverse("referrals:new"),
        {
            "service": service.pk,
            "person": duplicate.pk,
            "need_domain": "food",
            "request_text": "Dépannage",
            "priority": "72h",
            "send_now": "0",
        },
    )
    assert Referral.objects.get().person_id == person.pk


def test_a_partner_is_not_offered_to_refer_a_named_person(partner, service, person):
    page = client_of(partner).get(
        reverse("directory:service", args=[service.pk]), {"for": str(person.pk)}
    )
    assert "Référer la personne" not in page.content.decode()
