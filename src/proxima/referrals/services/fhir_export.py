"""FHIR R4 export of a referral (SDOH Clinical Care IG): see services/fhir.py."""

import copy

from django.utils import timezone

from proxima.core.audit import record_audit_event
from proxima.directory.models import Organization
from proxima.people.models import Consent, InformationCategory
from proxima.people.services.consent import can_share
from proxima.referrals.models import Referral
from proxima.referrals.services import access
from proxima.referrals.services.fhir_common import (
    CONSENT_PROFILE,
    NEED_TO_CATEGORY,
    PRIORITY_TO_FHIR,
    PROXIMA,
    SDOH_CATEGORIES,
    SR_PROFILE,
    TASK_PROFILE,
    _bundle,
    _key,
    validate_resource,
)
from proxima.referrals.services.fhir_import import shared_resources


def _organization(organization: Organization) -> dict:
    return {
        "resourceType": "Organization",
        "id": organization.pk,
        "active": True,
        "name": organization.localized_name,
    }


def _patient(referral: Referral) -> dict:
    person = referral.person
    patient = {
        "resourceType": "Patient",
        "id": str(person.pk),
        "name": [{"family": person.family_name, "given": [person.given_name]}],
        "communication": [{"language": {"coding": [{"code": person.language}]}}],
    }
    if person.birth_date:
        patient["birthDate"] = person.birth_date.isoformat()
    if person.phone:
        patient["telecom"] = [{"system": "phone", "value": person.phone}]
    if person.postal_code:
        patient["address"] = [{"postalCode": person.postal_code, "country": "CA"}]
    return patient


def _consent(consent: Consent, patient_ref: str, recipient_ref: str) -> dict:
    period = {"start": consent.given_at.isoformat()}
    if consent.expires_at:
        period["end"] = consent.expires_at.isoformat()
    return {
        "resourceType": "Consent",
        "id": f"consent-{consent.pk}",
        "meta": {"profile": [CONSENT_PROFILE]},
        "status": "active",
        "scope": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                    "code": "patient-privacy",
                }
            ]
        },
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                        "code": "IDSCL",
                        "display": "information disclosure",
                    }
                ]
            }
        ],
        "patient": {"reference": patient_ref},
        "dateTime": consent.given_at.isoformat(),
        "policyRule": {
            "coding": [
                {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN"}
            ]
        },
        "provision": {
            "type": "permit",
            "period": period,
            "actor": [
                {
                    "role": {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                "code": "IRCP",
                            }
                        ]
                    },
                    "reference": {"reference": recipient_ref},
                }
            ],
            "purpose": [
                {"system": f"{PROXIMA}/purpose", "code": "referral", "display": consent.purpose}
            ],
            "data": [],
            "class": [
                {"system": f"{PROXIMA}/information-category", "code": category}
                for category in consent.categories
            ],
        },
    }


def _native_resources(referral: Referral) -> list[dict]:
    resources: list[dict] = []
    shared = set()
    if referral.person_id and not referral.anonymous:
        shared = {
            c
            for c in InformationCategory.values
            if can_share(referral.person, c, referral.recipient)
        }
    patient_ref = None
    if InformationCategory.IDENTITY in shared:
        patient = _patient(referral)
        resources.append(patient)
        patient_ref = _key(patient)
    owner_ref = None
    if referral.target_organization_id:
        owner = _organization(referral.target_organization)
        resources.append(owner)
        owner_ref = _key(owner)
    if referral.requester_organization_id:
        resources.append(_organization(referral.requester_organization))
    if patient_ref and owner_ref:
        current = [
            c
            for c in referral.person.consents.filter(
                withdrawn_at=None, recipient_organization=referral.target_organization
            )
            if c.is_current
        ]
        resources.extend(_consent(c, patient_ref, owner_ref) for c in current)
    category = NEED_TO_CATEGORY.get(referral.need_domain)
    service_request = {
        "resourceType": "ServiceRequest",
        "id": str(referral.pk),
        "meta": {"profile": [SR_PROFILE]},
        "status": "active"
        if referral.status not in {"completed", "cancelled", "failed"}
        else ("completed" if referral.status == "completed" else "revoked"),
        "intent": "order",
        "priority": PRIORITY_TO_FHIR[referral.priority],
        "category": [{"coding": [{"system": SDOH_CATEGORIES, "code": category}]}]
        if category
        else [{"text": referral.need_domain}],
        "code": {"text": referral.need_domain},
        "subject": {"reference": patient_ref} if patient_ref else {"display": "anonymous"},
        "authoredOn": (referral.requested_at or referral.created_at).isoformat(),
    }
    if InformationCategory.NEEDS in shared or referral.anonymous or referral.person_id is None:
        service_request["note"] = [{"text": referral.request_text}]
    resources.append(service_request)
    task = {
        "resourceType": "Task",
        "id": f"task-{referral.pk}",
        "meta": {"profile": [TASK_PROFILE], "versionId": str(referral.version)},
        "identifier": [{"system": f"{PROXIMA}/referral", "value": str(referral.pk)}],
        "status": referral.status,
        "intent": "order",
        "code": {
            "coding": [
                {
                    "system": "http://hl7.org/fhir/CodeSystem/task-code",
                    "code": "fulfill",
                    "display": "Fulfill the focal request",
                }
            ]
        },
        "focus": {"reference": _key(service_request)},
        "for": {"reference": patient_ref} if patient_ref else {"display": "anonymous"},
        "authoredOn": referral.created_at.isoformat(),
        "lastModified": timezone.now().isoformat(),
        "requester": {"display": referral.requester_label},
    }
    if owner_ref:
        task["owner"] = {"reference": owner_ref}
    else:
        task["owner"] = {"display": referral.target_label}
    if referral.parent_id:
        task["partOf"] = [{"reference": f"Task/task-{referral.parent_id}"}]
    if referral.reject_reason:
        task["statusReason"] = {"text": referral.get_reject_reason_display()}
    if referral.outcome:
        task["businessStatus"] = {"text": referral.get_outcome_display()}
    resources.append(task)
    return resources


def export_referral(referral: Referral, *, by) -> dict:
    """The referral as a FHIR Bundle for the receiving side's system."""
    access.require_read(by, referral)
    if referral.external_resources:
        resources = copy.deepcopy(list(shared_resources(referral).values()))
        for resource in resources:
            is_task = (
                resource["resourceType"] == "Task" and resource.get("id") == referral.external_id
            )
            if is_task and resource.get("status") != referral.status:
                resource["status"] = referral.status
                resource["lastModified"] = timezone.now().isoformat()
            if is_task:  # the version to give back when changing its status by FHIR
                resource["meta"] = {**resource.get("meta", {}), "versionId": str(referral.version)}
    else:
        resources = _native_resources(referral)
    for resource in resources:
        validate_resource(resource)
    kinds = sorted({resource["resourceType"] for resource in resources})
    record_audit_event(by, "export_fhir", referral, detail={"resources": kinds})
    return _bundle(resources)
