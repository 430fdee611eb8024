"""Referrals over the JSON API (`/api/referrals/`), for network and partner staff: the
same rules, consent filtering and audit as the pages (services do the work). A stale
`version` answers 409; a likely duplicate 409 with the warnings; bad input 400."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Body, Schema, Status
from ninja.security import django_auth

from proxima.core.api_errors import ApiRouter
from proxima.directory.models import Service
from proxima.intake.services import episodes
from proxima.people.services import records
from proxima.referrals.lifecycle import next_statuses
from proxima.referrals.models import Notification, Referral
from proxima.referrals.services import access, fhir, sharing, workflow

router = ApiRouter(tags=["Referrals"], auth=django_auth)
FHIR_BODY = Body(..., description="A FHIR R4 Bundle")


class ReferralIn(Schema):
    need_domain: str
    request_text: str
    priority: str
    service_id: str | None = None
    target_team: str = ""
    person_id: UUID | None = None
    anonymous: bool = False
    episode_id: UUID | None = None
    send: bool = True
    acknowledge_duplicates: bool = False


class PassOnIn(Schema):
    need_domain: str
    request_text: str
    priority: str
    service_id: str | None = None
    target_team: str = ""
    anonymous: bool = False
    acknowledge_duplicates: bool = False


class ReferralBrief(Schema):
    """What an inbox lists: never the person."""

    id: UUID
    status: str
    need_domain: str
    priority: str
    requester: str
    target: str
    service_id: str | None
    parent_id: UUID | None
    requested_at: datetime | None
    response_due_at: datetime | None
    first_appointment_at: datetime | None
    version: int


class SendIn(Schema):
    version: int
    acknowledge_duplicates: bool = False


class StatusIn(Schema):
    status: str
    version: int
    reason: str = ""
    note: str = ""
    first_appointment_at: datetime | None = None
    outcome: str = ""


class MessageIn(Schema):
    body: str
    category: str = "follow_up"


class NotificationOut(Schema):
    referral_id: str
    kind: str
    text: str
    at: datetime
    read: bool


def _brief(referral: Referral) -> dict:
    return {
        **{f: getattr(referral, f) for f in ReferralBrief.model_fields if hasattr(referral, f)},
        "requester": referral.requester_label,
        "target": referral.target_label,
    }


def _detail(view: sharing.ReferralView) -> dict:
    referral = view.referral
    return {
        **_brief(referral),
        "side": view.side,
        "may_set": next_statuses(referral.status, view.side) if view.side else [],
        "anonymous": referral.anonymous,
        "shared_categories": sorted(view.categories),
        "person": {k: (str(v) if k == "id" else v) for k, v in view.person.items()} or None,
        "request_text": view.request_text,
        "needs": view.needs,
        "reject_reason": referral.reject_reason,
        "outcome": referral.outcome,
        "outcome_note": referral.outcome_note,
        "messages": [
            {"at": m.at, "side": m.side, "category": m.category, "body": m.body}
            for m in view.messages
        ],
        "hidden_messages": view.hidden_messages,
        "history": [
            {"at": e.at, "from": e.from_status, "to": e.to_status, "side": e.side, "note": e.note}
            for e in referral.events.all()
        ],
    }


def _referral(request, referral_id: UUID) -> Referral:
    return access.referral_for(request.user, referral_id)


def _input(payload, *, person=None, episode=None) -> workflow.ReferralInput:
    service = get_object_or_404(Service, pk=payload.service_id) if payload.service_id else None
    return workflow.ReferralInput(
        need_domain=payload.need_domain,
        request_text=payload.request_text,
        priority=payload.priority,
        service=service,
        target_team=payload.target_team if service is None else "",
        person=person,
        anonymous=payload.anonymous,
        episode_id=episode.pk if episode else None,
    )


@router.get("/referrals", response=list[ReferralBrief], summary="Inbox: received, sent, region")
def list_referrals(request, box: str = "received", status: str = ""):
    if not access.can_use_referrals(request.user):
        raise PermissionDenied
    referrals = access.inbox(request.user, box)
    if status:
        referrals = referrals.filter(status=status)
    related = (
        "target_organization",
        "target_team",
        "requester",
        "requester_team",
        "requester_organization",
    )
    return [_brief(r) for r in referrals.select_related(*related)[:500]]


@router.post("/referrals", response={201: dict}, summary="Create (and by default send)")
def create_referral(request, payload: ReferralIn):
    person = records.person_for(request.user, payload.person_id) if payload.person_id else None
    episode = episodes.contact_for(request.user, payload.episode_id) if payload.episode_id else None
    referral = workflow.create_referral(
        _input(payload, person=person, episode=episode),
        by=request.user,
        send_now=payload.send,
        acknowledge_duplicates=payload.acknowledge_duplicates,
    )
    return Status(201, _detail(sharing.view_referral(referral, by=request.user)))


@router.post("/referrals/fhir", response={201: list[ReferralBrief]}, summary="Import a FHIR bundle")
def import_fhir(request, bundle: dict[str, Any] = FHIR_BODY):
    """A FHIR R4 Bundle (SDOH Clinical Care referral Tasks with their ServiceRequest,
    Patient, Consent, Organizations) into the owners' inboxes; all or nothing."""
    referrals = fhir.import_bundle(bundle, by=request.user)
    return Status(201, [_brief(r) for r in referrals])


