"""Group and collective interventions: who reads and writes which activity or project,
and the named actions on them.

Group activities: one row-level rule (`visible_to`), in the user's region only: the
activities of the user's teams and those they facilitate (workers who run groups), every
activity of the region for its overseers (coordinators, reading only). Writing needs
more: being a member of the activity's team or one of its facilitators
(`require_runner`); correcting an attendance already recorded, a facilitator. Every list
of participants read is audited against each person listed (`participants`), every
action too, so that the person's access report lists them.

Collective projects hold no personal information (counts of citizens, never names):
`projects_visible_to` gives the region's projects to those who read them; the region's
coordinators, team leads and CLSC workers record them.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from proxima.core.audit import record_audit_event
from proxima.core.errors import InputError, collect_errors, moment_out_of_range
from proxima.core.models import User
from proxima.core.roles import (
    EDIT_COLLECTIVE_PROJECTS,
    OVERSEE_REGION_GROUPS,
    RUN_GROUPS,
    VIEW_COLLECTIVE_PROJECTS,
    in_region,
    roles_with,
)
from proxima.core.shortcuts import get_from_request
from proxima.directory.models import Organization
from proxima.directory.services.taxonomy import checked_domains
from proxima.groups.models import (
    MAX_AGE,
    MAX_CAPACITY,
    MAX_CITIZENS,
    MAX_SESSION_MINUTES,
    MIN_AGE,
    MIN_CAPACITY,
    MIN_SESSION_MINUTES,
    OPEN_STATUSES,
    PLACE_LENGTH,
    TEXT_LENGTH,
    TITLE_LENGTH,
    ActivityStatus,
    Attendance,
    CollectiveProject,
    GroupActivity,
    GroupSession,
    Presence,
    ProjectActivity,
    ProjectStatus,
    Registration,
    RegistrationStatus,
    Theme,
)
from proxima.people.models import Person
from proxima.people.services.consent import age_at
from proxima.teams.models import Team
from proxima.teams.services import team_ids_of
from proxima.territories.models import Territory
from proxima.territories.services import (
    descendant_ids,
    territory_ids_within,
)


class GroupInputError(InputError):
    """What cannot be recorded on the activity or project, field by field (nothing
    written)."""


# --- who reads and writes -----------------------------------------------------------------


def runs_groups(user) -> bool:
    """A worker who runs groups, attached to a region."""
    return in_region(user, RUN_GROUPS, getattr(user, "region_id", None))


def oversees_groups(user) -> bool:
    return in_region(user, OVERSEE_REGION_GROUPS, getattr(user, "region_id", None))


def can_use_groups(user) -> bool:
    """Those who may open the group pages at all (others: 403)."""
    return runs_groups(user) or oversees_groups(user)


def visible_to(user) -> QuerySet[GroupActivity]:
    """Every group activity (and so its participants) this user may read: the one
    row-level rule of group interventions."""
    if not can_use_groups(user):
        return GroupActivity.objects.none()
    mine = Q(team_id__in=team_ids_of(user)) | Q(facilitators=user)
    rows = Q() if oversees_groups(user) else mine
    ids = GroupActivity.objects.filter(rows, region_id=user.region_id).values("pk")
    return GroupActivity.objects.filter(pk__in=ids)


def require_use(user) -> None:
    if not can_use_groups(user):
        raise PermissionDenied(_("You may not read group activities."))


def require_runs_groups(user) -> None:
    if not runs_groups(user):
        raise PermissionDenied(_("Only workers who run groups may do this."))


def activity_for(user, activity_id) -> GroupActivity:
    """The activity named in a request: 403 for those who read no group, 404 for one they
    may not read, a missing one or a malformed id. Not audited: what uses it audits."""
    require_use(user)
    return get_from_request(
        visible_to(user).select_related("team", "region", "territory"), activity_id
    )


def is_facilitator(user, activity: GroupActivity) -> bool:
    return (
        in_region(user, RUN_GROUPS, activity.region_id)
        and activity.facilitators.filter(pk=user.pk).exists()
    )


def is_runner(user, activity: GroupActivity) -> bool:
    """A member of the activity's team or one of its facilitators, who runs groups in
    the activity's region: who writes on it."""
    return in_region(user, RUN_GROUPS, activity.region_id) and (
        activity.team_id in team_ids_of(user) or is_facilitator(user, activity)
    )


