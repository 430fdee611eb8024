"""Co-producing a social prescription and following it: goals in the person's words,
activities from the directory, supports that remove barriers, follow-ups with the link
worker, goal attainment along the way."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from proxima.core.audit import record_audit_event
from proxima.core.errors import InputError
from proxima.core.roles import PRESCRIBE, in_region
from proxima.core.shortcuts import get_from_request
from proxima.directory.models import Service
from proxima.people.models import Person
from proxima.people.services.records import require_access
from proxima.prescriptions.models import (
    TEXT_LENGTH,
    Activity,
    ActivityStatus,
    FollowUp,
    Goal,
    GoalRating,
    Prescription,
    PrescriptionStatus,
    Support,
    SupportKind,
)

MAX_GOALS = 5


class PrescriptionInputError(InputError):
    pass


@dataclass(frozen=True)
class SupportInput:
    kind: str
    detail: str = ""
    service_id: str = ""  # the activity it makes possible, if one


@dataclass(frozen=True)
class PrescriptionInput:
    what_matters: str
    co_produced_with: str
    goals: list[str]
    service_ids: list[str]
    supports: list[SupportInput] = field(default_factory=list)
    follow_ups: list[date] = field(default_factory=list)
    link_worker: object = None
    made_with_ids: list[str] = field(default_factory=list)  # the person, household members


def _check(person: Person, data: PrescriptionInput, by) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.what_matters.strip():
        errors["what_matters"] = _("Write what matters to them, in their words.")
    elif len(data.what_matters) > TEXT_LENGTH:
        errors["what_matters"] = _("At most %d characters.") % TEXT_LENGTH
    household = {str(person.pk)} | {
        str(r) for r in person.household_links.values_list("relative_id", flat=True)
    }
    if not data.co_produced_with.strip() and not data.made_with_ids:
        errors["co_produced_with"] = _("Say with whom the plan was made.")
    elif set(map(str, data.made_with_ids)) - household:
        errors["co_produced_with"] = _("Only the person and their household's members.")
    elif len(data.co_produced_with.strip()) > 200:
        errors["co_produced_with"] = _("At most %d characters.") % 200
    goals = [g.strip() for g in data.goals if g.strip()]
    if not goals:
        errors["goals"] = _("Write at least one goal, in their words.")
    elif len(goals) > MAX_GOALS or any(len(g) > 500 for g in goals):
        errors["goals"] = _("At most %d goals of 500 characters.") % MAX_GOALS
    if not data.service_ids:
        errors["activities"] = _("Choose at least one activity.")
    elif Service.objects.filter(pk__in=data.service_ids).count() != len(set(data.service_ids)):
        errors["activities"] = _("Unknown activity.")
    for support in data.supports:
        if support.kind not in SupportKind.values:
            errors["supports"] = _("Unknown support.")
        elif len(support.detail.strip()) > 300:
            errors["supports"] = _("At most %d characters.") % 300
        elif support.service_id and support.service_id not in data.service_ids:
            errors["supports"] = _("A support goes with one of the activities prescribed.")
    today = timezone.localdate()
    if any(day < today for day in data.follow_ups):
        errors["follow_ups"] = _("A follow-up cannot be in the past.")
    link_worker = data.link_worker or by
    if not in_region(link_worker, PRESCRIBE, person.region_id):
        errors["link_worker"] = _("The link worker must be network staff of the person's region.")
    return errors


@transaction.atomic
def create_prescription(person: Person, data: PrescriptionInput, *, by) -> Prescription:
    require_access(by, person)
    errors = _check(person, data, by)
    if errors:
        raise PrescriptionInputError(errors)
    prescription = Prescription.objects.create(
        region_id=person.region_id,
        person=person,
        prescriber=by,
        link_worker=data.link_worker or by,
        co_produced_with=data.co_produced_with.strip(),
        what_matters=data.what_matters.strip(),
    )
    if data.made_with_ids:
        prescription.made_with.set(
            Person.objects.filter(pk__in=[str(i) for i in data.made_with_ids])
        )
    for position, text in enumerate(g.strip() for g in data.goals if g.strip()):
        Goal.objects.create(prescription=prescription, text=text, position=position)
    activities = {}
    for service_id in dict.fromkeys(data.service_ids):
        activities[service_id] = Activity.objects.create(
            prescription=prescription, service_id=service_id
        )
    for support in data.supports:
        Support.objects.create(
            prescription=prescription,
            activity=activities.get(support.service_id),
            kind=support.kind,
            detail=support.detail.strip(),
        )
    for day in sorted(set(data.follow_ups)):
        FollowUp.objects.create(prescription=prescription, due_on=day)
    record_audit_event(
        by, "create_prescription", person, detail={"prescription": str(prescription.pk)}
    )
    return prescription


def note_made_with_shown(prescription: Prescription, *, by) -> None:
    """The household members named as having made the plan are in their own access log
    when a page shows them."""
    for relative in prescription.made_with.exclude(pk=prescription.person_id):
        record_audit_event(by, "show_person_name", relative, reason="prescription")


def prescribes(user) -> bool:
    """Staff who co-produce and follow social prescriptions, attached to a region."""
    return in_region(user, PRESCRIBE, getattr(user, "region_id", None))


def visible_to(user) -> QuerySet[Prescription]:
    """Every prescription this user may read: the one row-level rule of the domain.
    Network staff of the person's region (the prescriber, the link worker, their
    colleagues) follow the prescription."""
    if not prescribes(user):
        return Prescription.objects.none()
    return Prescription.objects.filter(region_id=user.region_id)


def started_between(region_id, since, until) -> QuerySet[Prescription]:
    """The region's prescriptions started in [since, until): for aggregate figures only
    (indicators), never to show one."""
    return Prescription.objects.filter(
        region_id=region_id, created_at__gte=since, created_at__lt=until
    )


def adhered(prescriptions: QuerySet[Prescription]) -> QuerySet[Prescription]:
    """Those with at least one activity started or done (aggregate figures only)."""
    return prescriptions.filter(
        Exists(
            Activity.objects.filter(
                prescription=OuterRef("pk"),
                status__in=[ActivityStatus.STARTED, ActivityStatus.DONE],
            )
        )
    )


def require_follower(user, prescription: Prescription) -> None:
    """The same rule as `visible_to`, for a prescription already in hand."""
    if not in_region(user, PRESCRIBE, prescription.region_id):
        raise PermissionDenied(_("You may not read this prescription."))


def require_prescriber(user) -> None:
    """403 for those who follow no prescription at all."""
    if not prescribes(user):
        raise PermissionDenied(_("You may not follow social prescriptions."))


def prescription_for(user, prescription_id) -> Prescription:
    """The prescription named in a request: 403 for those who follow none, 404 for another
    region's, a missing one or a malformed id. Not audited (see `read_prescription`)."""
    require_prescriber(user)
    return get_from_request(visible_to(user), prescription_id)


