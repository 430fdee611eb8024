"""Sending, answering and closing referrals: every transition through the service, by
each side; what each status requires; conflicts; duplicates; consent at sending."""

import itertools
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from proxima.core.models import AuditEvent
from proxima.people.services.consent import withdraw_consent
from proxima.referrals.lifecycle import SET_BY, Side, Status, is_legal
from proxima.referrals.models import Notification, Referral
from proxima.referrals.services.workflow import (
    IllegalTransition,
    PossibleDuplicateReferral,
    ReferralConflict,
    ReferralInput,
    ReferralInputError,
    create_referral,
    pass_on,
    send,
    transition,
)

pytestmark = pytest.mark.django_db

REQUIRED = {
    Status.ACCEPTED: {"first_appointment_at": "soon"},
    Status.REJECTED: {"reason": "full"},
    Status.COMPLETED: {"outcome": "service_received"},
    Status.FAILED: {"note": "La personne a déménagé"},
    Status.ENTERED_IN_ERROR: {"note": "Mauvaise personne"},
}


def extra_for(status):
    extra = dict(REQUIRED.get(status, {}))
    if extra.get("first_appointment_at") == "soon":
        extra["first_appointment_at"] = timezone.now() + timedelta(days=2)
    return extra


@pytest.mark.parametrize(("current", "new"), list(itertools.product(Status.values, repeat=2)))
def test_every_transition_by_each_side(sent, worker, partner, current, new):
    Referral.objects.filter(pk=sent.pk).update(status=current)
    for side, user in ((Side.REQUESTER, worker), (Side.TARGET, partner)):
        referral = Referral.objects.get(pk=sent.pk)
        referral.status = current
        allowed = is_legal(current, new) and side in SET_BY[new]
        if allowed:
            done = transition(referral, new, by=user, version=referral.version, **extra_for(new))
            assert done.status == new and done.version == referral.version + 1
            assert done.events.last().to_status == new and done.events.last().side == side
            Referral.objects.filter(pk=sent.pk).update(status=current)
        else:
            with pytest.raises(IllegalTransition):
                transition(referral, new, by=user, version=referral.version, **extra_for(new))
            assert Referral.objects.get(pk=sent.pk).status == current


def test_the_whole_loop_is_in_the_history(sent, worker, partner):
    accepted = transition(
        sent,
        Status.ACCEPTED,
        by=partner,
        version=sent.version,
        first_appointment_at=timezone.now() + timedelta(days=1),
    )
    started = transition(accepted, Status.IN_PROGRESS, by=partner, version=accepted.version)
    done = transition(
        started,
        Status.COMPLETED,
        by=partner,
        version=started.version,
        outcome="service_received",
        note="Panier reçu",
    )
    assert [(e.from_status, e.to_status, e.side) for e in done.events.all()] == [
        ("", "draft", "requester"),
        ("draft", "requested", "requester"),
        ("requested", "accepted", "target"),
        ("accepted", "in-progress", "target"),
        ("in-progress", "completed", "target"),
    ]
    assert done.responded_at and done.closed_at and done.outcome_note == "Panier reçu"
    assert done.response_due_at == done.requested_at + timedelta(hours=72)
    statuses = [
        e.detail["status"]
        for e in AuditEvent.objects.filter(action="referral_status").order_by("id")
    ]
    assert statuses == ["requested", "accepted", "in-progress", "completed"]


def test_each_status_says_what_it_needs(sent, partner, worker):
    with pytest.raises(ReferralInputError) as refused:
        transition(sent, Status.ACCEPTED, by=partner, version=sent.version)
    assert "first_appointment_at" in refused.value.errors
    with pytest.raises(ReferralInputError) as refused:
        transition(sent, Status.REJECTED, by=partner, version=sent.version, reason="bored")
    assert refused.value.errors == {"reason": "Choisissez pourquoi la référence est refusée."}
    with pytest.raises(ReferralInputError) as refused:
        transition(sent, Status.REJECTED, by=partner, version=sent.version, reason="other")
    assert "note" in refused.value.errors
    with pytest.raises(IllegalTransition) as refused:
        transition(sent, Status.ACCEPTED, by=worker, version=sent.version)
    assert "Seul" in refused.value.errors["status"]
    assert Referral.objects.get(pk=sent.pk).status == Status.REQUESTED


def test_a_stale_version_is_a_conflict_and_nothing_is_lost(sent, partner, worker):
    seen = sent.version
    transition(sent, Status.CANCELLED, by=worker, version=seen)
    with pytest.raises(ReferralConflict) as conflict:
        transition(sent, Status.REJECTED, by=partner, version=seen, reason="full")
    assert conflict.value.referral.status == Status.CANCELLED
    assert Referral.objects.get(pk=sent.pk).status == Status.CANCELLED


def test_strangers_cannot_act(sent, region):
    from proxima.core.roles import Role
    from tests.factories import OrganizationFactory, UserFactory

    other_partner = UserFactory(role=Role.PARTNER_ADMIN, organization=OrganizationFactory())
    for user in (other_partner, UserFactory(role=Role.EVALUATOR, region=region)):
        with pytest.raises(PermissionDenied):
            transition(sent, Status.CANCELLED, by=user, version=sent.version)


