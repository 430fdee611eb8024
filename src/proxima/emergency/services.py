"""Emergency psychosocial mode: who reads and writes which event, and the named actions.

One row-level rule (`visible_to`): the events of the user's region, for those who
respond to emergencies (front-line staff, coordinators) there; nobody else (partners,
evaluators, administrators: 403; another region's staff: 404, as if the event did not
exist). Declaring, activating, changing the schedule of and closing an event need
DECLARE_EMERGENCY in its region. Registering affected people needs RESPOND_EMERGENCY and
an active event. Recording a follow-up is for the event's team (its members), its lead
and the region's declarers.

Affected people are personal information: every list or page that shows them writes
one audit line per person shown (against their record when linked to one, so that the
person's access report lists it), inside the service that reads them.

Closing an event keeps the follow-ups already planned: the people registered are still
called at +1 month and +6 months after the field work is over (the point of the
schedule). Closing only stops new registrations, freezes the figures and keeps the
report. See docs/emergency.md.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from proxima.core.audit import record_audit_event
from proxima.core.errors import InputError, collect_errors, is_blank, moment_out_of_range
from proxima.core.models import User
from proxima.core.roles import DECLARE_EMERGENCY, RESPOND_EMERGENCY, in_region, roles_with
from proxima.core.shortcuts import get_from_request
from proxima.directory.services.taxonomy import checked_domains
from proxima.emergency.models import (
    HOUSEHOLD_LENGTH,
    MAX_HOUSEHOLD_SIZE,
    MAX_OFFSET_HOURS,
    MAX_OFFSETS,
    MIN_OFFSET_HOURS,
    MIN_OFFSETS,
    NAME_LENGTH,
    NOTE_LENGTH,
    PHONE_LENGTH,
    PLACE_LENGTH,
    RECORDED_STATUSES,
    REPORT_LENGTH,
    TITLE_LENGTH,
    AffectedPerson,
    AgeBand,
    Event,
    EventContact,
    EventKind,
    EventStatus,
    FollowUp,
    FollowUpStatus,
    Household,
    Orientation,
    default_offsets,
)
from proxima.intake.models import Channel, ContactEpisode
from proxima.people.models import Person
from proxima.teams.models import Team
from proxima.teams.services import team_ids_of
from proxima.territories.models import Territory
from proxima.territories.services import territory_ids_within

DONE_STATUSES = tuple(RECORDED_STATUSES)


class EmergencyInputError(InputError):
    """What cannot be recorded on the event, field by field (nothing written)."""


# --- who reads and writes -----------------------------------------------------------------


def responds(user, region_id=None) -> bool:
    """A responder (front-line staff, coordinator) of the region (theirs by default)."""
    return in_region(user, RESPOND_EMERGENCY, region_id or getattr(user, "region_id", None))


def declares(user, region_id=None) -> bool:
    """Who declares, activates and closes the region's events (coordinators, team leads)."""
    return in_region(user, DECLARE_EMERGENCY, region_id or getattr(user, "region_id", None))


def can_use_emergency(user) -> bool:
    """Those who may open the emergency pages at all (others: 403)."""
    return responds(user) or declares(user)


def require_use(user) -> None:
    if not can_use_emergency(user):
        raise PermissionDenied(_("You may not read emergency events."))


def require_declarer(user, region_id=None) -> None:
    if not declares(user, region_id):
        raise PermissionDenied(_("Only coordinators and team leads declare and close events."))


def visible_to(user) -> QuerySet[Event]:
    """Every event (and so its affected people) this user may read: the one row-level
    rule of the emergency mode."""
    if not can_use_emergency(user):
        return Event.objects.none()
    return Event.objects.filter(region_id=user.region_id)


def active_events(region_id) -> QuerySet[Event]:
    """The region's active events (what the 811 screen and the outreach form show as
    context), the latest first."""
    if region_id is None:
        return Event.objects.none()
    return Event.objects.filter(region_id=region_id, status=EventStatus.ACTIVE).order_by(
        "-occurred_on", "-declared_at"
    )


