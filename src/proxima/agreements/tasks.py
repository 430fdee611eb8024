"""The registry's daily task, queued by `proxima start-schedules` (PERIODIC) and requeuing
itself for the next morning: agreements past their end date expire, and the region's
coordinators are reminded of the reviews coming up (REVIEW_NOTICE_DAYS ahead, once per
review date)."""

from datetime import time

from django.utils import timezone
from django_tasks import task

from proxima.agreements.services import expire_past_end, send_review_reminders
from proxima.privacy.tasks import next_run

REVIEW_AT = time(7, 0)


@task()
def review_agreements_daily(requeue: bool = True) -> dict:
    try:
        expired = expire_past_end()
        reminded = send_review_reminders()
    finally:
        if requeue:
            review_agreements_daily.using(run_after=next_run(REVIEW_AT, timezone.now())).enqueue()
    return {"expired": expired, "reminded": reminded}


PERIODIC = (review_agreements_daily,)
