"""The demo's mobile outreach: contacts of the last two weeks recorded by the demo
outreach worker (`proximite`), most sent from the phone's queue after a round without
network, in parks and near a shelter of the demo region. Anonymous, fictional; loaded
once, through the named action (as a phone's queue is stored)."""

import uuid
from datetime import datetime, time, timedelta

from django.utils import timezone

from proxima.core.models import User
from proxima.outreach.models import OutreachContact
from proxima.outreach.services import ContactInput, record_contact, records_outreach
from proxima.territories.models import Territory
from proxima.territories.services import territory_ids_within

# (days ago, hour, place, people, age band, needs, help, orientation, details, note, queued)
CONTACTS = (
    (
        13,
        21,
        "Parc Victoria, près du pavillon",
        2,
        "25-64",
        ["housing", "food"],
        ["listening", "material"],
        "resource",
        "Refuge pour hommes, souper à 17 h",
        "Deux hommes dormant dehors depuis une semaine.",
        True,
    ),
    (
        12,
        22,
        "Sortie du métro, rue Saint-Joseph",
        1,
        "18-24",
        ["mental_health"],
        ["listening", "first_aid"],
        "clsc",
        "Équipe jeunesse du CLSC",
        "",
        True,
    ),
    (
        9,
        20,
        "Halte-chaleur du quartier",
        4,
        "25-64",
        ["food"],
        ["material", "information"],
        "information",
        "",
        "",
        True,
    ),
    (
        6,
        23,
        "Parc Victoria",
        1,
        "65+",
        ["housing", "health_access"],
        ["listening", "accompaniment"],
        "resource",
        "Accompagné à la halte-chaleur",
        "Personne âgée désorientée, sans manteau.",
        True,
    ),
    (
        2,
        21,
        "Stationnement de l’épicerie",
        1,
        "12-17",
        ["youth"],
        ["listening", "information"],
        "clsc",
        "Rendez-vous pris avec l’équipe jeunesse",
        "",
        False,
    ),
)


def load_demo_outreach() -> int:
    """The demo's outreach contacts (0 when they are there already or the worker is not)."""
    worker = User.objects.filter(username="proximite").first()
    if worker is None or not records_outreach(worker):
        return 0
    if OutreachContact.objects.filter(recorded_by=worker).exists():
        return 0
    territory = (
        Territory.objects.filter(
            pk__in=territory_ids_within(worker.region_id), level="neighbourhood"
        )
        .order_by("name_fr")
        .first()
    )
    today = timezone.localdate()
    for number, row in enumerate(CONTACTS):
        days, hour, place, people, age, needs, given, orientation, details, note, queued = row
        met_at = timezone.make_aware(datetime.combine(today - timedelta(days=days), time(hour)))
        record_contact(
            ContactInput(
                id=uuid.uuid5(uuid.NAMESPACE_URL, f"proxima-demo-outreach-{number}"),
                met_at=met_at,
                place=place,
                territory=territory,
                people_count=people,
                age_band=age,
                need_domains=needs,
                help_given=given,
                orientation=orientation,
                orientation_note=details,
                note=note,
                was_queued=queued,
            ),
            by=worker,
        )
    return len(CONTACTS)
