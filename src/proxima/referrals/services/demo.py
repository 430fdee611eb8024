"""Demo people and referrals in every state, made through the real services (so the
history, notifications and reminders are what the application would have produced), then
dated back so that inboxes, overdue flags and the services' responsiveness look lived-in.
Every person is fictional. Loaded once: a second run changes nothing."""

from datetime import date, timedelta

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from proxima.core.models import User
from proxima.directory.models import Organization, Service
from proxima.people.models import Person
from proxima.people.services.consent import ConsentInput, record_consent
from proxima.people.services.records import PersonInput, create_person, link_household
from proxima.referrals.lifecycle import Status
from proxima.referrals.models import Referral, ReferralEvent, ReferralMessage
from proxima.referrals.services.sharing import post_message
from proxima.referrals.services.workflow import (
    ReferralInput,
    create_referral,
    pass_on,
    send,
    transition,
)

DEMO_PEOPLE = [
    ("Amina", "Diallo", date(1987, 4, 12), "418 555-0142"),
    ("Jean", "Tremblay", date(1951, 11, 3), "418 555-0178"),
    ("Léa", "Gagnon", date(2008, 2, 20), ""),
    ("Karim", "Haddad", date(1979, 7, 30), "418 555-0190"),
    ("Sophie", "Bouchard", date(1992, 1, 8), "418 555-0111"),
]


def _person(given, family, born, phone, worker) -> Person:
    existing = Person.objects.filter(given_name=given, family_name=family, birth_date=born)
    if existing.exists():
        return existing.get()
    data = PersonInput(given, family, born, phone=phone, postal_code="G1K 3B2")
    return create_person(data, by=worker, confirmed_new=True)


def _consent(person, worker, *, organization=None, team=""):
    record_consent(
        person,
        ConsentInput(
            categories=["identity", "needs", "follow_up"],
            purpose="Référence et suivi (démo)",
            method="verbal",
            recipient_organization=organization,
            recipient_team=team,
        ),
        by=worker,
    )


def _back_date(referral: Referral, days: float, answered_after_hours: float | None = None):
    """Move the referral's dates `days` into the past (its events and messages with it)."""
    referral.refresh_from_db()
    sent = timezone.now() - timedelta(days=days)
    changes = {
        "requested_at": sent,
        "response_due_at": sent + (referral.response_due_at - referral.requested_at),
    }
    if referral.responded_at is not None and answered_after_hours is not None:
        changes["responded_at"] = sent + timedelta(hours=answered_after_hours)
    Referral.objects.filter(pk=referral.pk).update(**changes)
    shift = timezone.now() - sent
    for event in ReferralEvent.objects.filter(referral=referral):
        ReferralEvent.objects.filter(pk=event.pk).update(at=event.at - shift)
    for message in ReferralMessage.objects.filter(referral=referral):
        ReferralMessage.objects.filter(pk=message.pk).update(at=message.at - shift)


@transaction.atomic
def load_demo_referrals(partner_organization_id: str | None) -> int:
    """Referrals between the demo accounts; returns how many were created."""
    worker = User.objects.filter(username="info811").first()
    clsc = User.objects.filter(username="clsc").first()
    partner = User.objects.filter(username="partenaire").first()
    organization = Organization.objects.filter(pk=partner_organization_id).first()
    service = Service.objects.filter(organization=organization).order_by("name").first()
    if not (worker and clsc and partner and service):
        return 0
    if Referral.objects.filter(requester=worker).exists():
        return 0
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        return _load(worker, clsc, partner, organization, service)


