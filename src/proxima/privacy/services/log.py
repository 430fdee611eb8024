"""The audit log of a privacy officer's region, filtered and paged (each read of it is
itself audited), and the state of the hash chain shown above it."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from proxima.core import audit_chain
from proxima.core.audit import record_audit_event
from proxima.core.models import AuditEvent
from proxima.core.moments import start_of_day
from proxima.core.roles import READ_AUDIT_LOG
from proxima.people.models import Person
from proxima.privacy import labels
from proxima.privacy.services.people import require_officer, require_person
from proxima.privacy.services.report import AccessLine, access_line, entries_about, related_ids

PAGE_SIZE = 50
# The page checks at most this many entries newer than the last full check (the daily
# task and `proxima verify-audit` check the whole chain).
CHECK_ON_PAGE = 5_000


@dataclass(frozen=True)
class LogFilters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    person: Person | None = None
    since: date | None = None
    until: date | None = None

    def as_detail(self) -> dict:
        """The filters as the audit line of the read keeps them (ids and codes only)."""
        values = {
            "actor": self.actor,
            "action": self.action,
            "object_type": self.object_type,
            "person": str(self.person.pk) if self.person else "",
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return {name: value for name, value in values.items() if value}


def region_log(user, filters: LogFilters) -> QuerySet[AuditEvent]:
    """The lines of the officer's region matching the filters, newest first; with them,
    Proxima's own network-wide lines (chain checks, retention runs: no personal data)."""
    require_officer(user, READ_AUDIT_LOG)
    events = AuditEvent.objects.filter(
        Q(region_id=user.region_id) | Q(region__isnull=True, actor_role="system")
    )
    if filters.person is not None:
        require_person(user, filters.person, READ_AUDIT_LOG)
        events = entries_about(related_ids(filters.person)).filter(region_id=user.region_id)
    if filters.actor:
        for word in filters.actor.split()[:4]:
            events = events.filter(
                Q(actor__username__icontains=word)
                | Q(actor__first_name__icontains=word)
                | Q(actor__last_name__icontains=word)
            )
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.since:
        events = events.filter(at__gte=start_of_day(filters.since))
    if filters.until:
        events = events.filter(at__lt=start_of_day(filters.until + timedelta(days=1)))
    return events.select_related("actor", "actor__organization").order_by("-sequence")


@dataclass(frozen=True)
class LogLine:
    """One line of the log as the page shows it: numbered, in words."""

    sequence: int
    line: AccessLine
    object_label: str
    object_id: str
    person_id: str  # the record to filter on, when the line is about a record
    note: str


def _note(event: AuditEvent) -> str:
    """A few words from the detail, for Proxima's own lines (never personal data)."""
    detail = event.detail or {}
    if event.action == "verify_audit":
        if detail.get("ok"):
            count = detail.get("entries", 0)
            return ngettext("%d entry, whole", "%d entries, whole", count) % count
        return _("broken at entry #%s") % detail.get("broken_at")
    if event.action == "apply_retention":
        deleted = sum(detail.get("deleted_rows", {}).values())
        return ngettext("%d row deleted", "%d rows deleted", deleted) % deleted
    return ""


def log_line(event: AuditEvent) -> LogLine:
    is_person = event.object_type == Person._meta.label_lower
    return LogLine(
        sequence=event.sequence,
        line=access_line(event),
        object_label=labels.object_type_label(event.object_type) if event.object_type else "",
        object_id=event.object_id,
        person_id=event.object_id if is_person else "",
        note=_note(event),
    )


def read_log(*, by, filters: LogFilters, page: str | int | None = 1) -> Page:
    """One page of the region's log; the read is written to the log (filters and page)."""
    events = region_log(by, filters)
    found = Paginator(events, PAGE_SIZE).get_page(page)
    found.object_list = [log_line(event) for event in found.object_list]
    record_audit_event(
        by,
        "read_audit_log",
        object_type=AuditEvent._meta.label_lower,
        detail={**filters.as_detail(), "page": found.number},
    )
    return found


@dataclass(frozen=True)
class ChainState:
    """What the page says of the chain: "verified" (through entry #through), "broken"
    (since entry #broken_at) or "unverified" (no full check yet, too long to check here)."""

    status: str
    through: int = 0
    broken_at: int | None = None
    checked_at: datetime | None = None
    problem: str = field(default="", compare=False)


def chain_state(limit: int = CHECK_ON_PAGE) -> ChainState:
    """The last full check (an audit line of its own), and the entries written since,
    checked now from the head it verified."""
    last_check = (
        AuditEvent.objects.filter(action="verify_audit", actor_role="system")
        .order_by("-sequence")
        .first()
    )
    if last_check is not None and not last_check.detail.get("ok", False):
        return ChainState(
            "broken",
            broken_at=last_check.detail.get("broken_at"),
            checked_at=last_check.at,
            problem=last_check.detail.get("problem", ""),
        )
    after = None
    if last_check is not None:
        after = (last_check.detail.get("last_sequence", 0), last_check.detail.get("last_hash"))
        if not after[0]:
            after = None
        elif not audit_chain.entry_matches(*after):
            return ChainState("broken", broken_at=after[0], checked_at=timezone.now())
    report = audit_chain.verify_chain(after=after, limit=limit)
    if not report.ok:
        return ChainState(
            "broken", broken_at=report.broken_at, checked_at=timezone.now(), problem=report.problem
        )
    if report.entries == limit:
        newer = AuditEvent.objects.filter(sequence__gt=report.last_sequence).exists()
        if newer:
            return ChainState("unverified", through=report.last_sequence)
    return ChainState("verified", through=report.last_sequence, checked_at=timezone.now())
