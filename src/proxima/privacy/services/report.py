"""A person's access report (Law 25, PHIPA): who saw or changed their file, when, why.

Every audit line about the person: their record (reads, corrections, consents, household,
prescriptions and measures are written against it), the records merged into it, their
contacts, their referrals (and those passed on from them), and the household links other
records made to them. Each line reads as: when, who (name, role, organization or team),
what (in words) and why."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from proxima.core import formats
from proxima.core.audit import record_audit_event
from proxima.core.models import AuditEvent
from proxima.core.roles import PERSON_ACCESS_REPORT
from proxima.intake.models import ContactEpisode
from proxima.people.models import Person
from proxima.privacy import labels
from proxima.privacy.services.people import clean_reason, require_person, subject_ids
from proxima.referrals.models import Referral

PERSON = Person._meta.label_lower
CONTACT = ContactEpisode._meta.label_lower
REFERRAL = Referral._meta.label_lower


@dataclass(frozen=True)
class RelatedIds:
    """The primary keys (as the audit log writes them) of what belongs to a person."""

    people: list[str]
    contacts: list[str]
    referrals: list[str]


def related_ids(person: Person) -> RelatedIds:
    people = subject_ids(person)
    contacts = list(ContactEpisode.objects.filter(person__in=people).values_list("pk", flat=True))
    referrals = set(
        Referral.objects.filter(Q(person__in=people) | Q(episode__in=contacts)).values_list(
            "pk", flat=True
        )
    )
    frontier = set(referrals)
    while frontier:  # referrals passed on from them
        frontier = (
            set(Referral.objects.filter(parent__in=frontier).values_list("pk", flat=True))
            - referrals
        )
        referrals |= frontier
    return RelatedIds(
        people=[str(pk) for pk in people],
        contacts=[str(pk) for pk in contacts],
        referrals=sorted(str(pk) for pk in referrals),
    )


def entries_about(ids: RelatedIds) -> QuerySet[AuditEvent]:
    """Every audit line about the person, newest first."""
    about = (
        Q(object_type=PERSON, object_id__in=ids.people)
        | Q(object_type=CONTACT, object_id__in=ids.contacts)
        | Q(object_type=REFERRAL, object_id__in=ids.referrals)
        | Q(object_type=PERSON, action="link_household", detail__relative__in=ids.people)
    )
    return (
        AuditEvent.objects.filter(about)
        .select_related("actor", "actor__organization")
        .prefetch_related("actor__teams")
        .order_by("-sequence")
    )


@dataclass(frozen=True)
class AccessLine:
    at: datetime
    action: str  # the code, for machines; `what` is it in words
    who: str
    role: str
    organization: str
    team: str
    what: str
    why: str


def _who(event: AuditEvent) -> tuple[str, str, str]:
    actor = event.actor
    if actor is None:
        return labels.role_label(event.actor_role), "", ""
    organization = actor.organization.localized_name if actor.organization_id else ""
    team = ", ".join(t.localized_name for t in actor.teams.all())
    return actor.get_full_name() or actor.username, organization, team


def access_line(event: AuditEvent) -> AccessLine:
    who, organization, team = _who(event)
    return AccessLine(
        at=event.at,
        action=event.action,
        who=who,
        role=labels.role_label(event.actor_role) if event.actor_id else "",
        organization=organization,
        team=team,
        what=labels.action_label(event.action),
        why=labels.reason_label(event.reason),
    )


@transaction.atomic
def access_report(person: Person, *, by, reason: str, download: bool = False) -> list[AccessLine]:
    """The person's access report, for a privacy officer of their region; reading it is
    itself written to the audit log (and so appears in it), with the officer's reason."""
    require_person(by, person, PERSON_ACCESS_REPORT)
    reason = clean_reason(reason)
    action = "download_access_report" if download else "read_access_report"
    record_audit_event(by, action, person, reason=reason)
    return [access_line(event) for event in entries_about(related_ids(person))]


def as_csv(lines: list[AccessLine]) -> str:
    """The report as CSV (formats.csv_text: a byte-order mark, text never run as a
    formula); date and time in ISO 8601 with the local offset."""
    header = [
        _("Date and time"),
        _("Who"),
        _("Role"),
        _("Organization"),
        _("Team"),
        _("What"),
        _("Why"),
    ]
    return formats.csv_text(
        header,
        (
            [
                timezone.localtime(line.at).isoformat(timespec="seconds"),
                line.who,
                line.role,
                line.organization,
                line.team,
                line.what,
                line.why,
            ]
            for line in lines
        ),
    )
