"""FHIR R4 interchange: the IG's referral examples import into an inbox and export back
without loss; Proxima's referrals export as SDOH Clinical Care bundles that follow
consent; bad bundles change nothing."""

import copy
import json

import pytest
from django.test import Client

from proxima.people.services.consent import withdraw_consent
from proxima.referrals.models import Referral
from proxima.referrals.services.fhir import (
    FhirError,
    export_referral,
    import_bundle,
    validate_resource,
)
from tests.conftest import shared_path
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

EXAMPLES = ("ext", "fhir-sdoh", "examples-ig-2.3.0")
REFERRAL_TASKS = [
    "Task-SDOHCC-TaskReferralManagementOrderFulfillmentAcceptedExample.json",
    "Task-SDOHCC-TaskReferralManagementOrderFulfillmentCompletedExample.json",
    "Task-SDOHCC-TaskReferralManagementOrderSubtaskAcceptedExample.json",
    "Task-SDOHCC-TaskReferralManagementOrderSubtaskCompletedExample.json",
]


def example(name: str) -> dict:
    return json.loads(shared_path(*EXAMPLES, name).read_text())


def ig_bundle() -> dict:
    folder = shared_path(*EXAMPLES)
    wanted = [*REFERRAL_TASKS]
    wanted += [p.name for p in folder.glob("ServiceRequest-*.json")]
    wanted += [p.name for p in folder.glob("Organization-*.json")]
    wanted += ["Patient-pat-53234.json", "Consent-SDOHCC-ConsentInformationDisclosureExample.json"]
    wanted += [p.name for p in folder.glob("Practitioner*.json")]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": example(name)} for name in wanted],
    }


def as_requests(bundle: dict) -> dict:
    """The IG's Tasks as a sending system first sends them: requested."""
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == "Task":
            entry["resource"]["status"] = "requested"
    return bundle


@pytest.fixture
def owners(db):
    """The example receivers, known to the directory under the same ids."""
    return [
        OrganizationFactory(id="SDOHCC-OrganizationCoordinationPlatformExample", name="ABC CP"),
        OrganizationFactory(id="SDOHCC-OrganizationClinicExample", name="Better Health Clinic"),
    ]


def test_every_ig_example_parses_with_the_r4b_models():
    for path in sorted(shared_path(*EXAMPLES).glob("*.json")):
        validate_resource(json.loads(path.read_text()))


def test_the_ig_referrals_import_and_export_back_without_loss(owners, worker, region):
    bundle = ig_bundle()
    originals = {
        f"{e['resource']['resourceType']}/{e['resource']['id']}": e["resource"]
        for e in bundle["entry"]
    }
    imported = import_bundle(copy.deepcopy(bundle), by=worker, history=True)
    assert len(imported) == 4
    by_task = {r.external_id: r for r in imported}
    subtask = by_task["SDOHCC-TaskReferralManagementOrderSubtaskAcceptedExample"]
    assert subtask.parent == by_task["SDOHCC-TaskReferralManagementOrderFulfillmentAcceptedExample"]
    assert subtask.target_organization == owners[1] and subtask.status == "accepted"
    completed = by_task["SDOHCC-TaskReferralManagementOrderFulfillmentCompletedExample"]
    assert completed.status == "completed" and completed.need_domain == "food"
    assert "food pantry" in completed.request_text.lower()

    for referral in imported:
        exported = export_referral(referral, by=worker)
        resources = [e["resource"] for e in exported["entry"]]
        assert resources, referral.external_id
        for resource in resources:
            key = f"{resource['resourceType']}/{resource['id']}"
            if resource["resourceType"] == "Task":  # Proxima adds the version to give back
                assert resource["meta"].pop("versionId") == str(referral.version)
            assert resource == originals[key], key  # field by field, unchanged
        kinds = {r["resourceType"] for r in resources}
        assert {"Task", "ServiceRequest", "Patient", "Consent", "Organization"} <= kinds

    assert len(import_bundle(copy.deepcopy(bundle), by=worker, history=True)) == 4
    assert Referral.objects.count() == 4  # imported again: nothing duplicated