def event_for(user, event_id) -> Event:
    """The event named in a request: 403 for those who read none, 404 for another
    region's, a missing one or a malformed id. Not audited: what lists its people does."""
    require_use(user)
    return get_from_request(
        visible_to(user).select_related("region", "territory", "lead", "team"), event_id
    )


def events_for(user) -> list[Event]:
    """The user's region's events: active first, then declared, then closed (latest
    first within each)."""
    require_use(user)
    order = {EventStatus.ACTIVE: 0, EventStatus.DECLARED: 1, EventStatus.CLOSED: 2}
    rows = list(
        visible_to(user)
        .select_related("territory", "lead", "team")
        .annotate(registered=Count("affected_people"))
        .order_by("-occurred_on", "-declared_at")
    )
    return sorted(rows, key=lambda event: order[event.status])


def works_on_follow_ups(user, event: Event) -> bool:
    """A member of the event's team, its lead, or a declarer of its region: who records
    its follow-ups."""
    if not responds(user, event.region_id):
        return False
    return (
        event.lead_id == user.pk
        or event.team_id in team_ids_of(user)
        or declares(user, event.region_id)
    )


def require_follow_up_worker(user, event: Event) -> None:
    if not works_on_follow_ups(user, event):
        raise PermissionDenied(_("Only the event's team, its lead and coordinators do this."))


def possible_leads(region_id) -> QuerySet[User]:
    """The region's active users who respond to emergencies."""
    return User.objects.filter(
        region_id=region_id, role__in=roles_with(RESPOND_EMERGENCY), is_active=True
    ).order_by("last_name", "first_name", "username")


def possible_teams(region_id) -> QuerySet[Team]:
    """The region's active teams (the emergency psychosocial team first in the form)."""
    return Team.objects.filter(region_id=region_id, active=True).order_by("name_fr")


def _audit_person(by, action: str, affected: AffectedPerson, *, reason: str = "", **detail):
    """One audit line about an affected person: against their record when linked (their
    access report lists it), else against the registration itself."""
    detail = {
        "event": str(affected.event_id),
        "affected_person": str(affected.pk),
        **{key: str(value) for key, value in detail.items()},
    }
    region_id = affected.event.region_id
    if affected.person_id is not None:
        record_audit_event(
            by,
            action,
            object_type="people.person",
            object_id=str(affected.person_id),
            reason=reason,
            detail=detail,
            region_id=region_id,
        )
    else:
        record_audit_event(by, action, affected, reason=reason, detail=detail, region_id=region_id)


# --- checking input -----------------------------------------------------------------------


def _text(value, name: str, *, required: bool = True, limit: int = NOTE_LENGTH) -> str:
    """Text typed, trimmed; refused (never cut) when missing, too long or holding a NUL."""
    text = value.strip() if isinstance(value, str) else ""
    if required and is_blank(text):  # a zero-width space alone is no name
        raise EmergencyInputError({name: _("This field is required.")})
    if len(text) > limit:
        raise EmergencyInputError({name: _("At most %d characters.") % limit})
    if "\x00" in text:
        raise EmergencyInputError({name: _("Null characters are not allowed.")})
    return text


def _choice(value, choices, name: str) -> str:
    if value not in choices.values:
        raise EmergencyInputError({name: _("Choose one of the options offered.")})
    return value


def _domains(values, name: str = "need_domains") -> list[str]:
    return checked_domains(values, name, EmergencyInputError)


def _collect(checks) -> tuple[dict, dict]:
    return collect_errors(checks, EmergencyInputError)


PHONE = re.compile(r"^\+?[0-9 ().\-]+(?:\s*(?:#|x|ext\.?|poste|p\.)\s*[0-9]{1,6})?$", re.I)


