"""Consent rules as a property: for any set of consents (categories, recipient, given,
expiring, withdrawn) and any moment, a category is shared with a recipient exactly when a
consent covers it then; withdrawal or expiry always hides it; a category never consented
to is never shared."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxima.people.models import Consent, InformationCategory
from proxima.people.services.consent import (
    ConsentInput,
    can_share,
    record_consent,
    withdraw_consent,
)
from proxima.people.services.records import PersonInput, create_person
from proxima.teams.models import STANDARD_NAMES
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
RECIPIENTS = ("org:a", "org:b", *(f"team:{team}" for team in list(STANDARD_NAMES)[:2]))
CATEGORIES = InformationCategory.values

consents = st.lists(
    st.fixed_dictionaries(
        {
            "categories": st.lists(st.sampled_from(CATEGORIES), min_size=1, unique=True),
            "recipient": st.sampled_from(RECIPIENTS),
            "given_days_ago": st.integers(0, 400),
            "valid_days": st.none() | st.integers(1, 400),
            "withdrawn": st.booleans(),
        }
    ),
    max_size=5,
)
moments = st.integers(-400, 400)  # days from now


@pytest.fixture
def setting(worker):
    person = create_person(
        PersonInput("Élise", "Côté", date(1988, 3, 14)), by=worker, confirmed_new=True
    )
    organizations = {"org:a": OrganizationFactory(), "org:b": OrganizationFactory()}
    return person, organizations


def recipient_of(name: str, organizations):
    return organizations[name] if name.startswith("org:") else name.removeprefix("team:")


def record(person, organizations, worker, wanted: list[dict], now) -> list[dict]:
    """Record (and withdraw) the consents; each with its given and expiry moments."""
    Consent.objects.filter(person=person).delete()
    recorded = []
    for consent in wanted:
        given_at = now - timedelta(days=consent["given_days_ago"], minutes=1)
        expires_at = (
            given_at + timedelta(days=consent["valid_days"]) if consent["valid_days"] else None
        )
        recipient = recipient_of(consent["recipient"], organizations)
        made = record_consent(
            person,
            ConsentInput(
                categories=consent["categories"],
                purpose="Suivi",
                method="verbal",
                recipient_organization=recipient if not isinstance(recipient, str) else None,
                recipient_team=recipient if isinstance(recipient, str) else "",
                given_at=given_at,
                expires_at=expires_at,
            ),
            by=worker,
        )
        if consent["withdrawn"]:
            withdraw_consent(made, by=worker, reason="Changé d’avis")
        recorded.append({**consent, "given_at": given_at, "expires_at": expires_at})
    return recorded


def covers(consent: dict, category: str, recipient: str, moment) -> bool:
    """The rule, written plainly: a current, unwithdrawn consent for this recipient that
    names this category."""
    return (
        consent["recipient"] == recipient
        and category in consent["categories"]
        and not consent["withdrawn"]
        and consent["given_at"] <= moment
        and (consent["expires_at"] is None or moment < consent["expires_at"])
    )


@BOUNDED
@given(wanted=consents, days=moments)
def test_shared_exactly_when_a_current_consent_covers_it(setting, worker, wanted, days):
    person, organizations = setting
    now = timezone.now()
    recorded = record(person, organizations, worker, wanted, now)
    moment = now + timedelta(days=days)
    for recipient in RECIPIENTS:
        for category in CATEGORIES:
            shared = can_share(person, category, recipient_of(recipient, organizations), at=moment)
            assert shared == any(covers(c, category, recipient, moment) for c in recorded)
            if shared:  # never a category the person did not consent to, to this recipient
                assert any(
                    category in c["categories"] and c["recipient"] == recipient for c in recorded
                )


@BOUNDED
@given(wanted=consents, days=moments)
def test_withdrawing_or_expiring_every_consent_hides_everything(setting, worker, wanted, days):
    person, organizations = setting
    now = timezone.now()
    record(person, organizations, worker, wanted, now)
    for consent in Consent.objects.filter(person=person):
        withdraw_consent(consent, by=worker)
    moment = now + timedelta(days=days)
    for recipient in RECIPIENTS:
        for category in CATEGORIES:
            assert not can_share(
                person, category, recipient_of(recipient, organizations), at=moment
            )
    expired = [dict(c, withdrawn=False, valid_days=c["valid_days"] or 1) for c in wanted]
    recorded = record(person, organizations, worker, expired, now)
    for consent in recorded:
        after = consent["expires_at"]
        recipient = recipient_of(consent["recipient"], organizations)
        still_covered = [
            c
            for c in recorded
            if c["expires_at"] > after and c["recipient"] == consent["recipient"]
        ]
        for category in consent["categories"]:
            if not any(category in c["categories"] for c in still_covered):
                assert not can_share(person, category, recipient, at=after)
