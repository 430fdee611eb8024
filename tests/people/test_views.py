"""The person page: shown to staff of the region, audited, with who accessed it."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from proxima.core.models import AuditEvent
from proxima.core.roles import Role
from proxima.people.models import HouseholdLink, Person
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
    assert "Intervenant ou intervenante 811 Info-Social" in html
    assert "page de la personne" in html and "person page" not in html  # reason translated
    assert "<dd>Français</dd>" in html  # the language code, named
    assert "Aucun consentement enregistré" in html
    assert AuditEvent.objects.filter(action="read_person", actor=worker).count() == 1

    outsider = Client()
    outsider.force_login(UserFactory(role=Role.WORKER_811, region=other_region))
    assert outsider.get(reverse("people:person", args=[person.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="read_person").count() == 1


def test_unknown_person_is_a_404(worker):
    client = Client()
    client.force_login(worker)
    url = reverse("people:person", args=["6b1f2a4e-0000-4000-8000-000000000000"])
    assert client.get(url).status_code == 404


@pytest.fixture
def client_of(worker):
    client = Client()
    client.force_login(worker)
    return client


def new_person(worker, given="Élise", family="Côté-Roy", born=date(1988, 3, 14)):
    return create_person(PersonInput(given, family, born), by=worker, confirmed_new=True)


def test_search_by_any_name_order_without_accents_and_audited(worker, other_region, client_of):
    elise = new_person(worker)
    new_person(worker, "Marc", "Tremblay", date(1970, 1, 2))
    outside = UserFactory(role=Role.WORKER_811, region=other_region)
    create_person(PersonInput("Élise", "Côté-Roy"), by=outside, confirmed_new=True)

    html = client_of.get(reverse("people:search"), {"q": "elise cote"}).content.decode()
    assert "1 dossier trouvé" in html and str(elise.pk) in html
    listed = AuditEvent.objects.filter(action="list_person")
    assert [(e.actor, e.object_id) for e in listed] == [(worker, str(elise.pk))]

    by_date = client_of.get(reverse("people:search"), {"birth_date": "1970-01-02"})
    assert "Tremblay" in by_date.content.decode() and "Côté" not in by_date.content.decode()
    bad = client_of.get(reverse("people:search"), {"q": "x", "birth_date": "1970-02-31"})
    assert bad.status_code == 400 and "Cette date n’existe pas." in bad.content.decode()


def test_correcting_the_record_logs_which_fields_not_their_values(worker, client_of):
    person = new_person(worker)
    url = reverse("people:person", args=[person.pk])
    fields = {
        "action": "update",
        "given_name": "Élise",
        "family_name": "Côté",
        "birth_date": "1988-03-14",
        "language": "fr",
        "phone": "418 555-0101",
        "postal_code": "g1k3b2",
        "needs_interpreter": "on",
    }
    assert client_of.post(url, fields).status_code == 302
    person.refresh_from_db()
    assert (person.family_name, person.phone, person.postal_code, person.needs_interpreter) == (
        "Côté",
        "418 555-0101",
        "G1K 3B2",
        True,
    )
    assert person.name_key == "cote elise"
    event = AuditEvent.objects.get(action="update_person")
    assert event.detail == {"fields": ["family_name", "needs_interpreter", "phone", "postal_code"]}
    assert "555" not in str(event.detail)

    refused = client_of.post(url, {**fields, "postal_code": "12345", "phone": "0"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "code postal canadien" in page and 'value="0"' in page  # typed value kept
    person.refresh_from_db()
    assert person.phone == "418 555-0101"  # nothing half-saved


def test_a_household_member_is_created_or_found_and_linked_both_ways(worker, client_of):
    mother = new_person(worker, "Amina", "Diallo", date(1985, 6, 1))
    url = reverse("people:person", args=[mother.pk])
    child = {
        "action": "relative",
        "relationship": "child",
        "relative_given_name": "Ousmane",
        "relative_family_name": "Diallo",
        "relative_birth_date": "2015-09-10",
    }
    assert client_of.post(url, child).status_code == 302
    ousmane = Person.objects.get(given_name="Ousmane")
    links = HouseholdLink.objects.filter(person__in=[mother, ousmane])
    assert {(lk.person, lk.relative, lk.relationship) for lk in links} == {
        (mother, ousmane, "child"),
        (ousmane, mother, "parent"),
    }
    # The father is added from the child's page; typed without accents, he is already known.
    father = new_person(worker, "Moussa", "Diallo", date(1982, 2, 2))
    again = {**child, "relationship": "parent", "relative_given_name": "moussa"}
    again["relative_birth_date"] = "1982-02-02"
    page = client_of.post(reverse("people:person", args=[ousmane.pk]), again)
    assert "peut-être déjà un dossier" in page.content.decode()
    assert Person.objects.filter(given_name__iexact="moussa").count() == 1
    link = {"action": "link_relative", "relative": father.pk, "relationship": "parent"}
    client_of.post(reverse("people:person", args=[ousmane.pk]), link)
    assert HouseholdLink.objects.filter(person=ousmane, relative=father, relationship="parent")


def test_consent_recorded_for_a_child_by_a_parent_then_withdrawn(worker, client_of):
    from proxima.people.services.consent import can_share
    from proxima.people.services.records import link_household

    mother = new_person(worker, "Amina", "Diallo", date(1985, 6, 1))
    child = new_person(worker, "Ousmane", "Diallo", date(2015, 9, 10))
    url = reverse("people:person", args=[child.pk])
    consent = {
        "action": "consent",
        "categories": ["needs", "family"],
        "recipient": "team:social_consultation",
        "purpose": "Suivi en consultation sociale",
        "method": "verbal",
    }
    refused = client_of.post(url, consent)
    assert refused.status_code == 400
    assert "un parent ou un tuteur doit consentir" in refused.content.decode()
    assert not child.consents.exists()

    link_household(child, mother, "parent", by=worker)
    by_parent = {**consent, "method": "guardian", "guardian": str(mother.pk)}
    by_parent["expires_on"] = "2099-12-31"
    assert client_of.post(url, by_parent).status_code == 302
    recorded = child.consents.get()
    assert (recorded.guardian, sorted(recorded.categories)) == (mother, ["family", "needs"])
    assert can_share(child, "needs", "social_consultation")
    assert not can_share(child, "risk", "social_consultation")
    html = client_of.get(url).content.decode()
    assert "Consultation sociale (CLSC)".lower() in html.lower() and "Retirer" in html

    client_of.post(url, {"action": "withdraw", "consent": recorded.pk, "reason": "A changé d’avis"})
    assert not can_share(child, "needs", "social_consultation")
    recorded.refresh_from_db()
    assert recorded.withdrawal_reason == "A changé d’avis"
    assert "retiré le" in client_of.get(url).content.decode()


def test_consent_with_an_unknown_organization_or_a_stranger_as_guardian(worker, client_of):
    child = new_person(worker, "Ousmane", "Diallo", date(2015, 9, 10))
    stranger = new_person(worker, "Paul", "Martin", date(1960, 1, 1))
    response = client_of.post(
        reverse("people:person", args=[child.pk]),
        {
            "action": "consent",
            "categories": ["needs"],
            "recipient": "org:does-not-exist",
            "purpose": "Référence",
            "method": "guardian",
            "guardian": str(stranger.pk),
            "expires_on": "2030-02-30",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Organisme inconnu." in page and "n’est pas un parent ou un tuteur" in page
    assert "Cette date n’existe pas." in page
    assert not child.consents.exists()


def test_a_merged_record_leads_to_the_one_kept(worker, client_of):
    from proxima.people.services.records import merge_people

    keep = new_person(worker)
    duplicate = new_person(worker, "Elise", "Cote Roy")
    merge_people(keep, duplicate, by=worker, reason="same person")
    response = client_of.get(reverse("people:person", args=[duplicate.pk]))
    assert response.status_code == 302 and str(keep.pk) in response["Location"]
    posted = client_of.post(
        reverse("people:person", args=[duplicate.pk]), {"action": "update", "given_name": "X"}
    )
    assert posted.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.given_name == "Elise"
