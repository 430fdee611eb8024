"""A service's published responsiveness: median time to answer and acceptance rate over
90 days, nothing below five answers, unanswered overdue referrals shown."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from proxima.referrals.models import Referral
from proxima.referrals.services.responsiveness import service_responsiveness

pytestmark = pytest.mark.django_db


def referral(service, worker, *, sent_days_ago, answered_after_hours=None, rejected=False):
    now = timezone.now()
    sent = now - timedelta(days=sent_days_ago)
    return Referral.objects.create(
        region=worker.region,
        need_domain="food",
        request_text="Panier",
        priority="72h",
        requester=worker,
        service=service,
        target_organization=service.organization,
        anonymous=True,
        status="rejected" if rejected else ("accepted" if answered_after_hours else "requested"),
        reject_reason="full" if rejected else "",
        requested_at=sent,
        response_due_at=sent + timedelta(hours=72),
        responded_at=sent + timedelta(hours=answered_after_hours) if answered_after_hours else None,
    )


def test_median_and_acceptance_over_ninety_days(service, worker):
    for hours in (2, 4, 6, 8):
        referral(service, worker, sent_days_ago=10, answered_after_hours=hours)
    referral(service, worker, sent_days_ago=10, answered_after_hours=30, rejected=True)
    referral(service, worker, sent_days_ago=5)  # unanswered, overdue
    referral(service, worker, sent_days_ago=1)  # unanswered, not yet due
    referral(service, worker, sent_days_ago=120, answered_after_hours=500)  # too old
    measured = service_responsiveness(service.pk)
    assert (measured.received, measured.answered, measured.unanswered_overdue) == (7, 5, 1)
    assert (measured.median_hours, measured.acceptance_rate) == (6.0, 0.8)

    page = Client().get(reverse("directory:service", args=[service.pk])).content.decode()
    assert "Répond aux références en 6 h (médiane)" in page
    assert "accepte 80\u00a0% de 5 références répondues" in page
    assert "1 référence restée sans réponse après son échéance" in page


def test_too_few_answers_publish_nothing(service, worker):
    for hours in (1, 2, 3, 4):
        referral(service, worker, sent_days_ago=3, answered_after_hours=hours)
    measured = service_responsiveness(service.pk)
    assert not measured.published and measured.median_hours is None
    page = Client().get(reverse("directory:service", args=[service.pk])).content.decode()
    assert "Trop peu de références" in page
