"""FHIR R4 interchange following the HL7 SDOH Clinical Care IG (referral management).

Export: a referral as a Bundle of Patient, ServiceRequest, Task, Consent and
Organization, sharing about the person only what they consented to share with the
receiver. Import: a Bundle (or a list of resources) from a clinical system, each referral
Task with its ServiceRequest, Patient, Consent and Organizations, into the receiving
organization's inbox; the resources are kept as received, so that exporting the referral
gives them back unchanged except its current status. Every resource is checked with the
`fhir.resources` R4B models; a bad bundle changes nothing.
"""

import copy
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from proxima.core.audit import record_audit_event
from proxima.directory.models import Organization
from proxima.people.models import Consent, InformationCategory
from proxima.people.services.consent import can_share
from proxima.referrals.lifecycle import Side, Status
from proxima.referrals.models import Referral, ReferralEvent
from proxima.referrals.services import access
from proxima.referrals.services.workflow import ReferralInputError, response_due

IG = "http://hl7.org/fhir/us/sdoh-clinicalcare"
TASK_PROFILE = f"{IG}/StructureDefinition/SDOHCC-TaskForReferralManagement"
SR_PROFILE = f"{IG}/StructureDefinition/SDOHCC-ServiceRequest"
CONSENT_PROFILE = f"{IG}/StructureDefinition/SDOHCC-Consent"
SDOH_CATEGORIES = f"{IG}/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"
PROXIMA = "https://proxima.example/fhir"

# SDOH domains (the IG's temporary codes) ↔ Proxima's intake need domains.
CATEGORY_TO_NEED = {
    "food-insecurity": "food",
    "housing-instability": "housing",
    "homelessness": "housing",
    "inadequate-housing": "housing",
    "transportation-insecurity": "transport",
    "financial-insecurity": "income",
    "material-hardship": "income",
    "utility-insecurity": "income",
    "employment-status": "employment",
    "educational-attainment": "education",
    "social-connection": "isolation",
    "intimate-partner-violence": "safety",
    "elder-abuse": "safety",
    "health-insurance-coverage-status": "health_access",
    "stress": "mental_health",
}
NEED_TO_CATEGORY = {
    "food": "food-insecurity",
    "housing": "housing-instability",
    "transport": "transportation-insecurity",
    "income": "financial-insecurity",
    "employment": "employment-status",
    "education": "educational-attainment",
    "isolation": "social-connection",
    "safety": "intimate-partner-violence",
    "health_access": "health-insurance-coverage-status",
    "mental_health": "stress",
}
PRIORITY_FROM_FHIR = {"stat": "immediate", "asap": "urgent", "urgent": "72h", "routine": "2w"}
PRIORITY_TO_FHIR = {
    "immediate": "stat",
    "urgent": "asap",
    "72h": "urgent",
    "2w": "routine",
    "30d": "routine",
}


class FhirError(ReferralInputError):
    pass


def validate_resource(resource: dict) -> None:
    """Parse with the R4B model of its type; FhirError names the resource and the field."""
    kind = resource.get("resourceType") if isinstance(resource, dict) else None
    where = f"{kind}/{resource.get('id', '?')}" if kind else "resource"
    try:
        model = get_fhir_model_class(kind)
    except (KeyError, ValueError, TypeError):
        raise FhirError({where: _("Unknown FHIR resource type.")}) from None
    try:
        model.model_validate(resource)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise FhirError({where: f"{field}: {first['msg']}"}) from None


def _key(resource: dict) -> str:
    return f"{resource['resourceType']}/{resource.get('id', '')}"


def _bundle(resources: list[dict]) -> dict:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timezone.now().isoformat(),
        "entry": [{"fullUrl": f"{PROXIMA}/{_key(r)}", "resource": r} for r in resources],
    }
    validate_resource(bundle)
    return bundle


# ---------------------------------------------------------------- export


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
        "meta": {"profile": [TASK_PROFILE]},
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
        resources = copy.deepcopy(list(referral.external_resources.values()))
        for resource in resources:
            is_task = (
                resource["resourceType"] == "Task" and resource.get("id") == referral.external_id
            )
            if is_task and resource.get("status") != referral.status:
                resource["status"] = referral.status
                resource["lastModified"] = timezone.now().isoformat()
    else:
        resources = _native_resources(referral)
    for resource in resources:
        validate_resource(resource)
    record_audit_event(by, "export_fhir", referral)
    return _bundle(resources)


# ---------------------------------------------------------------- import


def _resources_of(data) -> list[dict]:
    if isinstance(data, dict) and data.get("resourceType") == "Bundle":
        validate_resource(data)
        return [entry["resource"] for entry in data.get("entry", []) if "resource" in entry]
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and data.get("resourceType"):
        return [data]
    raise FhirError({"bundle": _("Send a FHIR Bundle or a list of resources.")})


def _ref(value) -> str:
    return (value or {}).get("reference", "") if isinstance(value, dict) else ""


def _is_referral_task(task: dict) -> bool:
    profiles = task.get("meta", {}).get("profile", [])
    codes = [c.get("code") for c in task.get("code", {}).get("coding", [])]
    return TASK_PROFILE in profiles or "fulfill" in codes


def _need_of(service_request: dict) -> str:
    for category in service_request.get("category", []):
        for coding in category.get("coding", []):
            if coding.get("system") == SDOH_CATEGORIES and coding.get("code") in CATEGORY_TO_NEED:
                return CATEGORY_TO_NEED[coding["code"]]
    return "health_access"