def _phone(value, name: str = "phone") -> str:
    """A phone number as people write it ("418 555-0101", "+1 (418) 555 0101 poste 12"):
    7 to 15 digits before any extension."""
    text = _text(value, name, required=False, limit=PHONE_LENGTH)
    if not text:
        return ""
    main = re.split(r"#|x|ext|poste|p\.", text, maxsplit=1, flags=re.I)[0]
    digits = sum(char.isdigit() for char in main)
    if not text.isascii() or not PHONE.match(text) or not 7 <= digits <= 15:
        raise EmergencyInputError({name: _("Give a phone number, for example 418 555-0101.")})
    return text


def check_schedule(offsets, name: str = "follow_up_offsets_hours") -> list[int]:
    """A follow-up schedule: 1 to 10 whole numbers of hours, each from 1 hour to 2 years,
    different from each other; given back sorted."""
    if not isinstance(offsets, (list, tuple)) or not MIN_OFFSETS <= len(offsets) <= MAX_OFFSETS:
        raise EmergencyInputError(
            {
                name: _("Plan from %(min)d to %(max)d follow-ups.")
                % {"min": MIN_OFFSETS, "max": MAX_OFFSETS}
            }
        )
    for offset in offsets:
        if (
            not isinstance(offset, int)
            or isinstance(offset, bool)
            or not MIN_OFFSET_HOURS <= offset <= MAX_OFFSET_HOURS
        ):
            raise EmergencyInputError(
                {name: _("Each follow-up comes from 1 hour to 2 years after the registration.")}
            )
    if len(set(offsets)) != len(offsets):
        raise EmergencyInputError({name: _("Two follow-ups are planned at the same time.")})
    return sorted(offsets)


def offset_label(hours: int) -> str:
    """An offset in words: "72 h", "2 weeks", "1 month", "6 months" (a month is 30 days)."""
    if hours >= 30 * 24 and hours % (30 * 24) == 0:
        months = hours // (30 * 24)
        return ngettext("%d month", "%d months", months) % months
    if hours >= 7 * 24 and hours % (7 * 24) == 0:
        weeks = hours // (7 * 24)
        return ngettext("%d week", "%d weeks", weeks) % weeks
    if hours > 72 and hours % 24 == 0:
        days = hours // 24
        return ngettext("%d day", "%d days", days) % days
    return _("%d h") % hours


def schedule_label(offsets) -> str:
    """The schedule in words: "+72 h, +2 weeks, +1 month, +6 months"."""
    return ", ".join(f"+{offset_label(hours)}" for hours in offsets)


# --- events -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventInput:
    kind: str
    title: str
    place: str
    occurred_on: date | None
    lead: User | None
    team: Team | None
    territory: Territory | None = None
    follow_up_offsets_hours: list[int] = field(default_factory=default_offsets)


def _event_fields(data: EventInput, region_id) -> dict:
    fields, errors = _collect(
        (
            ("kind", lambda: _choice(data.kind, EventKind, "kind")),
            ("title", lambda: _text(data.title, "title", limit=TITLE_LENGTH)),
            ("place", lambda: _text(data.place, "place", limit=PLACE_LENGTH)),
            ("follow_up_offsets_hours", lambda: check_schedule(data.follow_up_offsets_hours)),
        )
    )
    if not isinstance(data.occurred_on, date):
        errors["occurred_on"] = _("This field is required.")
    elif problem := moment_out_of_range(data.occurred_on):
        errors["occurred_on"] = problem
    elif data.occurred_on > timezone.localdate():
        errors["occurred_on"] = _("The event cannot be in the future.")
    else:
        fields["occurred_on"] = data.occurred_on
    if data.territory is not None and data.territory.pk not in territory_ids_within(region_id):
        errors["territory"] = _("Choose a territory of your region.")
    fields["territory"] = data.territory
    if data.lead is None or not possible_leads(region_id).filter(pk=data.lead.pk).exists():
        errors["lead"] = _("Choose a responder of your region.")
    fields["lead"] = data.lead
    if data.team is None or not possible_teams(region_id).filter(pk=data.team.pk).exists():
        errors["team"] = _("Choose a team of your region.")
    fields["team"] = data.team
    if errors:
        raise EmergencyInputError(errors)
    return fields


