"""Creating, sending, passing on and moving referrals through their lifecycle.

Every change goes through `transition`, which checks the rules of lifecycle.py, the side
of the user, what the new status requires (an appointment to accept, a coded reason to
decline, an outcome to complete), and the version the user saw: a concurrent change is
refused as a conflict, never overwritten.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from proxima.core.audit import record_audit_event
from proxima.core.errors import InputError, moment_out_of_range
from proxima.core.models import Region
from proxima.directory.models import Service
from proxima.intake.models import Priority
from proxima.intake.services.episodes import target_hours
from proxima.matching.services import DIRECTORY_DOMAINS
from proxima.people.models import InformationCategory, Person
from proxima.people.services.consent import can_share
from proxima.people.services.records import can_access_person
from proxima.referrals.lifecycle import (
    OPEN,
    SET_BY,
    TERMINAL,
    Outcome,
    RejectReason,
    Side,
    Status,
    is_legal,
)
from proxima.referrals.models import TEXT_LENGTH, Referral, ReferralEvent
from proxima.referrals.services import access, notify
from proxima.teams.services import main_team, team_named


class ReferralInputError(InputError):
    """Input that cannot be used; `errors` maps fields to messages for the user."""


class IllegalTransition(ReferralInputError):
    pass


class ReferralConflict(Exception):
    """Someone changed the referral since the user loaded it."""

    def __init__(self, referral: Referral):
        super().__init__(f"referral {referral.pk} is now version {referral.version}")
        self.referral = referral


class PossibleDuplicateReferral(Exception):
    """The person already has an open referral for this need or with this receiver;
    send again with `acknowledge_duplicates=True`."""

    def __init__(self, warnings: list[str]):
        super().__init__("; ".join(warnings))
        self.warnings = warnings


@dataclass(frozen=True)
class ReferralInput:
    need_domain: str
    request_text: str
    priority: str
    service: Service | None = None
    target_team: str = ""
    person: Person | None = None
    anonymous: bool = False
    episode_id: object = None


def response_due(region_id: int, priority: str, sent_at: datetime) -> datetime:
    """When the receiving side should have answered: the region's target delay for the
    priority (an immediate referral is expected to be answered within the hour)."""
    return sent_at + timedelta(hours=max(target_hours(region_id, priority), 1))


def _check(data: ReferralInput, by, region_id) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.need_domain.strip():
        errors["need_domain"] = _("Say which need this referral is for.")
    elif data.need_domain.strip() not in DIRECTORY_DOMAINS:
        errors["need_domain"] = _("Choose one of the needs offered.")
    if not data.request_text.strip():
        errors["request_text"] = _("Say what is asked of the receiving side.")
    elif len(data.request_text) > TEXT_LENGTH:
        errors["request_text"] = _("At most %d characters.") % TEXT_LENGTH
    if data.priority not in Priority.values:
        errors["priority"] = _("Choose a priority.")
    if (data.service is None) == (not data.target_team):
        errors["target"] = _("Choose one service or one team to refer to.")
    elif data.target_team and region_id and team_named(region_id, data.target_team) is None:
        errors["target"] = _("Unknown team.")
    elif data.service is not None and data.service.organization_id is None:
        errors["target"] = _("This service has no organization to receive referrals.")
    if data.person is not None and not can_access_person(by, data.person):
        raise PermissionDenied(_("You may not read this person's record."))
    if data.person is None and not data.anonymous:
        errors["person"] = _("Choose the person, or make the request anonymous.")
    return errors


def resolve_region(region_id: int | None, by) -> int | None:
    """The region given, else the user's; a partner account without a region works in
    the network's only region. None when that leaves a choice to make."""
    region_id = region_id or by.region_id
    if region_id is None:
        regions = list(Region.objects.values_list("pk", flat=True)[:2])
        region_id = regions[0] if len(regions) == 1 else None
    return region_id