def _request_text(service_request: dict) -> str:
    code = service_request.get("code", {})
    parts = [code.get("text") or next((c.get("display") for c in code.get("coding", [])), "")]
    parts += [note.get("text", "") for note in service_request.get("note", [])]
    return " — ".join(p for p in parts if p)[:2000] or _("Referral received by FHIR")


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


@transaction.atomic
def import_bundle(data, *, by, region_id: int | None = None) -> list[Referral]:
    """Every referral Task of the bundle into its owner's inbox; all or nothing. Importing
    the same Task again updates its status instead of duplicating it."""
    if not access.can_send_referrals(by):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("You may not import referrals."))
    resources = _resources_of(data)
    for resource in resources:
        validate_resource(resource)
    by_key = {_key(r): r for r in resources}
    tasks = [r for r in resources if r["resourceType"] == "Task" and _is_referral_task(r)]
    if not tasks:
        raise FhirError({"bundle": _("No referral Task in this bundle.")})
    region_id = region_id or by.region_id
    if region_id is None:
        from proxima.core.models import Region

        regions = list(Region.objects.values_list("pk", flat=True)[:2])
        if len(regions) != 1:
            raise FhirError({"region": _("Say which region the referrals belong to.")})
        region_id = regions[0]
    imported: dict[str, Referral] = {}
    # Parents first, so that a sub-referral finds the referral it was passed on from.
    tasks.sort(key=lambda t: bool(t.get("partOf")))
    for task in tasks:
        imported[task["id"]] = _import_task(task, by_key, by=by, region_id=region_id, done=imported)
    record_audit_event(by, "import_fhir", detail={"tasks": sorted(imported)})
    return list(imported.values())


def _import_task(task: dict, by_key: dict, *, by, region_id: int, done: dict) -> Referral:
    where = f"Task/{task.get('id')}"
    if task.get("status") not in Status.values:
        raise FhirError({where: _("Status %s is not a referral status.") % task.get("status")})
    service_request = by_key.get(_ref(task.get("focus")))
    if service_request is None:
        raise FhirError({where: _("Its ServiceRequest (focus) is not in the bundle.")})
    owner_ref = _ref(task.get("owner"))
    owner = Organization.objects.filter(pk=owner_ref.removeprefix("Organization/")).first()
    if not owner_ref.startswith("Organization/") or owner is None:
        raise FhirError({where: _("The receiving organization (owner) is not in the directory.")})
    kept = {_key(task): task, _key(service_request): service_request}
    patient_ref = _ref(task.get("for")) or _ref(service_request.get("subject"))
    for key in (patient_ref, owner_ref, _ref(task.get("requester"))):
        if key in by_key:
            kept[key] = by_key[key]
    requester = by_key.get(_ref(task.get("requester")), {})
    if requester.get("resourceType") == "PractitionerRole":
        for key in (_ref(requester.get("organization")), _ref(requester.get("practitioner"))):
            if key in by_key:
                kept[key] = by_key[key]
    for resource in by_key.values():
        if resource["resourceType"] == "Consent" and _ref(resource.get("patient")) == patient_ref:
            kept[_key(resource)] = resource
    parent_id = next((_ref(p).removeprefix("Task/") for p in task.get("partOf", [])), "")
    parent = done.get(parent_id) or Referral.objects.filter(external_id=parent_id).first()
    existing = Referral.objects.filter(external_id=task["id"], target_organization=owner).first()
    if existing is not None:
        if existing.status != task["status"]:
            ReferralEvent.objects.create(
                referral=existing,
                from_status=existing.status,
                to_status=task["status"],
                actor=by,
                side=Side.REQUESTER,
                note=_("Updated from the sending system (FHIR)."),
            )
            existing.status = task["status"]
            existing.version += 1
        existing.external_resources = kept
        existing.save()
        return existing
    requested_at = _moment(task.get("authoredOn")) or timezone.now()
    priority = PRIORITY_FROM_FHIR.get(service_request.get("priority", "routine"), "2w")
    referral = Referral.objects.create(
        region_id=region_id,
        person=None,
        anonymous=patient_ref not in kept,
        parent=parent,
        need_domain=_need_of(service_request),
        request_text=_request_text(service_request),
        priority=priority,
        requester=by,
        external_requester=(task.get("requester") or {}).get("display", "")[:300],
        target_organization=owner,
        status=task["status"],
        requested_at=requested_at,
        response_due_at=response_due(region_id, priority, requested_at),
        external_id=task["id"],
        external_resources=kept,
    )
    ReferralEvent.objects.create(
        referral=referral,
        to_status=task["status"],
        actor=by,
        side=Side.REQUESTER,
        note=_("Received from a clinical system (FHIR)."),
    )
    return referral


def imported_patient(referral: Referral) -> dict:
    """The Patient the sending system shared with this referral, in plain fields."""
    for resource in referral.external_resources.values():
        if resource.get("resourceType") == "Patient":
            name = (resource.get("name") or [{}])[0]
            phone = next(
                (t.get("value") for t in resource.get("telecom", []) if t.get("system") == "phone"),
                "",
            )
            return {
                "given_name": " ".join(name.get("given", [])),
                "family_name": name.get("family", ""),
                "birth_date": resource.get("birthDate", ""),
                "phone": phone,
            }
    return {}
