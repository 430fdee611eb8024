"""FHIR R4 import of referral Tasks into the owners' inboxes: see services/fhir.py."""

import copy
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from proxima.core.audit import record_audit_event
from proxima.core.errors import FIRST_YEAR, LAST_YEAR, moment_out_of_range, year_range_message
from proxima.directory.models import Organization
from proxima.referrals.lifecycle import OPEN, Outcome, RejectReason, Side, Status
from proxima.referrals.models import Referral, ReferralEvent
from proxima.referrals.services import access
from proxima.referrals.services.fhir_common import (
    CATEGORY_TO_NEED,
    PRIORITY_FROM_FHIR,
    SDOH_CATEGORIES,
    TASK_PROFILE,
    FhirError,
    _key,
    validate_resource,
)
from proxima.referrals.services.workflow import resolve_region, response_due, transition
from proxima.teams.services import main_team


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


# What a sending system may create: a request (or a draft it keeps to itself). Every
# later status comes from the side that may set it, through the same rules as the API.
NEW_STATUSES = {Status.REQUESTED, Status.DRAFT}


@transaction.atomic
def import_bundle(
    data, *, by, region_id: int | None = None, history: bool = False
) -> list[Referral]:
    """Every referral Task of the bundle, all or nothing, acting for `by`'s side only.

    A Task not seen before becomes a referral from `by` into its owner's inbox, as
    requested (or a draft). A Task already known (same id, same owner) is changed only
    by one of its two sides: its status through the lifecycle's rules with the version
    the caller saw (`Task.meta.versionId`), what was sent only by the sending side; anyone
    else is refused and nothing changes. `history` (the `import-fhir --history` command,
    for moving a network's past referrals in) keeps each new Task's status as received."""
    if not access.can_send_referrals(by):
        raise PermissionDenied(_("You may not import referrals."))
    resources = _resources_of(data)
    for resource in resources:
        validate_resource(resource)
    by_key = {_key(r): r for r in resources}
    tasks = [r for r in resources if r["resourceType"] == "Task" and _is_referral_task(r)]
    for task in tasks:
        if not task.get("id"):
            raise FhirError({"Task": _("Each referral Task needs its id.")})
        _check_moments(task)
    for resource in resources:
        _check_birth_date(resource)
    if not tasks:
        raise FhirError({"bundle": _("No referral Task in this bundle.")})
    region_id = resolve_region(region_id, by)
    imported: dict[str, Referral] = {}
    # Parents first, so that a sub-referral finds the referral it was passed on from.
    tasks.sort(key=lambda t: bool(t.get("partOf")))
    for task in tasks:
        imported[task["id"]] = _import_task(
            task, by_key, by=by, region_id=region_id, done=imported, history=history
        )
    record_audit_event(by, "import_fhir", detail={"tasks": sorted(imported)})
    return list(imported.values())


def _check_moments(task: dict) -> None:
    """A date FHIR accepts but Proxima cannot keep (year 1, year 9999: they cannot even
    be moved to UTC) is refused, naming the element."""
    moments = {
        "authoredOn": task.get("authoredOn"),
        "executionPeriod.start": (task.get("executionPeriod") or {}).get("start"),
    }
    for element, value in moments.items():
        if problem := moment_out_of_range(_moment(value)):
            raise FhirError({f"Task/{task['id']}.{element}": problem})


def _check_birth_date(resource: dict) -> None:
    """A Patient's birthDate (YYYY, YYYY-MM or YYYY-MM-DD) in the years Proxima takes."""
    value = resource.get("birthDate") if resource.get("resourceType") == "Patient" else None
    year = int(value[:4]) if isinstance(value, str) and value[:4].isdigit() else None
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        where = f"Patient/{resource.get('id', '?')}.birthDate"
        raise FhirError({where: year_range_message()})


def _parent_of(task: dict, *, by, region_id: int, done: dict) -> Referral | None:
    """The referral this Task was passed on from (`partOf`): one of this bundle, or one
    the caller takes part in, in the same region. No `partOf`: none."""
    where = f"Task/{task.get('id')}"
    references = [_ref(p).removeprefix("Task/") for p in task.get("partOf") or []]
    references = [r for r in references if r]
    if not references:
        return None
    parent = done.get(references[0])
    if parent is None:
        known = access.visible_to(by).filter(external_id=references[0], region_id=region_id)
        parent = next((r for r in known if access.side_of(by, r) is not None), None)
    if parent is None or parent.region_id != region_id:
        raise FhirError({where: _("partOf names no referral you take part in.")})
    return parent