@transaction.atomic
def create_referral(
    data: ReferralInput,
    *,
    by,
    region_id: int | None = None,
    parent: Referral | None = None,
    send_now: bool = False,
    acknowledge_duplicates: bool = False,
) -> Referral:
    """A draft referral from `by` (who must be able to send referrals), sent at once when
    `send_now`: in one transaction, so a refused send leaves no draft behind."""
    if send_now:
        draft = create_referral(data, by=by, region_id=region_id, parent=parent)
        return send(
            draft, by=by, version=draft.version, acknowledge_duplicates=acknowledge_duplicates
        )
    if not access.can_send_referrals(by):
        raise PermissionDenied(_("You may not send referrals."))
    region_id = resolve_region(region_id or (parent.region_id if parent else None), by)
    errors = _check(data, by, region_id)
    if errors:
        raise ReferralInputError(errors)
    if region_id is None:
        raise ReferralInputError({"region": _("Say which region this referral belongs to.")})
    referral = Referral.objects.create(
        region_id=region_id,
        person=data.person,
        anonymous=data.anonymous or data.person is None,
        episode_id=data.episode_id,
        parent=parent,
        need_domain=data.need_domain.strip(),
        request_text=data.request_text.strip(),
        priority=data.priority,
        requester=by,
        requester_team=main_team(by, region_id)
        if access.is_network_staff_of(by, region_id)
        else None,
        requester_organization=(
            by.organization if access.is_partner_of(by, by.organization_id) else None
        ),
        service=data.service,
        target_organization=data.service.organization if data.service else None,
        target_team=team_named(region_id, data.target_team) if data.target_team else None,
    )
    ReferralEvent.objects.create(
        referral=referral, to_status=Status.DRAFT, actor=by, side=Side.REQUESTER
    )
    record_audit_event(by, "create_referral", referral)
    return referral


def duplicate_warnings(referral: Referral) -> list[str]:
    """Open referrals of the same person for the same need, or to the same receiver
    (the referrals this one was passed on from do not count)."""
    if referral.person_id is None:
        return []
    chain = {referral.pk}  # the referral and what it was passed on from
    parent = referral.parent
    while parent is not None:
        chain.add(parent.pk)
        parent = parent.parent
    open_ones = (
        Referral.objects.filter(person_id=referral.person_id, status__in=OPEN)
        .exclude(pk__in=chain)
        .select_related("target_organization", "target_team")
    )
    warnings = []
    for other in open_ones:
        if other.recipient == referral.recipient:
            warnings.append(
                _("Already referred to %(target)s (%(status)s).")
                % {"target": other.target_label, "status": other.get_status_display()}
            )
        elif other.need_domain == referral.need_domain:
            warnings.append(
                _("Already an open referral for this need, to %(target)s (%(status)s).")
                % {"target": other.target_label, "status": other.get_status_display()}
            )
    return warnings


def consent_problem(referral: Referral) -> str:
    """Why this referral cannot name the person to its receiver, or ""."""
    if referral.anonymous or referral.person_id is None:
        return ""
    if can_share(referral.person, InformationCategory.IDENTITY, referral.recipient):
        return ""
    return _(
        "The person has not consented to share their identity with %(target)s: record "
        "their consent, or send an anonymous request."
    ) % {"target": referral.target_label}


@transaction.atomic
def send(referral: Referral, *, by, version: int, acknowledge_duplicates: bool = False) -> Referral:
    """Draft → requested, once consent allows it and duplicates were acknowledged."""
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.status == Status.DRAFT:
        if locked.target_team_id and not locked.target_team.active:
            # The team was closed after the draft was written: it takes no new referral.
            raise ReferralInputError({"target": _("This team no longer receives referrals.")})
        problem = consent_problem(locked)
        if problem:
            raise ReferralInputError({"consent": problem})
        warnings = duplicate_warnings(locked)
        if warnings and not acknowledge_duplicates:
            raise PossibleDuplicateReferral(warnings)
    return transition(locked, Status.REQUESTED, by=by, version=version)


@transaction.atomic
def pass_on(
    parent: Referral, data: ReferralInput, *, by, acknowledge_duplicates: bool = False
) -> Referral:
    """The receiving side of `parent` refers the person on (811 → CLSC → organization):
    a sub-referral linked to its parent, sent at once."""
    if access.side_of(by, parent) != Side.TARGET:
        raise PermissionDenied(_("Only the receiving side may pass a referral on."))
    if parent.status not in {Status.ACCEPTED, Status.IN_PROGRESS, Status.ON_HOLD}:
        raise IllegalTransition({"status": _("Accept the referral before passing it on.")})
    data = ReferralInput(
        **{
            **data.__dict__,
            "person": parent.person if data.person is None else data.person,
            "anonymous": data.anonymous or parent.anonymous,
        }
    )
    if data.person is not None and not can_access_person(by, data.person):
        # A partner passing on does not hold the network's record: what it passes on is
        # anonymous (the person's identity can follow only through the network's staff).
        data = ReferralInput(**{**data.__dict__, "person": None, "anonymous": True})
    child = create_referral(data, by=by, region_id=parent.region_id, parent=parent)
    return send(child, by=by, version=child.version, acknowledge_duplicates=acknowledge_duplicates)


