"""People over the JSON API (`/api/intake/people…`): find, create, read, correct, household,
merge, consents and can-share, for signed-in network staff of the person's region.

Handlers only translate JSON to the service functions, where the rules, the permission
checks and the audit log live. Errors become 4xx in proxima/api.py.
"""

from datetime import date, datetime
from uuid import UUID

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Schema, Status
from ninja.security import django_auth

from proxima.core.api_errors import ApiRouter
from proxima.directory.models import Organization
from proxima.people.models import Consent, Person
from proxima.people.services import consent as consent_services
from proxima.people.services import records

router = ApiRouter(tags=["People"], auth=django_auth)


class PersonIn(Schema):
    given_name: str
    family_name: str
    birth_date: date | None = None
    preferred_name: str = ""
    pronouns: str = ""
    language: str = "fr"
    needs_interpreter: bool = False
    phone: str = ""
    email: str = ""
    postal_code: str = ""
    confirmed_new: bool = False


class PersonPatch(Schema):
    """Only the fields sent change."""

    given_name: str | None = None
    family_name: str | None = None
    birth_date: date | None = None
    preferred_name: str | None = None
    pronouns: str | None = None
    language: str | None = None
    needs_interpreter: bool | None = None
    phone: str | None = None
    email: str | None = None
    postal_code: str | None = None


class PersonOut(Schema):
    id: UUID
    given_name: str
    family_name: str
    preferred_name: str
    pronouns: str
    birth_date: date | None
    language: str
    needs_interpreter: bool
    phone: str
    email: str
    postal_code: str
    region: str


class PersonBrief(Schema):
    id: UUID
    given_name: str
    family_name: str
    birth_date: date | None


class RelativeIn(Schema):
    relative_id: UUID
    relationship: str


class RelativeOut(Schema):
    relative: PersonBrief
    relationship: str


class MergeIn(Schema):
    duplicate_id: UUID
    reason: str


class ConsentIn(Schema):
    categories: list[str]
    purpose: str
    method: str
    recipient_organization_id: str | None = None
    recipient_team: str = ""
    guardian_id: UUID | None = None
    given_at: datetime | None = None
    expires_at: datetime | None = None


class ConsentOut(Schema):
    id: int
    categories: list[str]
    recipient_organization_id: str | None
    recipient_team: str
    purpose: str
    method: str
    guardian_id: UUID | None
    given_at: datetime
    expires_at: datetime | None
    withdrawn_at: datetime | None
    withdrawal_reason: str
    current: bool


class WithdrawIn(Schema):
    reason: str = ""


class CanShareOut(Schema):
    allowed: bool


def _person_out(person: Person) -> dict:
    fields = {f: getattr(person, f) for f in PersonOut.model_fields if f != "region"}
    return {**fields, "region": person.region.code}


def _consent_out(consent: Consent) -> dict:
    skipped = ("current", "recipient_team")
    fields = {f: getattr(consent, f) for f in ConsentOut.model_fields if f not in skipped}
    fields["recipient_team"] = consent.recipient_team.code if consent.recipient_team_id else ""
    return {**fields, "current": consent.is_current}


def _person(request, person_id: UUID) -> Person:
    """The record (not audited here: the service that uses it writes the audit line)."""
    return records.person_for(request.user, person_id)


@router.get("/people", response=list[PersonBrief], summary="Find people (each listed is audited)")
def search_people(request, q: str = "", birth_date: date | None = None):
    return records.search_people(q[:200], by=request.user, birth_date=birth_date)


@router.post(
    "/people", response={201: PersonOut}, summary="Create a person (duplicates answer 409)"
)
def create_person(request, payload: PersonIn):
    data = payload.dict()
    confirmed = data.pop("confirmed_new")
    person = records.create_person(
        records.PersonInput(**data), by=request.user, confirmed_new=confirmed
    )
    return Status(201, _person_out(person))