def require_runner(user, activity: GroupActivity) -> None:
    if not is_runner(user, activity):
        raise PermissionDenied(_("Only the team running this group may do this."))


def runnable_teams(user) -> QuerySet[Team]:
    """The teams a group may be created for: the user's, in their region."""
    return Team.objects.filter(
        pk__in=team_ids_of(user), region_id=user.region_id, active=True
    ).order_by("name_fr")


def possible_facilitators(region_id) -> QuerySet[User]:
    """The region's active users who run groups."""
    return User.objects.filter(
        region_id=region_id, role__in=roles_with(RUN_GROUPS), is_active=True
    ).order_by("last_name", "first_name", "username")


def open_activities_for(user) -> QuerySet[GroupActivity]:
    """The activities the user may register someone in: theirs to run, still open."""
    if not runs_groups(user):
        return GroupActivity.objects.none()
    ids = [a.pk for a in visible_to(user).filter(status__in=OPEN_STATUSES) if is_runner(user, a)]
    return GroupActivity.objects.filter(pk__in=ids).order_by("title_fr")


def _locked(activity: GroupActivity) -> GroupActivity:
    """The activity locked for the change (two registrations at once wait for each other,
    so that the last place is given once)."""
    return GroupActivity.objects.select_for_update().get(pk=activity.pk)


def _audit_person(by, what: str, registration: Registration, **detail) -> None:
    """One audit line against the registered person (their access report lists it)."""
    record_audit_event(
        by,
        what,
        registration.person,
        detail={
            "activity": str(registration.activity_id),
            **{key: str(value) for key, value in detail.items()},
        },
    )


# --- checking input -----------------------------------------------------------------------


def _text(value, name: str, *, required: bool = True, limit: int = TEXT_LENGTH) -> str:
    """Text typed, trimmed; refused (never cut) when missing, too long or holding a NUL."""
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise GroupInputError({name: _("This field is required.")})
    if len(text) > limit:
        raise GroupInputError({name: _("At most %d characters.") % limit})
    if "\x00" in text:
        raise GroupInputError({name: _("Null characters are not allowed.")})
    return text


def _choice(value, choices, name: str) -> str:
    if value not in choices.values:
        raise GroupInputError({name: _("Choose one of the options offered.")})
    return value


def _whole(value, name: str, low: int, high: int, *, required: bool = True) -> int | None:
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise GroupInputError(
            {name: _("Give a whole number from %(min)d to %(max)d.") % {"min": low, "max": high}}
        )
    return value


def _domains(values, name: str = "need_domains") -> list[str]:
    return checked_domains(values, name, GroupInputError)


def _collect(checks) -> tuple[dict, dict]:
    return collect_errors(checks, GroupInputError)


def _region_territory(territory, region_id, name: str = "territory", *, required: bool = False):
    if territory is None:
        if required:
            raise GroupInputError({name: _("This field is required.")})
        return None
    if territory.pk not in territory_ids_within(region_id):
        raise GroupInputError({name: _("Choose a territory of your region.")})
    return territory


# --- group activities ---------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityInput:
    team: Team | None
    title_fr: str
    title_en: str
    theme: str
    description: str
    capacity: int | None
    min_age: int | None = None
    max_age: int | None = None
    territory: Territory | None = None
    need_domains: list[str] = field(default_factory=list)
    facilitators: list[User] = field(default_factory=list)


@transaction.atomic
def create_activity(data: ActivityInput, *, by) -> GroupActivity:
    """A group activity for one of the user's teams; the user and the facilitators
    chosen (workers of the region who run groups) facilitate it."""
    require_runs_groups(by)
    region_id = by.region_id
    fields, errors = _collect(
        (
            ("title_fr", lambda: _text(data.title_fr, "title_fr", limit=TITLE_LENGTH)),
            (
                "title_en",
                lambda: _text(data.title_en, "title_en", required=False, limit=TITLE_LENGTH),
            ),
            ("theme", lambda: _choice(data.theme, Theme, "theme")),
            ("description", lambda: _text(data.description, "description", required=False)),
            ("capacity", lambda: _whole(data.capacity, "capacity", MIN_CAPACITY, MAX_CAPACITY)),
            (
                "min_age",
                lambda: _whole(data.min_age, "min_age", MIN_AGE, MAX_AGE, required=False),
            ),
            (
                "max_age",
                lambda: _whole(data.max_age, "max_age", MIN_AGE, MAX_AGE, required=False),
            ),
            ("territory", lambda: _region_territory(data.territory, region_id)),
            ("need_domains", lambda: _domains(data.need_domains)),
        )
    )
    if data.team is None or not runnable_teams(by).filter(pk=data.team.pk).exists():
        errors["team"] = _("Choose one of your teams.")
    low, high = fields.get("min_age"), fields.get("max_age")
    if low is not None and high is not None and low > high:
        errors["max_age"] = _("The maximum age cannot be below the minimum age.")
    allowed = set(possible_facilitators(region_id).values_list("pk", flat=True))
    if any(user.pk not in allowed for user in data.facilitators):
        errors["facilitators"] = _("Choose workers of your region who run groups.")
    if errors:
        raise GroupInputError(errors)
    activity = GroupActivity.objects.create(
        region_id=region_id, team=data.team, created_by=by, **fields
    )
    activity.facilitators.set({by, *data.facilitators})
    record_audit_event(by, "create_group_activity", activity)
    return activity


