"""A clinical system's referral shows its Patient to the receiver only when the bundle
holds a Consent of that person permitting it, now: otherwise the request arrives as an
anonymous one, its export holds no Patient, and each read is audited with what was shown."""

import json

import pytest
from django.test import Client

from proxima.core.models import AuditEvent
from proxima.referrals.models import Referral
from tests.referrals.test_fhir_authorization import CONSENT, TASK_ID, bundle, post

pytestmark = pytest.mark.django_db

DENY = {**CONSENT, "provision": {"type": "deny"}}
INACTIVE = {**CONSENT, "status": "inactive"}
ENDED = {**CONSENT, "provision": {"type": "permit", "period": {"end": "2025-01-31"}}}
NOT_YET = {**CONSENT, "provision": {"type": "permit", "period": {"start": "2199-01-01"}}}
OTHER_PERSON = {**CONSENT, "patient": {"reference": "Patient/someone-else"}}


def seen_by(user, referral: Referral) -> tuple[dict, str, dict]:
    client = Client()
    client.force_login(user)
    api = client.get(f"/api/referrals/{referral.pk}").json()
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    fhir = client.get(f"/api/referrals/{referral.pk}/fhir").json()
    return api, page, fhir


def kinds(fhir: dict) -> set[str]:
    return {entry["resource"]["resourceType"] for entry in fhir["entry"]}


NESTED_DENY = {
    **CONSENT,
    "provision": {"type": "permit", "provision": [{"type": "deny"}]},
}
RESEARCH = {**CONSENT, "scope": {"coding": [{"code": "research"}]}}


def to_someone_else(consent: dict) -> dict:
    actor = {"role": {"text": "recipient"}, "reference": {"reference": "Organization/other"}}
    return {**consent, "provision": {"type": "permit", "actor": [actor]}}


def also_denied(data: dict) -> dict:
    deny = {**DENY, "id": "c2"}
    data["entry"].append({"resource": deny})
    return data


def identity_without_consent(data: dict) -> dict:
    """No Consent, and the person named anyway: a display, an identifier, a contained
    Patient."""
    for entry in data["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Task":
            resource["for"] = {
                "reference": "Patient/p1",
                "display": "Tremblay, Julie",
                "identifier": {"system": "https://ramq.example", "value": "TREJ 8001 0101"},
            }
        if resource["resourceType"] == "ServiceRequest":
            resource["contained"] = [
                {"resourceType": "Patient", "id": "c", "name": [{"family": "Tremblay"}]}
            ]
    return data


@pytest.mark.parametrize(
    ("consent", "change"),
    [
        (None, None),
        (DENY, None),
        (INACTIVE, None),
        (ENDED, None),
        (NOT_YET, None),
        (OTHER_PERSON, None),
        (NESTED_DENY, None),
        (RESEARCH, None),
        ("to-someone-else", None),
        (CONSENT, also_denied),
        (None, identity_without_consent),
    ],
    ids=[
        "none",
        "deny",
        "inactive",
        "ended",
        "not-yet",
        "another-person",
        "nested-deny",
        "research-scope",
        "another-receiver",
        "a-permit-and-a-deny",
        "named-in-references",
    ],
)
def test_without_a_consent_permitting_it_the_receiver_sees_no_one(
    worker, partner, partner_org, consent, change
):
    consent = to_someone_else(CONSENT) if consent == "to-someone-else" else consent
    data = bundle(partner_org.id, consent=consent)
    response = post(worker, change(data) if change else data)
    assert response.status_code == 201, response.content
    referral = Referral.objects.get(external_id=TASK_ID)
    assert referral.anonymous and "Patient/p1" not in referral.external_resources
    api, page, fhir = seen_by(partner, referral)
    assert "Tremblay" not in json.dumps(api) and "418-555-0199" not in json.dumps(api)
    assert "Tremblay" not in page and "418-555-0199" not in page
    assert "Patient" not in kinds(fhir)
    assert "Tremblay" not in json.dumps(fhir) and "TREJ" not in json.dumps(fhir)
    assert "Tremblay" not in json.dumps(referral.external_resources)  # not even kept
    read = AuditEvent.objects.filter(action="read_referral", actor=partner).first()
    assert "imported_patient" not in read.detail


def test_a_consent_naming_the_receiver_shows_the_person(worker, partner, partner_org):
    actor = {
        "role": {"text": "recipient"},
        "reference": {"reference": f"Organization/{partner_org.id}"},
    }
    named = {**CONSENT, "provision": {"type": "permit", "actor": [actor]}}
    post(worker, bundle(partner_org.id, consent=named))
    referral = Referral.objects.get(external_id=TASK_ID)
    assert "Tremblay" in seen_by(partner, referral)[1]


def test_with_a_consent_the_receiver_sees_the_person_and_the_read_says_so(
    worker, partner, partner_org
):
    post(worker, bundle(partner_org.id))
    referral = Referral.objects.get(external_id=TASK_ID)
    assert not referral.anonymous
    api, page, fhir = seen_by(partner, referral)
    assert "Tremblay" in json.dumps(api) and "Tremblay" in page
    assert "Patient" in kinds(fhir)
    read = AuditEvent.objects.filter(action="read_referral", actor=partner).first()
    assert "family_name" in read.detail["imported_patient"]


def test_a_consent_that_ends_later_hides_the_person_from_then_on(
    worker, partner, partner_org, settings
):
    ends_soon = {**CONSENT, "provision": {"type": "permit", "period": {"end": "2199-12-31"}}}
    post(worker, bundle(partner_org.id, consent=ends_soon))
    referral = Referral.objects.get(external_id=TASK_ID)
    assert "Tremblay" in seen_by(partner, referral)[1]
    resources = referral.external_resources
    resources["Consent/c1"]["provision"]["period"]["end"] = "2026-01-01"  # since passed
    Referral.objects.filter(pk=referral.pk).update(external_resources=resources)
    referral.refresh_from_db()
    api, page, fhir = seen_by(partner, referral)
    assert "Tremblay" not in page and "Tremblay" not in json.dumps(api)
    assert "Patient" not in kinds(fhir)


@pytest.mark.parametrize("born", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_an_imported_birth_date_outside_the_years_taken_is_refused(worker, partner_org, born):
    data = bundle(partner_org.id)
    for entry in data["entry"]:
        if entry["resource"]["resourceType"] == "Patient":
            entry["resource"]["birthDate"] = born
    response = post(worker, data)
    assert response.status_code == 400
    assert "Donnez une date entre 1900 et 2199." in json.dumps(response.json(), ensure_ascii=False)
    assert not Referral.objects.exists()


def test_a_moment_near_the_ends_is_judged_in_utc_too(worker, partner_org):
    """2199-12-31 23:59 in Québec is 2200 in UTC, where it is stored."""
    response = post(worker, bundle(partner_org.id, authoredOn="2199-12-31T23:59:00-05:00"))
    assert response.status_code == 400
