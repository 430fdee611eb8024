"""The agreements registry: who sees which agreement, the status rules and their history,
the live indicators, the review reminders and the region's inventory (CSV, XLSX).

One row-level rule (`visible_to`): network staff who may view agreements see their
region's; partner staff see the agreements their organization is party to, in any region,
and nothing else; the public sees none. Coordinators edit their region's.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import ExpressionWrapper, F, IntegerField, Q, QuerySet, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from proxima.agreements.models import (
    DOCUMENTS_PER_AGREEMENT,
    DOCUMENTS_PER_REGION_BYTES,
    Agreement,
    AgreementStatus,
    Document,
    Indicator,
    Party,
    StatusChange,
    TrainingSession,
)
from proxima.core.audit import record_audit_event
from proxima.core.errors import InputError
from proxima.core.models import User
from proxima.core.moments import start_of_day
from proxima.core.roles import (
    EDIT_AGREEMENTS,
    RECEIVE_FOR_ORGANIZATION,
    VIEW_AGREEMENTS,
    has_capability,
    in_region,
    roles_with,
)
from proxima.core.shortcuts import get_from_request
from proxima.core.spreadsheets import workbook
from proxima.directory.services.taxonomy import first_level_domain_labels
from proxima.referrals.lifecycle import Status
from proxima.referrals.models import Referral

# Reminders go this many days before the review date (and once per review date).
REVIEW_NOTICE_DAYS = 30

# What may follow what. An agreement in force goes under review and back; it expires when
# its end date passes (`expire_past_end`), or is ended; an ended one is kept as it was.
TRANSITIONS: dict[str, set[str]] = {
    AgreementStatus.DRAFT: {AgreementStatus.ACTIVE, AgreementStatus.ENDED},
    AgreementStatus.ACTIVE: {
        AgreementStatus.UNDER_REVIEW,
        AgreementStatus.EXPIRED,
        AgreementStatus.ENDED,
    },
    AgreementStatus.UNDER_REVIEW: {
        AgreementStatus.ACTIVE,
        AgreementStatus.EXPIRED,
        AgreementStatus.ENDED,
    },
    AgreementStatus.EXPIRED: {AgreementStatus.UNDER_REVIEW, AgreementStatus.ENDED},
    AgreementStatus.ENDED: set(),
}
IN_FORCE = (AgreementStatus.ACTIVE, AgreementStatus.UNDER_REVIEW)


class AgreementInputError(InputError):
    """What cannot be recorded, field by field (nothing written)."""


class AgreementConflict(InputError):
    """Someone changed the agreement since it was read."""


def _partner_organization(user):
    if has_capability(user, RECEIVE_FOR_ORGANIZATION) and user.organization_id:
        return user.organization_id
    return None


def _reads_region(user) -> bool:
    """Network staff who view (or edit) agreements, attached to a region."""
    return user.region_id is not None and (
        has_capability(user, VIEW_AGREEMENTS) or has_capability(user, EDIT_AGREEMENTS)
    )


def visible_to(user) -> QuerySet[Agreement]:
    """Every agreement this user may read (pages, exports and the referral's access
    mechanism alike)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Agreement.objects.none()
    rows = Q(region_id=user.region_id) if _reads_region(user) else Q(pk__in=[])
    organization_id = _partner_organization(user)
    if organization_id:
        party_of = Party.objects.filter(organization_id=organization_id)
        rows |= Q(pk__in=party_of.values("agreement_id"))
    return Agreement.objects.filter(rows)