@transaction.atomic
def declare_event(data: EventInput, *, by) -> Event:
    """An event of the user's region, declared (not yet shown to the 811 screen nor open
    to registrations: `activate_event`)."""
    require_declarer(by)
    fields = _event_fields(data, by.region_id)
    event = Event.objects.create(
        region_id=by.region_id,
        status=EventStatus.DECLARED,
        declared_at=timezone.now(),
        declared_by=by,
        **fields,
    )
    record_audit_event(by, "declare_emergency", event, detail={"kind": event.kind})
    return event


def _locked(event: Event) -> Event:
    """The event locked for the change (two changes at once wait for each other)."""
    return Event.objects.select_for_update().get(pk=event.pk)


@transaction.atomic
def activate_event(event: Event, *, by) -> Event:
    """The event active: the 811 screen and the outreach form show it, responders
    register affected people."""
    require_declarer(by, event.region_id)
    event = _locked(event)
    if event.status != EventStatus.DECLARED:
        raise EmergencyInputError({"status": _("Only a declared event can be activated.")})
    event.status, event.activated_at = EventStatus.ACTIVE, timezone.now()
    event.save(update_fields=["status", "activated_at"])
    record_audit_event(by, "activate_emergency", event)
    return event


@transaction.atomic
def change_schedule(event: Event, offsets, *, by) -> Event:
    """Another follow-up schedule, before activation only (once people are registered,
    their follow-ups are planned: a schedule changed then would apply to some only)."""
    require_declarer(by, event.region_id)
    event = _locked(event)
    if event.status != EventStatus.DECLARED:
        raise EmergencyInputError(
            {"follow_up_offsets_hours": _("The schedule changes before the activation only.")}
        )
    event.follow_up_offsets_hours = check_schedule(offsets)
    event.save(update_fields=["follow_up_offsets_hours"])
    record_audit_event(
        by,
        "change_emergency_schedule",
        event,
        detail={"offsets": event.follow_up_offsets_hours},
    )
    return event


@transaction.atomic
def close_event(event: Event, *, by, report: str) -> Event:
    """The event closed with its report: no more registrations, the figures frozen as
    they stand. The follow-ups planned keep running (see the module's docstring)."""
    require_declarer(by, event.region_id)
    event = _locked(event)
    if event.status != EventStatus.ACTIVE:
        raise EmergencyInputError({"status": _("Only an active event can be closed.")})
    event.report = _text(report, "report", limit=REPORT_LENGTH)
    event.status, event.closed_at, event.closed_by = EventStatus.CLOSED, timezone.now(), by
    event.close_figures = dashboard(event).as_dict()
    event.save(update_fields=["report", "status", "closed_at", "closed_by", "close_figures"])
    record_audit_event(by, "close_emergency", event)
    return event


# --- affected people ----------------------------------------------------------------------


@dataclass(frozen=True)
class AffectedInput:
    given_name: str
    family_name: str = ""
    phone: str = ""
    age_band: str = AgeBand.UNKNOWN
    need_domains: list[str] = field(default_factory=list)
    first_aid_given: bool = False
    first_aid_notes: str = ""
    household: Household | None = None
    # A new household, when none is chosen.
    household_label: str = ""
    household_size: int | None = None
    person: Person | None = None


def follow_up_times(registered_at: datetime, offsets) -> list[datetime]:
    """When a person registered at that moment is called back."""
    return [registered_at + timedelta(hours=hours) for hours in offsets]


