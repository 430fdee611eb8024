"""Indicators benchmark: the whole dashboard of a region for a year, against a
straightforward ORM implementation of the same indicators.

    .venv/bin/python bench/indicators.py [--referrals 1000000] [--contacts 300000]
                                         [--people N] [--prescriptions N]
                                         [--engines sqlite,postgresql] [--reuse]

Per engine, a child process fills its own database (bench/results/indicators.sqlite3, the
PostgreSQL database `proxima_bench_indicators`; rebuilt each run unless `--reuse`) with
raw bulk writes (executemany in one transaction on SQLite, COPY on PostgreSQL), then
times `indicators.services.dashboard` for the largest region's last full calendar year
(one warm-up, then three runs: each run, the best and the median are printed), each
indicator alone (best of three; alone, an indicator reads afresh what the dashboard reads
once for several), and the ORM implementation below once; it checks that both give the
same figures. The last line is JSON:
{"sqlite": {"dashboard_s": .., "orm_s": ..}, "postgresql": {"dashboard_s": .., "orm_s": ..}}
(dashboard_s: the best of the three runs).

The synthetic network (random but seeded: the same sizes give the same data):
- 10 Quebec health regions (core.Region and a region territory each, a box around its
  postal areas); the benchmarked one, 03 Capitale-Nationale, holds 30 % of all activity,
  Montreal 22 %, Montérégie 12 %, the other seven 4 to 6 % each. History: the three
  years up to the start of today (UTC), so the benchmarked year (the last full one)
  holds about a third; rows are written in time order, as a live system appends them.
- Territories of 03: six CLSC territories, boxes tiling Quebec City's postal areas (G1*,
  G2*), each with a population (70,000 to 130,000) and a material deprivation quintile.
- Per region: the standard teams (`ensure_standard_teams`), 811 workers, CLSC workers,
  outreach workers and social prescribers as members (about 150 in all), 300 community
  organizations in all (1 to 4 services each, one need domain per service, a partner
  worker for a third of them).
- People (`--people`, default 0.6 × contacts): birth dates for 95 % (18 % minors, 12 %
  aged 65 to 79, 5 % over 80), French 85 % / English 12 % / other; postal codes from
  the real FSA points (proxima.directory.services.geo): in 03, 85 % in Quebec City
  (G1*, G2*), 7 % elsewhere in the region (G3*, G0A), 8 % unknown.
- Contacts (`--contacts`): 75 % linked to a person (1.56 contacts per person who has
  any, 45 % of later contacts within 30 days of the one before), 25 % anonymous; every
  channel (811 44 %, CLSC walk-in 14 %, clinics 9 %, community 8 %, outreach 6 %, schools
  6 %, self-referral form 6 %, home visits 5 %, daycares 2 %); local hours follow a
  daily curve per channel (811 round the clock, peaking 10 h-16 h, lowest 3 h-5 h;
  offices 8 h-17 h on weekdays; the self-referral form peaks in the evening); priorities
  (2 w 35 %, 72 h 25 %, 30 d 18 %, urgent 10 %, immediate 2 %, none 10 %); barriers named
  on 28 % (transport 12 %, cost 10 %, fear 6 %, language 4 %, several possible).
- Screenings: a needs screening (questionnaire "needs-screen", scored by
  intake.services.questionnaires.score: needs with severities, strengths) on 40 % of
  contacts (a second, later one on 6 % of those); a risk screen (C-SSRS or safety) on
  10 %, escalating on a third of them (3.2 % of contacts escalated; suicide 45 %,
  violence 20 %, child maltreatment 15 %, danger to others 10 %, elder abuse 10 %; a
  tenth with two risks), which makes the contact's priority immediate.
- Referrals (`--referrals`): 35 % made from contacts (60 % of contacts lead to 1 to 8,
  same region, person and worker), the others sent by CLSC workers, prescribers, 811
  workers or passed on by partner organizations (15 % anonymous); 70 % to an
  organization's service, 30 % to an internal team; priorities 2 w 40 %, 72 h 30 %,
  30 d 20 %, urgent 9 %, immediate 1 %. Lifecycle as the FHIR Task's: 0.4 % left as
  drafts, 0.4 % entered in error, 7 % never answered then cancelled; the answer after a
  log-normal delay (median 1 h immediate to 4 days within 30 days), declined 16 % (no
  capacity, not eligible, unreachable...); accepted ones get a first appointment
  (median 6 days later), then 8 % no-show, 2 % cancelled, the rest in progress, with
  on-hold spells, and end completed 80 %, failed 12 %, cancelled 8 % (median 25 days);
  everything after now is cut off (recent referrals are still open). Each change is a
  ReferralEvent (about 5 per referral).
- Social prescriptions (`--prescriptions`, default contacts / 100) with 1 to 3
  activities, K10 measures (baseline for 85 %, follow-ups after 6 and 17 weeks, scored
  by outcomes.services.instruments.score, distress lower after); four agreements in 03
  with their status history (a food corridor and a mental-health protocol in force, a
  housing agreement under review, a transport memorandum ended), each with its four
  computed indicators and one reported; a joint training session a month.

The ORM implementation (`orm_dashboard`) is what a developer would first write: read
the period's rows as model instances and count, group and take medians in Python, one
indicator after the other. Its raw figures are compared with every figure the dashboard
shows (a figure it hides is its suppression's, not compared): all must agree (floats
within 0.1), and the main totals (contacts, referrals sent and accepted, the median hours
to an answer, people reached, repeat and escalated contacts, prescriptions) be shown.
"""

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from audit import _fresh_postgres_database  # bench/ is on the path of its own scripts

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/proxima_bench_indicators"
LOCAL = ZoneInfo("America/Toronto")
BIG = "03"

# code, name, share of all activity, postal areas (FSA prefixes)
REGIONS = [
    ("03", "Capitale-Nationale", 0.30, ("G1", "G2", "G3", "G0A")),
    ("06", "Montréal", 0.22, ("H1", "H2", "H3", "H4")),
    ("16", "Montérégie", 0.12, ("J3", "J4")),
    ("13", "Laval", 0.06, ("H7",)),
    ("05", "Estrie", 0.06, ("J1",)),
    ("12", "Chaudière-Appalaches", 0.06, ("G6",)),
    ("04", "Mauricie-et-Centre-du-Québec", 0.05, ("G8", "G9")),
    ("07", "Outaouais", 0.05, ("J8", "J9")),
    ("02", "Saguenay–Lac-Saint-Jean", 0.04, ("G7",)),
    ("01", "Bas-Saint-Laurent", 0.04, ("G5",)),
]
# Quebec City's CLSC territories: a 3 × 2 grid of boxes over the G1*/G2* points.
CLSCS = [
    ("Haute-Saint-Charles", 95_000, 2),
    ("La Source (Charlesbourg)", 85_000, 2),
    ("Orléans (Beauport)", 80_000, 3),
    ("Sainte-Foy–Sillery–Laurentien", 130_000, 1),
    ("Haute-Ville–Des-Rivières", 110_000, 3),
    ("Basse-Ville–Limoilou–Vanier", 70_000, 5),
]
CLSC_SOUTH, CLSC_NORTH, CLSC_WEST, CLSC_EAST = 46.745, 46.945, -71.41, -71.17

CHANNELS = {
    "phone_811": (44, "811"),
    "clsc_walk_in": (14, "office"),
    "home_visit": (5, "office"),
    "mobile_outreach": (6, "outreach"),
    "partner_school": (6, "office"),
    "partner_daycare": (2, "office"),
    "partner_clinic": (9, "office"),
    "partner_community": (8, "office"),
    "self_referral": (6, "web"),
}
# Relative load per local hour 0..23, and per weekday Monday..Sunday.
HOURLY = {
    "811": [2.0, 1.4, 1.0, 0.8, 0.7, 0.8, 1.4, 2.6, 4.2, 5.6, 6.2, 6.0,
            5.2, 5.6, 5.8, 5.6, 5.2, 4.8, 4.6, 4.4, 4.2, 3.8, 3.2, 2.6],
    "office": [0, 0, 0, 0, 0, 0, 0.1, 0.6, 3.0, 5.0, 5.5, 5.0,
               2.5, 4.5, 5.0, 4.5, 3.0, 1.2, 0.5, 0.3, 0.1, 0, 0, 0],
    "outreach": [0.8, 0.5, 0.3, 0.2, 0.1, 0.1, 0.2, 0.5, 1.5, 3.0, 4.0, 4.0,
                 3.5, 4.0, 4.5, 4.5, 4.0, 3.5, 3.0, 3.0, 2.8, 2.4, 1.8, 1.2],
    "web": [1.2, 0.8, 0.5, 0.4, 0.3, 0.4, 0.8, 1.5, 2.5, 3.0, 3.2, 3.0,
            3.0, 3.2, 3.3, 3.2, 3.2, 3.4, 3.8, 4.2, 4.4, 4.0, 3.0, 2.0],
}  # fmt: skip
WEEKLY = {
    "811": [1.0, 0.97, 0.95, 0.95, 0.92, 0.8, 0.78],
    "office": [1.0, 1.0, 1.0, 1.0, 0.95, 0.08, 0.04],
    "outreach": [1.0, 1.0, 1.0, 1.0, 1.0, 0.6, 0.4],
    "web": [1.0, 1.0, 1.0, 1.0, 0.95, 0.8, 0.85],
}
CONTACT_PRIORITIES = {"2w": 35, "72h": 25, "30d": 18, "urgent": 10, "immediate": 2, "": 10}
REFERRAL_PRIORITIES = {"2w": 40, "72h": 30, "30d": 20, "urgent": 9, "immediate": 1}
BARRIER_ODDS = {"transport": 0.12, "cost": 0.10, "fear": 0.06, "language": 0.04}
RISKS = {"suicide": 45, "violence": 20, "child_maltreatment": 15, "harm_to_others": 10,
         "elder_abuse": 10}  # fmt: skip
