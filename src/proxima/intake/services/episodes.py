"""Contact episodes: open, screen (with escalation), prioritise, record actions, close."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from proxima.core.audit import record_audit_event
from proxima.core.errors import moment_out_of_range
from proxima.core.roles import TAKE_CONTACTS, in_region
from proxima.core.shortcuts import get_from_request
from proxima.directory.models import Service
from proxima.intake.models import (
    DEFAULT_TARGET_HOURS,
    REASON_LENGTH,
    Channel,
    ContactEpisode,
    Escalation,
    EscalationAction,
    Orientation,
    OrientationKind,
    Priority,
    PriorityTarget,
    RiskKind,
    Screening,
)
from proxima.intake.services.questionnaires import (
    ScreeningInputError,
    clean_answers,
    questionnaire,
    score,
)
from proxima.matching.services import BARRIERS
from proxima.people.models import Person
from proxima.people.services.records import can_access_person
from proxima.teams.services import team_named

ACTION_LABELS = {
    "crisis_intervention": gettext_lazy("crisis intervention"),
    "emergency_services": gettext_lazy("emergency services called (911)"),
    "safety_plan": gettext_lazy("safety plan made with the person"),
    "report_to_youth_protection": gettext_lazy("report to youth protection (DPJ)"),
    "elder_abuse_line": gettext_lazy("elder abuse help line or police"),
}
# What a positive screen requires: one of `required` done, and every `mandatory` one.
REQUIRED_ACTIONS = {
    RiskKind.SUICIDE: (["crisis_intervention", "emergency_services", "safety_plan"], []),
    RiskKind.HARM_TO_OTHERS: (["emergency_services", "crisis_intervention"], []),
    RiskKind.VIOLENCE: (["safety_plan", "crisis_intervention", "emergency_services"], []),
    # The duty to report a child in danger (Youth Protection Act, s. 39) cannot be skipped.
    RiskKind.CHILD_MALTREATMENT: (
        ["report_to_youth_protection"],
        ["report_to_youth_protection"],
    ),
    RiskKind.ELDER_ABUSE: (["elder_abuse_line", "crisis_intervention", "emergency_services"], []),
}


class EpisodeCannotClose(Exception):
    """Closing refused: escalations still wait for their actions (listed for the user)."""

    def __init__(self, missing: list[str]):
        super().__init__("; ".join(missing))
        self.missing = missing


@dataclass(frozen=True)
class ScreeningResult:
    screening: Screening
    escalations: list[Escalation]


def takes_contacts(user) -> bool:
    """Staff who take contacts, attached to a region."""
    return in_region(user, TAKE_CONTACTS, getattr(user, "region_id", None))


def visible_to(user) -> QuerySet[ContactEpisode]:
    """Every contact this user may read and work on: the one row-level rule of the
    domain. Staff who take contacts, in their own region."""
    if not takes_contacts(user):
        return ContactEpisode.objects.none()
    return ContactEpisode.objects.filter(region_id=user.region_id)


def contacts_between(region_id, since, until) -> QuerySet[ContactEpisode]:
    """The region's contacts that started in [since, until): for counts and other
    aggregate figures only (indicators), never to show a contact."""
    return ContactEpisode.objects.filter(
        region_id=region_id, started_at__gte=since, started_at__lt=until
    )


def escalations_of(contacts: QuerySet[ContactEpisode]) -> QuerySet[Escalation]:
    """The escalations raised on these contacts (aggregate figures only)."""
    return Escalation.objects.filter(episode__in=contacts)


def latest_needs_outcomes(contacts: QuerySet[ContactEpisode], part: str = "") -> dict:
    """Per contact id, the outcome of its latest needs screening, or only a part of it
    (`part`: "needs", "strengths"; None where it has none): aggregate figures only."""
    rows = (
        Screening.objects.filter(episode__in=contacts, questionnaire__kind="needs")
        .order_by("episode_id", "recorded_at", "id")
        .values_list("episode_id", f"outcome__{part}" if part else "outcome")
    )
    # Read at once: through a server-side cursor (`iterator`) PostgreSQL plans for the
    # first rows, several times slower for all of them.
    return dict(rows)


def can_work_on(user, episode: ContactEpisode) -> bool:
    """The same rule as `visible_to`, for a contact already in hand."""
    return in_region(user, TAKE_CONTACTS, episode.region_id)


def require_worker(user, episode: ContactEpisode) -> None:
    if not can_work_on(user, episode):
        raise PermissionDenied(_("You may not work on this contact."))


def require_taker(user) -> None:
    """403 for those who take no contacts at all."""
    if not takes_contacts(user):
        raise PermissionDenied(_("You may not take contacts."))


def contact_for(user, contact_id) -> ContactEpisode:
    """The contact named in a request, if this user may work on it: 403 for those who
    take no contacts, 404 for another region's contact, a missing one or a malformed id."""
    require_taker(user)
    return get_from_request(visible_to(user), contact_id)


def escalation_for(user, escalation_id) -> Escalation:
    """The escalation named in a request, on a contact this user may work on (else 404,
    whether it exists elsewhere or not at all)."""
    require_taker(user)
    return get_from_request(
        Escalation.objects.filter(episode__in=visible_to(user)).select_related("episode"),
        escalation_id,
    )


