"""Retention: how long each kind of record is kept, and the named action that applies it.

One explicit table (RULES); the durations come from settings.RETENTION_DAYS (environment
variables, docs/privacy.md). A record past its time is deleted, with what hangs on it
(a contact's screenings, escalations and orientations; a draft referral's events). The
audit log is never deleted here: its entries older than RETENTION_AUDIT_YEARS are
counted, so that an archival (not automated) can be planned. Each run writes one audit
line with the counts, in the same transaction as the deletions.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from proxima.core.audit import SYSTEM, record_audit_event
from proxima.core.models import AuditEvent
from proxima.intake.models import CallDraft, ContactEpisode
from proxima.referrals.lifecycle import TERMINAL, Status
from proxima.referrals.models import Notification, Referral

DELETE_BATCH = 500


@dataclass(frozen=True)
class Rule:
    """A kind of record, how long it is kept (days, from `setting`) and what is due."""

    code: str
    label: Any
    kept: Any  # from when the time runs, in words
    due: Callable[[datetime], QuerySet]
    delete: bool = True

    @property
    def days(self) -> int:
        if self.code == "audit_log":
            return settings.RETENTION_AUDIT_YEARS * 365
        return settings.RETENTION_DAYS[self.code]


def _anonymous_contacts_closed(before: datetime, *, raised_a_risk: bool) -> QuerySet:
    """Closed before `before`, and no referral made from them still under way (its
    receiver reads the contact's needs and risks until it is closed)."""
    under_way = Referral.objects.exclude(status__in=TERMINAL).filter(episode__isnull=False)
    return (
        ContactEpisode.objects.filter(
            person__isnull=True,
            closed_at__isnull=False,
            closed_at__lt=before,
            escalations__isnull=not raised_a_risk,
        )
        .exclude(pk__in=under_way.values("episode_id"))
        .distinct()  # a contact with two escalations is one contact
    )


RULES: list[Rule] = [
    Rule(
        "anonymous_contacts",
        _("contacts of anonymous callers (never linked to a record)"),
        _("after the contact was closed"),
        lambda before: _anonymous_contacts_closed(before, raised_a_risk=False),
    ),
    Rule(
        "anonymous_risk_contacts",
        _("contacts of anonymous callers that raised a risk (with what was done about it)"),
        _("after the contact was closed"),
        lambda before: _anonymous_contacts_closed(before, raised_a_risk=True),
    ),
    Rule(
        "referral_drafts",
        _("referral drafts never sent"),
        _("after the draft was started"),
        lambda before: Referral.objects.filter(
            status=Status.DRAFT, created_at__lt=before, sub_referrals__isnull=True
        ),
    ),
    Rule(
        "contact_drafts",
        _("unsaved typing on a contact's screen"),
        _("after it was last saved"),
        lambda before: CallDraft.objects.filter(saved_at__lt=before),
    ),
    Rule(
        "read_notifications",
        _("notifications already read"),
        _("after they were read"),
        lambda before: Notification.objects.filter(read_at__isnull=False, read_at__lt=before),
    ),
    Rule(
        "finished_tasks",
        _("results of finished background tasks"),
        _("after the task finished"),
        lambda before: DBTaskResult.objects.filter(
            status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=before
        ),
    ),
    Rule(
        "expired_sessions",
        _("expired sign-in sessions"),
        _("after they expired"),
        lambda before: Session.objects.filter(expire_date__lt=before),
    ),
    Rule(
        "audit_log",
        _("audit log entries (kept; counted for archival)"),
        _("after they were written"),
        lambda before: AuditEvent.objects.filter(at__lt=before),
        delete=False,
    ),
]


@dataclass
class RetentionReport:
    """Per rule: how many records were due and how many rows went (with what hung on
    them); `dry_run` when nothing was changed."""

    at: datetime
    dry_run: bool
    due: dict[str, int] = field(default_factory=dict)
    deleted_rows: dict[str, int] = field(default_factory=dict)


def _ids(rows: QuerySet) -> list:
    """Primary keys first: a deletion by id never follows a join twice (and no database
    refuses a DELETE with a LIMIT or a join)."""
    return list(rows.values_list("pk", flat=True).distinct())


def apply_retention(
    *, by: Any = SYSTEM, now: datetime | None = None, dry_run: bool = False
) -> RetentionReport:
    """Delete what is past its retention time, rule by rule, in one transaction with one
    audit line of counts. A dry run counts, changes nothing and writes nothing."""
    now = now or timezone.now()
    report = RetentionReport(at=now, dry_run=dry_run)
    with transaction.atomic():
        for rule in RULES:
            rows = rule.due(now - timedelta(days=rule.days))
            if not rule.delete or dry_run:
                report.due[rule.code] = rows.count()
                continue
            ids = _ids(rows)
            report.due[rule.code] = len(ids)
            report.deleted_rows[rule.code] = sum(
                rows.model.objects.filter(pk__in=ids[start : start + DELETE_BATCH]).delete()[0]
                for start in range(0, len(ids), DELETE_BATCH)
            )
        if not dry_run:
            record_audit_event(
                by,
                "apply_retention",
                object_type="privacy.retention",
                detail={"due": report.due, "deleted_rows": report.deleted_rows},
            )
    return report
