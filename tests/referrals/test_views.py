"""Referral pages: sent from the contact screen's matches, answered from the partner's
inbox in two clicks, seen closed by the referrer; conflicts and strangers."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from proxima.core.roles import Role
from proxima.referrals.models import Notification, Referral
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_refer_from_a_contact_then_accept_from_the_inbox(worker, person, service, consent, partner):
    from proxima.intake.services.episodes import open_episode

    episode = open_episode(by=worker, channel="phone_811", reason="Plus rien à manger")
    episode.person = person
    episode.save()
    referrer = client_of(worker)
    form = referrer.get(
        reverse("referrals:new"),
        {"episode": episode.pk, "service": service.pk, "need_domain": "food"},
    )
    assert (
        "Comptoir alimentaire" in form.content.decode()
        and "Pour Élise Côté" in form.content.decode()
    )
    sent = referrer.post(
        reverse("referrals:new"),
        {
            "episode": episode.pk,
            "service": service.pk,
            "need_domain": "food",
            "request_text": "Dépannage cette semaine",
            "priority": "72h",
            "send_now": "1",
        },
    )
    referral = Referral.objects.get()
    assert sent.status_code == 302 and referral.status == "requested"
    assert referral.episode == episode and referral.requester_team.code == "info_social"

    receiver = client_of(partner)
    inbox = receiver.get(reverse("referrals:inbox")).content.decode()
    assert "Accepter" in inbox and "Élise Côté" in inbox  # named as consented (identity)
    accepted = receiver.post(
        reverse("referrals:detail", args=[referral.pk]),
        {
            "action": "status",
            "status": "accepted",
            "version": referral.version,
            "first_appointment_at": "2026-12-01T09:00",
            "next": "inbox",
        },
    )
    assert accepted.status_code == 302 and accepted["Location"] == reverse("referrals:inbox")
    referral.refresh_from_db()
    assert referral.status == "accepted"
    assert timezone.localtime(referral.first_appointment_at).hour == 9  # typed in local time
    detail = receiver.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Élise Côté" in detail and "418 555-0101" in detail  # consented identity

    page = referrer.get(reverse("referrals:inbox") + "?box=sent&status=all").content.decode()
    assert "acceptée" in page
    assert Notification.objects.filter(user=worker, kind="status:accepted", read_at=None).exists()
    referrer.get(reverse("referrals:detail", args=[referral.pk]))
    assert not Notification.objects.filter(user=worker, read_at=None).exists()


def test_decline_in_two_clicks_and_a_stale_form_is_a_conflict(sent, partner, worker):
    receiver = client_of(partner)
    url = reverse("referrals:detail", args=[sent.pk])
    declined = receiver.post(
        url,
        {"action": "status", "status": "rejected", "version": sent.version, "reason": "full"},
    )
    assert declined.status_code == 302
    stale = client_of(worker).post(
        url, {"action": "status", "status": "cancelled", "version": sent.version}
    )
    assert stale.status_code == 409
    assert "Quelqu’un d’autre a modifié cette référence" in stale.content.decode()
    sent.refresh_from_db()
    assert (sent.status, sent.reject_reason) == ("rejected", "full")


def test_without_consent_the_referral_waits_as_a_draft(worker, person, service):
    referrer = client_of(worker)
    response = referrer.post(
        reverse("referrals:new"),
        {
            "person": person.pk,
            "service": service.pk,
            "need_domain": "food",
            "request_text": "Panier",
            "priority": "72h",
            "send_now": "1",
        },
        follow=True,
    )
    referral = Referral.objects.get()
    assert referral.status == "draft"
    page = response.content.decode()
    assert "Enregistrée comme brouillon" in page and "demande anonyme" in page


def test_strangers_cannot_open_a_referral(sent, region):
    url = reverse("referrals:detail", args=[sent.pk])
    stranger = UserFactory(role=Role.PARTNER_ADMIN, organization=OrganizationFactory())
    # Someone who works with referrals but not this one: not found, as a missing one.
    assert client_of(stranger).get(url).status_code == 404
    from proxima.core.models import Region

    elsewhere = Region.objects.create(code="07", name="Outaouais")
    other_region = UserFactory(role=Role.CLSC_WORKER, region=elsewhere, team="interprofessional")
    assert client_of(other_region).get(url).status_code == 404
    evaluator = UserFactory(role=Role.EVALUATOR, region=region)
    assert client_of(evaluator).get(url).status_code == 403
    bad = client_of(sent.requester).post(url, {"action": "status", "status": "nope", "version": 2})
    assert bad.status_code == 400
    garbled = client_of(sent.requester).post(
        url, {"action": "status", "status": "cancelled", "version": "x<script>"}
    )
    assert garbled.status_code == 409  # an unreadable version is a stale one, not a 500


def test_a_worker_chooses_the_daily_digest(worker):
    client = client_of(worker)
    client.post(reverse("referrals:notification_settings"), {"digest": "on"})
    worker.refresh_from_db()
    assert worker.referral_digest
    page = client.get(reverse("referrals:notifications")).content.decode()
    assert 'id="digest" name="digest" checked' in page
    client.post(reverse("referrals:notification_settings"), {})
    worker.refresh_from_db()
    assert not worker.referral_digest


def test_a_referral_can_wait_as_a_draft(worker, person, service, consent):
    client = client_of(worker)
    client.post(
        reverse("referrals:new"),
        {
            "person": person.pk,
            "service": service.pk,
            "need_domain": "food",
            "request_text": "À confirmer avec la personne",
            "priority": "2w",
            "send_now": "0",
        },
    )
    draft = Referral.objects.get()
    assert draft.status == "draft" and draft.requested_at is None
    page = client.get(reverse("referrals:detail", args=[draft.pk])).content.decode()
    assert "Envoyer la référence" in page
    client.post(
        reverse("referrals:detail", args=[draft.pk]),
        {"action": "send", "version": draft.version},
    )
    draft.refresh_from_db()
    assert draft.status == "requested"


def test_colleagues_who_read_the_record_read_its_referrals_but_do_not_act(sent, region):
    prescriber = UserFactory(role=Role.SOCIAL_PRESCRIBER, region=region, team="social_prescribing")
    client = client_of(prescriber)
    url = reverse("referrals:detail", args=[sent.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Élise Côté" in page.content.decode()
    assert "Mettre à jour la référence" not in page.content.decode()
    refused = client.post(url, {"action": "status", "status": "cancelled", "version": sent.version})
    assert refused.status_code == 403


def test_the_risks_shared_with_the_receiver_are_in_words(worker, person, partner, sent):
    """They were shown as codes ("suicide — high")."""
    from proxima.intake.services.episodes import open_episode, record_screening
    from proxima.people.services.consent import ConsentInput, record_consent

    episode = open_episode(by=worker, channel="phone_811", reason="", person=person)
    answers = {"q1": True, "q2": True, "q3": True, "q4": True, "q5": False, "q6": False}
    record_screening(episode, "cssrs-screen", answers, by=worker)
    Referral.objects.filter(pk=sent.pk).update(episode=episode)
    record_consent(
        person,
        ConsentInput(
            categories=["risk"],
            purpose="Sécurité",
            method="verbal",
            recipient_organization=partner.organization,
        ),
        by=worker,
    )
    client = Client()
    client.force_login(partner)
    page = client.get(reverse("referrals:detail", args=[sent.pk])).content.decode()
    assert "risque suicidaire — élevé" in page and "suicide — high" not in page