@transaction.atomic
def register_household(event: Event, label: str, size_hint=None, *, by) -> Household:
    """A household of the event (a family, an address) its members are registered in."""
    if not responds(by, event.region_id):
        raise PermissionDenied(_("You may not register affected people."))
    if event.status != EventStatus.ACTIVE:
        raise EmergencyInputError(
            {"event": _("People are registered while the event is active only.")}
        )
    fields, errors = _collect((("household_label", lambda: _household(label, size_hint)),))
    if errors:
        raise EmergencyInputError(errors)
    label, size_hint = fields["household_label"]
    household = Household.objects.create(
        event=event, label=label, size_hint=size_hint, created_at=timezone.now(), created_by=by
    )
    record_audit_event(
        by,
        "register_emergency_household",
        household,
        detail={"event": str(event.pk)},
        region_id=event.region_id,
    )
    return household


def _household(label, size_hint) -> tuple[str, int | None]:
    label = _text(label, "household_label", limit=HOUSEHOLD_LENGTH)
    if size_hint is not None and (
        not isinstance(size_hint, int)
        or isinstance(size_hint, bool)
        or not 1 <= size_hint <= MAX_HOUSEHOLD_SIZE
    ):
        raise EmergencyInputError(
            {
                "household_size": _("Give a whole number from %(min)d to %(max)d.")
                % {"min": 1, "max": MAX_HOUSEHOLD_SIZE}
            }
        )
    return label, size_hint


@transaction.atomic
def register_affected_person(event: Event, data: AffectedInput, *, by) -> AffectedPerson:
    """A person affected, registered while the event is active (in their household,
    chosen or new); their follow-ups planned from now on the event's schedule."""
    if not responds(by, event.region_id):
        raise PermissionDenied(_("You may not register affected people."))
    event = _locked(event)
    if event.status != EventStatus.ACTIVE:
        raise EmergencyInputError(
            {"event": _("People are registered while the event is active only.")}
        )
    fields, errors = _collect(
        (
            ("given_name", lambda: _text(data.given_name, "given_name", limit=NAME_LENGTH)),
            (
                "family_name",
                lambda: _text(data.family_name, "family_name", required=False, limit=NAME_LENGTH),
            ),
            ("phone", lambda: _phone(data.phone)),
            ("age_band", lambda: _choice(data.age_band, AgeBand, "age_band")),
            ("need_domains", lambda: _domains(data.need_domains)),
            (
                "first_aid_notes",
                lambda: _text(data.first_aid_notes, "first_aid_notes", required=False),
            ),
        )
    )
    household = data.household
    if household is not None and household.event_id != event.pk:
        errors["household"] = _("Choose a household of this event.")
    new_household = None
    if household is None and (data.household_label or "").strip():
        try:
            new_household = _household(data.household_label, data.household_size)
        except EmergencyInputError as error:
            errors.update(error.errors)
    person = data.person
    if person is not None and (
        person.region_id != event.region_id or person.merged_into_id is not None
    ):
        errors["person"] = _("Choose a current record of your region.")
    if errors:
        raise EmergencyInputError(errors)
    now = timezone.now()
    if new_household is not None:
        household = Household.objects.create(
            event=event,
            label=new_household[0],
            size_hint=new_household[1],
            created_at=now,
            created_by=by,
        )
        record_audit_event(
            by,
            "register_emergency_household",
            household,
            detail={"event": str(event.pk)},
            region_id=event.region_id,
        )
    affected = AffectedPerson.objects.create(
        event=event,
        household=household,
        first_aid_given=bool(data.first_aid_given),
        person=person,
        registered_at=now,
        registered_by=by,
        **fields,
    )
    FollowUp.objects.bulk_create(
        FollowUp(affected_person=affected, sequence=number, due_at=due_at)
        for number, due_at in enumerate(
            follow_up_times(now, event.follow_up_offsets_hours), start=1
        )
    )
    _audit_person(by, "register_affected_person", affected)
    return affected


