"""The intake API (`/api/intake/`): contacts, screening, escalation,
priority, orientation, closing and matching, for signed-in network staff of the region.

Handlers only translate JSON to the service functions; the rules, the permission checks
and the audit log live in those services. Errors become 4xx in proxima/api.py.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Schema, Status
from ninja.security import django_auth
from pydantic import BaseModel, Field

from proxima.core.api_errors import ApiRouter
from proxima.core.roles import READ_PERSONAL_RECORDS, has_capability
from proxima.directory.models import Service
from proxima.intake.models import ContactEpisode
from proxima.intake.services import episodes
from proxima.matching.services import MatchConstraints, match
from proxima.people.services import records

router = ApiRouter(tags=["Intake"], auth=django_auth)


class ContactIn(Schema):
    channel: str
    reason: str = ""
    language: str = "fr"
    person_id: UUID | None = None


class ContactOut(Schema):
    id: UUID
    channel: str
    started_at: datetime
    priority: str
    priority_due_at: datetime | None
    person_id: UUID | None
    closed_at: datetime | None


class ScreeningIn(Schema):
    questionnaire: str
    version: int | None = None
    answers: dict[str, Any]


class ActionIn(Schema):
    action: str
    taken_at: datetime | None = None
    note: str = ""


class PriorityIn(Schema):
    priority: str


class OrientationIn(Schema):
    kind: str
    team: str = ""
    service_id: str | None = None
    note: str = ""


class NeedIn(BaseModel):
    """A need as the needs screen records it. (A plain pydantic model: ninja's Schema
    reads any value, a string or null too, as an object with every field defaulted.)"""

    severity: int = Field(0, ge=0, le=3, strict=True)
    wants_help: bool = False
    note: str = ""


class MatchIn(Schema):
    needs: dict[str, NeedIn]
    person_id: UUID | None = None
    postal_code: str = ""
    max_km: float = 25.0
    language: str = ""
    age: float | None = None
    barriers: list[str] = []
    per_need: int = 5


class MatchOut(Schema):
    service_id: str
    name: str
    score: float
    distance_km: float | None
    reasons: list[str]


def _contact(request, contact_id: UUID) -> ContactEpisode:
    return episodes.contact_for(request.user, contact_id)


@router.post("/contacts", response={201: ContactOut}, summary="Open a contact (may be anonymous)")
def open_contact(request, payload: ContactIn):
    # The person is looked up (404 elsewhere) before anything is written.
    person = records.person_for(request.user, payload.person_id) if payload.person_id else None
    contact = episodes.open_episode(
        by=request.user,
        channel=payload.channel,
        reason=payload.reason,
        language=payload.language,
        person=person,
    )
    return Status(201, contact)


@router.get("/contacts/{contact_id}", response=ContactOut, summary="A contact")
def get_contact(request, contact_id: UUID):
    return episodes.read_contact(_contact(request, contact_id), by=request.user, reason="api")


@router.post(
    "/contacts/{contact_id}/screenings", response={201: dict}, summary="Record a screening"
)
def record_screening(request, contact_id: UUID, payload: ScreeningIn):
    result = episodes.record_screening(
        _contact(request, contact_id),
        payload.questionnaire,
        payload.answers,
        by=request.user,
        version=payload.version,
    )
    return Status(
        201,
        {
            "id": result.screening.pk,
            "outcome": result.screening.outcome,
            "escalations": [
                {
                    "id": e.pk,
                    "risk": e.kind,
                    "level": e.level,
                    "required_actions": e.required_actions,
                }
                for e in result.escalations
            ],
        },
    )


@router.post(
    "/escalations/{escalation_id}/actions", response={201: dict}, summary="Record an action"
)
def record_action(request, escalation_id: int, payload: ActionIn):
    escalation = episodes.escalation_for(request.user, escalation_id)
    done = episodes.record_escalation_action(
        escalation, payload.action, by=request.user, taken_at=payload.taken_at, note=payload.note
    )
    return Status(201, {"id": done.pk, "taken_at": done.taken_at})


@router.post("/contacts/{contact_id}/priority", response=ContactOut, summary="Set the priority")
def set_priority(request, contact_id: UUID, payload: PriorityIn):
    return episodes.set_priority(_contact(request, contact_id), payload.priority, by=request.user)


@router.post("/contacts/{contact_id}/orientations", response={201: dict}, summary="Orient")
def orient(request, contact_id: UUID, payload: OrientationIn):
    service = get_object_or_404(Service, pk=payload.service_id) if payload.service_id else None
    orientation = episodes.record_orientation(
        _contact(request, contact_id),
        payload.kind,
        by=request.user,
        team=payload.team,
        service=service,
        note=payload.note,
    )
    return Status(201, {"id": orientation.pk})


@router.post(
    "/contacts/{contact_id}/close",
    response=ContactOut,
    summary="Close (409 if actions are missing)",
)
def close_contact(request, contact_id: UUID):
    return episodes.close_episode(_contact(request, contact_id), by=request.user)


@router.post(
    "/match", response=dict[str, list[MatchOut]], summary="Directory services for each need"
)
def match_needs(request, payload: MatchIn):
    person = None
    if payload.person_id:
        person = records.read_person(payload.person_id, by=request.user, reason="matching")
    elif not has_capability(request.user, READ_PERSONAL_RECORDS):
        raise PermissionDenied
    constraints = MatchConstraints(
        postal_code=payload.postal_code,
        max_km=payload.max_km,
        language=payload.language,
        age=payload.age,
        barriers=frozenset(payload.barriers),
        per_need=max(1, min(payload.per_need, 20)),
    )
    needs = {domain: need.model_dump() for domain, need in payload.needs.items()}
    found = match(needs, person, constraints)
    return {
        domain: [
            {
                "service_id": m.service.id,
                "name": m.service.localized_name,
                "score": m.score,
                "distance_km": m.distance_km,
                "reasons": m.reasons,
            }
            for m in matches
        ]
        for domain, matches in found.items()
    }