def _version_of(task: dict) -> int | None:
    value = str((task.get("meta") or {}).get("versionId") or "")
    return int(value) if value.isascii() and value.isdigit() else None


def _status_details(task: dict) -> dict:
    """What a status needs (reason, note, appointment, outcome), read from the Task."""
    reason_codes = [c.get("code") for c in (task.get("statusReason") or {}).get("coding", [])]
    outcome_codes = [c.get("code") for c in (task.get("businessStatus") or {}).get("coding", [])]
    notes = [n.get("text", "") for n in task.get("note", []) if n.get("text")]
    return {
        "reason": next((c for c in reason_codes if c in RejectReason.values), "")
        or (RejectReason.OTHER if (task.get("statusReason") or {}).get("text") else ""),
        "note": (task.get("statusReason") or {}).get("text") or " ".join(notes),
        "first_appointment_at": _moment((task.get("executionPeriod") or {}).get("start")),
        "outcome": next((c for c in outcome_codes if c in Outcome.values), "")
        or (Outcome.OTHER if (task.get("businessStatus") or {}).get("text") else ""),
    }


def _update_known(existing: Referral, task: dict, kept: dict, *, by) -> Referral:
    """A Task seen before, posted again: changed only by one of its sides, by the rules."""
    side = access.side_of(by, existing)
    if side is None:
        raise PermissionDenied(_("This referral belongs to others: you may not change it."))
    where = f"Task/{task['id']}"
    if side == Side.REQUESTER:
        if kept != existing.external_resources:
            if existing.status not in OPEN:
                raise FhirError({where: _("This referral is closed: it can no longer change.")})
            existing.external_resources = kept
            existing.save(update_fields=["external_resources"])
    elif kept != existing.external_resources and _without_status(kept) != _without_status(
        existing.external_resources
    ):
        raise PermissionDenied(_("Only the sending side may change what it sent."))
    if task["status"] == existing.status:
        return existing
    version = _version_of(task)
    if version is None:
        raise FhirError(
            {where: _("Give the version you saw (Task.meta.versionId) to change the status.")}
        )
    return transition(existing, task["status"], by=by, version=version, **_status_details(task))


def _without_status(resources: dict) -> dict:
    """The resources as sent, but for the Task's own status fields (the receiver's)."""
    cleaned = {}
    for key, resource in resources.items():
        if resource.get("resourceType") == "Task":
            resource = {
                k: v
                for k, v in resource.items()
                if k
                not in {
                    "status",
                    "statusReason",
                    "businessStatus",
                    "executionPeriod",
                    "meta",
                    "lastModified",
                    "note",
                }
            }
        cleaned[key] = resource
    return cleaned


def _import_task(
    task: dict, by_key: dict, *, by, region_id: int | None, done: dict, history: bool
) -> Referral:
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
    if not patient_consented(kept, patient_ref, owner_ref):
        kept = without_identity(kept, patient_ref)  # no consent: an anonymous request
    existing = Referral.objects.filter(external_id=task["id"], target_organization=owner).first()
    if existing is not None:
        return _update_known(existing, task, kept, by=by)
    if not history and task["status"] not in NEW_STATUSES:
        raise FhirError(
            {
                where: _(
                    "A new referral arrives as requested: only its receiver may then accept, "
                    "decline or complete it."
                )
            }
        )
    if region_id is None:
        raise FhirError({"region": _("Say which region the referrals belong to.")})
    parent = _parent_of(task, by=by, region_id=region_id, done=done)
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
        requester_team=main_team(by, region_id)
        if access.is_network_staff_of(by, region_id)
        else None,
        requester_organization=(
            by.organization if access.is_partner_of(by, by.organization_id) else None
        ),
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
    record_audit_event(by, "create_referral", referral, reason="fhir")
    if referral.status == Status.REQUESTED and not history:
        from proxima.referrals.services import notify
        from proxima.referrals.tasks import queue_reminder

        notify.status_changed(referral, by=by, side=Side.REQUESTER)
        queue_reminder(referral, referral.response_due_at)
    return referral


