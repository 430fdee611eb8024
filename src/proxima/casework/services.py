"""Casework: who reads and writes which case, and the named actions on a case (open,
plan, next actions, co-workers, notes and their signature, addenda, coaching, closing).

One row-level rule (`visible_to`), in the user's region only: the case's workers, the
members of the case's team and of a team asked for coaching on it (those who keep a
caseload), and the region's overseers (coordinators, reading only). Writing needs more:
being one of the case's workers (`require_worker`); a note is changed or signed by its
author only; a coaching request is answered by a member of the team asked. Every read is
audited (`read_case`, `caseload`, `coaching_inbox`), every action too, against the
person, so that the person's access report lists them.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Min, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from proxima.casework.models import (
    MAX_DURATION_MINUTES,
    MIN_DURATION_MINUTES,
    SHORT_TEXT_LENGTH,
    TEXT_LENGTH,
    Case,
    CaseStatus,
    CaseWorker,
    ClosingReason,
    CoachingRequest,
    CoachingStatus,
    InterventionType,
    NextAction,
    NoteAddendum,
    Orientation,
    Place,
    ProgressNote,
    WorkerRole,
)
from proxima.core.audit import record_audit_event
from proxima.core.errors import InputError, moment_out_of_range
from proxima.core.models import User
from proxima.core.roles import (
    ASSIGN_TEAM_CASES,
    KEEP_CASELOAD,
    OVERSEE_REGION_CASES,
    has_capability,
    in_region,
    roles_with,
)
from proxima.core.shortcuts import get_from_request
from proxima.people.models import Person
from proxima.teams.models import Team, TeamKind
from proxima.teams.services import team_ids_of

# At most this many cases listed on a page (the user's own are never cut).
LISTED = 200


class CaseInputError(InputError):
    """What cannot be recorded on the case, field by field (nothing written)."""


# --- who reads and writes -----------------------------------------------------------------


def keeps_caseload(user) -> bool:
    """A worker who keeps a caseload, attached to a region."""
    return in_region(user, KEEP_CASELOAD, getattr(user, "region_id", None))


def can_use_casework(user) -> bool:
    """Those who may open the casework pages at all (others: 403)."""
    return keeps_caseload(user) or (
        in_region(user, OVERSEE_REGION_CASES, getattr(user, "region_id", None))
    )


def visible_to(user) -> QuerySet[Case]:
    """Every case this user may read: the one row-level rule of the domain."""
    if not can_use_casework(user):
        return Case.objects.none()
    rows = Q(pk__in=[])
    if has_capability(user, OVERSEE_REGION_CASES):
        rows = Q()
    elif keeps_caseload(user):
        teams = team_ids_of(user)
        rows = (
            Q(pk__in=CaseWorker.objects.filter(user=user).values("case_id"))
            | Q(team_id__in=teams)
            | Q(pk__in=CoachingRequest.objects.filter(team_id__in=teams).values("case_id"))
        )
    return Case.objects.filter(rows, region_id=user.region_id)


def require_use(user) -> None:
    if not can_use_casework(user):
        raise PermissionDenied(_("You may not read the follow-up of cases."))


def require_keeper(user) -> None:
    """403 for those who keep no caseload (they open no case)."""
    if not keeps_caseload(user):
        raise PermissionDenied(_("Only workers who keep a caseload open cases."))


def case_for(user, case_id) -> Case:
    """The case named in a request: 403 for those who read no case, 404 for one they may
    not read, a missing one or a malformed id. Not audited: what uses it audits."""
    require_use(user)
    return get_from_request(
        visible_to(user).select_related("person", "team", "region", "episode"), case_id
    )


def is_worker(user, case: Case) -> bool:
    """One of the case's workers (who keeps a caseload in the case's region)."""
    return (
        in_region(user, KEEP_CASELOAD, case.region_id)
        and CaseWorker.objects.filter(case=case, user=user).exists()
    )


def require_worker(user, case: Case) -> None:
    if not is_worker(user, case):
        raise PermissionDenied(_("Only the workers on this case may do this."))


def can_assign(user, case: Case) -> bool:
    """Add a co-worker: one of the case's workers, or a team lead of the case's team."""
    if is_worker(user, case):
        return True
    return (
        in_region(user, ASSIGN_TEAM_CASES, case.region_id)
        and case.team_id is not None
        and case.team_id in team_ids_of(user)
    )


def can_answer(user, request: CoachingRequest) -> bool:
    """A member of the team asked, who keeps a caseload in the case's region, other than
    the one who asked (a colleague's view is what is sought)."""
    return (
        in_region(user, KEEP_CASELOAD, request.case.region_id)
        and request.team_id in team_ids_of(user)
        and request.asked_by_id != user.pk
    )


def _require_open(case: Case) -> None:
    if case.status != CaseStatus.OPEN:
        raise CaseInputError({"case": _("This case is closed: nothing more is written on it.")})


def _locked(case: Case) -> Case:
    """The case locked for the change (two workers acting at once wait for each other)."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _audit(by, what: str, case: Case, *, reason: str = "", **detail) -> None:
    """One audit line against the case's person (their access report lists it)."""
    record_audit_event(
        by,
        what,
        case.person,
        reason=reason,
        detail={"case": str(case.pk), **{key: str(value) for key, value in detail.items()}},
    )


def _text(value, field: str, *, required: bool = True, limit: int = TEXT_LENGTH) -> str:
    """Text typed, trimmed; refused (never cut) when missing, too long or holding a NUL."""
    text = (value or "").strip() if isinstance(value, str) else ""
    if required and not text:
        raise CaseInputError({field: _("This field is required.")})
    if len(text) > limit:
        raise CaseInputError({field: _("At most %d characters.") % limit})
    if "\x00" in text:
        raise CaseInputError({field: _("Null characters are not allowed.")})
    return text


def _choice(value, choices, field: str, *, required: bool = True) -> str:
    if not value and not required:
        return ""
    if value not in choices.values:
        raise CaseInputError({field: _("Choose one of the options offered.")})
    return value


# --- reading ------------------------------------------------------------------------------


def read_case(case_id, *, by, reason: str = "case page") -> Case:
    """The case, for a reason; the read is written to the audit log (against the person)."""
    case = case_for(by, case_id)
    _audit(by, "read_case", case, reason=reason)
    return case


@dataclass
class CaseLine:
    """A case as the caseload lists it: its pending next actions, the nearest due date."""

    case: Case
    pending: list[NextAction]
    next_due: date | None
    overdue: bool


def _lines(cases: QuerySet[Case], today: date, *, by, limit: int | None = None) -> list[CaseLine]:
    pending = NextAction.objects.filter(done_at__isnull=True).order_by("due_on", "pk")
    rows = (
        cases.filter(status=CaseStatus.OPEN)
        .annotate(
            next_due=Min("next_actions__due_on", filter=Q(next_actions__done_at__isnull=True))
        )
        .select_related("person", "team")
        .prefetch_related(Prefetch("next_actions", queryset=pending, to_attr="pending"))
    )
    ordered = sorted(rows, key=lambda c: (c.next_due is None, c.next_due or today, c.opened_at))
    if limit is not None:
        ordered = ordered[:limit]
    for case in ordered:
        record_audit_event(
            by, "list_case", case.person, reason="caseload", detail={"case": str(case.pk)}
        )
    return [
        CaseLine(c, c.pending, c.next_due, c.next_due is not None and c.next_due < today)
        for c in ordered
    ]


def caseload(user, today: date | None = None) -> tuple[list[CaseLine], list[CaseLine]]:
    """The user's open cases, then the other open cases they may read (their teams', the
    region's for an overseer), each by the nearest due date of its pending next actions
    (overdue first, cases without any last). Each person listed is an audited read."""
    require_use(user)
    today = today or timezone.localdate()
    readable = visible_to(user)
    mine_ids = CaseWorker.objects.filter(user=user).values("case_id")
    mine = _lines(readable.filter(pk__in=mine_ids), today, by=user)
    others = _lines(readable.exclude(pk__in=mine_ids), today, by=user, limit=LISTED)
    return mine, others


def cases_of(person: Person, *, by) -> list[Case]:
    """The person's cases this user may read, the open ones first, then the latest
    opened (for the person's record, whose read is audited already)."""
    if not can_use_casework(by):
        return []
    return list(
        visible_to(by)
        .filter(person=person)
        .select_related("team")
        .order_by("-status", "-opened_at")[:LISTED]
    )


# The user's cases closed in this many days are listed under their caseload (an addendum
# may still be written on a signed note of theirs).
RECENTLY_CLOSED_DAYS = 90


def recently_closed(user) -> list[Case]:
    """The user's own cases closed in the last 90 days, the latest first (each person
    listed is an audited read)."""
    require_use(user)
    since = timezone.now() - timedelta(days=RECENTLY_CLOSED_DAYS)
    cases = list(
        visible_to(user)
        .filter(
            status=CaseStatus.CLOSED,
            closed_at__gte=since,
            pk__in=CaseWorker.objects.filter(user=user).values("case_id"),
        )
        .select_related("person", "team")
        .order_by("-closed_at")[:LISTED]
    )
    for case in cases:
        record_audit_event(
            user, "list_case", case.person, reason="caseload", detail={"case": str(case.pk)}
        )
    return cases


def coaching_inbox(user) -> list[CoachingRequest]:
    """The coaching requests to the user's teams, those waiting first (the oldest
    first), then the latest answered; a question on a case closed since is no longer
    waited for. Each person named is an audited read."""
    require_use(user)
    if not keeps_caseload(user):
        return []
    asked = CoachingRequest.objects.filter(
        team_id__in=team_ids_of(user), case__region_id=user.region_id
    ).select_related("case__person", "team", "asked_by", "answered_by")
    waiting = list(
        asked.filter(status=CoachingStatus.ASKED, case__status=CaseStatus.OPEN).order_by("asked_at")
    )
    answered = asked.filter(status=CoachingStatus.ANSWERED).order_by("-answered_at")
    requests = waiting + list(answered[: max(0, LISTED - len(waiting))])
    for request in requests:
        record_audit_event(
            user,
            "list_case",
            request.case.person,
            reason="coaching",
            detail={"case": str(request.case_id)},
        )
    return requests


def notes_of(case: Case) -> list[ProgressNote]:
    """The case's notes, newest first, each with its addenda (oldest first)."""
    return list(
        case.notes.select_related("written_by", "signed_by").prefetch_related(
            Prefetch("addenda", queryset=NoteAddendum.objects.select_related("written_by"))
        )
    )


def interprofessional_teams(region_id) -> QuerySet[Team]:
    """The region's active interprofessional teams: whom coaching is asked of."""
    return Team.objects.filter(
        region_id=region_id, kind=TeamKind.INTERPROFESSIONAL, active=True
    ).order_by("name_fr")


def possible_co_workers(case: Case) -> QuerySet[User]:
    """The region's active users who keep a caseload and are not on the case yet."""
    return (
        User.objects.filter(
            region_id=case.region_id, role__in=roles_with(KEEP_CASELOAD), is_active=True
        )
        .exclude(pk__in=CaseWorker.objects.filter(case=case).values("user_id"))
        .order_by("last_name", "first_name", "username")
    )


def openable_teams(user) -> QuerySet[Team]:
    """The teams a case may be opened for: the user's, in their region."""
    return Team.objects.filter(
        pk__in=team_ids_of(user), region_id=user.region_id, active=True
    ).order_by("name_fr")


# --- opening, plan, next actions, workers -------------------------------------------------


@transaction.atomic
def open_case(
    person: Person,
    *,
    by,
    plan: str = "",
    team: Team | None = None,
    episode=None,
) -> Case:
    """A case for the person, the user its lead worker; for one of the user's teams, and
    from a contact of the person (both optional)."""
    if not in_region(by, KEEP_CASELOAD, person.region_id):
        raise PermissionDenied(_("You may not open a case for this person."))
    if person.merged_into_id is not None:
        raise CaseInputError({"person": _("This record was merged into another one.")})
    plan = _text(plan, "plan", required=False)
    if team is not None and team.pk not in set(openable_teams(by).values_list("pk", flat=True)):
        raise CaseInputError({"team": _("Choose one of your teams.")})
    if episode is not None and (
        episode.region_id != person.region_id or episode.person_id != person.pk
    ):
        raise CaseInputError({"episode": _("This contact is not about this person.")})
    now = timezone.now()
    case = Case.objects.create(
        region_id=person.region_id,
        person=person,
        team=team,
        episode=episode,
        plan=plan,
        opened_at=now,
        opened_by=by,
    )
    CaseWorker.objects.create(case=case, user=by, role=WorkerRole.LEAD, since=now, added_by=by)
    _audit(by, "open_case", case)
    return case


@transaction.atomic
def set_plan(case: Case, plan: str, *, by) -> Case:
    """The intervention plan as the worker now writes it (the audit log keeps who)."""
    require_worker(by, case)
    case = _locked(case)
    _require_open(case)
    case.plan = _text(plan, "plan")
    case.save(update_fields=["plan"])
    _audit(by, "change_case_plan", case)
    return case


@transaction.atomic
def add_next_action(case: Case, text: str, due_on: date, *, by) -> NextAction:
    """Something to do on the case by a date."""
    require_worker(by, case)
    case = _locked(case)
    _require_open(case)
    text = _text(text, "text", limit=SHORT_TEXT_LENGTH)
    if not isinstance(due_on, date):
        raise CaseInputError({"due_on": _("This field is required.")})
    if problem := moment_out_of_range(due_on):
        raise CaseInputError({"due_on": problem})
    action = NextAction.objects.create(case=case, text=text, due_on=due_on, created_by=by)
    _audit(by, "add_case_action", case, action=action.pk)
    return action


def next_action_for(case: Case, action_id) -> NextAction:
    """One next action of the case named in a request, or 404."""
    return get_from_request(case.next_actions.all(), action_id)


@transaction.atomic
def complete_next_action(action: NextAction, *, by) -> NextAction:
    """The next action is done."""
    case = action.case
    require_worker(by, case)
    case = _locked(case)
    _require_open(case)
    action = NextAction.objects.select_for_update().get(pk=action.pk)
    if action.done_at is not None:
        raise CaseInputError({"action": _("This action is done already.")})
    action.done_at, action.done_by = timezone.now(), by
    action.save(update_fields=["done_at", "done_by"])
    _audit(by, "complete_case_action", case, action=action.pk)
    return action


@transaction.atomic
def add_co_worker(case: Case, worker: User, *, by, role: str = WorkerRole.CO_INTERVENER):
    """Another worker of the region on the case (co-intervention)."""
    if not can_assign(by, case):
        raise PermissionDenied(_("Only the workers on this case may do this."))
    case = _locked(case)
    _require_open(case)
    role = _choice(role, WorkerRole, "role")
    if not in_region(worker, KEEP_CASELOAD, case.region_id) or not worker.is_active:
        raise CaseInputError({"worker": _("Choose a worker of the region who keeps a caseload.")})
    if CaseWorker.objects.filter(case=case, user=worker).exists():
        raise CaseInputError({"worker": _("This worker is on the case already.")})
    if role == WorkerRole.LEAD and case.case_workers.filter(role=WorkerRole.LEAD).exists():
        raise CaseInputError({"role": _("This case has its lead worker already.")})
    added = CaseWorker.objects.create(
        case=case, user=worker, role=role, since=timezone.now(), added_by=by
    )
    _audit(by, "add_case_worker", case, worker=worker.pk, role=role)
    return added


# --- progress notes -----------------------------------------------------------------------


@dataclass(frozen=True)
class NoteInput:
    intervention_type: str
    duration_minutes: int | None
    place: str
    happened_on: date | None
    text: str


def _clean_note(data: NoteInput) -> dict:
    """The note's fields, checked; every problem at once."""
    errors: dict[str, str] = {}
    fields: dict = {}
    checks = (
        (
            "intervention_type",
            lambda: _choice(data.intervention_type, InterventionType, "intervention_type"),
        ),
        ("place", lambda: _choice(data.place, Place, "place")),
        ("text", lambda: _text(data.text, "text")),
    )
    for name, check in checks:
        try:
            fields[name] = check()
        except CaseInputError as error:
            errors.update(error.errors)
    minutes = data.duration_minutes
    if (
        not isinstance(minutes, int)
        or isinstance(minutes, bool)
        or not MIN_DURATION_MINUTES <= minutes <= MAX_DURATION_MINUTES
    ):
        errors["duration_minutes"] = _("Give a duration from %(min)d to %(max)d minutes.") % {
            "min": MIN_DURATION_MINUTES,
            "max": MAX_DURATION_MINUTES,
        }
    day = data.happened_on
    if not isinstance(day, date):
        errors["happened_on"] = _("This field is required.")
    elif problem := moment_out_of_range(day):
        errors["happened_on"] = problem
    elif day > timezone.localdate():
        errors["happened_on"] = _("The intervention cannot be in the future.")
    if errors:
        raise CaseInputError(errors)
    return {**fields, "duration_minutes": minutes, "happened_on": day}


@transaction.atomic
def write_note(case: Case, data: NoteInput, *, by) -> ProgressNote:
    """A progress note (a draft until its author signs it)."""
    require_worker(by, case)
    case = _locked(case)
    _require_open(case)
    fields = _clean_note(data)
    now = timezone.now()
    note = ProgressNote.objects.create(
        case=case, written_by=by, written_at=now, updated_at=now, **fields
    )
    _audit(by, "write_case_note", case, note=note.pk)
    return note


def note_for(case: Case, note_id) -> ProgressNote:
    """One note of the case named in a request, or 404."""
    return get_from_request(case.notes.all(), note_id)


def _draft_of_author(note: ProgressNote, by) -> ProgressNote:
    """The note locked for a change, still a draft, and the user its author."""
    require_worker(by, note.case)
    note = ProgressNote.objects.select_for_update().get(pk=note.pk)
    if note.signed_at is not None:
        raise CaseInputError(
            {"note": _("This note is signed: it is never changed. Add an addendum instead.")}
        )
    if note.written_by_id != by.pk:
        raise CaseInputError({"note": _("Only the note's author may change or sign it.")})
    return note


@transaction.atomic
def change_note(note: ProgressNote, data: NoteInput, *, by) -> ProgressNote:
    """The author's draft note as they now write it (a signed note never changes)."""
    note = _draft_of_author(note, by)
    _require_open(note.case)
    for field, value in _clean_note(data).items():
        setattr(note, field, value)
    note.updated_at = timezone.now()
    note.save()
    _audit(by, "change_case_note", note.case, note=note.pk)
    return note


@transaction.atomic
def discard_note(note: ProgressNote, *, by) -> None:
    """The author's draft note, discarded (a signed note is never deleted)."""
    note = _draft_of_author(note, by)
    case, pk = note.case, note.pk
    note.delete()
    _audit(by, "discard_case_note", case, note=pk)


@transaction.atomic
def sign_note(note: ProgressNote, *, by) -> ProgressNote:
    """The author signs the note: from now on it is locked; corrections are addenda."""
    note = _draft_of_author(note, by)
    note.signed_at, note.signed_by = timezone.now(), by
    note.save(update_fields=["signed_at", "signed_by"])
    _audit(by, "sign_case_note", note.case, note=note.pk)
    return note


@transaction.atomic
def add_addendum(note: ProgressNote, text: str, *, by) -> NoteAddendum:
    """A correction or complement to a signed note, by one of the case's workers (also
    once the case is closed: a record is corrected whenever an error is found)."""
    require_worker(by, note.case)
    note = ProgressNote.objects.select_for_update().get(pk=note.pk)
    if note.signed_at is None:
        raise CaseInputError({"note": _("This note is a draft: its author may still change it.")})
    addendum = NoteAddendum.objects.create(
        note=note, text=_text(text, "text"), written_at=timezone.now(), written_by=by
    )
    _audit(by, "add_note_addendum", note.case, note=note.pk)
    return addendum


# --- coaching -----------------------------------------------------------------------------


@transaction.atomic
def request_coaching(case: Case, team: Team, question: str, *, by) -> CoachingRequest:
    """A question to an interprofessional team of the region about the case."""
    require_worker(by, case)
    case = _locked(case)
    _require_open(case)
    if team is None or not interprofessional_teams(case.region_id).filter(pk=team.pk).exists():
        raise CaseInputError({"team": _("Choose an interprofessional team of the region.")})
    request = CoachingRequest.objects.create(
        case=case,
        team=team,
        question=_text(question, "question"),
        asked_at=timezone.now(),
        asked_by=by,
    )
    _audit(by, "request_coaching", case, request=request.pk, team=team.code)
    return request


def coaching_for(case: Case, request_id) -> CoachingRequest:
    """One coaching request of the case named in a request, or 404."""
    return get_from_request(case.coaching_requests.select_related("case", "team"), request_id)


@transaction.atomic
def answer_coaching(request: CoachingRequest, answer: str, *, by) -> CoachingRequest:
    """A member of the team asked answers the question (once)."""
    if not can_answer(by, request):
        raise PermissionDenied(_("Only the members of the team asked may answer."))
    request = CoachingRequest.objects.select_for_update().select_related("case").get(pk=request.pk)
    _require_open(request.case)
    if request.status != CoachingStatus.ASKED:
        raise CaseInputError({"answer": _("This question was answered already.")})
    request.answer = _text(answer, "answer")
    request.status = CoachingStatus.ANSWERED
    request.answered_at, request.answered_by = timezone.now(), by
    request.save(update_fields=["answer", "status", "answered_at", "answered_by"])
    _audit(by, "answer_coaching", request.case, request=request.pk)
    return request


# --- closing ------------------------------------------------------------------------------


@transaction.atomic
def close_case(case: Case, *, by, reason: str, orientation: str, summary: str = "") -> Case:
    """The case closed, with the reason and where the person is oriented. Every note must
    be signed (or discarded) first; nothing is written on a closed case afterwards but
    addenda."""
    require_worker(by, case)
    case = _locked(case)
    _require_open(case)
    errors: dict[str, str] = {}
    for check in (
        lambda: _choice(reason, ClosingReason, "closing_reason"),
        lambda: _choice(orientation, Orientation, "orientation"),
        lambda: _text(summary, "closing_note", required=False),
    ):
        try:
            check()
        except CaseInputError as error:
            errors.update(error.errors)
    if case.notes.filter(signed_at__isnull=True).exists():
        errors["notes"] = _("Sign or discard the draft notes before closing the case.")
    if errors:
        raise CaseInputError(errors)
    case.status = CaseStatus.CLOSED
    case.closing_reason, case.orientation = reason, orientation
    case.closing_note = summary.strip()
    case.closed_at, case.closed_by = timezone.now(), by
    case.save(
        update_fields=[
            "status",
            "closing_reason",
            "orientation",
            "closing_note",
            "closed_at",
            "closed_by",
        ]
    )
    _audit(by, "close_case", case, closing_reason=reason, orientation=orientation)
    return case