@router.get("/people/{person_id}", response=PersonOut, summary="Read a person (audited)")
def read_person(request, person_id: UUID, reason: str = "api"):
    try:
        person = records.read_person(person_id, by=request.user, reason=reason)
    except Person.DoesNotExist as error:
        raise Http404 from error
    return _person_out(person)


@router.patch("/people/{person_id}", response=PersonOut, summary="Correct a person's record")
def update_person(request, person_id: UUID, payload: PersonPatch):
    person = _person(request, person_id)
    current = {f: getattr(person, f) for f in records.PersonInput.__dataclass_fields__}
    # null clears the birth date; for the other fields it means "unchanged".
    sent = {
        k: v
        for k, v in payload.dict(exclude_unset=True).items()
        if v is not None or k == "birth_date"
    }
    person = records.update_person(person, records.PersonInput(**(current | sent)), by=request.user)
    return _person_out(person)


@router.get(
    "/people/{person_id}/household", response=list[RelativeOut], summary="Household (audited)"
)
def read_household(request, person_id: UUID):
    return records.household(_person(request, person_id), by=request.user)


@router.post(
    "/people/{person_id}/household", response={201: list[RelativeOut]}, summary="Link a relative"
)
def link_relative(request, person_id: UUID, payload: RelativeIn):
    person = _person(request, person_id)
    relative = records.person_for(request.user, payload.relative_id)
    records.link_household(person, relative, payload.relationship, by=request.user)
    return Status(201, records.household(person, by=request.user))


@router.post("/people/{person_id}/merge", response=PersonOut, summary="Merge a duplicate into it")
def merge_person(request, person_id: UUID, payload: MergeIn):
    keep = _person(request, person_id)
    duplicate = records.person_for(request.user, payload.duplicate_id)
    merged = records.merge_people(keep, duplicate, by=request.user, reason=payload.reason)
    return _person_out(merged)


@router.get("/people/{person_id}/consents", response=list[ConsentOut], summary="Consents (audited)")
def list_consents(request, person_id: UUID):
    consents = consent_services.list_consents(
        _person(request, person_id), by=request.user, reason="api"
    )
    return [_consent_out(consent) for consent in consents]


@router.post("/people/{person_id}/consents", response={201: ConsentOut}, summary="Record a consent")
def record_consent(request, person_id: UUID, payload: ConsentIn):
    person = _person(request, person_id)
    organization = (
        get_object_or_404(Organization, pk=payload.recipient_organization_id)
        if payload.recipient_organization_id
        else None
    )
    guardian = (
        records.person_for(request.user, payload.guardian_id) if payload.guardian_id else None
    )
    consent = consent_services.record_consent(
        person,
        consent_services.ConsentInput(
            categories=payload.categories,
            purpose=payload.purpose,
            method=payload.method,
            recipient_organization=organization,
            recipient_team=payload.recipient_team,
            guardian=guardian,
            given_at=payload.given_at,
            expires_at=payload.expires_at,
        ),
        by=request.user,
    )
    return Status(201, _consent_out(consent))


@router.post(
    "/people/{person_id}/consents/{consent_id}/withdraw",
    response=ConsentOut,
    summary="Withdraw a consent",
)
def withdraw_consent(request, person_id: UUID, consent_id: int, payload: WithdrawIn):
    person = _person(request, person_id)
    consent = get_object_or_404(person.consents, pk=consent_id)
    consent = consent_services.withdraw_consent(consent, by=request.user, reason=payload.reason)
    return _consent_out(consent)


@router.get(
    "/people/{person_id}/can-share",
    response=CanShareOut,
    summary="May this information be shared?",
)
def can_share(request, person_id: UUID, category: str, organization_id: str = "", team: str = ""):
    person = _person(request, person_id)
    recipient = get_object_or_404(Organization, pk=organization_id) if organization_id else team
    return {"allowed": consent_services.can_share(person, category, recipient)}