def read_prescription(prescription_id, *, by, reason: str) -> Prescription:
    """The prescription, for a reason; the read is written to the audit log."""
    require_prescriber(by)
    prescription = get_from_request(
        visible_to(by).select_related("person", "prescriber", "link_worker"), prescription_id
    )
    record_audit_event(
        by,
        "read_prescription",
        prescription.person,
        reason=reason,
        detail={"prescription": str(prescription.pk)},
    )
    return prescription


@transaction.atomic
def rate_goal(goal: Goal, rating: int, *, by) -> GoalRating:
    require_follower(by, goal.prescription)
    if rating not in range(1, 6):
        raise PrescriptionInputError({"rating": _("Rate from 1 (not at all) to 5 (fully).")})
    return GoalRating.objects.create(goal=goal, rating=rating, rated_by=by)


@transaction.atomic
def record_follow_up(follow_up: FollowUp, note: str, *, by, next_on: date | None = None):
    """Mark a follow-up done, with its note; optionally plan the next one."""
    require_follower(by, follow_up.prescription)
    if len(note) > TEXT_LENGTH:
        raise PrescriptionInputError({"note": _("At most %d characters.") % TEXT_LENGTH})
    if next_on is not None and next_on < timezone.localdate():
        raise PrescriptionInputError({"next_on": _("A follow-up cannot be in the past.")})
    follow_up.done_at = timezone.now()
    follow_up.note = note.strip()
    follow_up.save(update_fields=["done_at", "note"])
    if next_on is not None:
        FollowUp.objects.create(prescription=follow_up.prescription, due_on=next_on)
    record_audit_event(by, "follow_up_prescription", follow_up.prescription.person)
    return follow_up


@transaction.atomic
def set_activity_status(activity: Activity, status: str, *, by) -> Activity:
    require_follower(by, activity.prescription)
    if status not in ActivityStatus.values:
        raise PrescriptionInputError({"status": _("Unknown status.")})
    activity.status = status
    activity.save(update_fields=["status"])
    return activity


@transaction.atomic
def arrange_support(support: Support, *, by) -> Support:
    require_follower(by, support.prescription)
    support.arranged = True
    support.save(update_fields=["arranged"])
    return support


@transaction.atomic
def end_prescription(prescription: Prescription, status: str, *, by) -> Prescription:
    require_follower(by, prescription)
    if status not in {PrescriptionStatus.COMPLETED, PrescriptionStatus.STOPPED}:
        raise PrescriptionInputError({"status": _("Unknown status.")})
    prescription.status = status
    prescription.ended_at = timezone.now()
    prescription.save(update_fields=["status", "ended_at"])
    return prescription