def _load(worker, clsc, partner, organization, service) -> int:
    people = [_person(*row, worker) for row in DEMO_PEOPLE]
    amina, jean, lea, karim, sophie = people
    child = _person("Ousmane", "Diallo", date(2015, 9, 10), "", worker)
    link_household(child, amina, "parent", by=worker)
    for person in people:
        _consent(person, worker, organization=organization)
    _consent(amina, worker, team="social_consultation")

    def refer(person, text, priority="72h", *, anonymous=False, team=""):
        data = ReferralInput(
            need_domain="food",
            request_text=text,
            priority=priority,
            service=None if team else service,
            target_team=team,
            person=person,
            anonymous=anonymous,
        )
        draft = create_referral(data, by=worker)
        return send(draft, by=worker, version=draft.version, acknowledge_duplicates=True)

    def move(referral, status, by, **extra):
        referral.refresh_from_db()
        return transition(referral, status, by=by, version=referral.version, **extra)

    soon = timezone.now() + timedelta(days=2)
    created = []
    # Draft: waiting for the worker to send it.
    created.append(
        create_referral(
            ReferralInput(
                "food", "Panier de Noël pour la famille", "2w", service=service, person=sophie
            ),
            by=worker,
        )
    )
    # Requested, overdue: nobody answered in time.
    overdue = refer(jean, "Repas livrés : M. Tremblay ne sort plus l’hiver", "urgent")
    _back_date(overdue, days=3)
    created.append(overdue)
    # Requested, anonymous, fresh.
    created.append(refer(karim, "Dépannage alimentaire cette semaine", anonymous=True))
    # Completed loops, answered at various speeds: the service's page has figures.
    for person, hours, days in ((amina, 5, 40), (jean, 20, 30), (lea, 3, 25), (karim, 30, 20)):
        done = refer(person, "Dépannage alimentaire", "72h")
        move(done, Status.ACCEPTED, partner, first_appointment_at=soon)
        move(done, Status.IN_PROGRESS, partner)
        move(done, Status.COMPLETED, partner, outcome="service_received", note="Panier remis")
        _back_date(done, days=days, answered_after_hours=hours)
        created.append(done)
    # Accepted, with an appointment and a message each way.
    accepted = refer(amina, "Inscription au marché solidaire", "2w")
    move(accepted, Status.ACCEPTED, partner, first_appointment_at=soon)
    post_message(
        accepted, "Madame préfère les rendez-vous en après-midi.", by=worker, category="follow_up"
    )
    post_message(accepted, "Noté : jeudi 14 h.", by=partner)
    _back_date(accepted, days=6, answered_after_hours=26)
    created.append(accepted)
    # On hold, declined (full), cancelled, failed, entered in error.
    on_hold = refer(sophie, "Épicerie solidaire", "2w")
    move(on_hold, Status.ACCEPTED, partner, first_appointment_at=soon)
    move(on_hold, Status.ON_HOLD, partner, note="En attente d’une place")
    _back_date(on_hold, days=12, answered_after_hours=8)
    created.append(on_hold)
    declined = refer(lea, "Collations pour l’école", "2w")
    move(declined, Status.REJECTED, partner, reason="full")
    _back_date(declined, days=15, answered_after_hours=48)
    created.append(declined)
    cancelled = refer(karim, "Bons d’achat", "2w")
    move(cancelled, Status.CANCELLED, worker, note="La personne a trouvé de l’aide ailleurs")
    created.append(cancelled)
    failed = refer(jean, "Accompagnement à l’épicerie", "2w")
    move(failed, Status.ACCEPTED, partner, first_appointment_at=soon)
    move(failed, Status.FAILED, partner, note="Personne injoignable après trois appels")
    _back_date(failed, days=18, answered_after_hours=12)
    created.append(failed)
    error = refer(sophie, "Doublon saisi par erreur", "2w")
    move(error, Status.ENTERED_IN_ERROR, worker, note="Saisie en double")
    created.append(error)
    # A chain: 811 → CLSC social consultation → the community organization.
    to_clsc = refer(
        amina, "Évaluation psychosociale de la famille", "72h", team="social_consultation"
    )
    move(to_clsc, Status.ACCEPTED, clsc, first_appointment_at=soon)
    move(to_clsc, Status.IN_PROGRESS, clsc)
    onward = pass_on(
        to_clsc,
        ReferralInput("food", "Aide alimentaire pour la famille", "72h", service=service),
        by=clsc,
        acknowledge_duplicates=True,
    )
    created.extend([to_clsc, onward])
    return len(created)
