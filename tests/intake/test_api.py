"""The intake API: a full call over JSON, and its 4xx answers."""

import pytest
from django.test import Client

from proxima.core.models import Region
from proxima.core.roles import Role
from tests.factories import UserFactory, make_service

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, path, body):
    return client.post(f"/api/intake{path}", body, content_type="application/json")


def test_a_call_from_opening_to_closing(worker, questionnaires, need_domains):
    make_service("Comptoir alimentaire", domain="food", point=(46.8139, -71.2247))
    api = client_for(worker)
    contact = post(api, "/contacts", {"channel": "phone_811", "reason": "Plus rien à manger"})
    assert contact.status_code == 201
    contact_id = contact.json()["id"]
    screening = post(
        api,
        f"/contacts/{contact_id}/screenings",
        {
            "questionnaire": "cssrs-screen",
            "answers": {"q1": True, "q2": True, "q3": True, "q4": True, "q5": False, "q6": False},
        },
    )
    assert screening.status_code == 201
    [escalation] = screening.json()["escalations"]
    assert (escalation["risk"], escalation["level"]) == ("suicide", "high")
    refused = post(api, f"/contacts/{contact_id}/close", {})
    assert refused.status_code == 409 and refused.json()["missing"]
    done = post(api, f"/escalations/{escalation['id']}/actions", {"action": "crisis_intervention"})
    assert done.status_code == 201
    matches = post(api, "/match", {"needs": {"food": {"severity": 3}}, "postal_code": "G1K 3B2"})
    assert [m["name"] for m in matches.json()["food"]] == ["Comptoir alimentaire"]
    assert (
        post(api, f"/contacts/{contact_id}/orientations", {"kind": "information"}).status_code
        == 201
    )
    closed = post(api, f"/contacts/{contact_id}/close", {})
    assert closed.status_code == 200 and closed.json()["closed_at"]
    assert closed.json()["priority"] == "immediate"


def test_people_duplicates_consent_and_can_share(worker):
    api = client_for(worker)
    person = {"given_name": "Élise", "family_name": "Côté", "birth_date": "1988-03-14"}
    created = post(api, "/people", person)
    assert created.status_code == 201
    person_id = created.json()["id"]
    again = post(api, "/people", {**person, "given_name": "Elise"})
    assert again.status_code == 409 and again.json()["candidates"][0]["id"] == person_id
    from proxima.core.models import AuditEvent

    shown = AuditEvent.objects.filter(action="list_person", reason="possible duplicate")
    assert list(shown.values_list("object_id", flat=True)) == [person_id]
    assert post(api, "/people", {**person, "confirmed_new": True}).status_code == 201
    consent = {
        "categories": ["needs"],
        "purpose": "Suivi",
        "method": "verbal",
        "recipient_team": "social_consultation",
    }
    assert post(api, f"/people/{person_id}/consents", consent).status_code == 201
    url = f"/api/intake/people/{person_id}/can-share"
    assert api.get(url, {"category": "needs", "team": "social_consultation"}).json() == {
        "allowed": True
    }
    assert api.get(url, {"category": "risk", "team": "social_consultation"}).json() == {
        "allowed": False
    }
    assert api.get(f"/api/intake/people/{person_id}").json()["given_name"] == "Élise"


@pytest.mark.parametrize(
    ("path", "body", "status", "text"),
    [
        (
            "/people",
            {"given_name": "", "family_name": "Roy"},
            400,
            "Veuillez corriger : Le prénom est obligatoire.",
        ),
        (
            "/people",
            {"given_name": "Ana", "family_name": "Roy", "birth_date": "2026-02-30"},
            422,
            "",
        ),
        ("/contacts", {"channel": "pigeon"}, 400, "Porte d’entrée inconnue."),
        ("/match", {"needs": {"food": {}}, "barriers": ["weather"]}, 400, "weather"),
    ],
)
def test_bad_input_gets_a_4xx_with_a_reason(worker, questionnaires, path, body, status, text):
    response = post(client_for(worker), path, body)
    assert response.status_code == status, response.content
    assert text in response.json()["detail"] or text in str(response.json())


def test_unknown_questionnaire_version_and_closed_contact(worker, questionnaires):
    api = client_for(worker)
    contact_id = post(api, "/contacts", {"channel": "phone_811"}).json()["id"]
    wrong = post(
        api,
        f"/contacts/{contact_id}/screenings",
        {"questionnaire": "cssrs-screen", "version": 9, "answers": {}},
    )
    assert wrong.status_code == 400 and "v9" in wrong.json()["detail"]
    assert post(api, f"/contacts/{contact_id}/close", {}).status_code == 200
    late = post(api, f"/contacts/{contact_id}/priority", {"priority": "2w"})
    assert late.status_code == 400 and "fermé" in late.json()["detail"]


def test_who_may_call_the_intake_api(worker, questionnaires):
    anonymous = Client().post(
        "/api/intake/contacts", {"channel": "phone_811"}, content_type="application/json"
    )
    assert anonymous.status_code == 401
    partner = client_for(UserFactory(role=Role.PARTNER_ADMIN, region=worker.region))
    assert post(partner, "/contacts", {"channel": "phone_811"}).status_code == 403
    contact_id = post(client_for(worker), "/contacts", {"channel": "phone_811"}).json()["id"]
    elsewhere = Region.objects.create(code="07", name="Outaouais")
    outsider = client_for(UserFactory(role=Role.CLSC_WORKER, region=elsewhere))
    # Another region's contact answers as a missing one would: nothing tells it exists.
    assert outsider.get(f"/api/intake/contacts/{contact_id}").status_code == 404
    assert (
        client_for(worker)
        .get("/api/intake/contacts/6b1f2a4e-0000-4000-8000-000000000000")
        .status_code
        == 404
    )