def read_contact(episode: ContactEpisode, *, by, reason: str) -> ContactEpisode:
    """The contact, for a reason; the read is written to the audit log."""
    require_worker(by, episode)
    record_audit_event(by, "read_contact", episode, reason=reason)
    return episode


def _require_open(episode: ContactEpisode) -> None:
    if not episode.is_open:
        raise ScreeningInputError({"episode": _("This contact is closed.")})


@transaction.atomic
def open_episode(
    *,
    by,
    channel: str,
    reason: str,
    language: str = "fr",
    started_at: datetime | None = None,
    person: Person | None = None,
) -> ContactEpisode:
    """A new contact in the worker's region; the caller may stay anonymous, or be a
    person of the region (checked before anything is written)."""
    require_taker(by)
    if person is not None and (
        person.region_id != by.region_id or not can_access_person(by, person)
    ):
        raise PermissionDenied(_("This person belongs to another region."))
    errors = {}
    if channel not in Channel.values:
        errors["channel"] = _("Unknown channel.")
    if len(reason) > REASON_LENGTH:
        errors["reason"] = _("At most %d characters.") % REASON_LENGTH
    started_at = started_at or timezone.now()
    if problem := moment_out_of_range(started_at):
        errors["started_at"] = problem
    elif started_at > timezone.now() + timedelta(minutes=5):
        errors["started_at"] = _("A contact cannot start in the future.")
    if errors:
        raise ScreeningInputError(errors)
    episode = ContactEpisode.objects.create(
        region_id=by.region_id,
        channel=channel,
        reason=reason.strip(),
        language=language[:16],
        started_at=started_at,
        taken_by=by,
        person=person,
    )
    detail = {"person": str(person.pk)} if person is not None else {}
    record_audit_event(by, "open_contact", episode, detail=detail)
    return episode


CONTACT_LANGUAGES = ("fr", "en", "other")  # the contact screen's choices


@transaction.atomic
def record_barriers(episode: ContactEpisode, barriers, *, by) -> ContactEpisode:
    """What stands in the way of getting help, as the person named it (transport, cost,
    language, fear): kept with the contact for the matches and the indicators."""
    require_worker(by, episode)
    _require_open(episode)
    named = sorted(set(barriers))
    if set(named) - set(BARRIERS):
        raise ScreeningInputError({"barriers": _("Choose among the barriers listed.")})
    if named != episode.barriers:
        episode.barriers = named
        episode.save(update_fields=["barriers"])
    return episode


@transaction.atomic
def update_reason(episode: ContactEpisode, reason: str, language: str, *, by) -> ContactEpisode:
    """The reason for the contact, in the person's own words, and the language used."""
    require_worker(by, episode)
    _require_open(episode)
    if len(reason) > REASON_LENGTH:
        raise ScreeningInputError({"reason": _("At most %d characters.") % REASON_LENGTH})
    if (language or "fr") not in CONTACT_LANGUAGES:
        raise ScreeningInputError({"language": _("Choose the language used.")})
    episode.reason = reason.strip()
    episode.language = (language or "fr")[:16]
    episode.save(update_fields=["reason", "language"])
    return episode


@transaction.atomic
def link_person(episode: ContactEpisode, person: Person, *, by) -> ContactEpisode:
    """Attach the (until now anonymous) contact to a person of the same region."""
    require_worker(by, episode)
    if person.region_id != episode.region_id:
        raise PermissionDenied(_("This person belongs to another region."))
    episode.person = person
    episode.save(update_fields=["person"])
    record_audit_event(by, "link_contact_person", episode, detail={"person": str(person.pk)})
    return episode


def target_hours(region_id: int, priority: str) -> int:
    """The region's target delay for a priority (its own, or the default)."""
    target = PriorityTarget.objects.filter(region_id=region_id, priority=priority).first()
    return target.target_hours if target else DEFAULT_TARGET_HOURS[priority]


@transaction.atomic
def set_priority(episode: ContactEpisode, priority: str, *, by) -> ContactEpisode:
    """Set the priority and the time by which the person must be seen. An escalated
    contact stays immediate."""
    require_worker(by, episode)
    _require_open(episode)
    if priority not in Priority.values:
        raise ScreeningInputError({"priority": _("Unknown priority.")})
    if episode.escalations.exists() and priority != Priority.IMMEDIATE:
        raise ScreeningInputError(
            {"priority": _("A positive risk screen keeps the priority immediate.")}
        )
    episode.priority = priority
    episode.priority_due_at = episode.started_at + timedelta(
        hours=target_hours(episode.region_id, priority)
    )
    episode.save(update_fields=["priority", "priority_due_at"])
    record_audit_event(by, "set_priority", episode, detail={"priority": priority})
    return episode


