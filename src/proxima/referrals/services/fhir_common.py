"""FHIR R4 interchange, the shared parts: the IG's profiles and code systems, how SDOH
categories and priorities map to Proxima's, checking resources with the R4B models.
The entry points are in services/fhir.py."""

from django.utils import timezone
from django.utils.translation import gettext as _
from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from proxima.core.api_errors import pydantic_message
from proxima.referrals.services.workflow import ReferralInputError

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
        message = _("%(field)s: %(message)s") % {"field": field, "message": pydantic_message(first)}
        raise FhirError({where: message}) from None


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
