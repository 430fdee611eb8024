"""Malformed input on the people API: a 400 with the reason in the caller's language, and
nothing recorded; never a 500."""

from datetime import date

import pytest
from django.test import Client

from proxima.people.models import Consent
from proxima.people.services.records import PersonInput, create_person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "moment"),
    [
        ("given_at", "0001-01-01T00:00:06Z"),
        ("given_at", "1066-10-14T09:00:00Z"),
        ("expires_at", "9999-12-31T23:00:00-05:00"),
        ("expires_at", "2300-01-01T00:00:00Z"),
    ],
)
def test_a_consent_at_the_ends_of_the_calendar_is_a_400(worker, field, moment):
    """Year 1 in UTC is year 0 in Québec; 9999 at 23:00 in Québec is 10000 in UTC: both
    were a 500 (the date could not be moved to local time or to UTC)."""
    person = create_person(
        PersonInput("Élise", "Côté", date(1988, 3, 14)), by=worker, confirmed_new=True
    )
    client = Client()
    client.force_login(worker)
    body = {
        "categories": ["identity"],
        "purpose": "Suivi",
        "method": "verbal",
        "recipient_team": "info_social",
        field: moment,
    }
    response = client.post(
        f"/api/intake/people/{person.pk}/consents", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][field] == "Donnez une date entre 1900 et 2199."
    assert not Consent.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_search_by_a_birth_date_out_of_range_is_a_form_error(worker, day):
    client = Client()
    client.force_login(worker)
    response = client.get("/people/", {"birth_date": day})
    assert response.status_code == 400
    assert "Donnez une date entre 1900 et 2199." in response.content.decode()


def test_the_forms_that_show_a_persons_name_write_it_to_their_access_log(worker):
    """A new referral's and a new prescription's pages named the person, unaudited."""
    from proxima.core.models import AuditEvent
    from proxima.core.roles import Role
    from tests.factories import UserFactory

    person = create_person(
        PersonInput("Élise", "Côté", date(1988, 3, 14)), by=worker, confirmed_new=True
    )
    prescriber = UserFactory(role=Role.SOCIAL_PRESCRIBER, region=worker.region)
    for user, url, reason in (
        (worker, "/referrals/new/", "new referral"),
        (prescriber, "/prescriptions/new/", "new prescription"),
    ):
        client = Client()
        client.force_login(user)
        page = client.get(url, {"person": str(person.pk)})
        assert page.status_code == 200 and "Côté" in page.content.decode()
        shown = AuditEvent.objects.get(action="show_person_name", actor=user)
        assert (shown.object_id, shown.reason) == (str(person.pk), reason)


@pytest.mark.parametrize("day", ["1899-12-31", "9999-12-31"])
def test_the_api_search_by_a_birth_date_out_of_range_is_a_400(worker, day):
    client = Client()
    client.force_login(worker)
    response = client.get("/api/intake/people", {"birth_date": day})
    assert response.status_code == 400
    assert response.json()["errors"]["birth_date"] == "Donnez une date entre 1900 et 2199."