@transaction.atomic
def set_activity_status(activity: GroupActivity, status: str, *, by) -> GroupActivity:
    """The activity planned, running, finished or cancelled (finished and cancelled
    ones take no registration). Reopened, its free places go to the waiting list first."""
    require_runner(by, activity)
    activity = _locked(activity)
    activity.status = _choice(status, ActivityStatus, "status")
    activity.save(update_fields=["status"])
    record_audit_event(by, "change_group_status", activity, detail={"status": status})
    if activity.status in OPEN_STATUSES:
        now = timezone.now()
        while _promote_first(activity, by=by, now=now) is not None:
            pass
    return activity


@transaction.atomic
def add_session(
    activity: GroupActivity, starts_at: datetime | None, duration_minutes, place: str, *, by
) -> GroupSession:
    """A session of the group, at a date and time, for a duration, somewhere."""
    require_runner(by, activity)
    activity = _locked(activity)
    if activity.status == ActivityStatus.CANCELLED:
        raise GroupInputError({"activity": _("This activity is cancelled.")})
    errors: dict[str, str] = {}
    if not isinstance(starts_at, datetime):
        errors["starts_at"] = _("This field is required.")
    elif problem := moment_out_of_range(starts_at):
        errors["starts_at"] = problem
    fields, more = _collect(
        (
            (
                "duration_minutes",
                lambda: _whole(
                    duration_minutes, "duration_minutes", MIN_SESSION_MINUTES, MAX_SESSION_MINUTES
                ),
            ),
            ("place", lambda: _text(place, "place", required=False, limit=PLACE_LENGTH)),
        )
    )
    errors.update(more)
    if errors:
        raise GroupInputError(errors)
    session = GroupSession.objects.create(activity=activity, starts_at=starts_at, **fields)
    record_audit_event(by, "add_group_session", activity, detail={"session": str(session.pk)})
    return session


def _places_taken(activity: GroupActivity) -> int:
    return activity.registrations.filter(status=RegistrationStatus.REGISTERED).count()


@transaction.atomic
def register(activity: GroupActivity, person: Person, *, by) -> Registration:
    """The person in the group when a place is left, else on the waiting list (first
    come, first served); once only; within the group's ages when the birth date is
    known; never in a finished or cancelled activity."""
    require_runner(by, activity)
    if person.region_id != activity.region_id or not in_region(by, RUN_GROUPS, person.region_id):
        raise PermissionDenied(_("You may not register this person."))
    activity = _locked(activity)
    if activity.status not in OPEN_STATUSES:
        raise GroupInputError(
            {"activity": _("This activity is finished or cancelled: it takes no registration.")}
        )
    if person.merged_into_id is not None:
        raise GroupInputError({"person": _("This record was merged into another one.")})
    existing = Registration.objects.filter(activity=activity, person=person).first()
    if existing is not None and existing.status != RegistrationStatus.WITHDRAWN:
        raise GroupInputError({"person": _("This person is registered in this group already.")})
    age = age_at(person.birth_date, timezone.localdate())
    if age is not None and activity.min_age is not None and age < activity.min_age:
        raise GroupInputError(
            {"person": _("This group is for people aged %d or more.") % activity.min_age}
        )
    if age is not None and activity.max_age is not None and age > activity.max_age:
        raise GroupInputError(
            {"person": _("This group is for people aged %d or less.") % activity.max_age}
        )
    now = timezone.now()
    # A place left goes to the one waiting first, never to a newcomer.
    placed = (
        _places_taken(activity) < activity.capacity
        and not activity.registrations.filter(status=RegistrationStatus.WAITLISTED).exists()
    )
    status = RegistrationStatus.REGISTERED if placed else RegistrationStatus.WAITLISTED
    values = {
        "status": status,
        "registered_at": now,
        "registered_by": by,
        "placed_at": now if placed else None,
        "withdrawn_at": None,
    }
    if existing is not None:  # registered again after withdrawing: at the end of the line
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save(update_fields=list(values))
        registration = existing
    else:
        registration = Registration.objects.create(activity=activity, person=person, **values)
    _audit_person(by, "register_in_group" if placed else "waitlist_in_group", registration)
    return registration