@router.get(
    "/referrals/{referral_id}",
    response=dict[str, Any],
    summary="A referral, as your side may see it (audited)",
)
def get_referral(request, referral_id: UUID):
    return _detail(sharing.view_referral(_referral(request, referral_id), by=request.user))


@router.post("/referrals/{referral_id}/send", response=dict[str, Any], summary="Send a draft")
def send_referral(request, referral_id: UUID, payload: SendIn):
    referral = workflow.send(
        _referral(request, referral_id),
        by=request.user,
        version=payload.version,
        acknowledge_duplicates=payload.acknowledge_duplicates,
    )
    return _detail(sharing.view_referral(referral, by=request.user))


@router.post(
    "/referrals/{referral_id}/status",
    response=dict[str, Any],
    summary="Change the status (409 if stale)",
)
def change_status(request, referral_id: UUID, payload: StatusIn):
    referral = workflow.transition(
        _referral(request, referral_id),
        payload.status,
        by=request.user,
        version=payload.version,
        reason=payload.reason,
        note=payload.note,
        first_appointment_at=payload.first_appointment_at,
        outcome=payload.outcome,
    )
    return _detail(sharing.view_referral(referral, by=request.user))


@router.post("/referrals/{referral_id}/messages", response={201: dict}, summary="Post a message")
def post_message(request, referral_id: UUID, payload: MessageIn):
    message = sharing.post_message(
        _referral(request, referral_id), payload.body, by=request.user, category=payload.category
    )
    return Status(201, {"id": message.pk, "at": message.at})


@router.post(
    "/referrals/{referral_id}/pass-on", response={201: dict}, summary="Refer on (sub-referral)"
)
def pass_on(request, referral_id: UUID, payload: PassOnIn):
    parent = _referral(request, referral_id)
    child = workflow.pass_on(
        parent,
        _input(payload),
        by=request.user,
        acknowledge_duplicates=payload.acknowledge_duplicates,
    )
    return Status(201, _detail(sharing.view_referral(child, by=request.user)))


@router.get(
    "/referrals/{referral_id}/fhir",
    response=dict[str, Any],
    summary="The referral as a FHIR R4 bundle",
)
def export_fhir(request, referral_id: UUID):
    return fhir.export_referral(_referral(request, referral_id), by=request.user)


@router.get("/notifications", response=list[NotificationOut], summary="Your referral notifications")
def list_notifications(request, unread: bool = False):
    notices = Notification.objects.filter(user=request.user)
    if unread:
        notices = notices.filter(read_at=None)
    return [
        {
            "referral_id": str(n.referral_id),
            "kind": n.kind,
            "text": n.text,
            "at": n.created_at,
            "read": n.read_at is not None,
        }
        for n in notices[:200]
    ]
