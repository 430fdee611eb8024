"""Demo social prescriptions (active, completed, stopped) for the demo people, with goals
rated, supports, follow-ups and K10 measures before and after. Loaded once."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from proxima.core.models import User
from proxima.directory.models import Service
from proxima.directory.services.search import SearchQuery, search_services
from proxima.outcomes.services.measures import record_measurement
from proxima.people.models import Person
from proxima.prescriptions.models import Prescription, PrescriptionStatus
from proxima.prescriptions.services.plans import (
    PrescriptionInput,
    SupportInput,
    create_prescription,
    end_prescription,
    rate_goal,
    record_follow_up,
    set_activity_status,
)

PLANS = [
    # (given name, what matters, with, goals, activity searches, supports, end status, K10)
    (
        "Ousmane",
        "Jouer de la musique comme son cousin; se faire des amis à l’école",
        "Ousmane et sa mère",
        ["Aller à la musique deux fois par semaine", "Se faire un ami"],
        ["musique", "soccer"],
        [("equipment", "Prêt d’un violon"), ("transport", "Billets d’autobus")],
        None,
        (24, 17),
    ),
    (
        "Jean",
        "Sortir de la maison l’hiver; voir du monde",
        "M. Tremblay",
        ["Sortir deux fois par semaine", "Parler à quelqu’un chaque jour"],
        ["aînés", "repas communautaire"],
        [("accompaniment", "Accompagnement par un bénévole la première fois")],
        PrescriptionStatus.COMPLETED,
        (31, 22),
    ),
    (
        "Sophie",
        "Bouger un peu; reprendre confiance",
        "Sophie",
        ["Marcher avec un groupe"],
        ["marche", "yoga"],
        [("fee_subsidy", "Inscription payée par le fonds de quartier")],
        PrescriptionStatus.STOPPED,
        (28, 27),
    ),
]


def _activities(words: list[str]) -> list[str]:
    found = []
    for text in words:
        hits = search_services(SearchQuery(text=text, per_page=3)).hits
        found += [hit.service.id for hit in hits[:1]]
    if not found:
        found = list(Service.objects.filter(is_demo=True).values_list("id", flat=True)[:1])
    return list(dict.fromkeys(found))


def _k10(total: int) -> dict:
    values, extra = [1] * 10, total - 10
    for index in range(10):
        step = min(4, extra)
        values[index] += step
        extra -= step
    return {f"k10_{i + 1}": v for i, v in enumerate(values)}


@transaction.atomic
def load_demo_prescriptions() -> int:
    prescriber = User.objects.filter(username="prescripteur").first()
    if prescriber is None or Prescription.objects.filter(prescriber=prescriber).exists():
        return 0
    created = 0
    today = timezone.localdate()
    for given, matters, with_whom, goals, searches, supports, end, (before, after) in PLANS:
        person = Person.objects.filter(given_name=given, region=prescriber.region).first()
        if person is None:
            continue
        service_ids = _activities(searches)
        prescription = create_prescription(
            person,
            PrescriptionInput(
                what_matters=matters,
                co_produced_with=with_whom,
                goals=goals,
                service_ids=service_ids,
                supports=[SupportInput(kind, detail, service_ids[0]) for kind, detail in supports],
                follow_ups=[today + timedelta(days=14)],
            ),
            by=prescriber,
        )
        record_measurement(
            person,
            "k10",
            _k10(before),
            by=prescriber,
            occasion="baseline",
            prescription=prescription,
        )
        for goal in prescription.goals.all():
            rate_goal(goal, 2, by=prescriber)
        if end is not None:
            for activity in prescription.activities.all():
                set_activity_status(
                    activity, "done" if end == "completed" else "stopped", by=prescriber
                )
            follow_up = prescription.follow_ups.first()
            record_follow_up(follow_up, "Bilan avec la personne", by=prescriber)
            for goal in prescription.goals.all():
                rate_goal(goal, 4 if end == "completed" else 2, by=prescriber)
            record_measurement(
                person,
                "k10",
                _k10(after),
                by=prescriber,
                occasion="end",
                prescription=prescription,
            )
            end_prescription(prescription, end, by=prescriber)
        else:
            set_activity_status(prescription.activities.first(), "started", by=prescriber)
            record_measurement(
                person,
                "k10",
                _k10(after),
                by=prescriber,
                occasion="follow_up",
                prescription=prescription,
            )
        created += 1
    return created