def affected_for(user, event: Event, affected_id) -> AffectedPerson:
    """One affected person of the event named in a request, or 404. Not audited: the
    page that shows them is (`read_affected_person`)."""
    return get_from_request(
        event.affected_people.select_related("household", "person", "registered_by", "event"),
        affected_id,
    )


def read_affected_person(affected: AffectedPerson, *, by) -> list[FollowUp]:
    """An affected person's page read (audited), with their follow-ups."""
    if not responds(by, affected.event.region_id):
        raise PermissionDenied(_("You may not read affected people."))
    _audit_person(by, "read_affected_person", affected, reason="emergency page")
    return list(affected.follow_ups.select_related("done_by").order_by("sequence"))


@dataclass
class HouseholdRows:
    household: Household | None
    people: list[AffectedPerson]


def affected_people(event: Event, *, by, reason: str = "emergency page") -> list[HouseholdRows]:
    """The event's affected people by household (those alone last), read: each person
    listed is an audited read."""
    if not responds(by, event.region_id):
        raise PermissionDenied(_("You may not read affected people."))
    now = timezone.now()
    rows = list(
        event.affected_people.select_related("household", "person", "event")
        .annotate(
            overdue=Count(
                "follow_ups",
                filter=Q(follow_ups__status=FollowUpStatus.DUE, follow_ups__due_at__lt=now),
            ),
            reached=Exists(
                FollowUp.objects.filter(
                    affected_person=OuterRef("pk"), status=FollowUpStatus.REACHED
                )
            ),
        )
        .order_by("household__label", "household_id", "registered_at", "pk")
    )
    groups: dict[int | None, HouseholdRows] = {}
    for affected in rows:
        _audit_person(by, "list_affected_person", affected, reason=reason)
        key = affected.household_id
        if key not in groups:
            groups[key] = HouseholdRows(affected.household, [])
        groups[key].people.append(affected)
    alone = groups.pop(None, None)
    return [*groups.values(), *([alone] if alone else [])]


def registrations_of(person: Person, *, by) -> list[AffectedPerson]:
    """The person's registrations as affected by an event of the reader's region (the
    person's page shows them; that page's read is audited already)."""
    if not responds(by, person.region_id):
        return []
    return list(
        AffectedPerson.objects.filter(person=person, event__in=visible_to(by))
        .select_related("event")
        .order_by("-registered_at")
    )


def households_of(event: Event) -> QuerySet[Household]:
    """The event's households (their labels are addresses or family names: shown in the
    registration form to those who read the event's people)."""
    return event.households.order_by("label", "pk")


# --- follow-ups ---------------------------------------------------------------------------


def follow_up_for(user, follow_up_id) -> FollowUp:
    """A follow-up named in a request, of an event this user may read, or 404."""
    require_use(user)
    return get_from_request(
        FollowUp.objects.filter(affected_person__event__in=visible_to(user)).select_related(
            "affected_person", "affected_person__event", "affected_person__person"
        ),
        follow_up_id,
    )


@transaction.atomic
def record_follow_up(
    follow_up: FollowUp, *, by, status: str, note: str = "", orientation: str = Orientation.NONE
) -> FollowUp:
    """A follow-up call done: the person reached, unreachable or declining, what was
    said and where they were oriented. Recorded once; those after it stay planned,
    except when the person declines the follow-ups (those left are cancelled)."""
    event = follow_up.affected_person.event
    require_follow_up_worker(by, event)
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.status != FollowUpStatus.DUE:
        raise EmergencyInputError({"status": _("This follow-up is recorded already.")})
    fields, errors = _collect(
        (
            ("status", lambda: _choice(status, FollowUpStatus, "status")),
            ("note", lambda: _text(note, "note", required=False)),
            ("orientation", lambda: _choice(orientation, Orientation, "orientation")),
        )
    )
    if "status" in fields and fields["status"] not in DONE_STATUSES:
        errors["status"] = _("Choose one of the options offered.")
    if fields.get("orientation", Orientation.NONE) != Orientation.NONE and (
        fields.get("status") != FollowUpStatus.REACHED
    ):
        errors["orientation"] = _("An orientation is given to a person reached only.")
    if errors:
        raise EmergencyInputError(errors)
    for name, value in fields.items():
        setattr(follow_up, name, value)
    follow_up.done_at, follow_up.done_by = timezone.now(), by
    follow_up.save(update_fields=[*fields, "done_at", "done_by"])
    affected = follow_up.affected_person
    affected.event = event
    if follow_up.status == FollowUpStatus.DECLINED:  # no more calls: those left cancelled
        FollowUp.objects.filter(affected_person_id=affected.pk, status=FollowUpStatus.DUE).update(
            status=FollowUpStatus.CANCELLED
        )
    _audit_person(
        by,
        "record_emergency_follow_up",
        affected,
        follow_up=follow_up.sequence,
        status=follow_up.status,
        orientation=follow_up.orientation,
    )
    return follow_up


