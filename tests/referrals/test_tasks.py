"""Reminders: queued when a referral is sent, at its due time; an unanswered referral
tells the referrer, the receiving side and the coordinators, again each day; the hourly
sweep catches a missing reminder; digests gather the day's notices in one email."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from proxima.referrals.models import Notification, Referral
from proxima.referrals.tasks import (
    remind_if_unanswered,
    send_daily_digests,
    sweep_overdue,
)

pytestmark = pytest.mark.django_db


def reminders_queued():
    return DBTaskResult.objects.filter(task_path=remind_if_unanswered.module_path)


def make_overdue(referral: Referral) -> None:
    Referral.objects.filter(pk=referral.pk).update(
        response_due_at=timezone.now() - timedelta(minutes=1)
    )


def test_sending_queues_a_reminder_at_the_due_time(sent):
    [queued] = reminders_queued()
    assert queued.run_after == sent.response_due_at
    assert queued.args_kwargs["args"] == [str(sent.pk)]


def test_an_unanswered_referral_tells_everyone_concerned(
    sent, worker, partner, coordinator, django_capture_on_commit_callbacks
):
    assert remind_if_unanswered.call(str(sent.pk)) is False  # not due yet
    make_overdue(sent)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_if_unanswered.call(str(sent.pk)) is True
    told = {n.user for n in Notification.objects.filter(kind="overdue")}
    assert told == {worker, partner, coordinator}
    assert any("Toujours pas de réponse" in m.subject for m in mail.outbox)
    tomorrow = reminders_queued().order_by("-run_after").first().run_after
    assert tomorrow > timezone.now() + timedelta(hours=23)
    assert remind_if_unanswered.call(str(sent.pk)) is False  # not twice in a row


def test_an_answered_referral_is_left_alone(sent, partner):
    from proxima.referrals.services.workflow import transition

    make_overdue(sent)
    sent.refresh_from_db()
    transition(sent, "rejected", by=partner, version=sent.version, reason="full")
    assert remind_if_unanswered.call(str(sent.pk)) is False
    assert not Notification.objects.filter(kind="overdue").exists()


def test_the_sweep_catches_a_lost_reminder(sent, worker):
    reminders_queued().delete()  # the queued reminder was lost
    make_overdue(sent)
    assert sweep_overdue.call(requeue=False) == 1
    assert sweep_overdue.call(requeue=False) == 0  # reminded less than a day ago
    assert Notification.objects.filter(kind="overdue", user=worker).count() == 1


def test_digest_users_get_one_email(sent, partner, worker, django_capture_on_commit_callbacks):
    from proxima.referrals.services.workflow import transition

    worker.referral_digest = True
    worker.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        transition(sent, "cancelled", by=partner, version=sent.version)
    assert mail.outbox == []
    assert send_daily_digests.call(requeue=False) == 1
    [digest] = mail.outbox
    assert digest.to == [worker.email] and "annulée" in digest.body
    assert send_daily_digests.call(requeue=False) == 0


def test_periodic_tasks_are_queued_once(db):
    call_command("start-schedules")
    call_command("start-schedules")
    paths = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    from proxima.agreements.tasks import PERIODIC as AGREEMENTS_PERIODIC
    from proxima.privacy.tasks import PERIODIC as PRIVACY_PERIODIC

    queued = [send_daily_digests, sweep_overdue, *PRIVACY_PERIODIC, *AGREEMENTS_PERIODIC]
    assert paths == sorted(periodic.module_path for periodic in queued)


def test_an_accepted_referral_without_news_is_not_left_silent(sent, partner, worker):
    from proxima.referrals.models import ReferralEvent
    from proxima.referrals.services.workflow import transition

    sent.refresh_from_db()
    accepted = transition(
        sent,
        "accepted",
        by=partner,
        version=sent.version,
        first_appointment_at=timezone.now() + timedelta(days=1),
    )
    assert sweep_overdue.call(requeue=False) == 0  # news is fresh
    long_ago = timezone.now() - timedelta(days=31)
    ReferralEvent.objects.filter(referral=accepted).update(at=long_ago)
    assert sweep_overdue.call(requeue=False) == 1
    told = {n.user for n in Notification.objects.filter(kind="stale")}
    assert told == {worker, partner}
    assert sweep_overdue.call(requeue=False) == 0  # asked again only a week later
