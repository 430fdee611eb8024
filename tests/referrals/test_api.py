"""Referrals over JSON: the whole loop, 409 on conflicts and duplicates, 400 with reasons."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, path, body):
    return client.post(f"/api{path}", body, content_type="application/json")


def test_the_loop_over_the_api(worker, partner, person, service, consent):
    referrer, receiver = api(worker), api(partner)
    body = {
        "need_domain": "food",
        "request_text": "Dépannage cette semaine",
        "priority": "72h",
        "service_id": service.pk,
        "person_id": str(person.pk),
    }
    created = post(referrer, "/referrals", body)
    assert created.status_code == 201, created.content
    referral = created.json()
    assert referral["status"] == "requested" and referral["side"] == "requester"

    inbox = receiver.get("/api/referrals?box=received").json()
    assert [r["id"] for r in inbox] == [referral["id"]] and "person" not in inbox[0]
    seen = receiver.get(f"/api/referrals/{referral['id']}").json()
    assert seen["person"]["family_name"] == "Côté" and seen["may_set"] == [
        "accepted",
        "rejected",
        "cancelled",
    ]
    assert seen["shared_categories"] == ["identity", "needs"]

    accept = {"status": "accepted", "version": seen["version"]}
    missing = post(receiver, f"/referrals/{referral['id']}/status", accept)
    assert missing.status_code == 400 and "first_appointment_at" in missing.json()["errors"]
    accept["first_appointment_at"] = "2026-12-01T09:00:00-05:00"
    assert post(receiver, f"/referrals/{referral['id']}/status", accept).status_code == 200
    stale = post(
        referrer, f"/referrals/{referral['id']}/status", {"status": "cancelled", "version": 2}
    )
    assert stale.status_code == 409 and stale.json()["status"] == "accepted"

    again = post(referrer, "/referrals", body)
    assert again.status_code == 409 and again.json()["warnings"]
    done = post(
        receiver,
        f"/referrals/{referral['id']}/status",
        {"status": "completed", "version": 3, "outcome": "service_received"},
    )
    assert done.json()["status"] == "completed"
    closed = referrer.get(f"/api/referrals/{referral['id']}").json()
    assert [h["to"] for h in closed["history"]] == ["draft", "requested", "accepted", "completed"]
    notices = referrer.get("/api/notifications?unread=true").json()
    assert {n["kind"] for n in notices} == {"status:accepted", "status:completed"}


def test_no_consent_is_a_400_with_the_reason(worker, person, service):
    response = post(
        api(worker),
        "/referrals",
        {
            "need_domain": "food",
            "request_text": "Panier",
            "priority": "72h",
            "service_id": service.pk,
            "person_id": str(person.pk),
        },
    )
    assert response.status_code == 400
    assert "demande anonyme" in response.json()["errors"]["consent"]


def test_an_evaluator_has_no_referral_api(region, sent):
    from proxima.core.roles import Role
    from tests.factories import UserFactory

    evaluator = api(UserFactory(role=Role.EVALUATOR, region=region))
    assert evaluator.get("/api/referrals").status_code == 403
    assert evaluator.get(f"/api/referrals/{sent.pk}").status_code == 403
