"""Consent: recorded with its rules (minors, guardians), withdrawn, and asked by can_share."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from proxima.core.models import AuditEvent
from proxima.people.models import InformationCategory, Relationship
from proxima.people.services.consent import (
    ConsentInput,
    can_share,
    record_consent,
    withdraw_consent,
)
from proxima.people.services.records import (
    PersonInput,
    PersonInputError,
    create_person,
    link_household,
)
from proxima.teams.models import TeamKind
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=days)


@pytest.fixture
def adult(worker):
    return create_person(
        PersonInput("Marc", "Tremblay", years_ago(40)), by=worker, confirmed_new=True
    )


@pytest.fixture
def food_bank(db):
    return OrganizationFactory(name="Comptoir alimentaire")


def needs_to(organization, **extra) -> ConsentInput:
    fields = {
        "categories": [InformationCategory.IDENTITY, InformationCategory.NEEDS],
        "purpose": "Référence au comptoir alimentaire",
        "method": "verbal",
        "recipient_organization": organization,
    }
    return ConsentInput(**(fields | extra))


def test_consent_allows_what_it_names_to_whom_it_names(worker, adult, food_bank):
    record_consent(adult, needs_to(food_bank), by=worker)
    assert can_share(adult, InformationCategory.NEEDS, food_bank)
    assert not can_share(adult, InformationCategory.RISK, food_bank)
    assert not can_share(adult, InformationCategory.NEEDS, OrganizationFactory())
    assert not can_share(adult, InformationCategory.NEEDS, TeamKind.MOBILE_OUTREACH)
    assert AuditEvent.objects.filter(action="record_consent").count() == 1


def test_consent_to_an_internal_team(worker, adult):
    record_consent(
        adult,
        ConsentInput(
            categories=[InformationCategory.RISK],
            purpose="Suivi en consultation sociale",
            method="written",
            recipient_team=TeamKind.SOCIAL_CONSULTATION,
        ),
        by=worker,
    )
    assert can_share(adult, InformationCategory.RISK, TeamKind.SOCIAL_CONSULTATION)
    assert not can_share(adult, InformationCategory.RISK, TeamKind.INFO_SOCIAL)


def test_one_consent_names_one_recipient(worker, adult, food_bank):
    from proxima.people.models import Consent

    both = ConsentInput(
        categories=[InformationCategory.NEEDS],
        purpose="Référence",
        method="verbal",
        recipient_organization=food_bank,
        recipient_team=TeamKind.SOCIAL_CONSULTATION,
    )
    with pytest.raises(PersonInputError) as refused:
        record_consent(adult, both, by=worker)
    assert "pas les deux" in str(refused.value.errors["recipient"])
    assert not Consent.objects.exists()


def test_withdrawn_or_expired_consent_allows_nothing(worker, adult, food_bank):
    consent = record_consent(adult, needs_to(food_bank), by=worker)
    withdraw_consent(consent, by=worker, reason="A changé d'avis")
    assert not can_share(adult, InformationCategory.NEEDS, food_bank)
    assert AuditEvent.objects.filter(action="withdraw_consent").count() == 1

    now = timezone.now()
    record_consent(
        adult,
        needs_to(food_bank, given_at=now - timedelta(days=60), expires_at=now - timedelta(days=1)),
        by=worker,
    )
    assert not can_share(adult, InformationCategory.NEEDS, food_bank)
    assert can_share(adult, InformationCategory.NEEDS, food_bank, at=now - timedelta(days=30))


def test_a_child_under_14_needs_a_parent_or_guardians_consent(worker, food_bank):
    child = create_person(PersonInput("Léa", "Roy", years_ago(9)), by=worker, confirmed_new=True)
    mother = create_person(
        PersonInput("Nadia", "Roy", years_ago(38)), by=worker, confirmed_new=True
    )
    neighbour = create_person(
        PersonInput("Paul", "Gagnon", years_ago(50)), by=worker, confirmed_new=True
    )
    with pytest.raises(PersonInputError) as raised:
        record_consent(child, needs_to(food_bank), by=worker)
    assert "guardian" in raised.value.errors
    with pytest.raises(PersonInputError) as raised:
        record_consent(child, needs_to(food_bank, method="guardian", guardian=neighbour), by=worker)
    assert "guardian" in raised.value.errors
    link_household(child, mother, Relationship.PARENT, by=worker)
    record_consent(child, needs_to(food_bank, method="guardian", guardian=mother), by=worker)
    assert can_share(child, InformationCategory.NEEDS, food_bank)


def test_a_youth_of_14_consents_alone(worker, food_bank):
    youth = create_person(PersonInput("Jade", "Roy", years_ago(14)), by=worker, confirmed_new=True)
    record_consent(youth, needs_to(food_bank), by=worker)
    assert can_share(youth, InformationCategory.NEEDS, food_bank)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"categories": []}, "categories"),
        ({"categories": ["secrets"]}, "categories"),
        ({"purpose": " "}, "purpose"),
        ({"purpose": "x" * 501}, "purpose"),
        ({"method": "telepathy"}, "method"),
        ({"recipient_organization": None}, "recipient"),
        ({"given_at": timezone.now() + timedelta(days=2)}, "given_at"),
        ({"expires_at": timezone.now() - timedelta(days=2)}, "expires_at"),
    ],
)
def test_bad_consent_is_refused_and_nothing_is_saved(worker, adult, food_bank, changes, field):
    data = needs_to(food_bank).__dict__ | changes
    with pytest.raises(PersonInputError) as raised:
        record_consent(adult, ConsentInput(**data), by=worker)
    assert field in raised.value.errors
    assert not adult.consents.exists()


def test_consent_follows_a_merge(worker, adult, food_bank):
    from proxima.people.services.records import merge_people

    duplicate = create_person(PersonInput("Marc", "Tremblay"), by=worker, confirmed_new=True)
    record_consent(duplicate, needs_to(food_bank), by=worker)
    merge_people(adult, duplicate, by=worker, reason="même personne")
    assert can_share(adult, InformationCategory.NEEDS, food_bank)
    assert can_share(duplicate, InformationCategory.NEEDS, food_bank)
