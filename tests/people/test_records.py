"""Person records: duplicates, household, merge, who may read them, and the audit trail."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from proxima.core.models import AuditEvent
from proxima.core.roles import Role
from proxima.people.models import HouseholdLink, Person, Relationship
from proxima.people.services.records import (
    PersonInput,
    PersonInputError,
    PossibleDuplicates,
    create_person,
    find_possible_duplicates,
    household,
    link_household,
    merge_people,
    person_file,
    read_person,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def person(worker, given="Élise", family="Côté-Roy", born=date(1988, 3, 14), **extra):
    return create_person(PersonInput(given, family, born, **extra), by=worker, confirmed_new=True)


def test_create_cleans_input_and_audits(worker):
    created = create_person(
        PersonInput("  Élise ", "Côté-Roy", date(1988, 3, 14), postal_code="g1k3b2"), by=worker
    )
    assert (created.given_name, created.postal_code, created.region) == (
        "Élise",
        "G1K 3B2",
        worker.region,
    )
    event = AuditEvent.objects.get(action="create_person")
    assert (event.actor, event.object_id) == (worker, str(created.pk))


@pytest.mark.parametrize(
    ("given", "family", "born"),
    [
        ("elise", "cote roy", date(1988, 3, 14)),  # no accents, no hyphen, lower case
        ("Elyse", "Coté-Roy", date(1988, 3, 14)),  # a typo
        ("Côté-Roy", "Élise", date(1988, 3, 14)),  # given and family names swapped
        ("ÉLISE", "CÔTÉ-ROY", date(1988, 3, 14)),  # capitals
        ("Élise", "Côté Roy", None),  # no birth date given
    ],
)
def test_possible_duplicates_are_suggested(worker, given, family, born):
    existing = person(worker)
    with pytest.raises(PossibleDuplicates) as raised:
        create_person(PersonInput(given, family, born), by=worker)
    assert [c.person for c in raised.value.candidates] == [existing]
    assert Person.objects.count() == 1  # nothing saved until the worker decides
    # Shown to the worker: in the candidate's access log, as a search result is.
    shown = AuditEvent.objects.get(action="list_person")
    assert (shown.actor, shown.object_id, shown.reason) == (
        worker,
        str(existing.pk),
        "possible duplicate",
    )


def test_day_and_month_swapped_is_a_possible_duplicate(worker):
    existing = person(worker, born=date(1988, 3, 11))
    found = find_possible_duplicates(
        PersonInput("Élise", "Côté-Roy", date(1988, 11, 3)), worker.region_id
    )
    assert [c.person for c in found] == [existing]
    assert found[0].reasons == ["nom semblable", "même date de naissance"]


def test_different_people_are_not_duplicates(worker):
    person(worker)
    assert not find_possible_duplicates(
        PersonInput("Élise", "Côté-Roy", date(1990, 7, 1)), worker.region_id
    )
    assert not find_possible_duplicates(
        PersonInput("Marc", "Tremblay", date(1988, 3, 14)), worker.region_id
    )


def test_duplicates_are_looked_for_in_the_region_only(worker, other_region):
    person(worker)
    assert not find_possible_duplicates(
        PersonInput("Élise", "Côté-Roy", date(1988, 3, 14)), other_region.pk
    )


def test_confirmed_new_person_is_created_despite_a_similar_record(worker):
    person(worker)
    person(worker)
    assert Person.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (PersonInput("", "Roy"), "given_name"),
        (PersonInput("Ana", " "), "family_name"),
        # Tomorrow is taken when the test runs, not when it is collected: a run that
        # crosses midnight would otherwise ask for "tomorrow" on what is by then today.
        (lambda: PersonInput("Ana", "Roy", timezone.localdate() + timedelta(days=1)), "birth_date"),
        (PersonInput("Ana", "Roy", date(1850, 1, 1)), "birth_date"),
        (PersonInput("Ana", "x" * 101), "family_name"),
        (PersonInput("Ana", "Roy", postal_code="12345"), "postal_code"),
    ],
)
def test_bad_input_is_refused_field_by_field_in_french(worker, data, field):
    data = data() if callable(data) else data
    with pytest.raises(PersonInputError) as raised:
        create_person(data, by=worker, confirmed_new=True)
    assert field in raised.value.errors
    assert not Person.objects.exists()


def test_errors_are_written_in_french(worker):
    future = timezone.localdate() + timedelta(days=1)
    with pytest.raises(PersonInputError) as raised:
        create_person(PersonInput("", "Roy", future), by=worker)
    assert raised.value.errors == {
        "given_name": "Le prénom est obligatoire.",
        "birth_date": "La date de naissance ne peut pas être dans le futur.",
    }


def test_html_is_kept_as_text(worker):
    created = person(worker, given="<script>alert(1)</script>", family="Roy")
    assert created.given_name == "<script>alert(1)</script>"  # stored as typed, escaped on display


def test_reads_are_audited_and_limited_to_the_region(worker, other_region):
    record = person(worker)
    assert read_person(record.pk, by=worker, reason="811 call") == record
    event = AuditEvent.objects.filter(action="read_person").get()
    assert (event.actor, event.reason) == (worker, "811 call")

    outsider = UserFactory(role=Role.CLSC_WORKER, region=other_region)
    partner = UserFactory(role=Role.PARTNER_ADMIN, region=worker.region)
    admin = UserFactory(role=Role.ADMIN, region=worker.region)
    evaluator = UserFactory(role=Role.EVALUATOR, region=worker.region)
    with pytest.raises(Http404):  # another region's record is not found, as a missing one
        read_person(record.pk, by=outsider, reason="curious")
    for user in (partner, admin, evaluator):
        with pytest.raises(PermissionDenied):
            read_person(record.pk, by=user, reason="curious")
    assert AuditEvent.objects.filter(action="read_person").count() == 1


def test_only_network_staff_create_records_and_in_their_region(worker, other_region):
    partner = UserFactory(role=Role.PARTNER_ADMIN, region=worker.region)
    with pytest.raises(PermissionDenied):
        create_person(PersonInput("Ana", "Roy"), by=partner)
    with pytest.raises(PermissionDenied):
        create_person(PersonInput("Ana", "Roy"), by=worker, region_id=other_region.pk)


def test_household_links_go_both_ways(worker):
    child = person(worker, given="Léa", family="Roy", born=date(2016, 5, 2))
    mother = person(worker, given="Nadia", family="Roy", born=date(1985, 1, 9))
    sister = person(worker, given="Zoé", family="Roy", born=date(2012, 8, 30))
    link_household(child, mother, Relationship.PARENT, by=worker)
    link_household(child, sister, Relationship.SIBLING, by=worker)
    links = {(link.relative.given_name, link.relationship) for link in household(child, by=worker)}
    assert links == {("Nadia", "parent"), ("Zoé", "sibling")}
    assert {
        (link.relative.given_name, link.relationship) for link in household(mother, by=worker)
    } == {("Léa", "child")}
    with pytest.raises(PersonInputError):
        link_household(child, child, Relationship.SIBLING, by=worker)
    # Each relative named on another's file is in their own access log.
    person_file(child.pk, by=worker, reason="person page")
    shown = AuditEvent.objects.filter(action="show_person_name", reason="household")
    assert set(shown.values_list("object_id", flat=True)) == {
        str(mother.pk),
        str(sister.pk),
        str(child.pk),
    }


def test_merge_keeps_every_history(worker):
    keep = person(worker, given="Élise", family="Côté-Roy", born=date(1988, 3, 14))
    duplicate = person(worker, given="Elise", family="Cote Roy", born=None, phone="418-555-0101")
    child = person(worker, given="Léa", family="Roy", born=date(2016, 5, 2))
    link_household(duplicate, child, Relationship.CHILD, by=worker)
    merge_people(keep, duplicate, by=worker, reason="same person, confirmed by phone")
    duplicate.refresh_from_db()
    keep.refresh_from_db()
    assert duplicate.merged_into == keep and not duplicate.is_active
    assert keep.phone == "418-555-0101"  # filled from the duplicate
    assert HouseholdLink.objects.filter(person=child, relative=keep, relationship="parent").exists()
    assert not HouseholdLink.objects.filter(relative=duplicate).exists()
    assert read_person(duplicate.pk, by=worker, reason="follow-up") == keep
    assert AuditEvent.objects.filter(action="merge_person").count() == 2
    with pytest.raises(PersonInputError):
        merge_people(keep, duplicate, by=worker, reason="again")


def test_too_long_fields_are_refused_not_cut(worker):
    long_phone = "418 555-0101 poste 1234567890123456789012345678"
    with pytest.raises(PersonInputError) as refused:
        create_person(
            PersonInput("Ana", "Roy", pronouns="x" * 41, phone=long_phone, email="pas une adresse"),
            by=worker,
            confirmed_new=True,
        )
    assert set(refused.value.errors) == {"pronouns", "phone", "email"}
    assert not Person.objects.exists()
