"""People over the JSON API: find, correct, household, merge, consents; 4xx with reasons."""

import pytest
from django.test import Client

from proxima.core.models import AuditEvent
from proxima.core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(worker):
    client = Client()
    client.force_login(worker)
    return client


def call(client, method, path, body=None):
    return getattr(client, method)(f"/api/intake{path}", body, content_type="application/json")


def create(client, given, family, born=None):
    body = {"given_name": given, "family_name": family, "birth_date": born, "confirmed_new": True}
    response = call(client, "post", "/people", body)
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_find_then_correct_a_record(api, worker):
    elise = create(api, "Élise", "Côté-Roy", "1988-03-14")
    create(api, "Marc", "Tremblay")
    found = call(api, "get", "/people?q=ROY%20elise").json()
    assert [p["id"] for p in found] == [elise]
    assert AuditEvent.objects.filter(action="list_person", object_id=elise).count() == 1
    assert call(api, "get", "/people?birth_date=1988-03-14").json()[0]["id"] == elise

    patched = call(api, "patch", f"/people/{elise}", {"phone": "418 555-0101", "pronouns": None})
    assert patched.status_code == 200
    assert (patched.json()["phone"], patched.json()["given_name"]) == ("418 555-0101", "Élise")
    cleared = call(api, "patch", f"/people/{elise}", {"birth_date": None})
    assert cleared.json()["birth_date"] is None

    refused = call(api, "patch", f"/people/{elise}", {"postal_code": "nope", "given_name": " "})
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"postal_code", "given_name"}
    assert call(api, "get", f"/people/{elise}").json()["given_name"] == "Élise"
    impossible = call(api, "patch", f"/people/{elise}", {"birth_date": "2020-02-30"})
    assert impossible.status_code == 422


def test_household_and_merge_over_the_api(api):
    child = create(api, "Ousmane", "Diallo", "2015-09-10")
    mother = create(api, "Amina", "Diallo", "1985-06-01")
    twin = create(api, "Amina", "Diallo ", "1985-06-01")
    linked = call(
        api, "post", f"/people/{child}/household", {"relative_id": mother, "relationship": "parent"}
    )
    assert linked.status_code == 201
    assert [(r["relative"]["id"], r["relationship"]) for r in linked.json()] == [(mother, "parent")]
    assert call(api, "get", f"/people/{mother}/household").json()[0]["relationship"] == "child"
    unknown = call(
        api, "post", f"/people/{child}/household", {"relative_id": mother, "relationship": "boss"}
    )
    assert unknown.status_code == 400 and "relationship" in unknown.json()["errors"]

    merged = call(api, "post", f"/people/{mother}/merge", {"duplicate_id": twin, "reason": "same"})
    assert merged.status_code == 200 and merged.json()["id"] == mother
    assert call(api, "get", f"/people/{twin}").json()["id"] == mother  # leads to the one kept
    again = call(api, "post", f"/people/{mother}/merge", {"duplicate_id": twin, "reason": "x"})
    assert again.status_code == 400


def test_consents_listed_withdrawn_and_no_longer_shared(api):
    person = create(api, "Élise", "Côté", "1988-03-14")
    consent = {
        "categories": ["needs", "identity"],
        "purpose": "Référence au centre d’action bénévole",
        "method": "verbal",
        "recipient_team": "social_consultation",
    }
    recorded = call(api, "post", f"/people/{person}/consents", consent)
    assert recorded.status_code == 201 and recorded.json()["current"] is True
    consent_id = recorded.json()["id"]
    share = f"/people/{person}/can-share?category=needs&team=social_consultation"
    assert call(api, "get", share).json() == {"allowed": True}

    withdrawn = call(
        api, "post", f"/people/{person}/consents/{consent_id}/withdraw", {"reason": "changed"}
    )
    assert withdrawn.json()["current"] is False and withdrawn.json()["withdrawn_at"]
    assert call(api, "get", share).json() == {"allowed": False}
    listed = call(api, "get", f"/people/{person}/consents").json()
    assert [(c["id"], c["withdrawal_reason"]) for c in listed] == [(consent_id, "changed")]
    assert AuditEvent.objects.filter(action="read_consents", object_id=person).exists()
    other = call(api, "post", f"/people/{person}/consents/999999/withdraw", {})
    assert other.status_code == 404


def test_other_regions_and_partners_cannot_touch_the_record(api, worker, other_region):
    person = create(api, "Élise", "Côté", "1988-03-14")
    for user in (
        UserFactory(role=Role.WORKER_811, region=other_region),
        UserFactory(role=Role.PARTNER_ADMIN, region=worker.region),
    ):
        outsider = Client()
        outsider.force_login(user)
        # Staff of another region do not learn that the record exists (404, as for a
        # missing one); those who read no records at all are told so (403).
        refused = 403 if user.role == Role.PARTNER_ADMIN else 404
        assert call(outsider, "patch", f"/people/{person}", {"phone": "1"}).status_code == refused
        assert call(outsider, "get", f"/people/{person}/consents").status_code == refused
        found = call(outsider, "get", "/people?q=cote")
        if user.role == Role.PARTNER_ADMIN:
            assert found.status_code == 403
        else:  # searches only their own region's records
            assert found.status_code == 200 and found.json() == []
    assert call(api, "get", f"/people/{person}").json()["given_name"] == "Élise"