SAFETY_ITEM = {"violence": "violence", "harm_to_others": "harm_to_others",
               "child_maltreatment": "child_in_danger", "elder_abuse": "elder_abuse"}  # fmt: skip
NEED_ODDS = {"food": 0.25, "housing": 0.2, "income": 0.25, "employment": 0.1,
             "education": 0.05, "childcare": 0.06, "transport": 0.08, "isolation": 0.2,
             "family": 0.12, "recreation": 0.05, "mental_health": 0.3, "substance_use": 0.08,
             "legal": 0.06, "immigration": 0.04, "health_access": 0.1, "safety": 0.05}  # fmt: skip
SERVICE_DOMAINS = ["food", "housing", "income", "employment", "mental_health", "isolation",
                   "family", "legal", "substance_use", "childcare", "immigration"]  # fmt: skip
REJECT_REASONS = {"full": 30, "not_eligible": 25, "out_of_territory": 10, "unreachable": 15,
                  "declined_by_person": 12, "other": 8}  # fmt: skip
OUTCOMES = {"service_received": 45, "goal_met": 25, "partly_met": 18, "referred_on": 8,
            "other": 4}  # fmt: skip
ANSWER_MEDIAN_HOURS = {"immediate": 1, "urgent": 6, "72h": 28, "2w": 60, "30d": 96}
TARGET_HOURS = {"immediate": 0, "urgent": 24, "72h": 72, "2w": 336, "30d": 720}
REASONS = [
    "Je n'arrive plus à payer l'épicerie ce mois-ci.",
    "Mon propriétaire veut m'expulser.",
    "Je me sens seul depuis le décès de ma conjointe.",
    "Mon fils ne va plus à l'école.",
    "Je suis épuisée, je n'y arrive plus avec les enfants.",
    "J'ai perdu mon emploi et je ne sais pas vers qui me tourner.",
    "Ma mère âgée a besoin d'aide à la maison.",
    "Je consomme plus qu'avant et ça m'inquiète.",
]
GIVEN = ["Marie", "Jean", "Léa", "Olivier", "Emma", "William", "Alice", "Thomas", "Chloé",
         "Félix", "Zoé", "Nathan", "Camille", "Samuel", "Rosalie", "Gabriel", "Florence",
         "Louis", "Béatrice", "Jacob", "Amira", "Mohamed", "Fatou", "Sofia", "Lucas",
         "Élodie", "Mathis", "Juliette", "Antoine", "Noémie"]  # fmt: skip
FAMILY = ["Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie",
          "Fortin", "Gagné", "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron",
          "Leblanc", "Paquette", "Girard", "Simard", "Boucher", "Caron", "Beaulieu",
          "Cloutier", "Dubé", "Poirier", "Nguyen", "Diallo", "Traoré", "Haddad", "Martinez"]  # fmt: skip


def _weights(table: dict) -> tuple[list, list]:
    keys = list(table)
    total, cumulative = 0.0, []
    for key in keys:
        total += table[key] if not isinstance(table[key], tuple) else table[key][0]
        cumulative.append(total)
    return keys, cumulative


# --- raw bulk writes -----------------------------------------------------------------------


class BulkWriter:
    """Rows written straight to a model's table: executemany in batches on SQLite (inside
    the caller's transaction), COPY on PostgreSQL. Values come ready for both engines:
    ids as hex, JSON as text, moments through `stamp`; a NOT NULL column left out takes
    its field's default."""

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.written: Counter = Counter()

    def stamp(self, moment: datetime | None) -> str | None:
        """A UTC moment as the database stores it (Django writes naive UTC on SQLite)."""
        if moment is None:
            return None
        if self.postgres:
            return moment.isoformat()
        return str(moment.replace(tzinfo=None))

    def write(self, model, columns: list[str], rows) -> int:
        fields = {field.attname: field for field in model._meta.concrete_fields}
        names = [fields[name].column for name in columns]
        constants = []
        for attname, field in fields.items():
            if attname in columns or field.null:
                continue
            if field.primary_key and field.get_internal_type() in ("AutoField", "BigAutoField"):
                continue
            default = field.get_default()  # "" for text without a default
            if default is None:
                raise ValueError(f"{model.__name__}.{attname} needs a value")
            names.append(field.column)
            constants.append(field.get_db_prep_save(default, self.connection))
        extra = tuple(constants)
        quote = self.connection.ops.quote_name
        table = quote(model._meta.db_table)
        column_list = ", ".join(quote(name) for name in names)
        count = 0
        with self.connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + extra)
                        count += 1
            else:
                sql = (
                    f"INSERT INTO {table} ({column_list}) VALUES ({', '.join(['%s'] * len(names))})"
                )
                batch = []
                for row in rows:
                    batch.append(row + extra)
                    if len(batch) == 50_000:
                        cursor.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    count += len(batch)
        self.written[model.__name__] += count
        return count


# --- the synthetic network -----------------------------------------------------------------


class Network:
    """What the fill keeps in memory to link rows: regions, users, teams, services, people."""

    def __init__(self):
        self.region_ids: list[int] = []
        self.shares: list[float] = []
        self.teams: list[dict[str, int]] = []  # per region: team code → id
        self.staff: list[dict[str, list[int]]] = []  # per region: kind → user ids
        self.team_of: dict[int, int] = {}  # user → team
        self.services: list[list[tuple[str, str, str]]] = []  # (service, organization, domain)
        self.partner_user: dict[str, int] = {}  # organization → its partner worker
        self.team_members: dict[int, list[int]] = {}
        self.people: list[list[tuple[str, str]]] = []  # per region: (person id, language)
        self.partner_organizations: list[list[str]] = []  # per region: with a partner worker


