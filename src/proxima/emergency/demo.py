"""The demo's emergency: a spring flood in the demo region some five months ago, declared
and led by the team lead (`chefequipe`), the emergency psychosocial team (the demo CLSC
worker `clsc` a member) making the follow-up calls. Five households, twelve people
registered, psychological first aid given to most; the +72 h, +2 weeks and +1 month
follow-ups recorded (mostly reached, some unreachable, one declined, referrals made),
one +1 month call overdue, the +6 months ones still to come; closed with its report.
No active event: the 811 screen shows no banner in the demo. Fictional people; dates
relative to today. Loaded once, through the named actions, then dated back."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from proxima.core.models import User
from proxima.emergency import services
from proxima.emergency.models import AffectedPerson, Event, FollowUp, Household
from proxima.emergency.services import AffectedInput, EventInput
from proxima.teams.services import join, standard_team
from proxima.territories.models import Territory
from proxima.territories.services import territory_ids_within

TITLE = "Crue printanière de la rivière Saint-Charles"
DAYS_AGO = 150
# (household, size, [(given, family, phone, age band, needs, first aid)]).
HOUSEHOLDS = (
    (
        "Famille Tremblay, 12 rue des Saules",
        4,
        [
            ("Nathalie", "Tremblay", "418 555-0141", "25-64", ["housing", "income"], True),
            ("Patrick", "Tremblay", "418 555-0142", "25-64", ["housing"], True),
            ("Léo", "Tremblay", "", "6-11", [], True),
            ("Zoé", "Tremblay", "", "0-5", [], False),
        ],
    ),
    (
        "34 rue des Saules, app. 2",
        1,
        [("Gérard", "Bolduc", "418 555-0143", "65+", ["health_access", "housing"], True)],
    ),
    (
        "Famille Haddad",
        3,
        [
            ("Samira", "Haddad", "418 555-0144", "25-64", ["food", "housing"], True),
            ("Karim", "Haddad", "418 555-0145", "25-64", ["income"], True),
            ("Inès", "Haddad", "", "12-17", ["family"], True),
        ],
    ),
    (
        "7 avenue du Parc",
        2,
        [
            ("Lucie", "Poirier", "418 555-0146", "65+", ["mental_health"], False),
            ("Roger", "Poirier", "418 555-0147", "65+", [], True),
        ],
    ),
    (
        "Famille Nguyen",
        2,
        [
            ("Thi", "Nguyen", "418 555-0148", "18-24", ["housing", "legal"], True),
            ("Minh", "Nguyen", "418 555-0149", "18-24", [], False),
        ],
    ),
)
# Follow-up results, by person in order (those listed only; the rest: reached, nothing
# oriented). Each: {sequence: (status, orientation, note)}.
RESULTS = {
    0: {2: ("done_reached", "referral", "Orientée vers l’aide au relogement de l’OMH.")},
    1: {3: ("unreachable", "none", "Trois essais, messages laissés.")},
    4: {1: ("done_reached", "referral", "Suivi CLSC en soutien à domicile demandé.")},
    5: {2: ("done_reached", "information", "Informée des programmes d’aide financière.")},
    7: {3: ("declined", "none", "Dit aller bien, ne souhaite plus d’appel.")},
    8: {2: ("unreachable", "none", "Numéro hors service.")},
    10: {1: ("done_reached", "internal", "Vers la consultation sociale du CLSC.")},
}
# The +1 month follow-up left undone (overdue), for this person.
OVERDUE = 11
REPORT = (
    "Crue de la rivière Saint-Charles : 40 résidences évacuées pendant quatre jours. "
    "Le centre de services aux sinistrés a accueilli 12 personnes de 5 ménages; "
    "premiers secours psychologiques donnés sur place par l’équipe des services "
    "psychosociaux d’urgence, avec l’appui du 811.\n\n"
    "Ce qui a fonctionné : l’inscription rapide par ménage, les rappels à 72 h.\n"
    "À améliorer : joindre les personnes sans téléphone (passer par la Ville).\n\n"
    "Les suivis à 6 mois restent planifiés par l’équipe."
)


@transaction.atomic
def load_demo_emergency() -> int:
    """The demo's past flood and its follow-ups: 1 when created, 0 when already there."""
    lead = User.objects.filter(username="chefequipe").first()
    if lead is None or lead.region_id is None or not services.declares(lead):
        return 0
    region = lead.region
    if Event.objects.filter(region=region, title=TITLE).exists():
        return 0
    team = standard_team(region, "emergency_psychosocial")
    join(lead, team)
    clsc = User.objects.filter(username="clsc", region=region).first()
    if clsc is not None:
        join(clsc, team)
    caller = clsc or lead
    territory = (
        Territory.objects.filter(pk__in=territory_ids_within(region.pk), level="neighbourhood")
        .order_by("name_fr")
        .first()
    )
    now = timezone.now()
    occurred = now - timedelta(days=DAYS_AGO)
    event = services.declare_event(
        EventInput(
            kind="flood",
            title=TITLE,
            place="Rues des Saules et avenue du Parc, berges de la rivière",
            occurred_on=timezone.localdate(occurred),
            lead=lead,
            team=team,
            territory=territory,
        ),
        by=lead,
    )
    event = services.activate_event(event, by=lead)
    people: list[AffectedPerson] = []
    for label, size, members in HOUSEHOLDS:
        household = services.register_household(event, label, size, by=lead)
        for given, family, phone, age_band, needs, first_aid in members:
            people.append(
                services.register_affected_person(
                    event,
                    AffectedInput(
                        given_name=given,
                        family_name=family,
                        phone=phone,
                        age_band=age_band,
                        need_domains=needs,
                        first_aid_given=first_aid,
                        first_aid_notes="Écoute, information sur les réactions au stress."
                        if first_aid
                        else "",
                        household=household,
                    ),
                    by=caller,
                )
            )
    # Dated back: registered on the day of the flood and the next, each follow-up due on
    # its schedule from then.
    for index, affected in enumerate(people):
        registered_at = occurred + timedelta(hours=6 + 2 * index)
        AffectedPerson.objects.filter(pk=affected.pk).update(registered_at=registered_at)
        for follow_up in affected.follow_ups.all():
            follow_up.due_at = registered_at + timedelta(
                hours=event.follow_up_offsets_hours[follow_up.sequence - 1]
            )
            follow_up.save(update_fields=["due_at"])
    Household.objects.filter(event=event).update(created_at=occurred)
    for index, affected in enumerate(people):
        results = RESULTS.get(index, {})
        for follow_up in FollowUp.objects.filter(
            affected_person=affected, due_at__lt=now, status="due"
        ).order_by("sequence"):
            if index == OVERDUE and follow_up.sequence == 3:
                continue
            status, orientation, note = results.get(
                follow_up.sequence, ("done_reached", "none", "")
            )
            services.record_follow_up(
                follow_up, by=caller, status=status, note=note, orientation=orientation
            )
            FollowUp.objects.filter(pk=follow_up.pk).update(
                done_at=follow_up.due_at + timedelta(hours=3)
            )
    closed_at = occurred + timedelta(days=40)
    services.close_event(event, by=lead, report=REPORT)
    event.refresh_from_db()
    event.declared_at = occurred + timedelta(hours=2)
    event.activated_at = occurred + timedelta(hours=3)
    event.closed_at = closed_at
    event.save(update_fields=["declared_at", "activated_at", "closed_at"])
    return 1
