"""Privacy's daily tasks, queued by `proxima start-schedules` (PERIODIC) and requeuing
themselves for the next night:

- `apply_retention_daily()`: applies the retention rules (services/retention.py);
- `verify_audit_daily()`: checks the whole audit chain and logs its head (sequence and
  hash), so that a copy of it lives outside the database (`verify-audit --expect`).
"""

import logging
from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks import task

from proxima.core.audit import check_audit_chain
from proxima.privacy.services.retention import apply_retention

logger = logging.getLogger(__name__)

RETENTION_AT = time(3, 0)
VERIFY_AT = time(3, 30)


def next_run(at: time, now: datetime) -> datetime:
    """The next local `at` after `now`."""
    local = timezone.localtime(now)
    moment = timezone.make_aware(datetime.combine(local.date(), at))
    return (
        moment
        if moment > now
        else timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), at))
    )


@task()
def apply_retention_daily(requeue: bool = True) -> dict:
    """The counts of what was due, per rule. Tomorrow's run is queued whatever happens
    tonight: one failure must not end the schedule."""
    try:
        report = apply_retention()
    except Exception:
        logger.exception("retention FAILED: nothing was deleted tonight")
        raise
    finally:
        if requeue:
            apply_retention_daily.using(run_after=next_run(RETENTION_AT, timezone.now())).enqueue()
    return report.due


@task()
def verify_audit_daily(requeue: bool = True) -> bool:
    """True when the chain is whole (tomorrow's check is queued whatever happens)."""
    try:
        report = check_audit_chain()
    finally:
        if requeue:
            verify_audit_daily.using(run_after=next_run(VERIFY_AT, timezone.now())).enqueue()
    if report.ok:
        logger.info(
            "audit chain verified: %d entries, head %d:%s",
            report.entries,
            report.last_sequence,
            report.last_hash,
        )
    else:
        logger.error("audit chain BROKEN at entry #%s: %s", report.broken_at, report.problem)
    return report.ok


PERIODIC = (apply_retention_daily, verify_audit_daily)
