"""Retention: each rule deletes what is older than its time and keeps what is younger;
the audit log is never deleted; each run writes one audit line with the counts; a dry
run changes and writes nothing; the daily tasks requeue themselves."""

import io
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from proxima.core.audit import SYSTEM, record_audit_event
from proxima.core.models import AuditEvent
from proxima.intake.models import (
    CallDraft,
    ContactEpisode,
    Escalation,
    EscalationAction,
    Screening,
)
from proxima.intake.services.episodes import (
    close_episode,
    open_episode,
    record_escalation_action,
    record_screening,
)
from proxima.privacy import tasks
from proxima.privacy.services.retention import RULES, apply_retention
from proxima.referrals.models import Notification, Referral
from proxima.referrals.services.workflow import ReferralInput, create_referral

NEGATIVE_SCREEN = {"q1": False, "q2": False, "q6": False}

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = timedelta(days=1)


def aged(model, rows, field, days):
    """Set `field` of these rows `days` ago (the records were written just now)."""
    model.objects.filter(pk__in=[row.pk for row in rows]).update(**{field: NOW - days * DAY})


@pytest.fixture
def records(network, lea, settings):
    """For each rule, one record just past its time and one just within it."""
    settings.RETENTION_DAYS = {
        "anonymous_contacts": 730,
        "anonymous_risk_contacts": 3650,
        "referral_drafts": 90,
        "contact_drafts": 30,
        "read_notifications": 180,
        "finished_tasks": 30,
        "expired_sessions": 0,
    }
    worker = network.worker
    made = {}
    contacts = []
    for _ in range(2):
        contact = open_episode(by=worker, channel="phone_811", reason="Appel anonyme")
        record_screening(contact, "cssrs-screen", NEGATIVE_SCREEN, by=worker)
        close_episode(contact, by=worker)
        contacts.append(contact)
    aged(ContactEpisode, contacts[:1], "closed_at", 731)
    aged(ContactEpisode, contacts[1:], "closed_at", 729)
    made["anonymous_contacts"] = contacts
    # Anonymous callers who raised a risk: a report to youth protection made and recorded.
    risky = []
    for _ in range(3):
        contact = open_episode(by=worker, channel="phone_811", reason="Appel anonyme")
        answers = {"harm_to_others": False, "violence": False, "child_in_danger": True}
        answers["elder_abuse"] = False
        [escalation] = record_screening(contact, "safety-screen", answers, by=worker).escalations
        for action in escalation.required_actions:
            record_escalation_action(escalation, action, by=worker)
        close_episode(contact, by=worker)
        risky.append(contact)
    aged(ContactEpisode, risky[:1], "closed_at", 3651)
    aged(ContactEpisode, risky[1:2], "closed_at", 3649)
    aged(ContactEpisode, risky[2:], "closed_at", 731)  # past the no-risk time: kept
    made["anonymous_risk_contacts"] = risky
    drafts = [
        create_referral(
            ReferralInput(
                need_domain="food",
                request_text="Brouillon",
                priority="2w",
                target_team="social_consultation",
                anonymous=True,
            ),
            by=worker,
        )
        for _ in range(2)
    ]
    aged(Referral, drafts[:1], "created_at", 91)
    aged(Referral, drafts[1:], "created_at", 89)
    made["referral_drafts"] = drafts
    call_drafts = [
        CallDraft.objects.create(episode=c, user=u, data={"reason": "…"})
        for c, u in ((lea.contact, worker), (lea.contact, network.prescriber))
    ]
    aged(CallDraft, call_drafts[:1], "saved_at", 31)
    aged(CallDraft, call_drafts[1:], "saved_at", 29)
    made["contact_drafts"] = call_drafts
    notices = [
        Notification.objects.create(user=worker, referral=lea.referral, kind="x", text="…")
        for _ in range(3)
    ]
    aged(Notification, notices[:1], "read_at", 181)
    aged(Notification, notices[1:2], "read_at", 179)  # and the third is unread
    made["read_notifications"] = notices
    results = list(DBTaskResult.objects.all()[:0])
    for status in ("SUCCESSFUL", "FAILED", "SUCCESSFUL"):
        result = tasks.verify_audit_daily.using(run_after=None).enqueue(requeue=False)
        results.append(DBTaskResult.objects.get(pk=result.id))
        DBTaskResult.objects.filter(pk=result.id).update(status=status, finished_at=NOW)
    aged(DBTaskResult, results[:2], "finished_at", 31)
    aged(DBTaskResult, results[2:], "finished_at", 29)
    made["finished_tasks"] = results
    sessions = [
        Session.objects.create(session_key=f"k{n}", session_data="", expire_date=NOW + days * DAY)
        for n, days in enumerate((-1, 1))
    ]
    made["expired_sessions"] = sessions
    return made


def still_there(rows) -> list[bool]:
    return [type(row).objects.filter(pk=row.pk).exists() for row in rows]