def _requirements(new_status: str, reason: str, note: str, appointment, outcome: str) -> dict:
    errors = {}
    if new_status == Status.ACCEPTED and appointment is None:
        errors["first_appointment_at"] = _("Give the date of the first appointment.")
    elif new_status == Status.ACCEPTED and (problem := moment_out_of_range(appointment)):
        errors["first_appointment_at"] = problem
    if new_status == Status.REJECTED:
        if reason not in RejectReason.values:
            errors["reason"] = _("Choose why the referral is declined.")
        elif reason == RejectReason.OTHER and not note.strip():
            errors["note"] = _("Say why, in a few words.")
    if new_status == Status.COMPLETED and outcome not in Outcome.values:
        errors["outcome"] = _("Choose the outcome.")
    if new_status in {Status.FAILED, Status.ENTERED_IN_ERROR} and not note.strip():
        errors["note"] = _("Say why, in a few words.")
    if len(note) > TEXT_LENGTH:
        errors["note"] = _("At most %d characters.") % TEXT_LENGTH
    return errors


@transaction.atomic
def transition(
    referral: Referral,
    new_status: str,
    *,
    by,
    version: int,
    reason: str = "",
    note: str = "",
    first_appointment_at: datetime | None = None,
    outcome: str = "",
) -> Referral:
    """Move the referral to `new_status` if the rules, the user's side and the version
    they saw allow it; write the event, the audit line and the notifications."""
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    side = access.require_side(by, current)
    if current.version != version:
        raise ReferralConflict(current)
    labels = dict(Status.choices)
    if new_status not in labels:
        raise IllegalTransition({"status": _("Unknown status.")})
    if not is_legal(current.status, new_status):
        raise IllegalTransition(
            {
                "status": _("A referral that is %(current)s cannot become %(new)s.")
                % {"current": labels[current.status], "new": labels[new_status]}
            }
        )
    if side not in SET_BY[new_status]:
        raise IllegalTransition(
            {
                "status": _("Only the %(side)s may set a referral %(new)s.")
                % {
                    "side": Side(next(iter(SET_BY[new_status]))).label,
                    "new": labels[new_status],
                }
            }
        )
    errors = _requirements(new_status, reason, note, first_appointment_at, outcome)
    if errors:
        raise ReferralInputError(errors)
    now = timezone.now()
    previous = current.status
    changes = {"status": new_status, "version": current.version + 1}
    if new_status == Status.REQUESTED:
        changes["requested_at"] = now
        changes["response_due_at"] = response_due(current.region_id, current.priority, now)
    if new_status in {Status.ACCEPTED, Status.REJECTED} and current.responded_at is None:
        changes["responded_at"] = now
    if new_status == Status.ACCEPTED:
        changes["first_appointment_at"] = first_appointment_at
    if new_status == Status.REJECTED:
        changes["reject_reason"] = reason
    if new_status == Status.COMPLETED:
        changes["outcome"], changes["outcome_note"] = outcome, note.strip()
    if new_status in TERMINAL:
        changes["closed_at"] = now
    # Compare-and-set: also safe where SELECT … FOR UPDATE is not (SQLite).
    updated = Referral.objects.filter(pk=current.pk, version=version).update(**changes)
    if updated != 1:
        raise ReferralConflict(Referral.objects.get(pk=current.pk))
    current.refresh_from_db()
    ReferralEvent.objects.create(
        referral=current,
        from_status=previous,
        to_status=new_status,
        actor=by,
        side=side,
        reason=reason if new_status == Status.REJECTED else outcome,
        note=note.strip(),
    )
    notify.status_changed(current, by=by, side=side)
    if new_status == Status.REQUESTED:
        # Queued in this transaction: the reminder exists if and only if the send does.
        from proxima.referrals.tasks import queue_reminder

        queue_reminder(current, current.response_due_at)
    # Last: appending to the audit chain holds its lock until the commit (audit_chain.py),
    # which every audited request waits for.
    record_audit_event(
        by, "referral_status", current, detail={"status": new_status, "side": str(side)}
    )
    return current
