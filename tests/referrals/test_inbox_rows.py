"""Inbox and Sent rows name the person (as consented: each name shown audited), the
service and the need; the receiver is never offered the sender's "Cancel"."""

import pytest
from django.test import Client
from django.urls import reverse

from proxima.core.audit import AuditEvent
from proxima.people.models import Consent
from proxima.referrals.services.workflow import ReferralInput, create_referral, send

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _shown_names(user) -> int:
    return AuditEvent.objects.filter(actor=user, action="show_person_name").count()


def test_the_receiver_sees_the_name_consented_and_the_service(sent, partner, person, service):
    before = _shown_names(partner)
    page = client_of(partner).get(reverse("referrals:inbox")).content.decode()
    assert "Élise Côté" in page and "Comptoir alimentaire" in page and "Alimentation" in page
    assert _shown_names(partner) == before + 1


def test_without_consent_to_share_identity_the_receiver_sees_no_name(
    worker, person, service, partner
):
    referral = create_referral(
        ReferralInput(
            need_domain="food",
            request_text="Dépannage",
            priority="72h",
            service=service,
            person=person,
            anonymous=True,
        ),
        by=worker,
    )
    send(referral, by=worker, version=referral.version)
    page = client_of(partner).get(reverse("referrals:inbox")).content.decode()
    assert "Élise" not in page and "demande anonyme" in page
    assert _shown_names(partner) == 0


def test_a_consent_withdrawn_hides_the_name_again(sent, partner, person, worker):
    from proxima.people.services.consent import withdraw_consent

    withdraw_consent(Consent.objects.get(person=person), by=worker)
    page = client_of(partner).get(reverse("referrals:inbox")).content.decode()
    assert "Élise" not in page and "identité non partagée" in page


def test_the_sent_list_names_the_person_for_the_sender(sent, worker):
    page = client_of(worker).get(reverse("referrals:inbox"), {"box": "sent"}).content.decode()
    assert "Élise Côté" in page and "Comptoir alimentaire" in page


def test_the_receiver_is_not_offered_cancel_the_sender_is(sent, partner, worker):
    received = client_of(partner).get(reverse("referrals:detail", args=[sent.pk]))
    assert "Refuser" in received.content.decode()
    assert "Annuler la référence" not in received.content.decode()
    own = client_of(worker).get(reverse("referrals:detail", args=[sent.pk]))
    assert "Annuler la référence" in own.content.decode()