def test_each_rule_deletes_the_older_and_keeps_the_younger(records):
    report = apply_retention(now=NOW)
    assert still_there(records["anonymous_contacts"]) == [False, True]
    assert still_there(records["anonymous_risk_contacts"]) == [False, True, True]
    assert still_there(records["referral_drafts"]) == [False, True]
    assert still_there(records["contact_drafts"]) == [False, True]
    assert still_there(records["read_notifications"]) == [False, True, True]
    assert still_there(records["finished_tasks"]) == [False, False, True]
    assert still_there(records["expired_sessions"]) == [False, True]
    assert report.due == {
        "anonymous_contacts": 1,
        "anonymous_risk_contacts": 1,
        "referral_drafts": 1,
        "contact_drafts": 1,
        "read_notifications": 1,
        "finished_tasks": 2,
        "expired_sessions": 1,
        "audit_log": 0,
    }
    # What hung on the deleted contact went with it; the kept one keeps its screening.
    assert Screening.objects.filter(episode=records["anonymous_contacts"][1]).exists()
    assert report.deleted_rows["anonymous_contacts"] == 2  # the contact and its screening
    assert not Escalation.objects.filter(episode_id=records["anonymous_contacts"][0].pk).exists()
    # The risk contact went with its screening, escalation and actions (PROTECT refused it
    # once, and the whole run with it).
    gone = records["anonymous_risk_contacts"][0]
    assert not Escalation.objects.filter(episode_id=gone.pk).exists()
    assert not EscalationAction.objects.filter(escalation__episode_id=gone.pk).exists()
    assert EscalationAction.objects.filter(
        escalation__episode_id=records["anonymous_risk_contacts"][1].pk
    ).exists()


def test_contacts_linked_to_a_person_are_never_deleted_by_the_anonymous_rule(network, lea, records):
    ContactEpisode.objects.filter(pk=lea.contact.pk).update(closed_at=NOW - 3000 * DAY)
    apply_retention(now=NOW)
    assert ContactEpisode.objects.filter(pk=lea.contact.pk).exists()


def test_each_run_writes_one_audit_line_and_the_log_is_kept(records):
    AuditEvent.objects.count()
    first = AuditEvent.objects.order_by("sequence").first()
    report = apply_retention(now=NOW + 20 * 365 * DAY)  # every audit line is "old" then
    assert report.due["audit_log"] > 0 and "audit_log" not in report.deleted_rows
    assert AuditEvent.objects.filter(pk=first.pk).exists()
    run = AuditEvent.objects.get(action="apply_retention")
    assert run.actor_id is None and run.actor_role == "system"
    assert run.detail["due"] == report.due and run.detail["deleted_rows"] == report.deleted_rows
    from proxima.core.audit_chain import verify_chain

    assert verify_chain().ok


def test_a_dry_run_counts_and_changes_nothing(records):
    before = AuditEvent.objects.count()
    report = apply_retention(now=NOW, dry_run=True)
    assert report.due["referral_drafts"] == 1 and report.deleted_rows == {}
    assert still_there(records["referral_drafts"]) == [True, True]
    assert AuditEvent.objects.count() == before


def test_durations_come_from_settings(records, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "referral_drafts": 10}
    apply_retention(now=NOW)
    assert still_there(records["referral_drafts"]) == [False, False]


def test_the_command(records):
    output = io.StringIO()
    call_command("apply-retention", "--dry-run", stdout=output)
    assert "brouillons de référence jamais envoyés" in output.getvalue()
    assert still_there(records["referral_drafts"]) == [True, True]
    call_command("apply-retention", stdout=output)
    assert still_there(records["referral_drafts"]) == [False, True]
    assert "journal d’audit" in output.getvalue()


def test_the_daily_tasks_requeue_themselves(network):
    assert tasks.apply_retention_daily.call() == {rule.code: 0 for rule in RULES}
    assert tasks.verify_audit_daily.call() is True
    queued = DBTaskResult.objects.filter(status="READY")
    paths = sorted(queued.values_list("task_path", flat=True))
    assert paths == sorted(t.module_path for t in tasks.PERIODIC)
    for result in queued:
        local = timezone.localtime(result.run_after)
        assert (local.hour, local.minute) in ((3, 0), (3, 30)) and result.run_after > timezone.now()
    assert list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True)) == [
        "apply_retention",
        "verify_audit",
    ]


def test_start_schedules_queues_them(network):
    call_command("start-schedules", stdout=io.StringIO())
    paths = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert {t.module_path for t in tasks.PERIODIC} <= paths


def test_system_lines_written_by_the_task_are_system(network):
    record_audit_event(SYSTEM, "apply_retention")
    assert AuditEvent.objects.get().actor_role == "system"


def test_a_failing_night_still_queues_the_next(network, monkeypatch):
    """The nightly run raised before requeuing itself: one failure ended the schedule."""

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(tasks, "apply_retention", broken)
    monkeypatch.setattr(tasks, "check_audit_chain", broken)
    for daily in tasks.PERIODIC:
        with pytest.raises(RuntimeError):
            daily.call()
    queued = DBTaskResult.objects.filter(status="READY")
    assert sorted(queued.values_list("task_path", flat=True)) == sorted(
        t.module_path for t in tasks.PERIODIC
    )


def test_a_contact_whose_referral_is_under_way_is_kept(network, settings):
    """Its receiver reads the contact's needs and risks until the referral is closed: the
    contact went, and the referral lost them."""
    from proxima.referrals.services.workflow import send

    worker = network.worker
    contact = open_episode(by=worker, channel="phone_811", reason="Appel anonyme")
    record_screening(contact, "cssrs-screen", NEGATIVE_SCREEN, by=worker)
    referral = create_referral(
        ReferralInput(
            need_domain="food",
            request_text="Panier",
            priority="2w",
            target_team="social_consultation",
            anonymous=True,
            episode_id=contact.pk,
        ),
        by=worker,
    )
    send(referral, by=worker, version=referral.version)
    close_episode(contact, by=worker)
    aged(ContactEpisode, [contact], "closed_at", 3000)
    apply_retention(now=NOW)
    assert ContactEpisode.objects.filter(pk=contact.pk).exists()
    Referral.objects.filter(pk=referral.pk).update(status="completed")
    apply_retention(now=NOW)
    assert not ContactEpisode.objects.filter(pk=contact.pk).exists()
