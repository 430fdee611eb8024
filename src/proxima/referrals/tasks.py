"""Background tasks that keep referrals from getting silently stuck.

- `remind_if_unanswered(id)`: queued when a referral is sent, to run at its response due
  time; if still unanswered, the referrer, the receiving side and the region's
  coordinators are told, and it queues itself again a day later.
- `sweep_overdue()`: every hour, catches any overdue referral whose reminder is missing
  (a worker that was down, a task row deleted), and any accepted referral with no news
  for STALE_AFTER (both sides are asked where it stands, weekly), then queues itself.
- `send_daily_digests()`: every morning, emails the notices of the users who chose a
  digest, then queues itself for the next morning.
`proxima start-schedules` queues the two periodic tasks when they are not queued yet.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from proxima.referrals.lifecycle import Status
from proxima.referrals.models import Referral
from proxima.referrals.services import notify

REMIND_EVERY = timedelta(days=1)
STALE_AFTER = timedelta(days=30)
STALE_REMIND_EVERY = timedelta(days=7)
SWEEP_EVERY = timedelta(hours=1)
DIGEST_AT = time(7, 0)


def queue_reminder(referral: Referral, at: datetime) -> None:
    remind_if_unanswered.using(run_after=at).enqueue(str(referral.pk))


@task()
def remind_if_unanswered(referral_id: str) -> bool:
    """True when a reminder went out."""
    now = timezone.now()
    with transaction.atomic():
        referral = Referral.objects.select_for_update().filter(pk=referral_id).first()
        if referral is None or referral.status != Status.REQUESTED:
            return False
        if referral.response_due_at and referral.response_due_at > now:
            queue_reminder(referral, referral.response_due_at)  # the due time moved
            return False
        if referral.last_reminder_at and now - referral.last_reminder_at < REMIND_EVERY / 2:
            return False  # the sweep just did it
        notify.overdue(referral)
        referral.last_reminder_at = now
        referral.save(update_fields=["last_reminder_at"])
        queue_reminder(referral, now + REMIND_EVERY)
    return True


def overdue_without_recent_reminder(now: datetime):
    return Referral.objects.filter(status=Status.REQUESTED, response_due_at__lt=now).exclude(
        last_reminder_at__gt=now - REMIND_EVERY
    )


def stale_without_recent_reminder(now: datetime):
    """Accepted, in progress or on hold, and nothing happened for STALE_AFTER."""
    from django.db.models import Max

    return (
        Referral.objects.filter(status__in=[Status.ACCEPTED, Status.IN_PROGRESS, Status.ON_HOLD])
        .annotate(last_change=Max("events__at"))
        .filter(last_change__lt=now - STALE_AFTER)
        .exclude(last_reminder_at__gt=now - STALE_REMIND_EVERY)
    )


@task()
def sweep_overdue(requeue: bool = True) -> int:
    """How many reminders went out."""
    now = timezone.now()
    sent = sum(
        remind_if_unanswered.call(str(pk))
        for pk in overdue_without_recent_reminder(now).values_list("pk", flat=True)[:500]
    )
    for referral in stale_without_recent_reminder(now)[:500]:
        notify.stale(referral)
        Referral.objects.filter(pk=referral.pk).update(last_reminder_at=now)
        sent += 1
    if requeue:
        sweep_overdue.using(run_after=now + SWEEP_EVERY).enqueue()
    return sent


def next_digest_time(now: datetime) -> datetime:
    local = timezone.localtime(now)
    at = timezone.make_aware(datetime.combine(local.date(), DIGEST_AT))
    return at if at > now else at + timedelta(days=1)


@task()
def send_daily_digests(requeue: bool = True) -> int:
    sent = notify.send_digests()
    if requeue:
        send_daily_digests.using(run_after=next_digest_time(timezone.now())).enqueue()
    return sent
