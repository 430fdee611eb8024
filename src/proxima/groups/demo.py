"""The demo's group and collective interventions: a parenting group of the CLSC's social
consultation team facilitated by the demo CLSC worker (`clsc`), 8 places, 8 parents
registered and 2 waiting, 3 sessions of which 2 held with their attendance; and a food
security project on a neighbourhood of the demo region with two partner organizations,
40 citizens involved and two activities. Fictional people; dates relative to today.
Loaded once, through the named actions."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from proxima.core.models import User
from proxima.directory.models import Organization
from proxima.groups import services
from proxima.groups.models import CollectiveProject, GroupActivity
from proxima.groups.services import ActivityInput, ProjectInput
from proxima.people.models import Person
from proxima.people.services.records import name_key
from proxima.teams.services import join, standard_team
from proxima.territories.models import Territory
from proxima.territories.services import territory_ids_within

# Fictional parents of the parenting group (the last two wait for a place).
PARENTS = (
    ("Sophie", "Gagnon"),
    ("Marc", "Bouchard"),
    ("Fatou", "Ndiaye"),
    ("Julie", "Côté"),
    ("Nadia", "Benali"),
    ("Éric", "Pelletier"),
    ("Mélanie", "Lavoie"),
    ("Kevin", "Morin"),
    ("Isabelle", "Fortin"),
    ("Yan", "Chen"),
)


def _parent(region, given: str, family: str) -> Person:
    person = Person.objects.filter(
        region=region, given_name=given, family_name=family, merged_into__isnull=True
    ).first()
    if person is None:
        person = Person.objects.create(
            region=region,
            given_name=given,
            family_name=family,
            name_key=name_key(given, family),
        )
    return person


def _at(day, hour: int):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@transaction.atomic
def load_demo_groups() -> tuple[int, int]:
    """The demo parenting group and collective project: how many of each were created
    (0 when already there)."""
    clsc = User.objects.filter(username="clsc").first()
    if clsc is None or clsc.region_id is None:
        return 0, 0
    region = clsc.region
    groups = projects = 0
    if not GroupActivity.objects.filter(created_by=clsc).exists():
        team = standard_team(region, "social_consultation")
        join(clsc, team)
        activity = services.create_activity(
            ActivityInput(
                team=team,
                title_fr="Groupe Y’a personne de parfait (Y’APP)",
                title_en="Nobody’s Perfect parenting group",
                theme="parenting",
                description="Six rencontres pour les parents d’enfants de 0 à 5 ans : "
                "discipline, sommeil, stress parental, entraide entre parents.",
                capacity=8,
                min_age=16,
                need_domains=["family"],
            ),
            by=clsc,
        )
        services.set_activity_status(activity, "running", by=clsc)
        today = timezone.localdate()
        sessions = [
            services.add_session(
                activity, _at(today - timedelta(days=days), 18), 120, place, by=clsc
            )
            for days, place in ((14, "CLSC, salle 2"), (7, "CLSC, salle 2"), (-7, "CLSC, salle 2"))
        ]
        registrations = [
            services.register(activity, _parent(region, given, family), by=clsc)
            for given, family in PARENTS
        ]
        placed = [r for r in registrations if r.status == "registered"]
        for session, absent in ((sessions[0], {3}), (sessions[1], {1, 6})):
            services.record_attendance(
                session,
                {
                    r.pk: ("excused" if index == 6 else "absent") if index in absent else "present"
                    for index, r in enumerate(placed)
                },
                by=clsc,
            )
        groups = 1
    coordinator = User.objects.filter(username="coordo").first()
    by = coordinator if coordinator and services.edits_projects(coordinator) else clsc
    if not CollectiveProject.objects.filter(region=region).exists():
        ids = territory_ids_within(region.pk)
        territory = (
            Territory.objects.filter(pk__in=ids, level="neighbourhood").order_by("name_fr").first()
            or Territory.objects.filter(pk__in=ids).order_by("pk").first()
        )
        if territory is not None:
            partners = list(Organization.objects.filter(is_demo=True).order_by("name")[:2])
            project = services.create_project(
                ProjectInput(
                    territory=territory,
                    title_fr="Sécurité alimentaire du quartier",
                    title_en="Neighbourhood food security",
                    issue="Des familles du quartier manquent de nourriture en fin de mois; "
                    "l’épicerie la plus proche est à 3 km.",
                    need_domains=["food"],
                    partners=partners,
                    citizens_involved=40,
                    status="ongoing",
                    started_on=timezone.localdate() - timedelta(days=120),
                    results="Un jardin collectif et une cuisine collective mensuelle.",
                ),
                by=by,
            )
            today = timezone.localdate()
            services.add_project_activity(
                project,
                today - timedelta(days=90),
                "Assemblée de quartier sur l’alimentation",
                35,
                by=by,
            )
            services.add_project_activity(
                project, today - timedelta(days=30), "Première cuisine collective", 14, by=by
            )
            projects = 1
    return groups, projects
