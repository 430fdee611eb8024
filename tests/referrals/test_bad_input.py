"""Malformed input on the referral pages and API: a form error or a 4xx with the reason,
in the user's language, and nothing changed; never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from proxima.core.models import Region
from proxima.intake.services.episodes import open_episode
from proxima.referrals.models import Referral
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("version", ["²", "--1", "1.5", ""])
def test_an_unreadable_version_on_the_page_is_a_conflict_and_changes_nothing(
    sent, partner, version
):
    """A version of "²" passes str.isdigit() but fails int(): no version anyone saw."""
    response = client_of(partner).post(
        reverse("referrals:detail", args=[sent.pk]),
        {"action": "status", "status": "rejected", "reason": "full", "version": version},
    )
    assert response.status_code == 409
    assert "Quelqu’un d’autre a modifié cette référence" in response.content.decode()
    assert Referral.objects.get(pk=sent.pk).status == "requested"


@pytest.mark.parametrize(
    "moment", ["2026-02-30T09:00", "2026-12-01T25:61", "2026-12-01T09:00+25:00"]
)
def test_an_impossible_appointment_on_the_page_is_a_form_error(sent, partner, moment):
    response = client_of(partner).post(
        reverse("referrals:detail", args=[sent.pk]),
        {
            "action": "status",
            "status": "accepted",
            "version": sent.version,
            "first_appointment_at": moment,
            "next": "inbox",
        },
    )
    assert response.status_code == 400
    assert "Saisissez une date et une heure valides." in response.content.decode()
    assert Referral.objects.get(pk=sent.pk).status == "requested"


@pytest.mark.parametrize(
    "change",
    [
        {"version": "²"},
        {"version": "--1"},
        {"first_appointment_at": "2026-02-30T25:61:00"},
        {"first_appointment_at": "2026-12-01T09:00:00+25:00"},
    ],
)
def test_unreadable_status_changes_over_the_api_are_422s(sent, partner, change):
    body = {"status": "accepted", "version": sent.version, "first_appointment_at": None, **change}
    response = client_of(partner).post(
        f"/api/referrals/{sent.pk}/status", body, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["errors"]
    assert Referral.objects.get(pk=sent.pk).status == "requested"


def test_referring_from_another_regions_contact_is_refused_in_json(worker, service):
    """This refusal was a 500 ("Schema for status 403 is not set")."""
    elsewhere = Region.objects.create(code="07", name="Outaouais")
    stranger = UserFactory(role=worker.role, region=elsewhere, team="info_social")
    episode = open_episode(by=stranger, channel="phone_811", reason="")
    response = client_of(worker).post(
        "/api/referrals",
        {
            "need_domain": "food",
            "request_text": "Panier",
            "priority": "72h",
            "service_id": service.pk,
            "anonymous": True,
            "episode_id": str(episode.pk),
        },
        content_type="application/json",
    )
    assert response.status_code in (403, 404) and response.json()["detail"]
    assert not Referral.objects.exists()


@pytest.mark.parametrize("moment", ["9999-12-31T23:30", "0001-01-01T00:00", "1066-10-14T09:00"])
def test_an_appointment_at_the_ends_of_the_calendar_is_a_form_error(sent, partner, moment):
    """Year 9999 at 23:30 in Québec is year 10000 in UTC: it was a 500 when saved."""
    response = client_of(partner).post(
        reverse("referrals:detail", args=[sent.pk]),
        {
            "action": "status",
            "status": "accepted",
            "version": sent.version,
            "first_appointment_at": moment,
        },
    )
    assert response.status_code == 400
    assert "Donnez une date entre 1900 et 2199." in response.content.decode()
    assert Referral.objects.get(pk=sent.pk).status == "requested"


@pytest.mark.parametrize("moment", ["9999-12-31T23:30:00-05:00", "0001-01-01T00:00:00+01:00"])
def test_an_appointment_at_the_ends_of_the_calendar_over_the_api_is_a_400(sent, partner, moment):
    body = {"status": "accepted", "version": sent.version, "first_appointment_at": moment}
    response = client_of(partner).post(
        f"/api/referrals/{sent.pk}/status", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert (
        response.json()["errors"]["first_appointment_at"] == "Donnez une date entre 1900 et 2199."
    )


@pytest.mark.parametrize("need", ["x" * 200, '"><script>alert(1)</script>', "alimentation"])
def test_a_need_that_is_not_one_of_the_needs_offered_is_a_400(worker, service, need):
    """Any text was kept as the need (over the column's 64 characters: a 500 on
    PostgreSQL), then shown raw in lists and in the FHIR export."""
    response = client_of(worker).post(
        "/api/referrals",
        {
            "need_domain": need,
            "request_text": "Panier",
            "priority": "72h",
            "service_id": service.pk,
            "anonymous": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["need_domain"] == "Choisissez un des besoins proposés."
    assert not Referral.objects.exists()