def registration_for(activity: GroupActivity, registration_id) -> Registration:
    """One registration of the activity named in a request, or 404."""
    return get_from_request(
        activity.registrations.select_related("person", "activity"), registration_id
    )


@transaction.atomic
def withdraw(registration: Registration, *, by) -> Registration | None:
    """The person leaves the group (or the waiting list); when they held a place, the
    first on the waiting list gets it (audited too). Returns who got the place."""
    activity = registration.activity
    require_runner(by, activity)
    activity = _locked(activity)
    registration = Registration.objects.select_related("person").get(pk=registration.pk)
    if registration.status == RegistrationStatus.WITHDRAWN:
        raise GroupInputError({"registration": _("This person has withdrawn already.")})
    held_place = registration.status == RegistrationStatus.REGISTERED
    now = timezone.now()
    registration.status, registration.withdrawn_at = RegistrationStatus.WITHDRAWN, now
    registration.save(update_fields=["status", "withdrawn_at"])
    _audit_person(by, "withdraw_from_group", registration)
    if not held_place or activity.status not in OPEN_STATUSES:
        return None
    return _promote_first(activity, by=by, now=now)


def _promote_first(activity: GroupActivity, *, by, now) -> Registration | None:
    if _places_taken(activity) >= activity.capacity:
        return None
    first = (
        activity.registrations.filter(status=RegistrationStatus.WAITLISTED)
        .select_related("person")
        .order_by("registered_at", "pk")
        .first()
    )
    if first is None:
        return None
    first.status, first.placed_at = RegistrationStatus.REGISTERED, now
    first.save(update_fields=["status", "placed_at"])
    _audit_person(by, "promote_from_waitlist", first)
    return first


def session_for(activity: GroupActivity, session_id) -> GroupSession:
    """One session of the activity named in a request, or 404."""
    return get_from_request(activity.sessions.all(), session_id)


@transaction.atomic
def record_attendance(session: GroupSession, marks: dict[int, str], *, by) -> list[Attendance]:
    """Who came to a session that has started, for each registered participant marked
    (registration id → present, absent, excused). Recorded once; a facilitator may
    correct what was recorded. All or nothing."""
    activity = session.activity
    require_runner(by, activity)
    activity = _locked(activity)
    if activity.status == ActivityStatus.CANCELLED:
        raise GroupInputError({"activity": _("This activity is cancelled.")})
    if session.starts_at > timezone.now():
        raise GroupInputError(
            {"session": _("This session has not taken place yet: attendance comes after.")}
        )
    if not marks:
        raise GroupInputError({"attendance": _("Mark at least one participant.")})
    registered = {
        r.pk: r
        for r in activity.registrations.filter(status=RegistrationStatus.REGISTERED).select_related(
            "person"
        )
    }
    recorded = {a.registration_id: a for a in session.attendance.select_for_update()}
    facilitator = is_facilitator(by, activity)
    errors: dict[str, str] = {}
    for registration_id, presence in marks.items():
        if registration_id not in registered:
            errors[f"r{registration_id}"] = _(
                "Attendance is recorded for registered participants only."
            )
        elif presence not in Presence.values:
            errors[f"r{registration_id}"] = _("Choose one of the options offered.")
        elif (
            registration_id in recorded
            and recorded[registration_id].presence != presence
            and not facilitator
        ):
            errors[f"r{registration_id}"] = _(
                "Attendance recorded already: only a facilitator may correct it."
            )
    if errors:
        raise GroupInputError(errors)
    now = timezone.now()
    saved = []
    for registration_id, presence in marks.items():
        registration = registered[registration_id]
        current = recorded.get(registration_id)
        if current is None:
            current = Attendance.objects.create(
                session=session,
                registration=registration,
                presence=presence,
                recorded_at=now,
                recorded_by=by,
            )
            _audit_person(
                by, "record_group_attendance", registration, session=session.pk, presence=presence
            )
        elif current.presence != presence:
            current.presence, current.recorded_at, current.recorded_by = presence, now, by
            current.save(update_fields=["presence", "recorded_at", "recorded_by"])
            _audit_person(
                by, "change_group_attendance", registration, session=session.pk, presence=presence
            )
        saved.append(current)
    return saved