def can_use_agreements(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return _reads_region(user) or bool(_partner_organization(user))


def can_edit(user, agreement: Agreement | None = None, region_id=None) -> bool:
    region_id = agreement.region_id if agreement is not None else region_id
    return in_region(user, EDIT_AGREEMENTS, region_id)


def agreement_for(user, agreement_id) -> Agreement:
    """The agreement named in a request: 403 for those who read none, 404 for one they
    may not read, a missing one or a malformed id."""
    if not can_use_agreements(user):
        raise PermissionDenied(_("You may not read partnership agreements."))
    return get_from_request(visible_to(user), agreement_id)


def require_edit(user, agreement: Agreement | None = None, region_id=None) -> None:
    if not can_edit(user, agreement, region_id):
        raise PermissionDenied(_("Only the region's coordinators change its agreements."))


# --- recording ---------------------------------------------------------------------------


TEXT_FIELDS = (
    "title_fr",
    "title_en",
    "kind",
    "purpose",
    "how_to_refer",
    "access_hours",
    "access_contact",
)
DATE_FIELDS = ("signed_on", "starts_on", "review_on", "ends_on")


def _fields(data: dict) -> dict:
    return {
        **{field: data[field] or "" for field in TEXT_FIELDS},
        **{field: data[field] for field in DATE_FIELDS},
        "need_domains": sorted(set(data["need_domains"])),
        "direct_transfer": data["direct_transfer"],
    }


def _set_parties(agreement: Agreement, data: dict) -> None:
    """The parties named, each kept with its role and commitments when it already was one;
    the others removed."""
    if not (data["establishment"] or data["teams"] or data["organizations"]):
        raise AgreementInputError({"organizations": _("Name at least one party.")})
    wanted = {("establishment", None)} if data["establishment"] else set()
    wanted |= {("team", team.pk) for team in data["teams"]}
    wanted |= {("organization", o.pk) for o in data["organizations"]}

    def key(party):
        if party.organization_id:
            return ("organization", party.organization_id)
        if party.team_id:
            return ("team", party.team_id)
        return ("establishment", None)

    present = {key(p): p for p in agreement.parties.all()}
    Party.objects.filter(pk__in=[p.pk for k, p in present.items() if k not in wanted]).delete()
    Party.objects.bulk_create(
        Party(
            agreement=agreement,
            team_id=pk if kind == "team" else None,
            organization_id=pk if kind == "organization" else None,
        )
        for kind, pk in sorted(wanted - set(present), key=str)
    )


def _locked_at(agreement: Agreement, version: int) -> Agreement:
    """The agreement locked for the change, as the user last read it (409 otherwise)."""
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.version != version:
        raise AgreementConflict(
            {"version": _("Someone changed this agreement since you opened it: reload it.")}
        )
    return locked


@transaction.atomic
def create_agreement(data: dict, *, by, region) -> Agreement:
    """A draft agreement of the user's region from a checked AgreementForm's data, with its
    parties (the establishment, teams, organizations)."""
    require_edit(by, region_id=region.pk)
    agreement = Agreement.objects.create(region=region, created_by=by, **_fields(data))
    agreement.territories.set(data["territories"])
    _set_parties(agreement, data)
    StatusChange.objects.create(
        agreement=agreement, from_status="", to_status=AgreementStatus.DRAFT, by=by
    )
    record_audit_event(by, "create_agreement", agreement)
    return agreement


@transaction.atomic
def update_agreement(agreement: Agreement, data: dict, *, by, version: int) -> Agreement:
    """The agreement's fields and parties as the form now says (its status changes apart,
    with their history). An agreement in force keeps at least two parties."""
    require_edit(by, agreement)
    locked = _locked_at(agreement, version)
    for field, value in _fields(data).items():
        setattr(locked, field, value)
    locked.version += 1
    locked.save()
    locked.territories.set(data["territories"])
    _set_parties(locked, data)
    if locked.status in IN_FORCE and locked.parties.count() < 2:
        raise AgreementInputError(
            {"organizations": _("An agreement in force has at least two parties.")}
        )
    record_audit_event(by, "change_agreement", locked)
    return locked


def form_initial(agreement: Agreement) -> dict:
    """What the edit form starts from."""
    parties = list(agreement.parties.all())
    return {
        **{field: getattr(agreement, field) for field in TEXT_FIELDS + DATE_FIELDS},
        "need_domains": agreement.need_domains,
        "direct_transfer": agreement.direct_transfer,
        "establishment": any(not p.team_id and not p.organization_id for p in parties),
        "teams": [p.team_id for p in parties if p.team_id],
        "organizations": [p.organization_id for p in parties if p.organization_id],
        "territories": list(agreement.territories.values_list("pk", flat=True)),
    }


@transaction.atomic
def record_meeting(agreement: Agreement, data: dict, *, by):
    require_edit(by, agreement)
    meeting = agreement.meetings.create(recorded_by=by, **data)
    record_audit_event(by, "record_agreement_meeting", agreement)
    return meeting


@transaction.atomic
def add_indicator(agreement: Agreement, data: dict, *, by) -> Indicator:
    require_edit(by, agreement)
    indicator = agreement.indicators.create(
        kind=data["kind"],
        label=(data.get("label") or "").strip(),
        target=data.get("target"),
        reported_value=data.get("reported_value"),
    )
    record_audit_event(by, "add_agreement_indicator", agreement)
    return indicator


@transaction.atomic
def record_training(data: dict, *, by, region, agreement: Agreement | None = None):
    require_edit(by, region_id=region.pk)
    if agreement is not None and agreement.region_id != region.pk:
        raise PermissionDenied(_("Only the region's coordinators change its agreements."))
    session = TrainingSession.objects.create(
        region=region,
        agreement=agreement,
        topic=data["topic"].strip(),
        held_on=data["held_on"],
        trainers=(data.get("trainers") or "").strip(),
        attendees=data["attendees"],
        recorded_by=by,
    )
    session.organizations.set(data.get("organizations") or [])
    record_audit_event(by, "record_training_session", session)
    return session


def party_for(agreement: Agreement, party_id) -> Party:
    """One party of the agreement named in a request, or 404."""
    return get_from_request(agreement.parties.all(), party_id)


@transaction.atomic
def set_party_terms(party: Party, data: dict, *, by) -> Party:
    """A party's role in its agreement (found with `party_for`) and what it commits to."""
    agreement = party.agreement
    require_edit(by, agreement)
    party.role = (data.get("role") or "").strip()
    party.commitments = (data.get("commitments") or "").strip()
    party.save(update_fields=["role", "commitments"])
    record_audit_event(by, "set_agreement_party_terms", agreement)
    return party


# --- documents ----------------------------------------------------------------------------


@transaction.atomic
def attach_document(agreement: Agreement, data: dict, *, by) -> Document:
    """Attach a checked file (core.uploads.CheckedFile in data["file"]) to the agreement."""
    require_edit(by, agreement)
    Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    if agreement.documents.count() >= DOCUMENTS_PER_AGREEMENT:
        raise AgreementInputError(
            {
                "file": _("This agreement has %d documents already: remove one first.")
                % DOCUMENTS_PER_AGREEMENT
            }
        )
    checked = data["file"]
    held = (
        Document.objects.filter(agreement__region_id=agreement.region_id).aggregate(
            total=Sum("size")
        )["total"]
        or 0
    )
    if held + len(checked.content) > DOCUMENTS_PER_REGION_BYTES:
        raise AgreementInputError(
            {
                "file": _(
                    "The region's agreements hold %s of documents already, the most they may:"
                    " remove documents no longer needed first."
                )
                % filesizeformat(held)
            }
        )
    document = agreement.documents.create(
        kind=data["kind"],
        title=(data.get("title") or "").strip(),
        file_name=checked.name,
        media_type=checked.media_type,
        size=len(checked.content),
        sha256=hashlib.sha256(checked.content).hexdigest(),
        content=checked.content,
        added_by=by,
    )
    record_audit_event(by, "attach_agreement_document", agreement)
    return document


def documents_of(agreement: Agreement) -> QuerySet[Document]:
    """The agreement's documents, without their content."""
    return agreement.documents.defer("content")


def document_for(agreement: Agreement, document_id) -> Document:
    """One document of an agreement the user reads (agreement_for), or 404."""
    return get_from_request(agreement.documents.all(), document_id)


@transaction.atomic
def remove_document(agreement: Agreement, document_id, *, by) -> None:
    require_edit(by, agreement)
    document = get_from_request(documents_of(agreement), document_id)
    document.delete()
    record_audit_event(by, "remove_agreement_document", agreement)


# --- status -------------------------------------------------------------------------------


def status_problem(agreement: Agreement, to_status: str, today: date) -> str | None:
    """Why the agreement cannot take this status now, or None."""
    if to_status not in AgreementStatus.values:
        return _("Unknown status.")
    if to_status not in TRANSITIONS[agreement.status]:
        return _("An agreement that is “%(from)s” cannot become “%(to)s”.") % {
            "from": AgreementStatus(agreement.status).label,
            "to": AgreementStatus(to_status).label,
        }
    if to_status == AgreementStatus.ACTIVE:
        if agreement.parties.count() < 2:
            return _("An agreement in force has at least two parties.")
        if agreement.starts_on is None:
            return _("Say from when the agreement is in force.")
        if agreement.ends_on is not None and agreement.ends_on < today:
            return _("Its end date has passed: change the end date first.")
    return None


@transaction.atomic
def change_status(agreement: Agreement, to_status: str, *, by, version: int, note: str = ""):
    require_edit(by, agreement)
    locked = _locked_at(agreement, version)
    if len(note) > 500:
        raise AgreementInputError({"note": _("At most %d characters.") % 500})
    problem = status_problem(locked, to_status, timezone.localdate())
    if problem:
        raise AgreementInputError({"status": problem})
    _move(locked, to_status, by=by, note=note.strip())
    record_audit_event(by, "change_agreement_status", locked, reason=to_status)
    return locked


def _move(agreement: Agreement, to_status: str, *, by, note: str) -> None:
    StatusChange.objects.create(
        agreement=agreement, from_status=agreement.status, to_status=to_status, by=by, note=note
    )
    agreement.status = to_status
    agreement.version += 1
    agreement.save(update_fields=["status", "version", "updated_at"])


@transaction.atomic
def expire_past_end(today: date | None = None) -> int:
    """Agreements in force whose end date has passed become expired (by nobody: the
    history says the date did it)."""
    today = today or timezone.localdate()
    count = 0
    for agreement in Agreement.objects.select_for_update().filter(
        status__in=IN_FORCE, ends_on__lt=today
    ):
        _move(agreement, AgreementStatus.EXPIRED, by=None, note=_("End date passed."))
        count += 1
    return count


def due_for_review(agreements, today: date) -> set[int]:
    """The ids of the agreements in force whose review date is within the notice period
    (or past)."""
    horizon = today + timedelta(days=REVIEW_NOTICE_DAYS)
    return {
        a.pk
        for a in agreements
        if a.status in IN_FORCE and a.review_on is not None and a.review_on <= horizon
    }


def send_review_reminders(today: date | None = None) -> int:
    """One email per agreement coming up for review to the region's coordinators, in each
    one's language, once per review date. How many agreements were reminded."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=REVIEW_NOTICE_DAYS)
    due = Agreement.objects.filter(
        status__in=IN_FORCE, review_on__isnull=False, review_on__lte=horizon
    ).exclude(review_reminded_on=F("review_on"))
    reminded = 0
    for agreement in due:
        coordinators = User.objects.filter(
            role__in=roles_with(EDIT_AGREEMENTS), region_id=agreement.region_id, is_active=True
        ).exclude(email="")
        for user in coordinators:
            with translation.override(user.preferred_language or "fr"):
                send_mail(
                    _("Agreement to review: %s") % agreement.title,
                    _(
                        "The agreement “%(title)s” is due for review on %(date)s. Plan the "
                        "follow-up meeting with the parties in Proxima's agreements registry."
                    )
                    % {"title": agreement.title, "date": _date(agreement.review_on)},
                    None,
                    [user.email],
                )
        Agreement.objects.filter(pk=agreement.pk).update(review_reminded_on=agreement.review_on)
        reminded += 1
    return reminded


def _date(day: date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "DATE_FORMAT")


# --- live indicators ---------------------------------------------------------------------


def referrals_under(agreement: Agreement) -> QuerySet[Referral]:
    """The referrals sent, while the agreement was in force, to its parties (their
    organizations or teams) in its region, for the needs it covers (all when none named)."""
    parties = list(agreement.parties.all())
    organizations = [p.organization_id for p in parties if p.organization_id]
    teams = [p.team_id for p in parties if p.team_id]
    # The region compared through an expression: SQLite, which keeps no statistics,
    # would otherwise read all the region's referrals since the start by time (its
    # region index) rather than the parties' by receiver.
    rows = (
        Referral.objects.alias(
            of_region=ExpressionWrapper(F("region_id") + 0, output_field=IntegerField())
        )
        .filter(
            Q(target_organization_id__in=organizations) | Q(target_team_id__in=teams),
            of_region=agreement.region_id,
            requested_at__isnull=False,
        )
        .exclude(status__in=[Status.DRAFT, Status.ENTERED_IN_ERROR])
    )
    # Compared as moments (the local midnights bounding the days), which the database
    # reads through its index: a date per row went through a Python function on SQLite.
    if agreement.starts_on:
        rows = rows.filter(requested_at__gte=start_of_day(agreement.starts_on))
    if agreement.ends_on:
        rows = rows.filter(requested_at__lt=start_of_day(agreement.ends_on + timedelta(days=1)))
    if agreement.need_domains:
        rows = rows.filter(need_domain__in=agreement.need_domains)
    return rows


def of_region(region_id, *, organization_id=None, team_id=None) -> QuerySet[Agreement]:
    """The region's agreements (those an organization or a team is party to, when
    given): for the indicators, which count them; never shown without `visible_to`."""
    rows = Agreement.objects.filter(region_id=region_id)
    if organization_id is not None:
        rows = rows.filter(parties__organization_id=organization_id)
    if team_id is not None:
        rows = rows.filter(parties__team_id=team_id)
    return rows.distinct()


def in_force_on(rows: QuerySet[Agreement], day: date) -> list[Agreement]:
    """Those in force on a day: active or under review then (their status history), and
    the day within their start and end dates."""
    from django.db.models import OuterRef, Subquery

    status_then = (
        StatusChange.objects.filter(
            agreement=OuterRef("pk"), at__lt=start_of_day(day + timedelta(days=1))
        )
        .order_by("-at", "-pk")
        .values("to_status")[:1]
    )
    return list(
        rows.annotate(status_then=Subquery(status_then))
        .filter(status_then__in=IN_FORCE)
        .exclude(starts_on__gt=day)
        .exclude(ends_on__lt=day)
    )


def training_of_region(
    region_id, start: date, end: date, *, organization_id=None
) -> list[TrainingSession]:
    """The region's joint training sessions held from `start` to `end` (those an
    organization took part in, when given), with their organizations."""
    rows = TrainingSession.objects.filter(region_id=region_id, held_on__gte=start, held_on__lte=end)
    if organization_id is not None:
        rows = rows.filter(organizations__id=organization_id).distinct()
    return list(rows.prefetch_related("organizations"))


# --- the referral's access mechanism -----------------------------------------------------


def in_force_for(referral: Referral, *, by) -> list[Agreement]:
    """The agreements in force, readable by this user, that the referral's receiving
    organization or team is party to: their access mechanism is shown with it."""
    return in_force_with(
        region_id=referral.region_id,
        organization_id=referral.target_organization_id,
        team_id=referral.target_team_id,
        by=by,
    )


def in_force_with(*, region_id, organization_id=None, team_id=None, by) -> list[Agreement]:
    """The agreements in force in the region, readable by this user, that this
    organization or team is party to (at most five, by title)."""
    if organization_id:
        party = Q(parties__organization_id=organization_id)
    elif team_id:
        party = Q(parties__team_id=team_id)
    else:
        return []
    if region_id is None:
        return []
    return list(
        visible_to(by)
        .filter(party, region_id=region_id, status__in=IN_FORCE)
        .distinct()
        .order_by("title_fr")[:5]
    )


# --- the inventory -----------------------------------------------------------------------


def inventory(user, *, status: str = "", organization_id: str | None = None) -> list[Agreement]:
    """The agreements the user may read, with their parties, by title; `status` narrows
    (an unknown status gives none), and `organization_id` to those it is party to."""
    rows = visible_to(user).prefetch_related(
        "parties__organization", "parties__team", "territories", "training_sessions"
    )
    if status:
        rows = rows.filter(status=status)
    if organization_id is not None:
        rows = rows.filter(parties__organization_id=organization_id).distinct()
    return sorted(rows, key=lambda a: a.title.casefold())


def inventory_table(agreements: list[Agreement], today: date) -> tuple[list[str], list[list]]:
    """The inventory as a header and rows of plain values (text, dates, numbers), in the
    current language: what the CSV (core.formats.csv_text) and XLSX files hold."""
    header = [
        _("Agreement"),
        _("Kind"),
        _("Status"),
        _("Due for review"),
        _("Parties"),
        _("Needs covered"),
        _("Territories covered"),
        _("How to refer"),
        _("Hours"),
        _("Contact"),
        _("The 811 may transfer a call directly"),
        _("Signed on"),
        _("In force from"),
        _("Review due on"),
        _("Ends on"),
        _("Joint training sessions"),
    ]
    due = due_for_review(agreements, today)
    labels = first_level_domain_labels()
    rows = []
    for a in agreements:
        rows.append(
            [
                a.title,
                capfirst(a.get_kind_display()),
                capfirst(a.get_status_display()),
                _("yes") if a.pk in due else _("no"),
                "; ".join(
                    f"{capfirst(str(party))} ({party.role})" if party.role else capfirst(str(party))
                    for party in a.parties.all()
                ),
                ", ".join(labels.get(d, d) for d in a.need_domains),
                ", ".join(t.name for t in a.territories.all()),
                a.how_to_refer,
                a.access_hours,
                a.access_contact,
                _("yes") if a.direct_transfer else _("no"),
                a.signed_on,
                a.starts_on,
                a.review_on,
                a.ends_on,
                len(a.training_sessions.all()),
            ]
        )
    return header, rows


def inventory_xlsx(header: list[str], rows: list[list], *, title: str) -> bytes:
    """The inventory as an Excel workbook of one sheet."""
    return workbook([(title, header, rows)])


# --- joint training ----------------------------------------------------------------------


@dataclass(frozen=True)
class OrganizationTraining:
    organization: object
    sessions: int
    last_held_on: date


def training_by_organization(sessions) -> list[OrganizationTraining]:
    """Per organization that took part in some of these sessions: how many, and the last
    one's date; by name. (The number of people is counted per session, not per
    organization: it is not split.)"""
    from proxima.core.formats import collation_key

    found: dict[str, list] = {}
    for session in sessions:
        for organization in session.organizations.all():
            found.setdefault(organization.pk, [organization, 0, session.held_on])
            entry = found[organization.pk]
            entry[1] += 1
            entry[2] = max(entry[2], session.held_on)
    rows = [OrganizationTraining(*entry) for entry in found.values()]
    return sorted(rows, key=lambda r: collation_key(r.organization.localized_name))


def training_seen_by(user, *, organization_id: str | None = None) -> list[TrainingSession]:
    """The sessions the user may see (those the organization took part in, when given;
    the latest 200), each linking its agreement (`shown_agreement`) only when the user may
    read it (a partner took part in a session of an agreement it is not party to)."""
    rows = training_visible_to(user)
    if organization_id is not None:
        rows = rows.filter(organizations__id=organization_id)
    sessions = list(rows.prefetch_related("organizations").select_related("agreement")[:200])
    readable = set(
        visible_to(user)
        .filter(pk__in={s.agreement_id for s in sessions if s.agreement_id})
        .values_list("pk", flat=True)
    )
    for session in sessions:
        session.shown_agreement = session.agreement if session.agreement_id in readable else None
    return sessions


def training_visible_to(user) -> QuerySet[TrainingSession]:
    """The region's sessions for network staff who view agreements; partners, the sessions
    their organization took part in."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return TrainingSession.objects.none()
    rows = Q(region_id=user.region_id) if _reads_region(user) else Q(pk__in=[])
    organization_id = _partner_organization(user)
    if organization_id:
        rows |= Q(organizations__id=organization_id)
    return TrainingSession.objects.filter(rows).distinct()