def test_the_other_side_is_told_by_email_and_in_app(
    partner, worker, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = send(draft, by=worker, version=draft.version)
    [notice] = Notification.objects.filter(kind="status:requested")
    assert notice.user == partner and notice.emailed_at is not None
    assert "Comptoir alimentaire Limoilou" in mail.outbox[-1].body
    assert "Côté" not in mail.outbox[-1].body  # notices never name the person
    partner.referral_digest = True
    partner.save()
    transition(sent, Status.CANCELLED, by=worker, version=sent.version)
    notice = Notification.objects.get(kind="status:cancelled")
    assert notice.user == partner and notice.emailed_at is None  # kept for the digest


def test_no_email_leaves_before_the_change_is_committed(
    partner, worker, draft, django_capture_on_commit_callbacks
):
    """Emails go once the change is saved: a change that fails sends nothing, and the mail
    server's delay never holds the referral (the email is not sent inside its transaction)."""
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send(draft, by=worker, version=draft.version)
        assert mail.outbox == []  # not yet: still inside the transaction
        raise RuntimeError("the rest of the action failed")
    assert callbacks == [] and mail.outbox == []
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_without_consent_only_an_anonymous_request(worker, person, service, consent):
    withdraw_consent(consent, by=worker)
    data = ReferralInput("food", "Dépannage", "72h", service=service, person=person)
    draft = create_referral(data, by=worker)
    with pytest.raises(ReferralInputError) as refused:
        send(draft, by=worker, version=draft.version)
    assert "demande anonyme" in refused.value.errors["consent"]
    anonymous = create_referral(
        ReferralInput("food", "Dépannage", "72h", service=service, person=person, anonymous=True),
        by=worker,
    )
    assert send(anonymous, by=worker, version=anonymous.version).status == Status.REQUESTED


def test_duplicates_are_flagged_before_sending(sent, worker, person, service, clsc):
    again = create_referral(
        ReferralInput("food", "Encore", "72h", service=service, person=person), by=worker
    )
    with pytest.raises(PossibleDuplicateReferral) as warned:
        send(again, by=worker, version=again.version)
    assert warned.value.warnings == [
        "Une référence existe déjà vers Comptoir alimentaire Limoilou (demandée)."
    ]
    assert send(again, by=worker, version=again.version, acknowledge_duplicates=True).status == (
        Status.REQUESTED
    )
    team = create_referral(
        ReferralInput(
            "food", "Suivi", "2w", target_team="social_consultation", person=person, anonymous=True
        ),
        by=worker,
    )
    with pytest.raises(PossibleDuplicateReferral) as warned:
        send(team, by=worker, version=team.version)
    assert "pour ce besoin" in warned.value.warnings[0]


def test_a_referral_passed_on_keeps_the_chain(worker, clsc, person, service, partner):
    to_clsc = create_referral(
        ReferralInput(
            "food",
            "Évaluer",
            "72h",
            target_team="social_consultation",
            person=person,
            anonymous=True,
        ),
        by=worker,
    )
    to_clsc = send(to_clsc, by=worker, version=to_clsc.version)
    with pytest.raises(IllegalTransition):
        pass_on(to_clsc, ReferralInput("food", "Panier", "72h", service=service), by=clsc)
    to_clsc = transition(
        to_clsc,
        Status.ACCEPTED,
        by=clsc,
        version=to_clsc.version,
        first_appointment_at=timezone.now(),
    )
    child = pass_on(to_clsc, ReferralInput("food", "Panier", "72h", service=service), by=clsc)
    assert child.parent == to_clsc and child.status == Status.REQUESTED
    assert child.requester_team.code == "social_consultation" and child.person == person
    assert child.anonymous  # the parent was anonymous: so is what it passes on
    assert list(to_clsc.sub_referrals.all()) == [child]
    # The receiver sees who passed it on, without a link to a file it may not open.
    from django.test import Client

    client = Client()
    client.force_login(partner)
    page = client.get(f"/referrals/{child.pk}/").content.decode()
    assert "Transmise par" in page
    assert f"/referrals/{to_clsc.pk}/" not in page
    assert client.get(f"/referrals/{to_clsc.pk}/").status_code == 404
    client.force_login(clsc)
    assert f"/referrals/{to_clsc.pk}/" in client.get(f"/referrals/{child.pk}/").content.decode()


def test_a_partner_without_a_region_refers_within_the_networks_region(
    region, partner, need_domains
):
    assert partner.region_id is None
    referral = create_referral(
        ReferralInput(
            "food", "Évaluation", "2w", target_team="social_consultation", anonymous=True
        ),
        by=partner,
    )
    assert referral.region == region and referral.requester_organization == partner.organization
    from proxima.core.models import Region

    Region.objects.create(code="07", name="Outaouais")
    with pytest.raises(ReferralInputError) as refused:
        create_referral(
            ReferralInput(
                "food", "Évaluation", "2w", target_team="social_consultation", anonymous=True
            ),
            by=partner,
        )
    assert "region" in refused.value.errors
