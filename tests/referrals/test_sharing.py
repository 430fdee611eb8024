"""The receiving side sees only what the person consented to share with it, decided at
each read: a withdrawal hides it at once. Messages follow the same rule."""

import pytest

from proxima.core.models import AuditEvent
from proxima.people.services.consent import ConsentInput, record_consent, withdraw_consent
from proxima.referrals.models import ReferralMessage
from proxima.referrals.services.sharing import post_message, view_referral
from proxima.referrals.services.workflow import ReferralInputError

pytestmark = pytest.mark.django_db


def test_the_receiver_sees_the_consented_categories_only(sent, partner, worker):
    seen = view_referral(sent, by=partner)
    assert seen.categories == {"identity", "needs"}
    assert seen.person["family_name"] == "Côté" and seen.person["phone"] == "418 555-0101"
    assert seen.request_text == "Dépannage alimentaire cette semaine"
    assert seen.household == [] and seen.risks == []
    event = AuditEvent.objects.filter(action="read_referral", actor=partner).get()
    assert event.detail == {"categories": ["identity", "needs"]}
    assert view_referral(sent, by=worker).categories >= {"identity", "needs", "risk", "family"}


def test_withdrawing_consent_hides_the_person_at_once(sent, partner, worker, consent):
    withdraw_consent(consent, by=worker, reason="ne veut plus")
    seen = view_referral(sent, by=partner)
    assert seen.categories == set() and seen.person == {} and seen.request_text == ""
    assert not seen.identified


def test_an_anonymous_request_shows_no_one_even_with_consent(
    worker, person, service, consent, partner
):
    from proxima.referrals.services.workflow import ReferralInput, create_referral, send

    draft = create_referral(
        ReferralInput("food", "Panier", "72h", service=service, person=person, anonymous=True),
        by=worker,
    )
    sent = send(draft, by=worker, version=draft.version)
    seen = view_referral(sent, by=partner)
    assert seen.person == {} and seen.request_text == "Panier"


def test_messages_need_consent_for_their_category(sent, partner, worker, person, partner_org):
    with pytest.raises(ReferralInputError) as refused:
        post_message(sent, "Elle sera là jeudi.", by=worker, category="follow_up")
    assert "n’a pas consenti" in refused.value.errors["category"]
    post_message(sent, "Besoin de lait pour bébé.", by=worker, category="needs")
    post_message(sent, "Rendez-vous confirmé.", by=partner)
    record_consent(
        person,
        ConsentInput(
            categories=["follow_up"],
            purpose="Suivi",
            method="verbal",
            recipient_organization=partner_org,
        ),
        by=worker,
    )
    post_message(sent, "Elle sera là jeudi.", by=worker, category="follow_up")
    assert len(view_referral(sent, by=partner).messages) == 3

    for consent in person.consents.filter(withdrawn_at=None):
        withdraw_consent(consent, by=worker)
    seen = view_referral(sent, by=partner)
    assert [m.body for m in seen.messages] == ["Rendez-vous confirmé."]  # its own only
    assert seen.hidden_messages == 2
    assert len(view_referral(sent, by=worker).messages) == 3  # the referrer sees all
    assert ReferralMessage.objects.count() == 3


def test_each_read_says_why_the_reader_may_read(sent, partner, worker, clsc, coordinator):
    """Someone who reads the referral through the person's file was written down as
    "regional oversight" in the person's access report."""
    from proxima.core.models import AuditEvent

    for reader in (partner, worker, clsc, coordinator):
        view_referral(sent, by=reader)
    reasons = dict(AuditEvent.objects.filter(action="read_referral").values_list("actor", "reason"))
    assert reasons == {
        partner.pk: "target",
        worker.pk: "requester",
        clsc.pk: "person file",
        coordinator.pk: "oversight",
    }