def _setup_regions(network: Network, rng: random.Random) -> dict:
    """Regions (with their territories), teams, users, organizations and services."""
    from shapely.geometry import box

    from proxima.core.models import Region, User
    from proxima.directory import models as directory
    from proxima.directory.services import geo
    from proxima.teams.models import Membership
    from proxima.teams.services import ensure_standard_teams
    from proxima.territories.models import Territory
    from proxima.territories.services import save_territory

    points = geo.fsa_points()
    postal: dict = {}
    for index, (code, name, share, prefixes) in enumerate(REGIONS):
        fsas = sorted(f for f in points if f.startswith(prefixes))
        lats = [points[f][0] for f in fsas]
        lons = [points[f][1] for f in fsas]
        outline = box(min(lons) - 0.05, min(lats) - 0.05, max(lons) + 0.05, max(lats) + 0.05)
        territory, _created = save_territory("region", code, name, outline)
        region = Region.objects.get(code=code)
        network.region_ids.append(region.pk)
        network.shares.append(share)
        if code == BIG:
            inner = [f for f in fsas if f.startswith(("G1", "G2"))]
            outer = [f for f in fsas if f not in inner]
            postal[index] = (inner, outer)
            width = (CLSC_EAST - CLSC_WEST) / 3
            height = (CLSC_NORTH - CLSC_SOUTH) / 2
            for n, (clsc, population, quintile) in enumerate(CLSCS):
                west = CLSC_WEST + (n % 3) * width
                north = CLSC_NORTH - (n // 3) * height
                clsc_territory, _created = save_territory(
                    "clsc",
                    f"{code}-CLSC{n + 1}",
                    f"CLSC {clsc}",
                    box(west, north - height, west + width, north),
                    parent=territory,
                    population=population,
                )
                Territory.objects.filter(pk=clsc_territory.pk).update(
                    material_deprivation=quintile, social_deprivation=6 - quintile
                )
        else:
            postal[index] = (fsas, [])
        teams = {team.code: team.pk for team in ensure_standard_teams(region)}
        network.teams.append(teams)

        staffing = {
            "worker_811": ("info_social", max(4, round(60 * share))),
            "clsc_worker": ("social_consultation", max(3, round(50 * share))),
            "outreach": ("mobile_outreach", max(2, round(10 * share))),
            "social_prescriber": ("social_prescribing", max(2, round(12 * share))),
        }
        staff: dict[str, list[int]] = {}
        for kind, (team_code, count) in staffing.items():
            role = "clsc_worker" if kind == "outreach" else kind
            users = User.objects.bulk_create(
                [
                    User(username=f"r{code}-{kind}-{n}", role=role, region=region, password="!")
                    for n in range(count)
                ]
            )
            staff[kind] = [user.pk for user in users]
            Membership.objects.bulk_create(
                [Membership(team_id=teams[team_code], user=user) for user in users]
            )
            for user in users:
                network.team_of[user.pk] = teams[team_code]
            network.team_members.setdefault(teams[team_code], []).extend(staff[kind])
        network.staff.append(staff)

        organizations, services, links = [], [], []
        for n in range(max(8, round(300 * share))):
            organization_id = f"bench-org-{code}-{n}"
            organizations.append(
                directory.Organization(
                    id=organization_id, name=f"Organisme communautaire {code}-{n}"
                )
            )
            for m in range(rng.choice([1, 1, 2, 2, 3, 4])):
                domain = rng.choice(SERVICE_DOMAINS)
                service_id = f"bench-svc-{code}-{n}-{m}"
                services.append(
                    directory.Service(
                        id=service_id,
                        organization_id=organization_id,
                        name=f"Service {domain} {code}-{n}-{m}",
                    )
                )
                links.append((service_id, organization_id, domain))
        directory.Organization.objects.bulk_create(organizations)
        directory.Service.objects.bulk_create(services)
        network.services.append(links)
        partners = User.objects.bulk_create(
            [
                User(
                    username=f"r{code}-partner-{o.id}",
                    role="partner_worker",
                    region=region,
                    organization=o,
                    password="!",
                )
                for o in organizations[::3]
            ]
        )
        for user in partners:
            network.partner_user[user.organization_id] = user.pk
    return postal


def _moment(rng: random.Random, first_day: date, days: int, curve: str, now: datetime) -> datetime:
    """A moment in the history: a day (weighted by weekday) and a local hour on the curve."""
    weekly = WEEKLY[curve]
    while True:
        day = first_day + timedelta(days=rng.randrange(days))
        if rng.random() < weekly[day.weekday()]:
            break
    return _on_day(rng, day, curve, now)


_HOURS = list(range(24))
_HOURLY_CUMULATIVE = {
    curve: [sum(weights[: h + 1]) for h in range(24)] for curve, weights in HOURLY.items()
}


def _on_day(rng: random.Random, day: date, curve: str, now: datetime) -> datetime:
    hour = rng.choices(_HOURS, cum_weights=_HOURLY_CUMULATIVE[curve])[0]
    local = datetime(
        day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=LOCAL
    )
    moment = local.astimezone(UTC)
    if moment > now:
        moment = now - timedelta(seconds=rng.randrange(60, 6 * 3600))
    return moment


def _fill_people(writer, network, postal, rng, count, now) -> None:
    from proxima.people.models import Person
    from proxima.people.services.records import name_key

    created = writer.stamp(now - timedelta(days=3 * 366))
    keys = {(g, f): name_key(g, f) for g in GIVEN for f in FAMILY}
    network.people = [[] for _ in REGIONS]

    def rows():
        for _ in range(count):
            region = rng.choices(range(len(REGIONS)), weights=network.shares)[0]
            inner, outer = postal[region]
            draw = rng.random()
            if draw < 0.08:
                code = ""
            else:
                fsa = rng.choice(outer) if outer and draw < 0.15 else rng.choice(inner)
                code = f"{fsa} {rng.randrange(10)}{chr(65 + rng.randrange(26))}{rng.randrange(10)}"
            age = rng.choices(
                [(0, 17), (18, 29), (30, 44), (45, 64), (65, 79), (80, 99)],
                weights=[18, 18, 22, 25, 12, 5],
            )[0]
            birth = None
            if rng.random() < 0.95:
                years = rng.randint(*age)
                birth = (now.date() - timedelta(days=years * 365 + rng.randrange(365))).isoformat()
            language = rng.choices(["fr", "en", "es", "ar"], weights=[85, 12, 2, 1])[0]
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            person_id = uuid.UUID(int=rng.getrandbits(128), version=4).hex
            network.people[region].append((person_id, language))
            yield (
                person_id,
                network.region_ids[region],
                given,
                family,
                birth,
                language,
                code,
                keys[(given, family)],
                created,
                created,
            )

    writer.write(
        Person,
        [
            "id",
            "region_id",
            "given_name",
            "family_name",
            "birth_date",
            "language",
            "postal_code",
            "name_key",
            "created_at",
            "updated_at",
        ],
        rows(),
    )


def _fill_contacts(writer, network, rng, count, first_day, days, now) -> list[tuple]:
    """Contacts, their screenings and escalations; returns the contacts as
    (id, region, person id or None, started_at, taker, channel)."""
    from proxima.intake.models import ContactEpisode, Escalation, Questionnaire, Screening
    from proxima.intake.services.episodes import REQUIRED_ACTIONS
    from proxima.intake.services.questionnaires import score

    channels, channel_weights = _weights(CHANNELS)
    priorities, priority_weights = _weights(CONTACT_PRIORITIES)
    risks, risk_weights = _weights(RISKS)
    questionnaires = {q.code: q for q in Questionnaire.objects.all()}
    needs_screen = questionnaires["needs-screen"]
    items = needs_screen.definition["items"]
    need_items = [(i["id"], NEED_ODDS.get(i["domain"], 0.05)) for i in items if i["type"] == "need"]
    strength_items = [i["id"] for i in items if i["type"] == "strength"]
    strength_odds = {item: 0.15 + 0.35 * (n % 4) / 3 for n, item in enumerate(strength_items)}

    # Who has contacts, when: people first (their contacts cluster), then anonymous ones.
    linked_target = round(count * 0.75)
    plans = []  # (region, person or None, language, day)
    last = first_day + timedelta(days=days - 1)
    everyone = [(r, p) for r, people in enumerate(network.people) for p in people]
    rng.shuffle(everyone)
    for region, (person_id, language) in everyone:
        if len(plans) >= linked_target:
            break
        if rng.random() > 0.8:
            continue  # known through referrals or prescriptions only
        day = first_day + timedelta(days=rng.randrange(days))
        plans.append((region, person_id, language, day))
        while rng.random() < 0.36 and len(plans) < linked_target:
            gap = rng.expovariate(1 / 7) if rng.random() < 0.45 else rng.uniform(31, 400)
            day = day + timedelta(days=max(0, int(gap)))
            if day > last:
                day = first_day + timedelta(days=rng.randrange(days))
            plans.append((region, person_id, language, day))
    while len(plans) < count:
        region = rng.choices(range(len(REGIONS)), weights=network.shares)[0]
        plans.append((region, None, "fr", None))
    # When and through which door; then written in time order, as a live system appends.
    timed = []
    for region, person_id, language, day in plans:
        channel = rng.choices(channels, cum_weights=channel_weights)[0]
        curve = CHANNELS[channel][1]
        if day is None:
            started = _moment(rng, first_day, days, curve, now)
        else:
            started = _on_day(rng, day, curve, now)
        timed.append((started, region, person_id, language, channel, curve))
    timed.sort(key=lambda plan: plan[0])

    contacts: list[tuple] = []
    screenings: list[tuple] = []
    escalations: list[tuple] = []
    takers = {"811": "worker_811", "web": "worker_811", "office": "clsc_worker"}
    takers["outreach"] = "outreach"

    def contact_rows():
        for started, region, person_id, language, channel, curve in timed:
            taker = rng.choice(network.staff[region][takers[curve]])
            priority = rng.choices(priorities, cum_weights=priority_weights)[0]
            contact_id = uuid.UUID(int=rng.getrandbits(128), version=4).hex
            contacts.append((contact_id, region, person_id, started, taker, channel))
            # Screenings: needs (scored as the contact screen scores them), risk.
            needs_odds = 0.3 if curve == "811" else 0.55
            if rng.random() < needs_odds:
                for repeat in range(2 if rng.random() < 0.06 else 1):
                    answers = {}
                    for item, odds in need_items:
                        if rng.random() < odds:
                            answers[item] = {
                                "severity": rng.choice([1, 1, 2, 2, 3]),
                                "wants_help": rng.random() < 0.7,
                                "note": "",
                            }
                    for item in strength_items:
                        answers[item] = rng.random() < strength_odds[item]
                    recorded = started + timedelta(minutes=5 + 20 * repeat + rng.randrange(15))
                    screenings.append(
                        (
                            len(screenings) + 1,
                            contact_id,
                            needs_screen.pk,
                            json.dumps(answers),
                            json.dumps(score(needs_screen.definition, answers)),
                            writer.stamp(min(recorded, now)),
                            taker,
                        )
                    )
            if rng.random() < 0.10:
                escalated = rng.random() < 0.33
                kinds = []
                if escalated:
                    kinds = [rng.choices(risks, cum_weights=risk_weights)[0]]
                    if rng.random() < 0.1:
                        kinds.append(rng.choice([k for k in risks if k != kinds[0]]))
                if "suicide" in kinds or (not kinds and rng.random() < 0.6):
                    code = "cssrs-screen"
                    answers = {"q1": bool(kinds), "q2": bool(kinds), "q3": False}
                    answers.update({"q4": bool(kinds), "q5": False, "q6": False})
                    kinds = [k for k in kinds if k == "suicide"] + [
                        k for k in kinds if k != "suicide"
                    ]
                else:
                    code = "safety-screen"
                    answers = {item: False for item in SAFETY_ITEM.values()}
                    for kind in kinds:
                        answers[SAFETY_ITEM.get(kind, "violence")] = True
                screen = questionnaires[code]
                outcome = score(screen.definition, answers)
                screening_id = len(screenings) + 1
                recorded = min(started + timedelta(minutes=3 + rng.randrange(10)), now)
                screenings.append(
                    (
                        screening_id,
                        contact_id,
                        screen.pk,
                        json.dumps(answers),
                        json.dumps(outcome),
                        writer.stamp(recorded),
                        taker,
                    )
                )
                for kind in kinds:
                    required, mandatory = REQUIRED_ACTIONS[kind]
                    escalations.append(
                        (
                            len(escalations) + 1,
                            contact_id,
                            screening_id,
                            kind,
                            "high",
                            json.dumps(required),
                            json.dumps(mandatory),
                            writer.stamp(recorded),
                        )
                    )
                if kinds:
                    priority = "immediate"
            due = started + timedelta(hours=TARGET_HOURS[priority]) if priority else None
            if curve == "811":
                duration = timedelta(minutes=rng.uniform(8, 60))
            else:
                duration = timedelta(hours=rng.uniform(0.5, 120))
            closed = started + duration
            if closed > now or (now - started < timedelta(days=30) and rng.random() < 0.3):
                closed = None
            barriers = [b for b, odds in BARRIER_ODDS.items() if rng.random() < odds]
            yield (
                contact_id,
                network.region_ids[region],
                channel,
                writer.stamp(started),
                taker,
                person_id,
                rng.choice(REASONS),
                language if language in ("fr", "en") else "fr",
                priority,
                writer.stamp(due),
                writer.stamp(closed),
                json.dumps(barriers),
            )

    writer.write(
        ContactEpisode,
        [
            "id",
            "region_id",
            "channel",
            "started_at",
            "taken_by_id",
            "person_id",
            "reason",
            "language",
            "priority",
            "priority_due_at",
            "closed_at",
            "barriers",
        ],
        contact_rows(),
    )
    writer.write(
        Screening,
        ["id", "episode_id", "questionnaire_id", "answers", "outcome", "recorded_at"]
        + ["recorded_by_id"],
        screenings,
    )
    writer.write(
        Escalation,
        ["id", "episode_id", "screening_id", "kind", "level", "required_actions"]
        + ["mandatory_actions", "raised_at"],
        escalations,
    )
    return contacts


_OUTCOME_KEYS, _OUTCOME_WEIGHTS = _weights(OUTCOMES)
_REJECT_KEYS, _REJECT_WEIGHTS = _weights(REJECT_REASONS)


def _lifecycle(rng: random.Random, sent: datetime, priority: str, now: datetime) -> list:
    """The status changes after sending: [(to status, at, side, reason)], cut at now."""
    steps = []
    if rng.random() < 0.004:
        steps.append(("entered-in-error", sent + timedelta(hours=rng.uniform(0.1, 48)), "R", ""))
    elif rng.random() < 0.07:
        steps.append(("cancelled", sent + timedelta(days=rng.uniform(14, 60)), "R", ""))
    else:
        median = ANSWER_MEDIAN_HOURS[priority]
        answered = sent + timedelta(hours=rng.lognormvariate(math.log(median), 1.0))
        if rng.random() < 0.16:
            reason = rng.choices(_REJECT_KEYS, cum_weights=_REJECT_WEIGHTS)[0]
            steps.append(("rejected", answered, "T", reason))
        else:
            steps.append(("accepted", answered, "T", ""))
            appointment = answered + timedelta(days=max(0.05, rng.lognormvariate(math.log(6), 0.8)))
            fate = rng.random()
            if fate < 0.08:
                steps.append(("failed", appointment + timedelta(hours=rng.uniform(1, 48)), "T", ""))
            elif fate < 0.10:
                at = answered + timedelta(days=rng.uniform(0.5, 10))
                steps.append(("cancelled", at, rng.choice("RT"), ""))
            else:
                at = appointment
                steps.append(("in-progress", at, "T", ""))
                for _ in range(rng.choices([0, 1, 2], weights=[62, 28, 10])[0]):
                    at += timedelta(days=rng.uniform(3, 30))
                    steps.append(("on-hold", at, "T", ""))
                    at += timedelta(days=rng.uniform(3, 45))
                    steps.append(("in-progress", at, "T", ""))
                at += timedelta(days=rng.lognormvariate(math.log(25), 0.7))
                end = rng.random()
                if end < 0.80:
                    outcome = rng.choices(_OUTCOME_KEYS, cum_weights=_OUTCOME_WEIGHTS)[0]
                    steps.append(("completed", at, "T", outcome))
                elif end < 0.92:
                    steps.append(("failed", at, "T", ""))
                else:
                    steps.append(("cancelled", at, rng.choice("RT"), ""))
    kept = []
    for status, at, side, reason in steps:
        if at > now:
            break
        kept.append((status, at.replace(microsecond=0), side, reason))
    return kept


TERMINAL_STATUSES = {"rejected", "cancelled", "completed", "failed", "entered-in-error"}


def _fill_referrals(writer, network, rng, count, contacts, first_day, days, now) -> None:
    from proxima.referrals.models import Referral, ReferralEvent

    priorities, priority_weights = _weights(REFERRAL_PRIORITIES)
    team_targets = ["social_consultation", "interprofessional", "mobile_outreach"]
    team_targets += ["social_prescribing", "emergency_psychosocial"]
    # From contacts: 60 % of contacts lead to 1 to 8 referrals, up to 35 % of them all.
    sources = []
    for contact in contacts:
        if len(sources) >= count * 0.35:
            break
        if rng.random() < 0.6:
            extra = 0
            while extra < 7 and rng.random() < 0.485:
                extra += 1
            sources.extend([contact] * (1 + extra))
    sources = sources[:count]
    sources += [None] * (count - len(sources))
    rng.shuffle(sources)
    side_names = {"R": "requester", "T": "target"}
    requesters, requester_weights = ["clsc_worker", "social_prescriber", "worker_811"], [45, 15, 10]
    columns = [
        "id",
        "region_id",
        "person_id",
        "anonymous",
        "episode_id",
        "need_domain",
        "request_text",
        "priority",
        "requester_id",
        "requester_team_id",
        "requester_organization_id",
        "service_id",
        "target_organization_id",
        "target_team_id",
        "status",
        "reject_reason",
        "first_appointment_at",
        "outcome",
        "created_at",
        "requested_at",
        "responded_at",
        "closed_at",
        "response_due_at",
        "version",
    ]
    event_columns = ["id", "referral_id", "from_status", "to_status", "actor_id", "side", "at"]
    event_columns.append("reason")
    referrals: list[tuple] = []
    events: list[tuple] = []
    for source in sources:
        organization = None
        if source is not None:
            contact_id, region, person_id, started, requester, _channel = source
            lag = rng.uniform(5, 90) if rng.random() < 0.8 else rng.uniform(60, 72 * 60)
            sent = min(started + timedelta(minutes=lag), now)
        else:
            contact_id = None
            region = rng.choices(range(len(REGIONS)), weights=network.shares)[0]
            people = network.people[region]
            person_id = rng.choice(people)[0] if people and rng.random() < 0.85 else None
            if rng.random() < 0.3:
                organization = rng.choice(network.partner_organizations[region])
                requester = network.partner_user[organization]
            else:
                kind = rng.choices(requesters, weights=requester_weights)[0]
                requester = rng.choice(network.staff[region][kind])
            sent = _moment(rng, first_day, days, "office", now)
        priority = rng.choices(priorities, cum_weights=priority_weights)[0]
        service_id = target_organization = target_team = None
        if rng.random() < 0.7:
            service_id, target_organization, domain = rng.choice(network.services[region])
            if rng.random() < 0.2:
                domain = rng.choice(SERVICE_DOMAINS)
            target_actor = network.partner_user.get(target_organization)
        else:
            target_team = network.teams[region][rng.choice(team_targets)]
            domain = rng.choice(SERVICE_DOMAINS)
            members = network.team_members.get(target_team)
            target_actor = rng.choice(members) if members else None
        referral_id = uuid.UUID(int=rng.getrandbits(128), version=4).hex
        created = sent - timedelta(seconds=rng.randrange(60, 1200))
        draft = rng.random() < 0.004
        steps = [] if draft else _lifecycle(rng, sent, priority, now)
        status = "draft" if draft else (steps[-1][0] if steps else "requested")
        responded = first_appointment = closed = None
        reject_reason = outcome = ""
        for step, at, _side, reason in steps:
            if step in ("accepted", "rejected"):
                responded = at
            if step == "accepted":
                first_appointment = at + timedelta(
                    days=max(0.05, rng.lognormvariate(math.log(6), 0.8))
                )
            if step == "rejected":
                reject_reason = reason
            if step == "completed":
                outcome = reason
        if status in TERMINAL_STATUSES:
            closed = steps[-1][1]
        history = [("draft", created, "R", "")]
        if not draft:
            history.append(("requested", sent, "R", ""))
        previous = ""
        for step, at, side, reason in history + steps:
            actor = requester if side == "R" else target_actor
            events.append(
                (
                    referral_id,
                    previous,
                    step,
                    actor,
                    side_names[side],
                    writer.stamp(at),
                    reason,
                )
            )
            previous = step
        referrals.append(
            (
                referral_id,
                network.region_ids[region],
                person_id,
                person_id is None,
                contact_id,
                domain,
                "Merci de communiquer avec la personne.",
                priority,
                requester,
                None if organization else network.team_of.get(requester),
                organization,
                service_id,
                target_organization,
                target_team,
                status,
                reject_reason,
                writer.stamp(first_appointment),
                outcome,
                writer.stamp(created),
                None if draft else writer.stamp(sent),
                writer.stamp(responded),
                writer.stamp(closed),
                None if draft else writer.stamp(sent + timedelta(hours=TARGET_HOURS[priority])),
                len(history) + len(steps),
            )
        )
    # In time order, as a live system appends them.
    referrals.sort(key=lambda row: row[18])
    writer.write(Referral, columns, referrals)
    del referrals
    events.sort(key=lambda row: row[5])
    writer.write(ReferralEvent, event_columns, ((n, *row) for n, row in enumerate(events, 1)))


def _fill_prescriptions(writer, network, rng, count, first_day, days, now) -> None:
    from proxima.outcomes.models import Instrument
    from proxima.outcomes.services.instruments import score
    from proxima.prescriptions.models import Activity, Prescription

    k10 = Instrument.objects.get(code="k10")
    items = [item["id"] for item in k10.definition["items"]]
    prescriptions, activities, measurements = [], [], []
    for _ in range(count):
        region = rng.choices(range(len(REGIONS)), weights=network.shares)[0]
        person_id = rng.choice(network.people[region])[0]
        prescriber = rng.choice(network.staff[region]["social_prescriber"])
        link_worker = rng.choice([prescriber, rng.choice(network.staff[region]["clsc_worker"])])
        created = _moment(rng, first_day, days, "office", now)
        age = (now - created).days
        if age > 180:
            status = rng.choices(["completed", "stopped", "active"], weights=[55, 25, 20])[0]
        else:
            status = rng.choices(["active", "completed", "stopped"], weights=[70, 15, 15])[0]
        ended = None
        if status != "active":
            ended = created + timedelta(days=rng.uniform(60, 180))
            if ended > now:
                status, ended = "active", None
        prescription_id = uuid.UUID(int=rng.getrandbits(128), version=4).hex
        prescriptions.append(
            (
                prescription_id,
                network.region_ids[region],
                person_id,
                prescriber,
                link_worker,
                "Retrouver des liens et bouger un peu plus.",
                status,
                writer.stamp(created),
                writer.stamp(ended),
            )
        )
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            weights = [15, 30, 40, 15] if status == "completed" else [30, 35, 15, 20]
            activity_status = rng.choices(["proposed", "started", "done", "stopped"], weights)[0]
            activities.append(
                (
                    len(activities) + 1,
                    prescription_id,
                    rng.choice(network.services[region])[0],
                    activity_status,
                )
            )
        if rng.random() < 0.85:
            level = min(4.6, max(1.2, rng.gauss(2.6, 0.6)))
            occasions = [("baseline", created + timedelta(days=rng.uniform(0, 7)))]
            for weeks in (6, 17):
                if rng.random() < 0.75:
                    at = created + timedelta(weeks=weeks, days=rng.uniform(-5, 5))
                    occasions.append(("end" if weeks == 17 else "follow_up", at))
            for occasion, at in occasions:
                if at > now:
                    break
                if occasion != "baseline":
                    level = min(5.0, max(1.0, level - rng.gauss(0.35, 0.45)))
                answers = {item: min(5, max(1, round(level + rng.gauss(0, 0.7)))) for item in items}
                result = score(k10.definition, answers)
                measurements.append(
                    (
                        len(measurements) + 1,
                        person_id,
                        prescription_id,
                        k10.pk,
                        occasion,
                        json.dumps(answers),
                        result.raw,
                        str(result.score),
                        result.band,
                        json.dumps(result.alerts),
                        writer.stamp(at.replace(microsecond=0)),
                        link_worker,
                    )
                )
    prescriptions.sort(key=lambda row: row[7])
    writer.write(
        Prescription,
        ["id", "region_id", "person_id", "prescriber_id", "link_worker_id", "what_matters"]
        + ["status", "created_at", "ended_at"],
        prescriptions,
    )
    writer.write(Activity, ["id", "prescription_id", "service_id", "status"], activities)
    from proxima.outcomes.models import Measurement

    writer.write(
        Measurement,
        ["id", "person_id", "prescription_id", "instrument_id", "occasion", "answers"]
        + ["raw_score", "score", "band", "alerts", "taken_at", "taken_by_id"],
        measurements,
    )


def _fill_agreements(network, rng, year: int) -> None:
    """Four agreements in the benchmarked region, one elsewhere, with their indicators,
    and a joint training session a month."""
    from proxima.agreements.models import (
        Agreement,
        Indicator,
        Party,
        StatusChange,
        TrainingSession,
    )

    region_id = network.region_ids[0]
    teams = network.teams[0]
    organizations = sorted({organization for _s, organization, _d in network.services[0]})
    food = sorted({o for _s, o, d in network.services[0] if d == "food"})[:4]
    plans = [
        ("Corridor alimentaire de Québec", "referral_corridor", "active", ["food"], food, [],
         date(year - 2, 3, 1), date(year + 1, 1, 15), None),
        ("Protocole santé mentale jeunesse", "protocol", "active",
         ["mental_health", "isolation"], organizations[5:8], ["social_consultation"],
         date(year - 3, 9, 1), date(year + 1, 6, 30), None),
        ("Entente logement d'abord", "service_agreement", "under_review", ["housing"],
         organizations[10:12], ["mobile_outreach"], date(year - 1, 1, 1), date(year, 11, 30),
         None),
        ("Entente de transport (terminée)", "memorandum", "ended", [], organizations[20:22], [],
         date(year - 3, 1, 1), date(year - 2, 1, 1), date(year - 2, 12, 31)),
    ]  # fmt: skip
    for title, kind, status, needs, parties, party_teams, starts, review, ends in plans:
        agreement = Agreement.objects.create(
            region_id=region_id,
            title_fr=title,
            kind=kind,
            status=status,
            need_domains=needs,
            starts_on=starts,
            signed_on=starts,
            review_on=review,
            ends_on=ends,
        )
        # Its history: drafted, in force from its start, then under review or ended.
        history = [("", "draft", starts - timedelta(days=45)), ("draft", "active", starts)]
        if status == "under_review":
            history.append(("active", "under_review", review - timedelta(days=10)))
        if status == "ended":
            history.append(("active", "ended", ends + timedelta(days=1)))
        for before, after, day in history:
            change = StatusChange.objects.create(
                agreement=agreement, from_status=before, to_status=after
            )
            moment = datetime(day.year, day.month, day.day, 10, tzinfo=LOCAL)
            StatusChange.objects.filter(pk=change.pk).update(at=moment)
        Party.objects.create(agreement=agreement, role="établissement")
        for organization in parties:
            Party.objects.create(agreement=agreement, organization_id=organization)
        for code in party_teams:
            Party.objects.create(agreement=agreement, team_id=teams[code])
        for indicator in ("referrals_sent", "referrals_accepted", "acceptance_rate"):
            Indicator.objects.create(agreement=agreement, kind=indicator)
        Indicator.objects.create(
            agreement=agreement, kind="median_response_hours", target=Decimal(48)
        )
        Indicator.objects.create(
            agreement=agreement,
            kind="other",
            label="Personnes accompagnées",
            reported_value=Decimal(rng.randrange(50, 400)),
        )
    for month_start in range(36):
        held = date(year - 2, 1, 15) + timedelta(days=month_start * 30.4)
        session = TrainingSession.objects.create(
            region_id=region_id,
            topic="Intervention de crise et repérage",
            held_on=held,
            attendees=rng.randrange(8, 40),
        )
        session.organizations.set(rng.sample(organizations, rng.randrange(2, 6)))


def fill(options) -> dict:
    """The whole synthetic network, as the docstring says; returns what was written."""
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from proxima.intake.models import Escalation, Screening
    from proxima.intake.services.questionnaires import load_questionnaires
    from proxima.outcomes.models import Measurement
    from proxima.outcomes.services.instruments import load_instruments
    from proxima.prescriptions.models import Activity
    from proxima.referrals.models import ReferralEvent

    call_command("migrate", verbosity=0, interactive=False)
    load_questionnaires()
    load_instruments()
    rng = random.Random(20261206)
    # Up to the start of today (UTC): both engines get the same data on the same day.
    now = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    first_day = (now - timedelta(days=3 * 365)).date()
    days = (now.date() - first_day).days + 1
    writer = BulkWriter()
    network = Network()
    with transaction.atomic():
        postal = _setup_regions(network, rng)
        network.partner_organizations = [
            sorted({o for _s, o, _d in services if o in network.partner_user})
            for services in network.services
        ]
        people = options.people or round(options.contacts * 0.6)
        _fill_people(writer, network, postal, rng, people, now)
        contacts = _fill_contacts(writer, network, rng, options.contacts, first_day, days, now)
        _fill_referrals(writer, network, rng, options.referrals, contacts, first_day, days, now)
        prescriptions = options.prescriptions
        if prescriptions is None:
            prescriptions = options.contacts // 100
        _fill_prescriptions(writer, network, rng, prescriptions, first_day, days, now)
        _fill_agreements(network, rng, now.year - 1)
    if connection.vendor == "postgresql":
        models = [Screening, Escalation, ReferralEvent, Activity, Measurement]
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would, after a bulk fill
    return dict(writer.written)


# --- the straightforward ORM implementation -----------------------------------------------


class Figures:
    """An indicator's figures before any suppression: the headline's numbers in the
    dashboard's order, and each row's numbers by the row's key."""

    def __init__(self, headline: list, lines: dict | None = None):
        self.headline = headline
        self.lines = lines or {}


def orm_dashboard(scope) -> list[Figures]:
    """The same indicators the straightforward way: model instances read one indicator
    after the other, counted, grouped and their medians taken in Python."""
    return [function(scope) for function in ORM_INDICATORS.values()]


def _share(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def _median(values: list):
    return round(statistics.median(values), 1) if values else None


def _spread(counts: Counter, keys, total: int) -> dict:
    return {key: [counts.get(key, 0), _share(counts.get(key, 0), total)] for key in keys}


def _orm_contacts(scope):
    from proxima.intake.models import ContactEpisode

    return ContactEpisode.objects.filter(
        region_id=scope.region_id, started_at__gte=scope.since, started_at__lt=scope.until
    )


def _orm_referrals(scope) -> list:
    from proxima.referrals.models import Referral

    rows = Referral.objects.filter(
        region_id=scope.region_id, requested_at__gte=scope.since, requested_at__lt=scope.until
    )
    return [r for r in rows if r.status not in ("draft", "entered-in-error")]


def orm_contacts_by_channel(scope) -> Figures:
    from proxima.intake.models import Channel

    counts = Counter(contact.channel for contact in _orm_contacts(scope))
    total = sum(counts.values())
    return Figures([total], _spread(counts, Channel.values, total))


def orm_contacts_by_hour(scope) -> Figures:
    from django.utils import timezone

    counts = Counter(
        f"{timezone.localtime(contact.started_at).hour:02d}" for contact in _orm_contacts(scope)
    )
    total = sum(counts.values())
    return Figures([total], _spread(counts, [f"{h:02d}" for h in range(24)], total))


DELAY_BANDS = [("0-1", 1), ("2-7", 7), ("8-30", 30), ("31+", None)]


def orm_access_delay(scope) -> Figures:
    from proxima.referrals.models import Referral

    started = {contact.pk: contact.started_at for contact in _orm_contacts(scope)}
    first: dict = {}
    referrals = Referral.objects.filter(
        episode__region_id=scope.region_id,
        episode__started_at__gte=scope.since,
        episode__started_at__lt=scope.until,
        first_appointment_at__isnull=False,
    )
    for referral in referrals:
        if referral.status == "entered-in-error":
            continue
        known = first.get(referral.episode_id)
        if known is None or referral.first_appointment_at < known:
            first[referral.episode_id] = referral.first_appointment_at
    days = [
        max(0.0, (moment - started[episode]).total_seconds() / 86400)
        for episode, moment in first.items()
    ]
    bands: Counter = Counter()
    for value in days:
        bands[next(k for k, upper in DELAY_BANDS if upper is None or int(value) <= upper)] += 1
    return Figures(
        [len(days), _median(days)], _spread(bands, [k for k, _u in DELAY_BANDS], len(days))
    )


def orm_repeat_contacts(scope) -> Figures:
    from proxima.intake.models import ContactEpisode

    in_scope = {c.pk: c.person_id for c in _orm_contacts(scope) if c.person_id is not None}
    people = set(in_scope.values())
    window = ContactEpisode.objects.filter(
        region_id=scope.region_id,
        started_at__gte=scope.since - timedelta(days=30),
        started_at__lt=scope.until,
        person__isnull=False,
    ).order_by("person_id", "started_at")
    previous: dict = {}
    repeats = 0
    for contact in window:
        if contact.person_id not in people:
            continue
        before = previous.get(contact.person_id)
        if contact.pk in in_scope and before and contact.started_at - before <= timedelta(days=30):
            repeats += 1
        previous[contact.person_id] = contact.started_at
    return Figures([len(in_scope), repeats, _share(repeats, len(in_scope))])


SHOWN_STATUSES = ["requested", "accepted", "rejected", "cancelled", "in-progress", "on-hold",
                  "completed", "failed"]  # fmt: skip


def _orm_referral_figures(referrals: list) -> list:
    sent = len(referrals)
    answered = [r for r in referrals if r.responded_at is not None]
    accepted = sum(1 for r in answered if r.status != "rejected")
    hours = [(r.responded_at - r.requested_at).total_seconds() / 3600 for r in answered]
    return [sent, accepted, _share(accepted, sent), _median(hours)]


def orm_referrals_sent(scope) -> Figures:
    referrals = _orm_referrals(scope)
    by_status = Counter(r.status for r in referrals)
    return Figures(
        _orm_referral_figures(referrals), _spread(by_status, SHOWN_STATUSES, len(referrals))
    )


def orm_loop_closure(scope) -> Figures:
    referrals = _orm_referrals(scope)
    closed = sum(1 for r in referrals if r.status in TERMINAL_STATUSES)
    return Figures([len(referrals), closed, _share(closed, len(referrals))])


def orm_declines_and_no_shows(scope) -> Figures:
    from proxima.referrals.lifecycle import RejectReason

    referrals = _orm_referrals(scope)
    declined = Counter(r.reject_reason for r in referrals if r.status == "rejected")
    accepted = [r for r in referrals if r.responded_at is not None and r.status != "rejected"]
    answered = len(accepted) + sum(declined.values())
    no_shows = sum(1 for r in accepted if r.status == "failed")
    total = sum(declined.values())
    return Figures(
        [answered, total, len(accepted), no_shows, _share(no_shows, len(accepted))],
        _spread(declined, RejectReason.values, total),
    )


def _orm_people_by_fsa(scope) -> tuple[dict, int]:
    people: dict[str, set] = defaultdict(set)
    everyone = set()
    for contact in _orm_contacts(scope).filter(person__isnull=False).select_related("person"):
        people[contact.person.postal_code.upper()[:3]].add(contact.person_id)
        everyone.add(contact.person_id)
    return {fsa: len(ids) for fsa, ids in people.items()}, len(everyone)


def _orm_territories_of(fsa: str) -> list:
    from proxima.directory.services import geo
    from proxima.territories.services import territories_at

    point = geo.fsa_points().get(fsa)
    return territories_at(point[0], point[1]) if point else []


def orm_reach_by_territory(scope) -> Figures:
    from proxima.territories.models import Territory

    by_fsa, total = _orm_people_by_fsa(scope)
    territories = list(Territory.objects.filter(level="clsc", parent__region_id=scope.region_id))
    ours = {t.pk for t in territories}
    counts: Counter = Counter()
    for fsa, n in by_fsa.items():
        places = [t.pk for t in _orm_territories_of(fsa) if t.level == "clsc"]
        counts[str(places[0]) if places and places[0] in ours else "unknown"] += n
    lines = _spread(counts, [str(t.pk) for t in territories] + ["unknown"], total)
    for territory in territories:
        people = counts.get(str(territory.pk), 0)
        lines[str(territory.pk)].append(round(1000.0 * people / territory.population, 2))
    return Figures([total], lines)


def orm_reach_by_deprivation(scope) -> Figures:
    from proxima.territories.models import LEVEL_ORDER

    by_fsa, total = _orm_people_by_fsa(scope)
    counts: Counter = Counter()
    for fsa, n in by_fsa.items():
        known = [t for t in _orm_territories_of(fsa) if t.material_deprivation is not None]
        known.sort(key=lambda t: (-LEVEL_ORDER.index(t.level), t.code))
        counts[str(known[0].material_deprivation) if known else "unknown"] += n
    return Figures([total], _spread(counts, ["1", "2", "3", "4", "5", "unknown"], total))


def orm_priority_mix(scope) -> Figures:
    from proxima.intake.models import Priority

    counts = Counter(contact.priority or "unknown" for contact in _orm_contacts(scope))
    total = sum(counts.values())
    return Figures([total], _spread(counts, [*Priority.values, "unknown"], total))


def orm_escalations(scope) -> Figures:
    from proxima.intake.models import Escalation, RiskKind

    total = _orm_contacts(scope).count()
    raised = Escalation.objects.filter(
        episode__region_id=scope.region_id,
        episode__started_at__gte=scope.since,
        episode__started_at__lt=scope.until,
    )
    escalated, by_kind = set(), Counter()
    for escalation in raised:
        escalated.add(escalation.episode_id)
        by_kind[escalation.kind] += 1
    return Figures(
        [total, len(escalated), _share(len(escalated), total)],
        _spread(by_kind, RiskKind.values, sum(by_kind.values())),
    )


def orm_barriers(scope) -> Figures:
    from proxima.matching.services import BARRIERS

    total, counts = 0, Counter()
    for contact in _orm_contacts(scope):
        total += 1
        counts.update(set(contact.barriers or []) & set(BARRIERS))
    return Figures([total], _spread(counts, BARRIERS, total))


def orm_protective_factors(scope) -> Figures:
    from proxima.intake.models import Screening

    latest = {}
    screenings = Screening.objects.filter(
        episode__region_id=scope.region_id,
        episode__started_at__gte=scope.since,
        episode__started_at__lt=scope.until,
        questionnaire__kind="needs",
    ).order_by("episode_id", "recorded_at", "id")
    for screening in screenings:
        latest[screening.episode_id] = screening.outcome
    counts: Counter = Counter()
    for outcome in latest.values():
        counts.update(set((outcome or {}).get("strengths", [])))
    from proxima.indicators.services import strength_labels

    keys = list(strength_labels()) + [k for k in counts if k not in strength_labels()]
    return Figures([len(latest)], _spread(counts, keys, len(latest)))


def _orm_prescriptions(scope):
    from proxima.prescriptions.models import Prescription

    return Prescription.objects.filter(
        region_id=scope.region_id, created_at__gte=scope.since, created_at__lt=scope.until
    )


def orm_prescription_uptake(scope) -> Figures:
    started = adhered = completed = 0
    for prescription in _orm_prescriptions(scope).prefetch_related("activities"):
        started += 1
        statuses = {activity.status for activity in prescription.activities.all()}
        adhered += bool(statuses & {"started", "done"})
        completed += prescription.status == "completed"
    return Figures(
        [started],
        {
            "adhered": [adhered, _share(adhered, started)],
            "completed": [completed, _share(completed, started)],
        },
    )


def orm_wellbeing_change(scope) -> Figures:
    from proxima.indicators.services import mean_with_interval
    from proxima.outcomes.models import Measurement

    series: dict = defaultdict(list)
    better_up: dict = {}
    measures = (
        Measurement.objects.filter(prescription__in=list(_orm_prescriptions(scope)))
        .select_related("instrument")
        .order_by("prescription_id", "taken_at", "id")
    )
    for measure in measures:
        code = measure.instrument.code
        series[(code, measure.prescription_id)].append(measure.score)
        better_up[code] = bool(measure.instrument.definition["scoring"].get("higher_is_better"))
    changes: dict = defaultdict(list)
    measured = set()
    for (code, prescription), scores in series.items():
        if len(scores) >= 2:
            measured.add(prescription)
            delta = float(scores[-1] - scores[0])
            changes[code].append(delta if better_up[code] else -delta)
    lines = {}
    for code, deltas in changes.items():
        mean, low, high = mean_with_interval(deltas)
        lines[code] = [len(deltas), round(mean, 2), round(low, 2), round(high, 2)]
    return Figures([len(measured)], lines)


def _orm_in_force(scope) -> list:
    """The region's agreements in force on the period's last day, by their history."""
    from proxima.agreements.models import Agreement

    end_of_day = datetime.combine(scope.end + timedelta(days=1), datetime.min.time(), LOCAL)
    found = []
    for agreement in Agreement.objects.filter(region_id=scope.region_id).prefetch_related(
        "status_changes"
    ):
        changes = [c for c in agreement.status_changes.all() if c.at < end_of_day]
        changes.sort(key=lambda c: (c.at, c.pk))
        if not changes or changes[-1].to_status not in ("active", "under_review"):
            continue
        if agreement.starts_on and agreement.starts_on > scope.end:
            continue
        if agreement.ends_on and agreement.ends_on < scope.end:
            continue
        found.append(agreement)
    return found


def orm_agreements_review(scope) -> Figures:
    in_force = _orm_in_force(scope)
    horizon = scope.end + timedelta(days=30)
    due = [a for a in in_force if a.review_on is not None and a.review_on <= horizon]
    due.sort(key=lambda a: (a.review_on, a.pk))
    return Figures(
        [len(in_force), len(due)],
        {str(a.pk): [a.review_on, (a.review_on - scope.end).days] for a in due},
    )


def orm_agreement_indicators(scope) -> Figures:
    from django.db.models import Q
    from django.utils import timezone

    from proxima.referrals.models import Referral

    lines = {}
    for agreement in sorted(_orm_in_force(scope), key=lambda a: a.pk):
        parties = list(agreement.parties.all())
        organizations = {p.organization_id for p in parties if p.organization_id}
        teams = {p.team_id for p in parties if p.team_id}
        under = []
        candidates = Referral.objects.filter(
            Q(target_organization_id__in=organizations) | Q(target_team_id__in=teams),
            region_id=agreement.region_id,
            requested_at__isnull=False,
        )
        for referral in candidates:
            day = timezone.localdate(referral.requested_at)
            if referral.status in ("draft", "entered-in-error"):
                continue
            if agreement.starts_on and day < agreement.starts_on:
                continue
            if agreement.ends_on and day > agreement.ends_on:
                continue
            if agreement.need_domains and referral.need_domain not in agreement.need_domains:
                continue
            under.append(referral)
        figures = dict(
            zip(
                ["referrals_sent", "referrals_accepted", "acceptance_rate"]
                + ["median_response_hours"],
                _orm_referral_figures(under),
                strict=True,
            )
        )
        for indicator in agreement.indicators.all():
            if indicator.kind in figures:
                value = figures[indicator.kind]
            else:
                reported = indicator.reported_value
                value = float(reported) if reported is not None else None
            target = float(indicator.target) if indicator.target is not None else None
            lines[f"{agreement.pk}-{indicator.pk}"] = [value, target]
    return Figures([], lines)


def orm_training_per_partner(scope) -> Figures:
    from proxima.agreements.models import TrainingSession

    sessions = TrainingSession.objects.filter(
        region_id=scope.region_id, held_on__gte=scope.start, held_on__lte=scope.end
    ).prefetch_related("organizations")
    found: dict = {}
    count = 0
    for session in sessions:
        count += 1
        for organization in session.organizations.all():
            entry = found.setdefault(organization.pk, [0, session.held_on])
            entry[0] += 1
            entry[1] = max(entry[1], session.held_on)
    return Figures([count], {str(pk): entry for pk, entry in found.items()})


ORM_INDICATORS = {
    "contacts_by_channel": orm_contacts_by_channel,
    "contacts_by_hour": orm_contacts_by_hour,
    "access_delay": orm_access_delay,
    "repeat_contacts": orm_repeat_contacts,
    "referrals_sent": orm_referrals_sent,
    "loop_closure": orm_loop_closure,
    "declines_and_no_shows": orm_declines_and_no_shows,
    "reach_by_territory": orm_reach_by_territory,
    "reach_by_deprivation": orm_reach_by_deprivation,
    "priority_mix": orm_priority_mix,
    "escalations": orm_escalations,
    "barriers": orm_barriers,
    "protective_factors": orm_protective_factors,
    "prescriptions": orm_prescription_uptake,
    "wellbeing_change": orm_wellbeing_change,
    "agreements_review": orm_agreements_review,
    "agreement_indicators": orm_agreement_indicators,
    "training_per_partner": orm_training_per_partner,
}


# --- comparing and timing --------------------------------------------------------------------

# The totals that must be shown, and agree: (indicator, headline position).
MAIN_TOTALS = {
    "contacts": ("contacts_by_channel", 0),
    "referrals sent": ("referrals_sent", 0),
    "accepted": ("referrals_sent", 1),
    "median hours to the answer": ("referrals_sent", 3),
    "people reached": ("reach_by_territory", 0),
    "repeat contacts": ("repeat_contacts", 1),
    "escalated contacts": ("escalations", 1),
    "prescriptions started": ("prescriptions", 0),
}


def _same(shown, figure) -> bool:
    if isinstance(shown, float) or isinstance(figure, float):
        return figure is not None and abs(shown - figure) <= 0.1
    return shown == figure


def compare(fast: list, slow: list[Figures]) -> tuple[int, list[str]]:
    """How many shown figures were compared, and where the two disagree (a figure the
    dashboard hides is not compared: its suppression is not the ORM implementation's)."""
    compared, found = 0, []
    for result, figures in zip(fast, slow, strict=True):
        code = result.definition.code
        if len(result.headline) != len(figures.headline):
            found.append(f"{code}: {len(result.headline)} headline figures ≠ {figures.headline}")
            continue
        pairs = [
            (f"headline {n}", value, figure)
            for n, ((_label, value), figure) in enumerate(
                zip(result.headline, figures.headline, strict=True)
            )
        ]
        for line in result.lines:
            expected = figures.lines.get(line.key, [])
            for n, value in enumerate(line.values):
                figure = expected[n] if n < len(expected) else 0 if n == 0 else None
                pairs.append((f"{line.key}[{n}]", value, figure))
        for where, value, figure in pairs:
            if value.hidden or value.number is None:
                continue
            compared += 1
            if not _same(value.number, figure):
                found.append(f"{code} {where}: dashboard {value.number}, ORM {figure}")
    return compared, found


def _headline(results: list, code: str, position: int):
    result = next(r for r in results if r.definition.code == code)
    return result.headline[position][1].number


def run_engine(engine: str, url: str, options) -> dict:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proxima.settings")
    import django

    django.setup()
    from proxima.core.models import Region
    from proxima.indicators import services
    from proxima.referrals.models import Referral

    def say(text: str) -> None:
        print(f"  {engine}: {text}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    fill_s = None
    if options.reuse and _filled():
        say("reusing the database already filled")
    else:
        written = fill(options)
        fill_s = time.perf_counter() - started
        say(
            f"filled in {fill_s:.0f} s: "
            + ", ".join(f"{count:,} {name}" for name, count in written.items())
        )
    region = Region.objects.get(code=BIG)
    latest = Referral.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    year = latest.year - 1
    scope = services.Scope(region.pk, date(year, 1, 1), date(year, 12, 31))

    services.dashboard(scope)  # warm-up
    runs = []
    for _ in range(3):
        began = time.perf_counter()
        fast = services.dashboard(scope)
        runs.append(time.perf_counter() - began)
    say(
        f"dashboard of {BIG} for {year}: runs "
        + ", ".join(f"{r:.3f}" for r in runs)
        + f" s; best {min(runs):.3f} s, median {statistics.median(runs):.3f} s"
    )
    # An evaluator's dashboard: the same, perturbed (each cell's records' keys summed too).
    perturbed_scope = replace(scope, perturbed=True)
    services.dashboard(perturbed_scope)  # warm-up
    perturbed_runs = []
    for _ in range(3):
        began = time.perf_counter()
        services.dashboard(perturbed_scope)
        perturbed_runs.append(time.perf_counter() - began)
    say(
        "an evaluator's (perturbed) dashboard: runs "
        + ", ".join(f"{r:.3f}" for r in perturbed_runs)
        + f" s; best {min(perturbed_runs):.3f} s"
    )
    each = {}
    for code, function in services.INDICATORS.items():
        timings = []
        for _ in range(3):
            began = time.perf_counter()
            function(scope)
            timings.append(time.perf_counter() - began)
        each[code] = min(timings)
    say(
        "each indicator alone (best of 3): "
        + ", ".join(
            f"{code} {seconds * 1000:.0f} ms"
            for code, seconds in sorted(each.items(), key=lambda item: -item[1])
        )
    )

    began = time.perf_counter()
    slow = orm_dashboard(scope)
    orm_s = time.perf_counter() - began
    say(f"ORM implementation: {orm_s:.2f} s ({orm_s / min(runs):.1f} × the dashboard)")
    totals = {name: _headline(fast, *where) for name, where in MAIN_TOTALS.items()}
    say("figures: " + ", ".join(f"{name} {value}" for name, value in totals.items()))
    compared, disagreements = compare(fast, slow)
    for line in disagreements:
        say(f"DISAGREE {line}")
    missing = [name for name, value in totals.items() if value is None]
    if disagreements or missing:
        raise SystemExit(
            f"{engine}: the ORM implementation and the dashboard disagree"
            + (f" (not shown: {', '.join(missing)})" if missing else "")
        )
    say(f"the ORM implementation gives the same figures ({compared} shown figures compared)")
    return {
        "dashboard_s": round(min(runs), 3),
        "dashboard_median_s": round(statistics.median(runs), 3),
        "perturbed_dashboard_s": round(min(perturbed_runs), 3),
        "runs_s": [round(r, 3) for r in runs],
        "orm_s": round(orm_s, 3),
        "fill_s": round(fill_s, 1) if fill_s is not None else None,
        "indicators_ms": {code: round(seconds * 1000, 1) for code, seconds in each.items()},
        "year": year,
        "totals": totals,
    }


def _filled() -> bool:
    from django.db.utils import DatabaseError

    try:
        from proxima.referrals.models import Referral

        return Referral.objects.exists()
    except DatabaseError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--referrals", type=int, default=1_000_000)
    parser.add_argument("--contacts", type=int, default=300_000)
    parser.add_argument("--people", type=int, help="default: 0.6 × contacts")
    parser.add_argument("--prescriptions", type=int, help="default: contacts / 100")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--reuse", action="store_true", help="keep a database already filled")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_INDICATORS_URL", DEFAULT_PG_URL))
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        print(json.dumps(run_engine(options.worker, options.database_url, options)))
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    summary = {}
    for engine in [e.strip() for e in options.engines.split(",") if e.strip()]:
        if engine == "sqlite":
            path = RESULTS / "indicators.sqlite3"
            if not options.reuse:
                for leftover in RESULTS.glob("indicators.sqlite3*"):
                    leftover.unlink()
            url = f"sqlite:///{path}"
        elif engine == "postgresql":
            url = options.pg_url
            if not options.reuse:
                _fresh_postgres_database(url)
        else:
            parser.error(f"unknown engine {engine!r} (sqlite, postgresql)")
        command = [sys.executable, __file__, "--worker", engine, "--database-url", url]
        command += ["--referrals", str(options.referrals), "--contacts", str(options.contacts)]
        for name in ("people", "prescriptions"):
            if getattr(options, name) is not None:
                command += [f"--{name}", str(getattr(options, name))]
        if options.reuse:
            command.append("--reuse")
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        sys.stderr.write(done.stderr)
        if done.returncode != 0:
            raise SystemExit(f"{engine} failed")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        summary[engine] = {"dashboard_s": result["dashboard_s"], "orm_s": result["orm_s"]}
        ratio = result["orm_s"] / result["dashboard_s"]
        print(
            f"== {engine}: dashboard of {BIG} for {result['year']} best "
            f"{result['dashboard_s']} s, median {result['dashboard_median_s']} s "
            f"(target ≤ 1 s); ORM implementation {result['orm_s']} s; ratio {ratio:.1f}"
            + (f"; filled in {result['fill_s']} s" if result["fill_s"] else "")
        )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