def _task_events(user) -> QuerySet[Event]:
    """The events whose follow-ups are the user's tasks: of their teams, or that they
    lead (active or closed: follow-ups outlive the field work)."""
    if not responds(user):
        return Event.objects.none()
    return visible_to(user).filter(
        Q(team_id__in=team_ids_of(user)) | Q(lead=user),
        status__in=[EventStatus.ACTIVE, EventStatus.CLOSED],
    )


@dataclass
class Tasks:
    overdue: list[FollowUp]
    today: list[FollowUp]
    coming: list[FollowUp]


def tasks_for(user, *, days_ahead: int = 14) -> Tasks:
    """The user's follow-ups to do (their teams' events and those they lead): overdue
    first, then those due today, then the coming ones within `days_ahead` days. Each
    person listed is an audited read."""
    require_use(user)
    now = timezone.now()
    end_of_today = timezone.localtime(now).replace(hour=23, minute=59, second=59)
    rows = list(
        FollowUp.objects.filter(
            affected_person__event__in=_task_events(user),
            status=FollowUpStatus.DUE,
            due_at__lt=now + timedelta(days=days_ahead),
        )
        .select_related(
            "affected_person",
            "affected_person__event",
            "affected_person__household",
            "affected_person__person",
        )
        .order_by("due_at", "pk")
    )
    shown = set()
    for follow_up in rows:
        if follow_up.affected_person_id not in shown:
            shown.add(follow_up.affected_person_id)
            _audit_person(user, "list_affected_person", follow_up.affected_person, reason="tasks")
    return Tasks(
        overdue=[f for f in rows if f.due_at < now],
        today=[f for f in rows if now <= f.due_at <= end_of_today],
        coming=[f for f in rows if f.due_at > end_of_today],
    )


# --- 811 contacts about the event ---------------------------------------------------------


# A call may have begun a little before the event was activated in Proxima.
LINK_MARGIN = timedelta(hours=1)


@transaction.atomic
def link_contact(event: Event, episode: ContactEpisode, *, by) -> EventContact:
    """An 811 contact about the event (once): the dashboard counts it."""
    if not responds(by, event.region_id) or episode.region_id != event.region_id:
        raise PermissionDenied(_("You may not link this contact."))
    event = _locked(event)
    if event.status != EventStatus.ACTIVE:
        raise EmergencyInputError({"event": _("Contacts are linked to an active event only.")})
    if not is_linkable(event, episode):
        raise EmergencyInputError(
            {"contact": _("Only a contact taken at intake since the event began is linked.")}
        )
    link, created = EventContact.objects.get_or_create(
        event=event, episode=episode, defaults={"linked_at": timezone.now(), "linked_by": by}
    )
    if created:
        record_audit_event(
            by, "link_contact_to_emergency", episode, detail={"event": str(event.pk)}
        )
    return link


