"""The demo CLSC worker's caseload (user `clsc`): open cases with their plans and next
actions (one overdue), signed and draft notes, an addendum, a co-intervener, a coaching
request answered and one waiting, and a closed case. Fictional people of the demo
referrals; dates relative to today. Loaded once, through the named actions."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from proxima.casework import services
from proxima.casework.models import Case, ProgressNote
from proxima.casework.services import NoteInput
from proxima.core.models import User
from proxima.core.roles import Role
from proxima.people.models import Person
from proxima.teams.services import join, standard_team

# The interprofessional team's consultant who answers coaching (no sign-in of her own).
CONSULTANT = ("consultante", "Isabelle", "Consultante interprofessionnelle")


def _person(given: str, family: str, region) -> Person | None:
    return Person.objects.filter(
        given_name=given, family_name=family, region=region, merged_into__isnull=True
    ).first()


def _consultant(region) -> User:
    username, first, last = CONSULTANT
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "role": Role.CLSC_WORKER,
            "first_name": first,
            "last_name": last,
            "region": region,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    join(user, standard_team(region, "interprofessional"))
    return user


def _back_date(case: Case, days: int) -> None:
    """The case opened `days` ago (the demo's history is not all of today)."""
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - timedelta(days=days))


def _note(case, worker, kind, minutes, place, days_ago, text, *, sign=True) -> ProgressNote:
    today = timezone.localdate()
    note = services.write_note(
        case,
        NoteInput(kind, minutes, place, today - timedelta(days=days_ago), text),
        by=worker,
    )
    if sign:
        services.sign_note(note, by=worker)
    return note


@transaction.atomic
def load_demo_caseload() -> int:
    """The cases of the demo CLSC worker; how many were opened (0 when already there)."""
    clsc = User.objects.filter(username="clsc").first()
    lead = User.objects.filter(username="chefequipe").first()
    if clsc is None or clsc.region_id is None or Case.objects.filter(opened_by=clsc).exists():
        return 0
    region = clsc.region
    team = standard_team(region, "social_consultation")
    join(clsc, team)
    consultant = _consultant(region)
    interprofessional = standard_team(region, "interprofessional")
    today = timezone.localdate()
    opened = 0

    amina = _person("Amina", "Diallo", region)
    if amina is not None:
        case = services.open_case(
            amina,
            by=clsc,
            team=team,
            plan="Soutenir Amina dans l’organisation du quotidien avec son fils Ousmane; "
            "stabiliser le budget; relier la famille à une ressource de répit.",
        )
        _back_date(case, 40)
        services.add_next_action(
            case, "Rappeler Amina pour le suivi du budget", today - timedelta(days=3), by=clsc
        )
        services.add_next_action(
            case, "Visite à domicile avec la co-intervenante", today + timedelta(days=5), by=clsc
        )
        if lead is not None:
            services.add_co_worker(case, lead, by=clsc)
        signed = _note(
            case,
            clsc,
            "assessment",
            75,
            "home",
            21,
            "Première rencontre à domicile. Amina décrit une grande fatigue et des retards "
            "de loyer. Ousmane va bien à l’école.",
        )
        services.add_addendum(
            signed,
            "Correction : la rencontre a eu lieu en présence de la sœur d’Amina, avec son accord.",
            by=clsc,
        )
        _note(
            case,
            clsc,
            "support",
            30,
            "phone",
            7,
            "Appel de suivi. Le budget est fait avec Amina; elle demande de l’aide pour le répit.",
        )
        _note(
            case,
            clsc,
            "coordination",
            20,
            "phone",
            0,
            "Brouillon : appel à l’organisme de répit, en attente de rappel.",
            sign=False,
        )
        answered = services.request_coaching(
            case,
            interprofessional,
            "Comment soutenir une mère épuisée qui refuse le répit pour l’instant?",
            by=clsc,
        )
        services.answer_coaching(
            answered,
            "Explorer ses craintes face au répit; proposer d’abord une courte période, "
            "avec une personne qu’elle connaît. On peut en discuter à la rencontre "
            "d’équipe de jeudi.",
            by=consultant,
        )
        opened += 1

    karim = _person("Karim", "Haddad", region)
    if karim is not None:
        case = services.open_case(
            karim,
            by=clsc,
            team=team,
            plan="Accompagner Karim dans sa recherche de logement et son retour au travail.",
        )
        _back_date(case, 12)
        services.add_next_action(
            case, "Accompagner Karim à l’office d’habitation", today + timedelta(days=2), by=clsc
        )
        _note(
            case,
            clsc,
            "accompaniment",
            90,
            "community",
            4,
            "Accompagnement au comptoir alimentaire et à l’office d’habitation. Dossier "
            "de logement ouvert.",
        )
        services.request_coaching(
            case,
            interprofessional,
            "Karim évoque des idées noires passagères : faut-il une évaluation en santé mentale?",
            by=clsc,
        )
        opened += 1

    jean = _person("Jean", "Tremblay", region)
    if jean is not None:
        case = services.open_case(
            jean,
            by=clsc,
            team=team,
            plan="Rompre l’isolement de M. Tremblay; sécuriser son domicile l’hiver.",
        )
        _back_date(case, 90)
        services.add_next_action(case, "Appel de bilan", today - timedelta(days=30), by=clsc)
        action = case.next_actions.get()
        services.complete_next_action(action, by=clsc)
        _note(
            case,
            clsc,
            "psychoeducation",
            45,
            "online",
            35,
            "Rencontre en ligne avec M. Tremblay et sa fille : services de maintien à "
            "domicile et activités de quartier.",
        )
        services.close_case(
            case,
            by=clsc,
            reason="goals_met",
            orientation="community",
            summary="M. Tremblay participe au repas communautaire deux fois par semaine.",
        )
        opened += 1
    return opened
