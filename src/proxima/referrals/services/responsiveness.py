"""How a service answers referrals, measured and published on its page: median time to
answer and acceptance rate over the last 90 days. Services that stopped answering (no
capacity, no funding) become visible: referrals left unanswered past their due time are
counted too. Below MIN_ANSWERED answers, nothing is published (too few to mean anything,
and small numbers could point at people)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from django.utils import timezone

from proxima.referrals.lifecycle import Status, was_accepted
from proxima.referrals.models import Referral, hours_to_answer

WINDOW_DAYS = 90
MIN_ANSWERED = 5


@dataclass(frozen=True)
class Responsiveness:
    received: int
    answered: int
    unanswered_overdue: int
    median_hours: float | None
    acceptance_rate: float | None  # 0..1

    @property
    def published(self) -> bool:
        return self.median_hours is not None

    @property
    def median_days(self) -> float | None:
        return None if self.median_hours is None else round(self.median_hours / 24, 1)


def service_responsiveness(service_id: str, *, now: datetime | None = None) -> Responsiveness:
    now = now or timezone.now()
    rows = (
        Referral.objects.filter(
            service_id=service_id, requested_at__gte=now - timedelta(days=WINDOW_DAYS)
        )
        .annotate(hours=hours_to_answer())
        .values_list("hours", "status", "response_due_at")
    )
    delays, accepted, overdue, received = [], 0, 0, 0
    for hours, status, due in rows:
        if status == Status.ENTERED_IN_ERROR:
            continue
        received += 1
        if hours is not None:  # answered
            delays.append(float(hours))
            accepted += was_accepted(status, hours)
        elif status == Status.REQUESTED and due is not None and due < now:
            overdue += 1
    answered = len(delays)
    if answered < MIN_ANSWERED:
        return Responsiveness(received, answered, overdue, None, None)
    return Responsiveness(
        received, answered, overdue, round(median(delays), 1), round(accepted / answered, 2)
    )