def test_a_status_change_travels_back_in_the_task(owners, worker, region):
    from proxima.referrals.services.workflow import transition

    imported = import_bundle(ig_bundle(), by=worker, history=True)
    accepted = next(r for r in imported if r.external_id.endswith("SubtaskAcceptedExample"))
    partner = accepted.target_organization
    from proxima.core.roles import Role
    from tests.factories import UserFactory

    clinic_user = UserFactory(role=Role.PARTNER_ADMIN, organization=partner)
    transition(accepted, "in-progress", by=clinic_user, version=accepted.version)
    exported = export_referral(Referral.objects.get(pk=accepted.pk), by=clinic_user)
    [task] = [e["resource"] for e in exported["entry"] if e["resource"]["resourceType"] == "Task"]
    assert task["status"] == "in-progress" and "lastModified" in task


def test_a_proxima_referral_exports_as_an_sdoh_bundle_that_follows_consent(sent, worker, consent):
    bundle = export_referral(sent, by=worker)
    kinds = sorted(e["resource"]["resourceType"] for e in bundle["entry"])
    assert kinds == ["Consent", "Organization", "Patient", "ServiceRequest", "Task"]
    task = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Task")
    assert task["status"] == "requested" and task["for"]["reference"].startswith("Patient/")
    assert task["meta"]["profile"] == [
        "http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-TaskForReferralManagement"
    ]
    withdraw_consent(consent, by=worker)
    after = export_referral(sent, by=worker)
    kinds = sorted(e["resource"]["resourceType"] for e in after["entry"])
    assert kinds == ["Organization", "ServiceRequest", "Task"]  # nothing about the person
    assert "Côté" not in json.dumps(after)


def test_bad_bundles_are_refused_and_nothing_is_imported(owners, worker, region):
    bundle = ig_bundle()
    task = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Task")
    task["authoredOn"] = "not a date"
    with pytest.raises(FhirError) as refused:
        import_bundle(bundle, by=worker, history=True)
    assert any("authoredOn" in message for message in refused.value.errors.values())
    [said] = refused.value.errors.values()  # in the user's language, not the validator's
    assert said.endswith(" : Cette valeur ne peut pas être utilisée."), said
    task["authoredOn"] = "9999-12-31T23:30:00-05:00"  # FHIR's, but not movable to UTC
    with pytest.raises(FhirError) as refused:
        import_bundle(bundle, by=worker, history=True)
    assert list(refused.value.errors.values()) == ["Donnez une date entre 1900 et 2199."]
    assert any(key.endswith(".authoredOn") for key in refused.value.errors)
    unknown_owner = ig_bundle()
    for entry in unknown_owner["entry"]:
        if entry["resource"]["resourceType"] == "Task" and "Subtask" in entry["resource"]["id"]:
            entry["resource"]["owner"]["reference"] = "Organization/nowhere"
    with pytest.raises(FhirError) as refused:
        import_bundle(unknown_owner, by=worker, history=True)
    assert "n’est pas dans le répertoire" in str(refused.value)
    assert Referral.objects.count() == 0  # the good Tasks of that bundle were not kept


def test_the_fhir_api(owners, worker, region):
    client = Client()
    client.force_login(worker)
    created = client.post(
        "/api/referrals/fhir", as_requests(ig_bundle()), content_type="application/json"
    )
    assert created.status_code == 201 and len(created.json()) == 4
    referral_id = created.json()[0]["id"]
    exported = client.get(f"/api/referrals/{referral_id}/fhir")
    assert exported.status_code == 200 and exported.json()["resourceType"] == "Bundle"
    bad = client.post(
        "/api/referrals/fhir",
        {"resourceType": "Bundle", "type": 7},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "Bundle" in json.dumps(bad.json()["errors"])


@pytest.mark.parametrize(
    "body",
    [
        {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"x": 1}}]},
        {"resourceType": "Bundle", "type": "collection", "entry": ["oops"]},
        {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [
                {
                    "resource": {
                        "resourceType": "Task",
                        "status": "requested",
                        "intent": "order",
                        "code": {"coding": [{"code": "fulfill"}]},
                    }
                }
            ],
        },
        {
            "resourceType": "Task",
            "id": "t1",
            "status": "ready",
            "intent": "order",
            "code": {"coding": [{"code": "fulfill"}]},
        },
        {"resourceType": "Patient", "id": "p1"},
        {"resourceType": "Nope"},
        {},
    ],
)
def test_malformed_fhir_is_a_400_never_a_500(owners, worker, region, body):
    client = Client()
    client.force_login(worker)
    response = client.post("/api/referrals/fhir", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"]
    assert Referral.objects.count() == 0