def is_linkable(event: Event, episode: ContactEpisode) -> bool:
    """A contact taken at intake (not an outreach contact, which names its emergency
    itself) from an hour before the event's activation on."""
    return (
        event.activated_at is not None
        and episode.channel != Channel.MOBILE_OUTREACH
        and episode.started_at >= event.activated_at - LINK_MARGIN
    )


def linked_event_ids(episode: ContactEpisode) -> set:
    return set(EventContact.objects.filter(episode=episode).values_list("event_id", flat=True))


# --- the dashboard ------------------------------------------------------------------------


@dataclass
class Dashboard:
    """An event's figures. "Reached": a person given psychological first aid at
    registration, or reached at a follow-up. "Referrals": follow-ups oriented to a
    resource, plus the referrals sent by the network for the people linked to a record
    since the event's activation."""

    registered: int = 0
    households: int = 0
    first_aid: int = 0
    reached: int = 0
    follow_ups_due: int = 0
    follow_ups_overdue: int = 0
    follow_ups_done: int = 0
    follow_ups_reached: int = 0
    follow_ups_unreachable: int = 0
    follow_ups_declined: int = 0
    referrals_at_follow_up: int = 0
    referrals_sent: int = 0
    contacts_811: int = 0
    # Outreach contacts recorded about the event (the outreach app's, read through the
    # reverse relation: emergency imports nothing of outreach) and the people met.
    outreach_contacts: int = 0
    outreach_people: int = 0
    by_need: dict[str, int] = field(default_factory=dict)

    @property
    def referrals(self) -> int:
        return self.referrals_at_follow_up + self.referrals_sent

    def as_dict(self) -> dict:
        return {**self.__dict__, "by_need": dict(self.by_need)}


def dashboard(event: Event, *, now: datetime | None = None) -> Dashboard:
    """The event's figures now (counts only, no one named: not audited)."""
    from proxima.referrals.services.access import sent_between

    now = now or timezone.now()
    people = AffectedPerson.objects.filter(event=event)
    follow_ups = FollowUp.objects.filter(affected_person__event=event)
    statuses = dict(
        follow_ups.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    by_need: dict[str, int] = {}
    for domains in people.values_list("need_domains", flat=True):
        for code in domains:
            by_need[code] = by_need.get(code, 0) + 1
    reached = people.filter(
        Q(first_aid_given=True) | Q(follow_ups__status=FollowUpStatus.REACHED)
    ).distinct()
    linked = people.filter(person__isnull=False).values("person_id")
    referrals_sent = 0
    if event.activated_at is not None:
        until = event.closed_at or now
        referrals_sent = (
            sent_between(event.region_id, event.activated_at, until)
            .filter(person_id__in=linked)
            .count()
        )
    outreach = event.outreach_contacts.aggregate(contacts=Count("pk"), people=Sum("people_count"))
    return Dashboard(
        registered=people.count(),
        households=Household.objects.filter(event=event).count(),
        first_aid=people.filter(first_aid_given=True).count(),
        reached=reached.count(),
        follow_ups_due=follow_ups.filter(status=FollowUpStatus.DUE, due_at__gte=now).count(),
        follow_ups_overdue=follow_ups.filter(status=FollowUpStatus.DUE, due_at__lt=now).count(),
        follow_ups_done=sum(statuses.get(status, 0) for status in DONE_STATUSES),
        follow_ups_reached=statuses.get(FollowUpStatus.REACHED, 0),
        follow_ups_unreachable=statuses.get(FollowUpStatus.UNREACHABLE, 0),
        follow_ups_declined=statuses.get(FollowUpStatus.DECLINED, 0),
        referrals_at_follow_up=follow_ups.filter(orientation=Orientation.REFERRAL).count(),
        referrals_sent=referrals_sent,
        contacts_811=EventContact.objects.filter(event=event).count(),
        outreach_contacts=outreach["contacts"],
        outreach_people=outreach["people"] or 0,
        by_need=dict(sorted(by_need.items(), key=lambda item: (-item[1], item[0]))),
    )