@transaction.atomic
def record_screening(
    episode: ContactEpisode, code: str, answers: dict, *, by, version: int | None = None
) -> ScreeningResult:
    """Check and score the answers; a positive risk screen raises the priority to
    immediate and opens an escalation per risk, with its required actions (audited)."""
    require_worker(by, episode)
    _require_open(episode)
    used = questionnaire(code, version)
    cleaned = clean_answers(used.definition, answers)
    outcome = score(used.definition, cleaned)
    screening = Screening.objects.create(
        episode=episode, questionnaire=used, answers=cleaned, outcome=outcome, recorded_by=by
    )
    record_audit_event(by, "record_screening", episode, detail={"questionnaire": str(used)})
    escalations = []
    if outcome["escalates"]:
        for kind in outcome["risks"]:
            required, mandatory = REQUIRED_ACTIONS[kind]
            escalation = Escalation.objects.create(
                episode=episode,
                screening=screening,
                kind=kind,
                level=outcome["level"],
                required_actions=required,
                mandatory_actions=mandatory,
            )
            escalations.append(escalation)
            record_audit_event(
                by,
                "escalation",
                episode,
                reason=kind,
                detail={"level": outcome["level"], "escalation": escalation.pk},
            )
        episode.priority = Priority.IMMEDIATE
        episode.priority_due_at = episode.started_at
        episode.save(update_fields=["priority", "priority_due_at"])
    return ScreeningResult(screening, escalations)


@transaction.atomic
def record_escalation_action(
    escalation: Escalation, action: str, *, by, taken_at: datetime | None = None, note: str = ""
) -> EscalationAction:
    """Record what was done for an escalation, and when."""
    require_worker(by, escalation.episode)
    taken_at = taken_at or timezone.now()
    errors = {}
    if action not in escalation.required_actions:
        errors["action"] = _("This action does not answer this risk.")
    if problem := moment_out_of_range(taken_at):
        errors["taken_at"] = problem
    elif taken_at > timezone.now() + timedelta(minutes=5):
        errors["taken_at"] = _("An action cannot be recorded in the future.")
    elif taken_at < escalation.episode.started_at:
        errors["taken_at"] = _("The action cannot come before the contact started.")
    if len(note) > 2000:
        errors["note"] = _("At most %d characters.") % 2000
    if errors:
        raise ScreeningInputError(errors)
    done = EscalationAction.objects.create(
        escalation=escalation, action=action, taken_at=taken_at, note=note.strip(), recorded_by=by
    )
    record_audit_event(
        by,
        "escalation_action",
        escalation.episode,
        reason=action,
        detail={"at": taken_at.isoformat()},
    )
    return done


def missing_actions(episode: ContactEpisode) -> list[str]:
    """What still has to be done before closing, in the user's language."""
    missing = []
    for escalation in episode.escalations.prefetch_related("actions"):
        done = {action.action for action in escalation.actions.all()}
        label = RiskKind(escalation.kind).label
        for action in escalation.mandatory_actions:
            if action not in done:
                missing.append(
                    _("%(risk)s: %(actions)s") % {"risk": label, "actions": ACTION_LABELS[action]}
                )
        if not done & set(escalation.required_actions):
            choices = _(" or ").join(str(ACTION_LABELS[a]) for a in escalation.required_actions)
            missing.append(_("%(risk)s: %(actions)s") % {"risk": label, "actions": choices})
    return list(dict.fromkeys(missing))


@transaction.atomic
def close_episode(episode: ContactEpisode, *, by) -> ContactEpisode:
    """Close the contact, unless an escalation still waits for its actions."""
    require_worker(by, episode)
    _require_open(episode)
    missing = missing_actions(episode)
    if missing:
        raise EpisodeCannotClose(missing)
    episode.closed_at = timezone.now()
    episode.save(update_fields=["closed_at"])
    record_audit_event(by, "close_contact", episode)
    return episode


@transaction.atomic
def record_orientation(
    episode: ContactEpisode,
    kind: str,
    *,
    by,
    team: str = "",
    service: Service | None = None,
    note: str = "",
) -> Orientation:
    """Record where the contact leads (several orientations may follow one contact)."""
    require_worker(by, episode)
    _require_open(episode)
    errors = {}
    if kind not in OrientationKind.values:
        errors["kind"] = _("Unknown orientation.")
    elif kind == OrientationKind.INTERNAL_TEAM and team_named(episode.region_id, team) is None:
        errors["team"] = _("Choose the team.")
    elif kind == OrientationKind.REFERRAL and service is None:
        errors["service"] = _("Choose the resource.")
    if len(note) > 2000:
        errors["note"] = _("At most %d characters.") % 2000
    if errors:
        raise ScreeningInputError(errors)
    fields = {
        "kind": kind,
        "team": team_named(episode.region_id, team)
        if kind == OrientationKind.INTERNAL_TEAM
        else None,
        # A referral goes to a resource; information may be about one (given to the caller).
        "service": service if kind != OrientationKind.INTERNAL_TEAM else None,
        "note": note.strip(),
    }
    same = episode.orientations.filter(**fields).first()
    if same is not None:  # a second click on the same button: already recorded
        return same
    orientation = Orientation.objects.create(episode=episode, decided_by=by, **fields)
    record_audit_event(by, "record_orientation", episode, reason=kind)
    return orientation