# --- reading ------------------------------------------------------------------------------


def activities_for(user) -> dict[str, list[GroupActivity]]:
    """The activities the user may read: those they facilitate, their teams' others, and
    (an overseer) the region's others. No participant listed: not audited."""
    require_use(user)
    rows = list(
        visible_to(user)
        .select_related("team")
        .annotate(
            taken=Count("registrations", filter=Q(registrations__status="registered")),
            waiting=Count("registrations", filter=Q(registrations__status="waitlisted")),
        )
        .order_by("-created_at", "-pk")
    )
    mine = set(GroupActivity.objects.filter(facilitators=user).values_list("pk", flat=True))
    teams = team_ids_of(user)
    return {
        "mine": [a for a in rows if a.pk in mine],
        "teams": [a for a in rows if a.pk not in mine and a.team_id in teams],
        "region": [a for a in rows if a.pk not in mine and a.team_id not in teams],
    }


@dataclass
class Participants:
    """An activity's registrations: those with a place, the waiting list in its order,
    those who withdrew; and each session's attendance by registration."""

    registered: list[Registration]
    waitlisted: list[Registration]
    withdrawn: list[Registration]
    attendance: dict[int, dict[int, Attendance]]


def participants(activity: GroupActivity, *, by, reason: str = "group page") -> Participants:
    """The activity's participants, read: each person listed is an audited read."""
    require_use(by)
    if not visible_to(by).filter(pk=activity.pk).exists():
        raise PermissionDenied(_("You may not read this group's participants."))
    rows = list(
        activity.registrations.select_related("person", "registered_by").order_by(
            "registered_at", "pk"
        )
    )
    for registration in rows:
        record_audit_event(
            by,
            "list_group_participant",
            registration.person,
            reason=reason,
            detail={"activity": str(activity.pk)},
        )
    attendance: dict[int, dict[int, Attendance]] = {}
    for mark in Attendance.objects.filter(session__activity=activity):
        attendance.setdefault(mark.session_id, {})[mark.registration_id] = mark
    return Participants(
        registered=[r for r in rows if r.status == RegistrationStatus.REGISTERED],
        waitlisted=[r for r in rows if r.status == RegistrationStatus.WAITLISTED],
        withdrawn=[r for r in rows if r.status == RegistrationStatus.WITHDRAWN],
        attendance=attendance,
    )


def registrations_of(person: Person, *, by) -> list[Registration]:
    """The person's registrations in the groups the reader may read (the person's page
    shows them; that page's read is audited already)."""
    if not can_use_groups(by) or person.region_id != by.region_id:
        return []
    return list(
        Registration.objects.filter(person=person, activity__in=visible_to(by))
        .select_related("activity", "activity__team")
        .order_by("-registered_at")
    )


# --- collective projects ------------------------------------------------------------------


def reads_projects(user) -> bool:
    return in_region(user, VIEW_COLLECTIVE_PROJECTS, getattr(user, "region_id", None))


def projects_visible_to(user) -> QuerySet[CollectiveProject]:
    """Every collective project this user may read: the region's (no personal
    information in them)."""
    if not reads_projects(user):
        return CollectiveProject.objects.none()
    return CollectiveProject.objects.filter(region_id=user.region_id)


def require_project_reader(user) -> None:
    if not reads_projects(user):
        raise PermissionDenied(_("You may not read collective projects."))


def edits_projects(user, region_id=None) -> bool:
    return in_region(user, EDIT_COLLECTIVE_PROJECTS, region_id or getattr(user, "region_id", None))


def require_project_editor(user, region_id=None) -> None:
    if not edits_projects(user, region_id):
        raise PermissionDenied(_("You may not record collective projects."))


def project_for(user, project_id) -> CollectiveProject:
    """The project named in a request: 403 for those who read none, 404 for another
    region's, a missing one or a malformed id."""
    require_project_reader(user)
    return get_from_request(
        projects_visible_to(user).select_related("territory", "region"), project_id
    )


