"""A year of the demo region's network activity, so that the indicators dashboard has
figures to show: contacts through every door at the hours a 24/7 line gets them, risk
and needs screenings scored by the real questionnaires, escalations with the action
taken, referrals through their whole lifecycle (an event per change), and social
prescriptions with activities, follow-ups and K10 measures before and after.

Everything is fictional and drawn from a fixed seed, so the history is the same at each
load, dated back from today (the 365 days before it, nothing after). The people are
named from two short lists (« Alice Maquette », « Hugo Brouillon »); their postal codes
are areas whose centre lies in one of the demo's neighbourhoods (territories/demo.py).

The rows are written in bulk and dated in the past rather than made through the actions:
the actions date everything now, and a year of audit lines about rows nobody touched
would fill the privacy officer's log. Only a handful of referrals stay open (recent
ones); the rest ended long ago. Loaded once: a second run changes nothing.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from proxima.core.models import Region, User
from proxima.directory.models import Service, ServiceAtLocation
from proxima.directory.services import geo
from proxima.directory.services.search import SearchQuery, search_services
from proxima.directory.services.taxonomy import need_domain_term_id
from proxima.intake.models import (
    Channel,
    ContactEpisode,
    Escalation,
    EscalationAction,
    Orientation,
    OrientationKind,
    Priority,
    RiskKind,
    Screening,
)
from proxima.intake.services.episodes import REQUIRED_ACTIONS, target_hours
from proxima.intake.services.questionnaires import clean_answers, questionnaire, score
from proxima.matching.services import BARRIERS, DIRECTORY_DOMAINS
from proxima.outcomes.models import Measurement, Occasion
from proxima.outcomes.services import instruments
from proxima.people.models import Consent, ConsentMethod, InformationCategory, Person
from proxima.people.services.records import name_key
from proxima.prescriptions.models import (
    Activity,
    ActivityStatus,
    FollowUp,
    Goal,
    GoalRating,
    Prescription,
    PrescriptionStatus,
    Support,
    SupportKind,
)
from proxima.referrals.lifecycle import TERMINAL, Outcome, RejectReason, Side, Status
from proxima.referrals.models import Referral, ReferralEvent
from proxima.teams.models import Membership, Team
from proxima.territories.models import Territory, TerritoryLevel
from proxima.territories.services import assign_points, current_territories, territory_ids_within

SEED = 20250311  # any fixed number: the same history at every load
DAYS = 365
PEOPLE = 340
ANONYMOUS_CONTACTS = 130
PRESCRIPTIONS = 50
BATCH = 500

GIVEN_NAMES = (
    "Alice", "Benoît", "Chloé", "Dany", "Élodie", "Farid", "Gabrielle", "Hugo", "Inès",
    "Jacob", "Kim", "Laurent", "Maya", "Nadia", "Olivier", "Priya", "Rémi", "Sarah",
    "Thomas", "Yasmine", "Zoé", "Mathis", "Rosalie", "Malik",
)  # fmt: skip
# Family names no one carries: the people are obviously made up.
FAMILY_NAMES = (
    "Exemple", "Fictif", "Factice", "Maquette", "Brouillon", "Ébauche", "Modèle",
    "Prototype", "Essai", "Témoin", "Simulacre", "Imaginaire", "Chimère", "Mirage",
    "Songe", "Scénario", "Hypothèse", "Fantaisie",
)  # fmt: skip

# Where people live, by demo neighbourhood: the more deprived ones reach more people.
NEIGHBOURHOOD_WEIGHTS = {
    "quebec-saint-roch": 24,
    "quebec-limoilou": 18,
    "quebec-vieux-quebec": 8,
    "quebec-beauport": 16,
    "quebec-charlesbourg": 15,
    "quebec-sainte-foy": 11,
}
NO_POSTAL_CODE = 0.04
ELSEWHERE = 0.03  # a postal code of another region
POSTAL_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"

AGES = [((0, 5), 5), ((6, 17), 8), ((18, 34), 24), ((35, 54), 27), ((55, 74), 22), ((75, 94), 14)]
CONTACTS_PER_PERSON = {1: 55, 2: 25, 3: 12, 4: 6, 5: 2}

# Contacts started in each hour of the day (local time), by kind of door.
AROUND_THE_CLOCK = (3, 2, 1, 1, 1, 1.5, 3, 5, 8, 10, 10, 9, 8, 9, 9, 8, 7, 7, 7, 7, 6, 5, 4, 3)
OFFICE = (0,) * 8 + (6, 10, 10, 8, 5, 8, 9, 7, 3) + (0,) * 7
WALK_IN = (0,) * 8 + (5, 9, 9, 8, 6, 8, 8, 7, 5, 4, 3, 2) + (0,) * 4
OUTREACH = (0,) * 10 + (3, 5, 6, 6, 6, 6, 6, 7, 7, 6, 5, 4, 2) + (0,)
ONLINE = (2, 1, 1, 1, 1, 1, 2, 3, 5, 6, 7, 7, 7, 7, 6, 6, 6, 6, 7, 8, 8, 7, 5, 3)


@dataclass(frozen=True)
class Door:
    weight: int
    takers: tuple[str, ...]  # the demo accounts that take these contacts
    hours: tuple[float, ...]
    weekdays_only: bool
    minutes: tuple[int, int]  # how long the contact lasts


DOORS = {
    Channel.PHONE_811: Door(44, ("info811",), AROUND_THE_CLOCK, False, (8, 50)),
    Channel.CLSC_WALK_IN: Door(14, ("clsc", "chefequipe"), WALK_IN, True, (20, 90)),
    Channel.HOME_VISIT: Door(5, ("clsc",), OFFICE, True, (45, 120)),
    Channel.MOBILE_OUTREACH: Door(7, ("clsc",), OUTREACH, False, (10, 60)),
    Channel.PARTNER_SCHOOL: Door(5, ("clsc",), OFFICE, True, (15, 60)),
    Channel.PARTNER_DAYCARE: Door(3, ("clsc",), OFFICE, True, (15, 60)),
    Channel.PARTNER_CLINIC: Door(7, ("chefequipe", "clsc"), OFFICE, True, (15, 60)),
    Channel.PARTNER_COMMUNITY: Door(9, ("clsc", "chefequipe"), OFFICE, True, (15, 60)),
    Channel.SELF_REFERRAL: Door(6, ("info811",), ONLINE, False, (10, 40)),
}
CHILD_DOORS = {
    Channel.PARTNER_SCHOOL: 30,
    Channel.PARTNER_DAYCARE: 15,
    Channel.PHONE_811: 25,
    Channel.CLSC_WALK_IN: 15,
    Channel.HOME_VISIT: 10,
    Channel.MOBILE_OUTREACH: 5,
}
ANONYMOUS_DOORS = {Channel.PHONE_811: 75, Channel.SELF_REFERRAL: 10, Channel.MOBILE_OUTREACH: 15}

NEEDS_BY_AGE = [
    (0, 5, {"childcare": 8, "family": 8, "food": 4, "health_access": 3, "safety": 2}),
    (
        6,
        17,
        {"education": 9, "family": 8, "mental_health": 7, "recreation": 5, "food": 3},
    ),
    (
        18,
        64,
        {
            "food": 14, "housing": 12, "income": 10, "mental_health": 14, "isolation": 5,
            "family": 6, "employment": 6, "health_access": 5, "substance_use": 4, "legal": 3,
            "immigration": 3, "transport": 2, "safety": 3, "recreation": 2,
        },
    ),
    (
        65,
        200,
        {
            "isolation": 12, "health_access": 10, "transport": 8, "food": 7, "housing": 5,
            "mental_health": 5, "income": 4, "recreation": 3, "safety": 2,
        },
    ),
]  # fmt: skip

# What the person said, in their words, by need.
REASONS = {
    "food": ("Plus rien à manger avant la fin du mois", "Dépannage alimentaire pour la famille"),
    "housing": ("Avis d’éviction, ne sait pas où aller", "Logement insalubre, veut déménager"),
    "income": ("N’arrive plus à payer les factures", "Aide pour faire un budget"),
    "employment": ("A perdu son emploi, cherche de l’aide pour en trouver un autre",),
    "education": ("Décroche à l’école, les parents sont inquiets",),
    "childcare": ("Cherche une place en garderie pour retourner au travail",),
    "transport": ("Rendez-vous médicaux à l’autre bout de la ville, plus de voiture",),
    "isolation": ("Ne voit plus personne depuis le décès de sa conjointe", "Se sent seul"),
    "family": ("Conflits à la maison, parents épuisés",),
    "recreation": ("Une activité après l’école pour garder le moral",),
    "mental_health": ("Anxiété, ne dort plus depuis des semaines", "Se sent déprimée"),
    "substance_use": ("Consommation qui augmente, veut de l’aide",),
    "legal": ("Ne comprend pas une lettre du tribunal",),
    "immigration": ("Arrivée récente, cherche des cours de français",),
    "health_access": ("Pas de médecin de famille, besoin d’un suivi",),
    "safety": ("Ne se sent pas en sécurité à la maison",),
}
PRIORITIES = {
    Priority.IMMEDIATE: 1,
    Priority.URGENT: 12,
    Priority.HOURS_72: 30,
    Priority.WEEKS_2: 34,
    Priority.DAYS_30: 14,
    "": 9,  # information only: no priority set
}
# Strengths found by the needs screening (asked four times in five).
STRENGTHS = {
    "physical_activity": 0.3,
    "self_confidence": 0.35,
    "supportive_relationships": 0.55,
    "community_involvement": 0.2,
    "belonging": 0.3,
}
# Escalations over the year, by risk: a few in a hundred contacts.
ESCALATIONS = {
    RiskKind.SUICIDE: 10,
    RiskKind.VIOLENCE: 6,
    RiskKind.CHILD_MALTREATMENT: 6,
    RiskKind.ELDER_ABUSE: 5,
    RiskKind.HARM_TO_OTHERS: 5,
}
# Needs an internal team takes, and how often (else a service of the directory).
TEAM_FOR_NEED = {
    "mental_health": ("social_consultation", 0.4),
    "family": ("social_consultation", 0.45),
    "substance_use": ("interprofessional", 0.3),
    "isolation": ("social_prescribing", 0.55),
    "recreation": ("social_prescribing", 0.5),
    "health_access": ("interprofessional", 0.3),
    "housing": ("mobile_outreach", 0.15),
}
TEAM_FOR_RISK = {
    RiskKind.SUICIDE: "emergency_psychosocial",
    RiskKind.HARM_TO_OTHERS: "emergency_psychosocial",
    RiskKind.CHILD_MALTREATMENT: "social_consultation",
    RiskKind.ELDER_ABUSE: "social_consultation",
    RiskKind.VIOLENCE: "",  # a shelter of the directory
}
RISK_NEEDS = {
    RiskKind.SUICIDE: "mental_health",
    RiskKind.HARM_TO_OTHERS: "mental_health",
    RiskKind.CHILD_MALTREATMENT: "family",
    RiskKind.ELDER_ABUSE: "safety",
    RiskKind.VIOLENCE: "safety",
}
# Mental health referrals sent to the crisis centre, by priority (after the escalations).
CRISIS_ODDS = {Priority.IMMEDIATE: 0.6, Priority.URGENT: 0.6, Priority.HOURS_72: 0.15}
# How referrals end. The crisis centre takes everyone it is sent, within the hour.
CRISIS_FATES = {"completed": 85, "failed": 10, "cancelled_accepted": 5}
FATES = {
    "completed": 50,
    "rejected": 15,
    "failed": 10,
    "cancelled_unanswered": 4,
    "cancelled_accepted": 3,
    "entered_in_error": 1,
}
REJECT_REASONS = {
    RejectReason.FULL: 30,
    RejectReason.NOT_ELIGIBLE: 22,
    RejectReason.OUT_OF_TERRITORY: 12,
    RejectReason.UNREACHABLE: 14,
    RejectReason.DECLINED_BY_PERSON: 12,
    RejectReason.OTHER: 10,
}
OUTCOMES = {
    Outcome.SERVICE_RECEIVED: 40,
    Outcome.GOAL_MET: 25,
    Outcome.PARTLY_MET: 20,
    Outcome.REFERRED_ON: 8,
    Outcome.OTHER: 7,
}
# The few referrals left open, the most recent ones: each open status a few times.
OPEN_STATUSES = [Status.REQUESTED] * 2 + [Status.ACCEPTED] * 4 + [Status.IN_PROGRESS] * 4
OPEN_STATUSES += [Status.ON_HOLD] * 4
# Hours from sending to the answer, and days from the answer to the first appointment:
# (fewest, most) by priority.
ANSWER_HOURS = {
    Priority.IMMEDIATE: (0.2, 2),
    Priority.URGENT: (1, 20),
    Priority.HOURS_72: (2, 60),
    Priority.WEEKS_2: (4, 110),
    Priority.DAYS_30: (8, 180),
}
APPOINTMENT_DAYS = {
    Priority.IMMEDIATE: (0, 1),
    Priority.URGENT: (0.5, 3),
    Priority.HOURS_72: (1, 7),
    Priority.WEEKS_2: (3, 21),
    Priority.DAYS_30: (8, 45),
}

PLANS = [
    # (what matters, goals, supports)
    (
        "Sortir de la maison ; voir du monde",
        ["Sortir deux fois par semaine", "Parler à quelqu’un chaque jour"],
        [(SupportKind.ACCOMPANIMENT, "Un bénévole la première fois")],
    ),
    (
        "Reprendre confiance ; bouger un peu",
        ["Marcher avec un groupe", "Dormir mieux"],
        [(SupportKind.FEE_SUBSIDY, "Inscription payée par le fonds de quartier")],
    ),
    (
        "Apprendre le français avec d’autres",
        ["Aller aux cours chaque semaine", "Se faire une amie"],
        [(SupportKind.INTERPRETER, "Interprète à la première rencontre")],
    ),
    (
        "Faire une activité avec les enfants",
        ["Une sortie en famille par semaine"],
        [(SupportKind.TRANSPORT, "Billets d’autobus")],
    ),
    (
        "Retrouver un rythme ; se sentir utile",
        ["Faire du bénévolat", "Se lever à la même heure"],
        [(SupportKind.EQUIPMENT, "Prêt de vêtements de sport")],
    ),
]


def _history_exists(region: Region) -> bool:
    return Person.objects.filter(region=region, family_name__in=FAMILY_NAMES).exists()


@transaction.atomic
def load_demo_history(region: Region) -> int:
    """A past year of fictional activity in the demo region, for the indicators; how many
    contacts were added (0 when the history is there already, or when the demo directory
    or accounts it builds on are missing)."""
    if _history_exists(region) or not Service.objects.filter(is_demo=True).exists():
        return 0
    users = {u.username: u for u in User.objects.filter(region=region)}
    needed = {"info811", "clsc", "chefequipe", "prescripteur"}
    if not needed <= set(users):
        return 0
    return _History(region, users).load()


@dataclass
class _Contact:
    episode: ContactEpisode
    person: Person | None
    age: int | None
    needs: list[str]
    risk: str | None = None
    referrals: list[Referral] = field(default_factory=list)


class _History:
    """The generator: draws from one seeded random source, then writes in bulk."""

    def __init__(self, region: Region, users: dict[str, User]):
        self.random = random.Random(SEED)
        self.region = region
        self.users = users
        self.now = timezone.now()
        self.horizon = self.now - timedelta(minutes=30)
        self.today = timezone.localdate()
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.teams = {t.code: t for t in Team.objects.filter(region=region)}
        self.members: dict[int, list[User]] = {}
        for membership in Membership.objects.filter(team__region=region).select_related("user"):
            self.members.setdefault(membership.team_id, []).append(membership.user)
        self.targets = {p: target_hours(region.pk, p) for p in Priority.values}
        self.deferred: dict[type, list[tuple[models.Model, dict]]] = {}

    # --- drawing ----------------------------------------------------------------------

    def pick(self, weights: dict):
        keys = list(weights)
        return self.random.choices(keys, weights=[weights[k] for k in keys])[0]

    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.random.getrandbits(128), version=4)

    def moment(self, days_ago: int, hours: tuple[float, ...]) -> datetime:
        hour = self.random.choices(range(24), weights=hours)[0]
        day = self.today - timedelta(days=days_ago)
        return datetime.combine(day, time(hour, self.random.randrange(60)), tzinfo=self.zone)

    def working_day(self, days_ago: int) -> int:
        """The same day, or the nearest weekday still in the past year."""
        day = self.today - timedelta(days=days_ago)
        while day.weekday() >= 5:
            day += timedelta(days=1) if days_ago > 3 else -timedelta(days=1)
            days_ago = (self.today - day).days
        return days_ago

    def office_hours(self, moment: datetime) -> datetime:
        """The first appointment slot (weekdays, 9 h to 16 h) at or after a moment."""
        local = moment.astimezone(self.zone)
        day = local.date()
        if local.hour >= 16:
            day += timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        slot = time(self.random.randint(9, 15), self.random.choice((0, 15, 30, 45)))
        result = datetime.combine(day, slot, tzinfo=self.zone)
        return result if result >= moment else result + timedelta(days=1)

    def between(self, low: float, high: float) -> float:
        """Mostly near the low end, now and then up to the high one."""
        return self.random.triangular(low, high, low + (high - low) * 0.15)

    def dated(self, obj: models.Model, **moments) -> models.Model:
        """Remember the dates that `auto_now_add` overwrites on creation, to set after."""
        for name, value in moments.items():
            setattr(obj, name, value)
        self.deferred.setdefault(type(obj), []).append((obj, moments))
        return obj

    # --- the whole year -------------------------------------------------------------

    def load(self) -> int:
        places = self.postal_areas()
        self.services = self.services_by_need()
        contacts = self.contacts(self.people(places))
        self.escalations(contacts)
        self.screen(contacts)
        self.referrals(contacts)
        self.prescriptions(contacts)
        self.write(contacts)
        return len(contacts)

    def postal_areas(self) -> dict[str, list[str]]:
        """Postal areas (FSA) whose centre lies in each of the region's neighbourhoods,
        and under "" those of other regions."""
        points = geo.fsa_points()
        fsas = sorted(points)
        inside = set(territory_ids_within(self.region))
        neighbourhoods = {
            t.pk: t.code for t in current_territories().filter(level=TerritoryLevel.NEIGHBOURHOOD)
        }
        found: dict[str, list[str]] = {}
        places = assign_points([points[f][:2] for f in fsas], level=TerritoryLevel.NEIGHBOURHOOD)
        for fsa, place in zip(fsas, places, strict=True):
            if place is None:
                continue
            key = neighbourhoods[place] if place in inside else ""
            if key == "" and not fsa.startswith("G"):
                continue  # another region nearby only (Lévis), not Ottawa's
            found.setdefault(key, []).append(fsa)
        return found

    def services_by_need(self) -> dict[str, list[Service]]:
        """Per intake need, the directory's services in the region, best matches first."""
        region_territory = Territory.objects.filter(region=self.region).first()
        found: dict[str, list[Service]] = {}
        for need, domains in DIRECTORY_DOMAINS.items():
            hits = []
            for domain in domains:
                query = SearchQuery(
                    taxonomy_term_ids=[need_domain_term_id(domain)],
                    latitude=46.83,
                    longitude=-71.24,
                    max_km=15,
                    include_remote=False,
                    per_page=100,
                )
                hits += [h.service for h in search_services(query).hits]
            found[need] = list({s.id: s for s in hits if s.organization_id}.values())
        ids = {s.id for listed in found.values() for s in listed}
        points = {
            service_id: (latitude, longitude)
            for service_id, latitude, longitude in ServiceAtLocation.objects.filter(
                service_id__in=ids, location__latitude__isnull=False
            )
            .order_by("service_id", "id")
            .values_list("service_id", "location__latitude", "location__longitude")
        }
        keys = sorted(points)
        regions = assign_points([points[k] for k in keys], level=TerritoryLevel.REGION)
        in_region = {k for k, r in zip(keys, regions, strict=True) if r == region_territory.pk}
        # The demo partner's services first: its inbox and its agreement have a past.
        partners = {u.organization_id for u in self.users.values() if u.organization_id}
        for need in found:
            listed = [s for s in found[need] if s.id in in_region]
            found[need] = sorted(listed, key=lambda s: s.organization_id not in partners)[:10]
        crisis = (
            Service.objects.filter(is_demo=True, organization__name__icontains="suicide")
            .order_by("name")
            .first()
        )
        found["crisis"] = [crisis] if crisis else found["mental_health"][:1]
        return found

    # --- people -----------------------------------------------------------------------

    def people(self, places: dict[str, list[str]]) -> list[tuple[Person, int, list[str]]]:
        names = [(g, f) for f in FAMILY_NAMES for g in GIVEN_NAMES]
        self.random.shuffle(names)
        weights = {k: w for k, w in NEIGHBOURHOOD_WEIGHTS.items() if places.get(k)}
        people = []
        for given, family in names[:PEOPLE]:
            low, high = self.pick(dict(AGES))
            age = self.random.randint(low, high)
            born = self.today - timedelta(days=365 * age + self.random.randrange(365))
            draw = self.random.random()
            if draw < NO_POSTAL_CODE or not weights:
                postal_code = ""
            else:
                area = "" if draw < NO_POSTAL_CODE + ELSEWHERE and places.get("") else None
                fsa = self.random.choice(places[area if area is not None else self.pick(weights)])
                letters = self.random.choice(POSTAL_LETTERS)
                postal_code = (
                    f"{fsa} {self.random.randrange(10)}{letters}{self.random.randrange(10)}"
                )
            language = self.pick({"fr": 88, "en": 8, "es": 2, "ar": 2})
            needs_by_age = next(
                w for low_age, high_age, w in NEEDS_BY_AGE if low_age <= age <= high_age
            )
            needs = []
            for _ in range(self.pick({1: 50, 2: 35, 3: 15})):
                need = self.pick(needs_by_age)
                if need not in needs:
                    needs.append(need)
            if language in ("es", "ar") and "immigration" not in needs and age >= 18:
                needs.append("immigration")
            person = Person(
                id=self.uid(),
                region=self.region,
                given_name=given,
                family_name=family,
                birth_date=born,
                language=language,
                needs_interpreter=language in ("es", "ar"),
                postal_code=postal_code,
                name_key=name_key(given, family),
            )
            people.append((person, age, needs))
        return people

    # --- contacts ---------------------------------------------------------------------

    def door_for(self, age: int | None) -> str:
        if age is None:
            return self.pick(ANONYMOUS_DOORS)
        if age < 18:
            doors = dict(CHILD_DOORS)
            if age < 5:
                doors.pop(Channel.PARTNER_SCHOOL)
            if age > 5:
                doors.pop(Channel.PARTNER_DAYCARE)
            return self.pick(doors)
        return self.pick({channel: door.weight for channel, door in DOORS.items()})

    def contact(self, days_ago: int, person: Person | None, age: int | None, needs) -> _Contact:
        channel = self.door_for(age)
        door = DOORS[channel]
        if door.weekdays_only:
            days_ago = self.working_day(days_ago)
        started = self.moment(days_ago, door.hours)
        if started > self.horizon - timedelta(hours=2):
            started = self.horizon - timedelta(hours=2, minutes=self.random.randrange(600))
        taker = self.users[self.random.choice(door.takers)]
        language = {"fr": "fr", "en": "en"}.get(person.language if person else "fr", "other")
        if person is None:
            language = self.pick({"fr": 90, "en": 8, "other": 2})
        barriers = []
        odds = {"transport": 0.3 if (age or 0) >= 65 else 0.12, "cost": 0.2, "fear": 0.08}
        odds["language"] = 0.9 if language == "other" else 0.02
        for barrier in BARRIERS:
            if self.random.random() < odds[barrier]:
                barriers.append(barrier)
        episode = ContactEpisode(
            id=self.uid(),
            region=self.region,
            channel=channel,
            started_at=started,
            taken_by=taker,
            person=person,
            reason=self.random.choice(REASONS[needs[0]]),
            language=language,
            priority=self.pick(PRIORITIES),
            barriers=sorted(barriers),
        )
        minutes = self.random.randint(*door.minutes)
        episode.closed_at = started + timedelta(minutes=minutes)
        return _Contact(episode, person, age, list(needs))

    def contacts(self, people) -> list[_Contact]:
        contacts = []
        self.people_rows = []
        for person, age, needs in people:
            count = self.pick(CONTACTS_PER_PERSON)
            days_ago = self.random.randint(1, DAYS)
            made = []
            for index in range(count):
                if index:
                    gap = (
                        self.random.randint(1, 30)
                        if self.random.random() < 0.55
                        else self.random.randint(31, 150)
                    )
                    days_ago -= gap
                    if days_ago < 1:
                        break
                made.append(self.contact(days_ago, person, age, needs))
            first = made[0].episode
            person.created_by = first.taken_by
            self.dated(person, created_at=first.started_at, updated_at=first.started_at)
            self.people_rows.append(person)
            contacts += made
        for _ in range(ANONYMOUS_CONTACTS):
            needs = [self.pick(NEEDS_BY_AGE[2][2])]
            contacts.append(self.contact(self.random.randint(1, DAYS), None, None, needs))
        contacts.sort(key=lambda c: c.episode.started_at)
        for contact in contacts:
            episode = contact.episode
            if episode.priority:
                hours = self.target_hours(episode.priority)
                episode.priority_due_at = episode.started_at + timedelta(hours=hours)
        return contacts

    def target_hours(self, priority: str) -> int:
        return self.targets[priority]

    # --- screenings and escalations --------------------------------------------

    def escalations(self, contacts: list[_Contact]) -> None:
        """Choose the contacts whose risk screen escalates, by risk, from those it fits."""
        fits = {
            RiskKind.SUICIDE: lambda c: (
                (c.age is None or c.age >= 14) and "mental_health" in c.needs
            ),
            RiskKind.VIOLENCE: lambda c: (
                (c.age or 30) >= 18 and bool({"safety", "family", "housing"} & set(c.needs))
            ),
            RiskKind.CHILD_MALTREATMENT: lambda c: c.age is not None and c.age < 18,
            RiskKind.ELDER_ABUSE: lambda c: c.age is not None and c.age >= 65,
            RiskKind.HARM_TO_OTHERS: lambda c: (
                (c.age or 30) >= 18 and c.episode.channel == Channel.PHONE_811
            ),
        }
        taken: set = set()
        for kind, count in ESCALATIONS.items():
            pool = [c for c in contacts if c.episode.pk not in taken and fits[kind](c)]
            for contact in self.random.sample(pool, min(count, len(pool))):
                contact.risk = kind
                taken.add(contact.episode.pk)

    def screening(self, contact: _Contact, code: str, answers: dict, after: int) -> Screening:
        used = self.questionnaires[code]
        cleaned = clean_answers(used.definition, answers)
        episode = contact.episode
        row = Screening(
            episode=episode,
            questionnaire=used,
            answers=cleaned,
            outcome=score(used.definition, cleaned),
            recorded_by=episode.taken_by,
        )
        self.dated(row, recorded_at=episode.started_at + timedelta(minutes=after))
        self.screenings.append(row)
        return row

    def needs_answers(self, contact: _Contact) -> dict:
        answers: dict = {}
        for item in self.questionnaires["needs-screen"].definition["items"]:
            if item["type"] == "need" and item["domain"] in contact.needs:
                answers[item["id"]] = {
                    "severity": self.random.choice((1, 2, 2, 3)),
                    "wants_help": self.random.random() < 0.85,
                    "note": "",
                }
            elif item["type"] == "need" and self.random.random() < 0.15:
                answers[item["id"]] = {"severity": 0, "wants_help": False, "note": ""}
            elif item["type"] == "strength" and self.random.random() < 0.8:
                answers[item["id"]] = self.random.random() < STRENGTHS.get(item["factor"], 0.3)
        return answers

    def suicide_answers(self, escalates: bool) -> dict:
        if not escalates:
            if self.random.random() < 0.2:  # passive thoughts only: low, no escalation
                return {"q1": True, "q2": False, "q6": False}
            return {"q1": False, "q2": False, "q6": False}
        high = self.random.random() < 0.4  # a plan: high; intent without one: moderate
        return {"q1": True, "q2": True, "q3": True, "q4": high, "q5": False, "q6": False}

    def safety_answers(self, kind: str | None) -> dict:
        items = {
            "harm_to_others": RiskKind.HARM_TO_OTHERS,
            "violence": RiskKind.VIOLENCE,
            "child_in_danger": RiskKind.CHILD_MALTREATMENT,
            "elder_abuse": RiskKind.ELDER_ABUSE,
        }
        return {item: risk == kind for item, risk in items.items()}

    def screen(self, contacts: list[_Contact]) -> None:
        """The needs screening of most contacts, a risk screen where the needs call for
        one (escalating on the contacts chosen), and the contact closed after them."""
        self.questionnaires = {
            code: questionnaire(code) for code in ("needs-screen", "cssrs-screen", "safety-screen")
        }
        self.screenings: list[Screening] = []
        self.raised: list[tuple[Escalation, EscalationAction]] = []
        for contact in contacts:
            episode = contact.episode
            step = 3
            screened = 0.85 if contact.person is not None else 0.4
            if self.random.random() < screened:
                self.screening(contact, "needs-screen", self.needs_answers(contact), step)
                step += self.random.randint(4, 12)
            asks_suicide = {"mental_health", "substance_use"} & set(contact.needs)
            if contact.risk == RiskKind.SUICIDE or (asks_suicide and self.random.random() < 0.6):
                escalates = contact.risk == RiskKind.SUICIDE
                row = self.screening(contact, "cssrs-screen", self.suicide_answers(escalates), step)
                step += self.random.randint(2, 8)
                self.raise_escalations(contact, row, step)
            asks_safety = {"family", "safety", "childcare"} & set(contact.needs)
            other_risk = contact.risk not in (None, RiskKind.SUICIDE)
            if other_risk or (asks_safety and self.random.random() < 0.5):
                answers = self.safety_answers(contact.risk if other_risk else None)
                row = self.screening(contact, "safety-screen", answers, step)
                step += self.random.randint(2, 8)
                self.raise_escalations(contact, row, step)
            if contact.risk is not None:
                episode.priority = Priority.IMMEDIATE
                episode.priority_due_at = episode.started_at
                step += 30
            episode.closed_at = max(
                episode.closed_at, episode.started_at + timedelta(minutes=step + 2)
            )

    def raise_escalations(self, contact: _Contact, screening: Screening, after: int) -> None:
        outcome = screening.outcome
        if not outcome["escalates"]:
            return
        episode = contact.episode
        for kind in outcome["risks"]:
            required, mandatory = REQUIRED_ACTIONS[kind]
            escalation = Escalation(
                episode=episode,
                screening=screening,
                kind=kind,
                level=outcome["level"],
                required_actions=required,
                mandatory_actions=mandatory,
            )
            self.dated(escalation, raised_at=screening.recorded_at)
            action = mandatory[0] if mandatory else self.random.choice(required)
            taken_at = episode.started_at + timedelta(minutes=after + self.random.randint(3, 25))
            done = EscalationAction(
                escalation=escalation,
                action=action,
                taken_at=taken_at,
                recorded_by=episode.taken_by,
            )
            self.dated(done, recorded_at=taken_at)
            self.raised.append((escalation, done))

    # --- referrals ---------------------------------------------------------------------

    def target(self, contact: _Contact, need: str, requester: User) -> tuple:
        """Where a referral for this need goes: (team, service, need), one of the two set.
        The first referral of an escalated contact answers the risk."""
        own_team = self.main_team.get(requester.pk)
        if contact.risk is not None and need == contact.needs[0]:
            need = RISK_NEEDS[contact.risk]
            code = TEAM_FOR_RISK[contact.risk]
            crisis = self.services["crisis"]
            if contact.risk == RiskKind.SUICIDE and crisis and self.random.random() < 0.7:
                return None, crisis[0], need
            if code in self.teams and self.teams[code].pk != own_team:
                return self.teams[code], None, need
        crisis = self.services["crisis"]
        odds = CRISIS_ODDS.get(contact.episode.priority, 0) if need == "mental_health" else 0
        if crisis and self.random.random() < odds:
            return None, crisis[0], need
        code, odds = TEAM_FOR_NEED.get(need, ("", 0))
        if code in self.teams and self.teams[code].pk != own_team and self.random.random() < odds:
            return self.teams[code], None, need
        choices = self.services.get(need) or self.services["mental_health"]
        weights = [1 / (index + 2) for index in range(len(choices))]
        return None, self.random.choices(choices, weights=weights)[0], need

    def referrals(self, contacts: list[_Contact]) -> None:
        self.main_team = {}
        for team_id, members in self.members.items():
            for member in members:
                self.main_team.setdefault(member.pk, team_id)
        planned: list[tuple[_Contact, Referral, str]] = []
        for contact in contacts:
            episode = contact.episode
            if not episode.priority:
                continue
            odds = 1.0 if contact.risk else (0.62 if contact.person else 0.4)
            if self.random.random() >= odds:
                continue
            needs = contact.needs[:1]
            if len(contact.needs) > 1 and self.random.random() < 0.25:
                needs.append(contact.needs[1])
            for need in needs:
                requester = episode.taken_by
                team, service, need = self.target(contact, need, requester)
                delay = (
                    timedelta(minutes=self.random.randint(5, 40))
                    if self.random.random() < 0.7
                    else timedelta(hours=self.between(2, 48))
                )
                requested = min(episode.started_at + delay, self.horizon - timedelta(hours=1))
                referral = Referral(
                    id=self.uid(),
                    region=self.region,
                    person=contact.person,
                    anonymous=contact.person is None,
                    episode=episode,
                    need_domain=need,
                    request_text=self.random.choice(REASONS[need]),
                    priority=episode.priority,
                    requester=requester,
                    requester_team_id=self.main_team.get(requester.pk),
                    service=service,
                    target_organization_id=service.organization_id if service else None,
                    target_team=team,
                    requested_at=requested,
                )
                contact.referrals.append(referral)
                crisis = service is not None and service in self.services["crisis"]
                planned.append((contact, referral, self.pick(CRISIS_FATES if crisis else FATES)))
        planned.sort(key=lambda row: row[1].requested_at)
        open_ones = {}
        candidates = [
            row
            for row in reversed(planned)
            if row[2] != "entered_in_error" and row[1].service not in self.services["crisis"]
        ]
        for status, row in zip(OPEN_STATUSES, candidates, strict=False):
            open_ones[row[1].pk] = status
        reasons = [r for r in REJECT_REASONS for _ in range(6)]  # each reason a few times
        self.random.shuffle(reasons)
        self.referral_rows, self.events, self.consents, self.orientations = [], [], [], []
        consented = set()
        for contact, referral, fate in planned:
            if fate == "rejected":
                reason = reasons.pop() if reasons else self.pick(REJECT_REASONS)
            else:
                reason = ""
            self.lifecycle(referral, open_ones.get(referral.pk), fate, reason)
            self.referral_rows.append(referral)
            recipient = (referral.target_organization_id, referral.target_team_id)
            if referral.person is not None and (referral.person.pk, recipient) not in consented:
                consented.add((referral.person.pk, recipient))
                categories = ["identity", "needs", "follow_up"]
                if contact.risk:
                    categories.append(InformationCategory.RISK)
                self.consents.append(
                    Consent(
                        person=referral.person,
                        categories=categories,
                        recipient_organization_id=recipient[0],
                        recipient_team_id=recipient[1],
                        purpose="Référence et suivi",
                        method=ConsentMethod.VERBAL,
                        given_at=referral.requested_at - timedelta(minutes=3),
                        recorded_by=referral.requester,
                    )
                )
            orientation = Orientation(
                episode=contact.episode,
                kind=OrientationKind.INTERNAL_TEAM
                if referral.target_team
                else OrientationKind.REFERRAL,
                team=referral.target_team,
                service=referral.service,
                decided_by=contact.episode.taken_by,
            )
            decided = min(referral.requested_at, contact.episode.closed_at) - timedelta(minutes=1)
            self.orientations.append(self.dated(orientation, decided_at=decided))
        for contact in contacts:
            if not contact.episode.priority:
                orientation = Orientation(
                    episode=contact.episode,
                    kind=OrientationKind.INFORMATION,
                    decided_by=contact.episode.taken_by,
                    note="Information donnée sur les ressources du quartier",
                )
                decided = contact.episode.closed_at - timedelta(minutes=1)
                self.orientations.append(self.dated(orientation, decided_at=decided))

    def answerer(self, referral: Referral) -> User | None:
        """Who answers for the receiving side: a demo account of it, else no one known
        (an organization without a demo account)."""
        if referral.target_team is not None:
            members = self.members.get(referral.target_team.pk, [])
            return self.random.choice(members) if members else None
        partners = [
            u
            for u in self.users.values()
            if u.organization_id and u.organization_id == referral.target_organization_id
        ]
        return self.random.choice(sorted(partners, key=lambda u: u.username)) if partners else None

    def lifecycle(self, referral: Referral, open_status, fate: str, reason: str) -> None:
        """Statuses, dates and one event per change, from the draft to where it stands."""
        sent = referral.requested_at
        priority = referral.priority
        answered = sent + timedelta(hours=self.between(*ANSWER_HOURS[priority]))
        appointment = self.office_hours(
            answered + timedelta(days=self.between(*APPOINTMENT_DAYS[priority]))
        )
        if open_status is not None:
            steps, appointment = self.open_steps(referral, open_status, sent)
        elif fate == "entered_in_error":
            steps = [(Status.ENTERED_IN_ERROR, sent + timedelta(hours=self.between(0.2, 5)))]
        elif fate == "cancelled_unanswered":
            steps = [(Status.CANCELLED, sent + timedelta(hours=self.between(3, 96)))]
        elif fate == "rejected":
            steps = [(Status.REJECTED, answered)]
        elif fate == "cancelled_accepted":
            cancelled = answered + (appointment - answered) * self.random.uniform(0.2, 0.9)
            steps = [(Status.ACCEPTED, answered), (Status.CANCELLED, cancelled)]
        elif fate == "failed":
            failed = appointment + timedelta(days=self.between(1, 10))
            steps = [(Status.ACCEPTED, answered), (Status.FAILED, failed)]
        else:
            days = (0.3, 14) if referral.need_domain == "food" else (7, 120)
            started = appointment + timedelta(hours=self.random.uniform(0.5, 3))
            done = started + timedelta(days=self.between(*days))
            steps = [(Status.ACCEPTED, answered), (Status.IN_PROGRESS, started)]
            steps.append((Status.COMPLETED, done))
        last = max([at for _status, at in steps] + [appointment or sent])
        if open_status is None and last > self.horizon:
            # A referral that would still be going on is squeezed into the time there was.
            ratio = (self.horizon - sent) / (last - sent) * self.random.uniform(0.6, 0.95)
            steps = [(status, sent + (at - sent) * ratio) for status, at in steps]
            appointment = sent + (appointment - sent) * ratio
        responder = self.answerer(referral)
        created = sent - timedelta(minutes=self.random.randint(1, 8))
        events = [
            ReferralEvent(
                referral=referral,
                to_status=Status.DRAFT,
                actor=referral.requester,
                side=Side.REQUESTER,
            ),
            ReferralEvent(
                referral=referral,
                from_status=Status.DRAFT,
                to_status=Status.REQUESTED,
                actor=referral.requester,
                side=Side.REQUESTER,
            ),
        ]
        moments = [created, sent]
        previous = Status.REQUESTED
        for status, at in steps:
            # The referring side withdraws it (in error, or cancelled before any answer).
            withdrawn = status == Status.ENTERED_IN_ERROR or (
                status == Status.CANCELLED and referral.responded_at is None
            )
            event = ReferralEvent(
                referral=referral,
                from_status=previous,
                to_status=status,
                actor=referral.requester if withdrawn else responder,
                side=Side.REQUESTER if withdrawn else Side.TARGET,
                note=self.event_note(status, reason),
            )
            if status in (Status.ACCEPTED, Status.REJECTED) and referral.responded_at is None:
                referral.responded_at = at
            if status == Status.ACCEPTED:
                referral.first_appointment_at = appointment
            if status == Status.REJECTED:
                referral.reject_reason = event.reason = reason
            if status == Status.COMPLETED:
                referral.outcome = event.reason = self.pick(OUTCOMES)
                if referral.outcome == Outcome.OTHER:
                    referral.outcome_note = event.note = "Suivi terminé, la personne va mieux"
            if status in TERMINAL:
                referral.closed_at = at
            events.append(event)
            moments.append(at)
            previous = status
        referral.status = previous
        referral.version = len(events)
        referral.response_due_at = sent + timedelta(hours=max(self.target_hours(priority), 1))
        self.dated(referral, created_at=created)
        for event, at in zip(events, moments, strict=True):
            self.events.append(self.dated(event, at=at))

    def open_steps(self, referral: Referral, status: str, sent: datetime) -> tuple:
        """A recent referral still under way: its steps and its first appointment, to
        come (accepted) or past (in progress, on hold); none while unanswered."""
        if status == Status.REQUESTED:
            if sent + timedelta(hours=self.target_hours(referral.priority)) < self.now:
                referral.priority = Priority.WEEKS_2  # not overdue: the scenes have one
            return [], None
        answered = sent + (self.horizon - sent) * self.random.uniform(0.05, 0.25)
        if status == Status.ACCEPTED:
            soon = self.now + timedelta(days=self.random.uniform(1, 10))
            return [(Status.ACCEPTED, answered)], self.office_hours(soon)
        appointment = answered + (self.horizon - answered) * self.random.uniform(0.2, 0.5)
        started = appointment + min(timedelta(hours=1), (self.horizon - appointment) / 2)
        steps = [(Status.ACCEPTED, answered), (Status.IN_PROGRESS, started)]
        if status == Status.ON_HOLD:
            steps.append((Status.ON_HOLD, started + (self.horizon - started) * 0.5))
        return steps, appointment

    @staticmethod
    def event_note(status: str, reason: str) -> str:
        if status == Status.FAILED:
            return "Ne s’est pas présentée au premier rendez-vous"
        if status == Status.ENTERED_IN_ERROR:
            return "Saisie en double"
        if status == Status.CANCELLED:
            return "La personne a trouvé de l’aide ailleurs"
        if status == Status.ON_HOLD:
            return "En attente d’une place"
        if status == Status.REJECTED and reason == RejectReason.OTHER:
            return "Service suspendu pour l’été"
        return ""

    # --- social prescriptions ----------------------------------------------------------

    def prescription_starts(self, contacts: list[_Contact]) -> list[tuple[Person, datetime]]:
        """Who got a prescription and when: the people the social prescribing team
        accepted, then others met for isolation or low spirits, up to PRESCRIPTIONS."""
        team = self.teams.get("social_prescribing")
        latest = self.horizon - timedelta(days=2)
        starts: dict = {}
        for contact in contacts:
            for referral in contact.referrals:
                seen = referral.first_appointment_at
                if (
                    team is not None
                    and referral.target_team_id == team.pk
                    and referral.person is not None
                    and seen is not None
                    and seen < latest
                    and referral.status not in (Status.CANCELLED, Status.FAILED)
                ):
                    starts.setdefault(referral.person.pk, (referral.person, seen))
        others = [
            c
            for c in contacts
            if c.person is not None
            and c.person.pk not in starts
            and {"isolation", "mental_health", "recreation"} & set(c.needs)
        ]
        self.random.shuffle(others)
        for contact in others:
            if len(starts) >= PRESCRIPTIONS:
                break
            begun = contact.episode.closed_at + timedelta(days=self.random.uniform(3, 20))
            if begun < latest:
                starts.setdefault(contact.person.pk, (contact.person, begun))
        chosen = sorted(starts.values(), key=lambda row: row[1])
        if len(chosen) > PRESCRIPTIONS:
            chosen = sorted(self.random.sample(chosen, PRESCRIPTIONS), key=lambda row: row[1])
        return chosen

    def prescriptions(self, contacts: list[_Contact]) -> None:
        prescriber = self.users["prescripteur"]
        k10 = instruments.instrument("k10")
        activities_offered = self.services.get("recreation", []) + self.services.get(
            "isolation", []
        )
        self.plans: dict[type, list] = {
            model: [] for model in (Prescription, Goal, Activity, Support, FollowUp, GoalRating)
        }
        self.plans[Measurement] = []
        for person, begun in self.prescription_starts(contacts):
            days = (self.horizon - begun).days
            status = PrescriptionStatus.ACTIVE
            if days > 120:
                status = self.pick({"completed": 55, "stopped": 20, "active": 25})
            elif days > 45:
                status = self.pick({"completed": 25, "stopped": 10, "active": 65})
            ended = None
            if status != PrescriptionStatus.ACTIVE:
                lasted = self.random.uniform(min(45, days - 2), min(days, 200))
                ended = begun + timedelta(days=lasted)
            matters, goals, supports = self.random.choice(PLANS)
            prescription = Prescription(
                id=self.uid(),
                region=self.region,
                person=person,
                prescriber=prescriber,
                link_worker=prescriber,
                co_produced_with=self.random.choice(
                    ("La personne", "La personne et sa fille", "La personne et son voisin")
                ),
                what_matters=matters,
                status=status,
                ended_at=ended,
            )
            self.plans[Prescription].append(self.dated(prescription, created_at=begun))
            goal_rows = [
                Goal(prescription=prescription, text=text, position=index)
                for index, text in enumerate(goals)
            ]
            self.plans[Goal] += goal_rows
            activity_rows = self.activities(prescription, activities_offered)
            for kind, detail in supports:
                self.plans[Support].append(
                    Support(
                        prescription=prescription,
                        activity=activity_rows[0] if activity_rows else None,
                        kind=kind,
                        detail=detail,
                        arranged=status != PrescriptionStatus.ACTIVE or self.random.random() < 0.7,
                    )
                )
            last_seen = self.follow_ups(prescription, begun, ended)
            for goal in goal_rows:
                first = GoalRating(goal=goal, rating=self.random.randint(1, 2), rated_by=prescriber)
                self.plans[GoalRating].append(
                    self.dated(first, rated_at=begun + timedelta(minutes=20))
                )
                if last_seen is not None:
                    rating = {"completed": (3, 5), "stopped": (1, 3)}.get(status, (2, 4))
                    later = GoalRating(
                        goal=goal, rating=self.random.randint(*rating), rated_by=prescriber
                    )
                    self.plans[GoalRating].append(self.dated(later, rated_at=last_seen))
            self.measures(prescription, k10, begun, ended, days)

    def activities(self, prescription: Prescription, offered: list[Service]) -> list[Activity]:
        if not offered:
            return []
        count = self.random.choice((1, 1, 2, 2, 3))
        chosen = self.random.sample(offered, min(count, len(offered)))
        statuses = {
            PrescriptionStatus.COMPLETED: {ActivityStatus.DONE: 85, ActivityStatus.STOPPED: 15},
            PrescriptionStatus.STOPPED: {ActivityStatus.STOPPED: 60, ActivityStatus.PROPOSED: 40},
            PrescriptionStatus.ACTIVE: {ActivityStatus.STARTED: 65, ActivityStatus.PROPOSED: 35},
        }[prescription.status]
        rows = [
            Activity(prescription=prescription, service=service, status=self.pick(statuses))
            for service in chosen
        ]
        self.plans[Activity] += rows
        return rows

    def follow_ups(self, prescription: Prescription, begun: datetime, ended) -> datetime | None:
        """Follow-ups a month and three months in: done when past, the next one planned
        while the prescription goes on; when the link worker last saw the person."""
        last_seen = ended
        for days in (30, 90, 180):
            due = (begun + timedelta(days=days)).date()
            if ended is not None and due > ended.date():
                break
            follow_up = FollowUp(prescription=prescription, due_on=due)
            self.plans[FollowUp].append(follow_up)
            seen = datetime.combine(due, time(10, 30), tzinfo=self.zone)
            if seen >= self.horizon:
                break  # the next one, still to come
            follow_up.done_at = seen
            follow_up.note = "Bilan avec la personne : les activités se passent bien"
            last_seen = max(last_seen or seen, seen)
        return last_seen

    def k10_answers(self, k10, total: int) -> dict:
        items = [item["id"] for item in k10.definition["items"]]
        values = [1] * len(items)
        extra = total - len(items)
        while extra > 0:
            index = self.random.randrange(len(items))
            if values[index] < 5:
                values[index] += 1
                extra -= 1
        return dict(zip(items, values, strict=True))

    def measures(self, prescription: Prescription, k10, begun, ended, days: int) -> None:
        """K10 at the start, and at the end or a follow-up a month or two in: distress
        falls for most of those who completed their plan, little for those who stopped."""
        before = min(45, max(16, round(self.random.gauss(29, 5))))
        fall = {"completed": (7, 4), "stopped": (1, 3)}.get(prescription.status, (4, 4))
        after = min(50, max(10, round(before - self.random.gauss(*fall))))
        taken = [(Occasion.BASELINE, before, begun + timedelta(minutes=30))]
        if ended is not None:
            taken.append((Occasion.END, after, ended))
        elif days >= 35:
            later = begun + timedelta(days=self.random.uniform(28, min(days - 2, 90)))
            taken.append((Occasion.FOLLOW_UP, after, later))
        for occasion, total, moment in taken:
            answers = self.k10_answers(k10, total)
            result = instruments.score(k10.definition, answers)
            measurement = Measurement(
                person=prescription.person,
                prescription=prescription,
                instrument=k10,
                occasion=occasion,
                answers=answers,
                raw_score=result.raw,
                score=result.score,
                band=result.band,
                alerts=result.alerts,
                taken_by=prescription.prescriber,
            )
            self.plans[Measurement].append(self.dated(measurement, taken_at=moment))

    # --- writing -------------------------------------------------------------------------

    def write(self, contacts: list[_Contact]) -> None:
        """Everything in bulk, parents first; then the dates `auto_now_add` overwrote."""
        rows = [
            (Person, self.people_rows),
            (ContactEpisode, [c.episode for c in contacts]),
            (Screening, self.screenings),
            (Escalation, [escalation for escalation, _action in self.raised]),
            (EscalationAction, [action for _escalation, action in self.raised]),
            (Orientation, self.orientations),
            (Consent, self.consents),
            (Referral, self.referral_rows),
            (ReferralEvent, self.events),
        ]
        rows += list(self.plans.items())
        for model, objects in rows:
            model.objects.bulk_create(objects, batch_size=BATCH)
        for model, dated in self.deferred.items():
            fields = sorted({name for _obj, moments in dated for name in moments})
            for obj, moments in dated:
                for name, value in moments.items():
                    setattr(obj, name, value)
            model.objects.bulk_update([obj for obj, _moments in dated], fields, batch_size=BATCH)