# Consent scopes that say nothing of sharing with the one who receives a referral.
OTHER_SCOPES = {"research", "adr"}
# Where a resource names the person (kept as a bare reference without a consent).
PERSON_ELEMENTS = ("for", "subject", "patient", "beneficiary")


def patient_consented(
    resources: dict, patient_ref: str, receiver_ref: str = "", now: datetime | None = None
) -> bool:
    """The sending system says the person agreed to share with this receiver, now: a
    Consent of this Patient that is active, whose scope is sharing (not research), whose
    provision permits, holds now and, when it names actors, names the receiver; and no
    active Consent of theirs denies it at any level of its provisions."""
    now = now or timezone.now()
    if not patient_ref:
        return False
    consents = [
        r
        for r in resources.values()
        if r.get("resourceType") == "Consent"
        and _ref(r.get("patient")) == patient_ref
        and r.get("status") == "active"
    ]
    if any(_denies(c.get("provision") or {}, receiver_ref) for c in consents):
        return False
    return any(_permits(c, receiver_ref, now) for c in consents)


def _scope_codes(consent: dict) -> set[str]:
    return {c.get("code", "") for c in (consent.get("scope") or {}).get("coding", [])}


def _names(provision: dict, receiver_ref: str) -> bool:
    """The provision applies to the receiver: it names no actor, or names it."""
    actors = provision.get("actor") or []
    return not actors or any(_ref(a.get("reference")) == receiver_ref for a in actors)


def _denies(provision: dict, receiver_ref: str) -> bool:
    if provision.get("type") == "deny" and _names(provision, receiver_ref):
        return True
    return any(_denies(p, receiver_ref) for p in provision.get("provision") or [])


def _permits(consent: dict, receiver_ref: str, now: datetime) -> bool:
    if _scope_codes(consent) & OTHER_SCOPES:
        return False
    provision = consent.get("provision") or {}
    if provision.get("type", "permit") != "permit" or not _names(provision, receiver_ref):
        return False
    period = provision.get("period") or {}
    start, end = _moment(period.get("start")), _moment(period.get("end"))
    if (period.get("start") and start is None) or (period.get("end") and end is None):
        return False  # a period that cannot be read permits nothing
    return (start is None or start <= now) and (end is None or now <= end)


def without_identity(resources: dict, patient_ref: str) -> dict:
    """The resources less whatever names the person: the Patient, a Patient contained
    in another resource, and references to them cut down to the bare reference (no
    display, no identifier such as a health-card number)."""
    kept = {}
    for key, resource in resources.items():
        if key == patient_ref or resource.get("resourceType") in ("Patient", "RelatedPerson"):
            continue
        resource = copy.deepcopy(resource)
        resource["contained"] = [
            r
            for r in resource.get("contained") or []
            if r.get("resourceType") not in ("Patient", "RelatedPerson")
        ]
        if not resource["contained"]:
            del resource["contained"]
        for element in PERSON_ELEMENTS:
            value = resource.get(element)
            if isinstance(value, dict):
                bare = {"reference": value["reference"]} if value.get("reference") else {}
                if bare:
                    resource[element] = bare
                else:
                    del resource[element]
        kept[key] = resource
    return kept


def shared_resources(referral: Referral) -> dict:
    """What the sending system sent, less what names the person when no Consent permits
    sharing it with the receiver now (one may have ended since): what the receiver may
    see and get back."""
    resources = referral.external_resources or {}
    task = resources.get(f"Task/{referral.external_id}", {})
    focus = resources.get(_ref(task.get("focus")), {})
    patient_ref = _ref(task.get("for")) or _ref(focus.get("subject"))
    receiver_ref = f"Organization/{referral.target_organization_id}"
    if not patient_consented(resources, patient_ref, receiver_ref):
        return without_identity(resources, patient_ref)
    return resources


def imported_patient(referral: Referral) -> dict:
    """The Patient the sending system shared with this referral, in plain fields; nothing
    when no Consent of the bundle permits sharing it now."""
    for resource in shared_resources(referral).values():
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
