"""The referral lifecycle, in one place: the statuses of the HL7 FHIR SDOH Clinical Care
referral Task (SDOHCC-TaskForReferralManagement), which transitions are legal, and which
side sets each status (the IG's "Set By" column).

tests/referrals/test_lifecycle.py checks this table against the IG's state machine in
../shared/ext/fhir-sdoh/referral-task-state-machine.json.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    REQUESTED = "requested", _("requested")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("declined")
    CANCELLED = "cancelled", _("cancelled")
    IN_PROGRESS = "in-progress", _("in progress")
    ON_HOLD = "on-hold", _("on hold")
    COMPLETED = "completed", _("completed")
    FAILED = "failed", _("failed")
    ENTERED_IN_ERROR = "entered-in-error", _("entered in error")


class Side(models.TextChoices):
    REQUESTER = "requester", _("referring side")
    TARGET = "target", _("receiving side")
    SYSTEM = "system", _("Proxima")


TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.REQUESTED},
    Status.REQUESTED: {Status.ACCEPTED, Status.REJECTED, Status.CANCELLED},
    Status.ACCEPTED: {
        Status.IN_PROGRESS,
        Status.ON_HOLD,
        Status.CANCELLED,
        Status.COMPLETED,
        Status.FAILED,
    },
    Status.IN_PROGRESS: {Status.ON_HOLD, Status.CANCELLED, Status.COMPLETED, Status.FAILED},
    Status.ON_HOLD: {Status.IN_PROGRESS, Status.CANCELLED, Status.COMPLETED, Status.FAILED},
}
# The referrer may mark a referral entered in error from any state (but not twice).
FROM_ANY_STATE = {Status.ENTERED_IN_ERROR}
INITIAL = {Status.DRAFT, Status.REQUESTED}
TERMINAL = {
    Status.REJECTED,
    Status.CANCELLED,
    Status.COMPLETED,
    Status.FAILED,
    Status.ENTERED_IN_ERROR,
}


def was_accepted(status: str, responded_at) -> bool:
    """Whether the receiving side accepted the referral when it answered (whatever came
    after: done, cancelled, failed): the one meaning of "accepted" in every figure
    (a service's responsiveness, coverage, agreements' indicators). Its first answer dates `responded_at`; a refusal
    is final."""
    return responded_at is not None and status != Status.REJECTED


# Waiting for the receiving side to answer, or being worked on by it.
OPEN = {Status.REQUESTED, Status.ACCEPTED, Status.IN_PROGRESS, Status.ON_HOLD}

SET_BY: dict[str, set[str]] = {
    Status.DRAFT: {Side.REQUESTER},
    Status.REQUESTED: {Side.REQUESTER},
    Status.ENTERED_IN_ERROR: {Side.REQUESTER},
    Status.ACCEPTED: {Side.TARGET},
    Status.REJECTED: {Side.TARGET},
    Status.IN_PROGRESS: {Side.TARGET},
    Status.ON_HOLD: {Side.TARGET},
    Status.FAILED: {Side.TARGET},
    Status.COMPLETED: {Side.TARGET},
    Status.CANCELLED: {Side.REQUESTER, Side.TARGET},
}


class RejectReason(models.TextChoices):
    FULL = "full", _("no capacity (full)")
    NOT_ELIGIBLE = "not_eligible", _("not eligible")
    OUT_OF_TERRITORY = "out_of_territory", _("out of the territory served")
    UNREACHABLE = "unreachable", _("person unreachable")
    DECLINED_BY_PERSON = "declined_by_person", _("declined by the person")
    OTHER = "other", _("other reason")


class Outcome(models.TextChoices):
    SERVICE_RECEIVED = "service_received", _("the person received the service")
    GOAL_MET = "goal_met", _("the need is met")
    PARTLY_MET = "partly_met", _("the need is partly met")
    REFERRED_ON = "referred_on", _("referred on elsewhere")
    OTHER = "other", _("other outcome")


def is_legal(current: str, new: str) -> bool:
    if new in FROM_ANY_STATE:
        return current != new
    return new in TRANSITIONS.get(current, set())


def next_statuses(current: str, side: str) -> list[str]:
    """What this side may set next, in the order of the Status choices."""
    return [
        status
        for status in Status.values
        if is_legal(current, status) and side in SET_BY.get(status, set())
    ]