@dataclass(frozen=True)
class ProjectInput:
    territory: Territory | None
    title_fr: str
    title_en: str
    issue: str
    need_domains: list[str] = field(default_factory=list)
    partners: list[Organization] = field(default_factory=list)
    citizens_involved: int | None = 0
    status: str = ProjectStatus.PLANNED
    started_on: date | None = None
    ended_on: date | None = None
    results: str = ""


def _day(value, name: str) -> date | None:
    if value is None:
        return None
    if not isinstance(value, date):
        raise GroupInputError({name: _("This date does not exist.")})
    if problem := moment_out_of_range(value):
        raise GroupInputError({name: problem})
    return value


@transaction.atomic
def create_project(data: ProjectInput, *, by) -> CollectiveProject:
    """A collective project on a territory of the user's region."""
    require_project_editor(by)
    region_id = by.region_id
    fields, errors = _collect(
        (
            (
                "territory",
                lambda: _region_territory(data.territory, region_id, required=True),
            ),
            ("title_fr", lambda: _text(data.title_fr, "title_fr", limit=TITLE_LENGTH)),
            (
                "title_en",
                lambda: _text(data.title_en, "title_en", required=False, limit=TITLE_LENGTH),
            ),
            ("issue", lambda: _text(data.issue, "issue")),
            ("need_domains", lambda: _domains(data.need_domains)),
            (
                "citizens_involved",
                lambda: _whole(data.citizens_involved, "citizens_involved", 0, MAX_CITIZENS),
            ),
            ("status", lambda: _choice(data.status, ProjectStatus, "status")),
            ("started_on", lambda: _day(data.started_on, "started_on")),
            ("ended_on", lambda: _day(data.ended_on, "ended_on")),
            ("results", lambda: _text(data.results, "results", required=False)),
        )
    )
    starts, ends = fields.get("started_on"), fields.get("ended_on")
    if starts and ends and ends < starts:
        errors["ended_on"] = _("The end must come after the start.")
    if errors:
        raise GroupInputError(errors)
    project = CollectiveProject.objects.create(region_id=region_id, created_by=by, **fields)
    project.partners.set(data.partners)
    record_audit_event(by, "create_collective_project", project)
    return project


@transaction.atomic
def add_project_activity(
    project: CollectiveProject, held_on: date | None, description: str, participants, *, by
) -> ProjectActivity:
    """Something done within the project, on a day, with how many took part."""
    require_project_editor(by, project.region_id)
    project = CollectiveProject.objects.select_for_update().get(pk=project.pk)
    fields, errors = _collect(
        (
            ("description", lambda: _text(description, "description")),
            ("participants", lambda: _whole(participants, "participants", 0, MAX_CITIZENS)),
        )
    )
    try:
        if _day(held_on, "held_on") is None:
            errors["held_on"] = _("This field is required.")
    except GroupInputError as error:
        errors.update(error.errors)
    if errors:
        raise GroupInputError(errors)
    activity = ProjectActivity.objects.create(
        project=project, held_on=held_on, recorded_by=by, **fields
    )
    record_audit_event(by, "add_project_activity", project, detail={"activity": str(activity.pk)})
    return activity


def projects_in(region_id, territory_ids) -> list[CollectiveProject]:
    """The region's collective projects on those territories (or within them), the
    latest first: what the coverage pages show."""
    ids: set[int] = set()
    for territory_id in territory_ids:
        ids.update(descendant_ids(territory_id))
    return list(
        CollectiveProject.objects.filter(region_id=region_id, territory_id__in=ids)
        .select_related("territory")
        .order_by("-created_at", "-pk")
    )


def collective_projects_in(
    region_id, territory_ids, domain: str | None = None
) -> dict[tuple[int, str], int]:
    """How many collective projects of the region are on each territory (or within it)
    for each need domain: {(territory id, domain code): count}; one domain only when
    given. A project counts for each territory given that holds its own."""
    counts: dict[tuple[int, str], int] = {}
    for territory_id in territory_ids:
        within = descendant_ids(territory_id)
        rows = CollectiveProject.objects.filter(region_id=region_id, territory_id__in=within)
        for domains in rows.values_list("need_domains", flat=True):
            for code in domains:
                if domain is None or code == domain:
                    counts[(territory_id, code)] = counts.get((territory_id, code), 0) + 1
    return counts
