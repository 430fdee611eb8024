"""Coverage and duplication: for every territory × need domain, what is available (and
how), what is asked of it, and where the network has a gap or may duplicate itself.

Read from the other apps (territories, directory, referrals) through their models and
services; nothing imports this app. Figures are counts of services and referrals, never
of people.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median

import shapely
from django.utils import timezone
from django.utils.translation import gettext_lazy

from proxima.core import perturbation
from proxima.core.moments import start_of_day
from proxima.core.perturbation import EXACT, PRIME, Exact
from proxima.core.suppression import MINIMUM, protect_count, protect_part
from proxima.directory.models import (
    CapacityStatus,
    Language,
    SearchDocument,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceNeed,
)
from proxima.directory.services import geo
from proxima.directory.services.taxonomy import (
    first_level_domain_labels,
    first_level_domains,
    need_domain_term_id,
    term_graph,
)
from proxima.referrals.lifecycle import Status, was_accepted
from proxima.referrals.models import Referral, hours_to_answer
from proxima.territories.models import Territory, TerritoryLevel
from proxima.territories.services import current_territories, lineage, outline_of, region_of

EVENING_FROM = 17 * 2  # half-hour bits from 17:00 on
WEEKEND = ("open_sat", "open_sun")
WEEKDAYS = ("open_mon", "open_tue", "open_wed", "open_thu", "open_fri")
REFERRAL_WINDOW_DAYS = 365
# Possible duplication: at least this many services of one domain for the same ages
# located in one territory, each accepting fewer referrals than LOW_USE in the window.
DUPLICATION_MIN_SERVICES = 3
LOW_USE = 2
KM_PER_DEGREE = 111.32

GAP_NONE = "none_reachable"
GAP_HOURS = "no_evenings_or_weekends"
GAP_FRENCH = "no_french"
GAP_ENGLISH = "no_english"


@dataclass
class Cell:
    """One territory × need domain."""

    territory_id: int
    domain: str
    services: int = 0  # located in the territory or within reach, or reachable remotely
    located: int = 0  # of which located in the territory itself
    accepting: int = 0
    waitlist: int = 0
    full: int = 0
    french: int = 0
    english: int = 0
    free: int = 0
    evenings: int = 0
    weekends: int = 0
    in_person: int = 0
    remote: int = 0
    home_visits: int = 0
    # None: suppressed (from 1 to 4, or what would tell one) — core/suppression.py.
    referrals_sent: int | None = 0
    referrals_accepted: int | None = 0
    median_response_hours: float | None = None
    gaps: list[str] = field(default_factory=list)
    duplication: bool = False


@dataclass(frozen=True)
class _Listing:
    id: str
    domains: frozenset[str]
    points: tuple[tuple[float, float], ...]
    remote: bool
    in_person: bool
    home_visits: bool
    capacity: str
    free: bool
    french: bool
    english: bool
    evenings: bool
    weekends: bool
    ages: tuple[float, float]
    prefixes: tuple[str, ...] = ()  # the postal prefixes its service areas name
    areas: frozenset[int] = frozenset()  # the territories its service areas are


def top_domains() -> list[str]:
    """The need domains the table has a column for: the taxonomy's first level."""
    return list(first_level_domains())


class _Domains:
    """The table's need domains a taxonomy term falls under (itself or an ancestor),
    each term worked out once."""

    def __init__(self, domains: list[str]):
        self.graph = term_graph()
        self.by_term = {need_domain_term_id(code): code for code in domains}
        self.known: dict[str, frozenset[str]] = {}

    def of_term(self, term_id: str) -> frozenset[str]:
        if term_id not in self.known:
            self.known[term_id] = frozenset(
                self.by_term[t] for t in self.graph.ancestors_and_self(term_id) if t in self.by_term
            )
        return self.known[term_id]


def _listings(domains: _Domains) -> list[_Listing]:
    served: dict[str, set[str]] = defaultdict(set)
    for service_id, need_id in ServiceNeed.objects.values_list("service_id", "need_id"):
        served[service_id] |= domains.of_term(need_id)
    languages: dict[str, set[str]] = defaultdict(set)
    for service_id, code in Language.objects.exclude(service=None).values_list(
        "service_id", "code"
    ):
        languages[service_id].add((code or "")[:2].lower())
    documents = {
        row[0]: row[1:]
        for row in SearchDocument.objects.values_list(
            "service_id", "min_age", "max_age", *WEEKDAYS, *WEEKEND
        )
    }
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for service_id, lat, lon, confidential in ServiceAtLocation.objects.filter(
        service__status="active",
        location__latitude__isnull=False,
        location__longitude__isnull=False,
    ).values_list(
        "service_id", "location__latitude", "location__longitude", "location__is_confidential"
    ):
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            # A confidential place counts where its public stand-in is, never at its door.
            points[service_id].append(geo.coarsen(lat, lon) if confidential else (lat, lon))
    prefixes: dict[str, set[str]] = defaultdict(set)
    areas: dict[str, set[int]] = defaultdict(set)
    for service_id, written, territory_id in ServiceArea.objects.exclude(service=None).values_list(
        "service_id", "postal_prefixes", "territory_id"
    ):
        prefixes[service_id].update(
            p.strip().upper().replace(" ", "") for p in (written or "").split(",") if p.strip()
        )
        if territory_id:
            areas[service_id].add(territory_id)
    evening_mask = ((1 << 48) - 1) ^ ((1 << EVENING_FROM) - 1)
    listings = []
    for s in Service.objects.filter(status="active").values(
        "id",
        "delivers_online",
        "delivers_by_phone",
        "delivers_in_person",
        "delivers_home_visit",
        "capacity_status",
        "is_free",
    ):
        if not served.get(s["id"]):
            continue
        document = documents.get(s["id"])
        ages = (document[0], document[1]) if document else (0.0, 200.0)
        masks = document[2:] if document else (0,) * 7
        spoken = languages.get(s["id"], set())
        listings.append(
            _Listing(
                id=s["id"],
                domains=frozenset(served[s["id"]]),
                points=tuple(points.get(s["id"], ())),
                remote=bool(s["delivers_online"] or s["delivers_by_phone"]),
                in_person=bool(s["delivers_in_person"]),
                home_visits=bool(s["delivers_home_visit"]),
                capacity=s["capacity_status"],
                free=bool(s["is_free"]),
                # No language given: French, the default of a Quebec listing.
                french="fr" in spoken or not spoken,
                english="en" in spoken,
                evenings=any(m & evening_mask for m in masks),
                weekends=any(masks[5:]),
                ages=ages,
                prefixes=tuple(sorted(prefixes.get(s["id"], ()))),
                areas=frozenset(areas.get(s["id"], ())),
            )
        )
    return listings


def _located(territories: list[Territory], listings: list[_Listing], reach_km: float):
    """Per territory, the listings located in it and those within reach (by any point)."""
    if not territories:
        return {}, {}
    latitude0 = sum((t.min_latitude + t.max_latitude) / 2 for t in territories) / len(territories)
    scale = math.cos(math.radians(latitude0))

    def flat(geometry):  # x shrunk by cos(latitude): distances in degrees of latitude
        return shapely.transform(geometry, lambda xy: xy * [scale, 1.0])

    outlines = [flat(outline_of(t)) for t in territories]
    tree = shapely.STRtree(outlines)
    owners, coords = [], []
    for index, listing in enumerate(listings):
        for lat, lon in listing.points:
            owners.append(index)
            coords.append((lon * scale, lat))
    inside: dict[int, set[int]] = defaultdict(set)
    near: dict[int, set[int]] = defaultdict(set)
    if coords:
        points = shapely.points(coords)
        for p, o in zip(*tree.query(points, predicate="covered_by"), strict=True):
            inside[int(o)].add(owners[int(p)])
        if reach_km > 0:
            distance = reach_km / KM_PER_DEGREE
            for p, o in zip(
                *tree.query(points, predicate="dwithin", distance=distance), strict=True
            ):
                near[int(o)].add(owners[int(p)])
    return inside, near


def _referrals(
    domains: _Domains, since: datetime, until: datetime | None = None, *, keyed: bool = False
):
    """Per (service, domain): referrals sent, accepted, response delays in hours, and
    (`keyed`: for perturbed figures only) the sums of the sent and the accepted
    referrals' keys (core/perturbation.py)."""
    from proxima.matching.services import DIRECTORY_DOMAINS

    sent: dict[tuple[str, str], int] = defaultdict(int)
    accepted: dict[tuple[str, str], int] = defaultdict(int)
    delays: dict[tuple[str, str], list[float]] = defaultdict(list)
    keys: dict[tuple[str, str, bool], int] = defaultdict(int)
    record_key = perturbation.record_key() if keyed else lambda _pk: 0
    tops_of: dict[str, set[str]] = {}
    rows = Referral.objects.filter(service__isnull=False, requested_at__gte=since)
    if until is not None:
        rows = rows.filter(requested_at__lt=until)
    for service_id, need, hours, status, pk in (
        rows.exclude(status__in=(Status.DRAFT, Status.ENTERED_IN_ERROR))
        .annotate(hours=hours_to_answer())
        .values_list("service_id", "need_domain", "hours", "status", "pk")
    ):
        # The referral's need, as the directory's first-level domains (once per need).
        if need not in tops_of:
            tops_of[need] = {
                domain
                for code in DIRECTORY_DOMAINS.get(need, [need])
                for domain in domains.of_term(need_domain_term_id(code))
            }
        key_of_record = record_key(pk)
        for domain in tops_of[need]:
            key = (service_id, domain)
            sent[key] += 1
            keys[(*key, False)] += key_of_record
            if hours is not None:  # answered (hours is NULL until then)
                delays[key].append(float(hours))
                if was_accepted(status, hours):
                    accepted[key] += 1
                    keys[(*key, True)] += key_of_record
    return sent, accepted, delays, keys


def coverage_table(
    *,
    level: str,
    reach_km: float = 0.0,
    region_code: str | None = None,
    domains: list[str] | None = None,
    now: datetime | None = None,
    noise: Exact = EXACT,
) -> list[Cell]:
    """Every territory of a level (in a region, when given) × need domain: the services
    reachable (located in it, within `reach_km` of it, or remotely) and how (capacity,
    French and English, free, evenings and weekends, delivery), the referrals sent to
    the services located there and accepted, the median response delay; the gaps and a
    possible duplication flagged. The referral figures are protected as the indicators'
    are: a count from 1 to 4 suppressed, the accepted when they or the rest are, a
    median of fewer than five answers; for readers of perturbed figures (`noise`:
    evaluators), counted over the last twelve whole months (not a window moving each
    day) and perturbed."""
    now = now or timezone.now()
    domains = domains or top_domains()
    territories = territories_for_map(level, region_code or None, on=now.date())
    columns = _Domains(domains)
    listings = _listings(columns)
    inside, near = _located(territories, listings, reach_km)
    if noise.perturbed:
        until = start_of_day(timezone.localtime(now).date().replace(day=1))
        since = start_of_day(_months_before(until.date(), 12))
        sent, accepted, delays, keys = _referrals(columns, since, until, keyed=True)
    else:
        since = now - timedelta(days=REFERRAL_WINDOW_DAYS)
        sent, accepted, delays, keys = _referrals(columns, since)
    remote_reach = _remote_reach(territories, listings)
    cells = []
    for t_index, territory in enumerate(territories):
        here = inside.get(t_index, set())
        reachable_by_domain: dict[str, list[_Listing]] = defaultdict(list)
        local_by_domain: dict[str, list[_Listing]] = defaultdict(list)
        for i in here | near.get(t_index, set()) | remote_reach.get(t_index, set()):
            for domain in listings[i].domains:
                reachable_by_domain[domain].append(listings[i])
        for i in here:
            for domain in listings[i].domains:
                local_by_domain[domain].append(listings[i])
        for domain in domains:
            cell = Cell(territory.pk, domain)
            _count(cell, reachable_by_domain.get(domain, []))
            local = local_by_domain.get(domain, [])
            cell.located = len(local)
            waits, sent_key, accepted_key = [], 0, 0
            for listing in local:
                key = (listing.id, domain)
                cell.referrals_sent += sent.get(key, 0)
                cell.referrals_accepted += accepted.get(key, 0)
                sent_key += keys.get((*key, False), 0)
                accepted_key += keys.get((*key, True), 0)
                waits += delays.get(key, [])
            cell.median_response_hours = round(median(waits), 1) if waits else None
            _protect(cell, len(waits), noise, (sent_key % PRIME, accepted_key % PRIME))
            cell.gaps = _gaps(cell)
            cell.duplication = _duplicates(local, domain, accepted)
            cells.append(cell)
    return cells


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, 1)


def _protect(cell: Cell, answers: int, noise: Exact, keys: tuple[int, int]) -> None:
    """The cell's referral figures as shown (see coverage_table); `keys`: the sums of
    the sent and the accepted referrals' keys, which name their cells when perturbed (the
    same referrals, the same number, whatever the territory's level or page)."""
    sent, accepted = cell.referrals_sent, cell.referrals_accepted
    if protect_count(sent) is None:  # from 1 to 4: neither, nor how many were accepted
        cell.referrals_sent = cell.referrals_accepted = None if sent else 0
    else:
        cell.referrals_sent = noise.count(sent, ("referrals", keys[0]))
        if accepted == 0 or protect_part(accepted, sent):
            cell.referrals_accepted = noise.count(accepted, ("referrals", keys[1]))
        else:
            cell.referrals_accepted = None
    if answers < MINIMUM:
        cell.median_response_hours = None


def _remote_reach(territories: list[Territory], listings: list[_Listing]) -> dict[int, set[int]]:
    """Per territory, the services reachable without travelling (online or by phone) that
    serve it: those whose service areas are the territory, hold it or lie within it, or
    name a postal prefix of the territory (its postal areas' centres inside it); without
    service areas, those placed in the same region (or anywhere, for a service placed
    nowhere)."""
    reach: dict[int, set[int]] = defaultdict(set)
    remote = [i for i, listing in enumerate(listings) if listing.remote]
    if not territories or not remote:
        return reach
    fsas = geo.fsa_points()
    codes = list(fsas)
    tree = shapely.STRtree([outline_of(t) for t in territories])
    in_territory: dict[int, list[str]] = defaultdict(list)
    points = shapely.points([(fsas[c][1], fsas[c][0]) for c in codes])
    for p, o in zip(*tree.query(points, predicate="covered_by"), strict=True):
        in_territory[int(o)].append(codes[int(p)])
    regions = [region_of(t).code for t in territories]
    region_tree_codes, region_outlines = [], []
    for region in current_territories().filter(level=TerritoryLevel.REGION):
        region_tree_codes.append(region.code)
        region_outlines.append(outline_of(region))
    region_tree = shapely.STRtree(region_outlines) if region_outlines else None
    # Per territory an area may be, the territories of the table it reaches: those it is,
    # holds or lies within.
    reached_by: dict[int, set[int]] = defaultdict(set)
    if any(listings[i].areas for i in remote):
        lines = lineage()
        for t_index, territory in enumerate(territories):
            for holder in lines.get(territory.pk, [territory.pk]):
                reached_by[holder].add(t_index)  # itself and those holding it
        in_table = {territory.pk: t_index for t_index, territory in enumerate(territories)}
        for pk, line in lines.items():
            for holder in line[1:]:
                if holder in in_table:
                    reached_by[pk].add(in_table[holder])  # those within it
    for i in remote:
        listing = listings[i]
        if listing.prefixes or listing.areas:
            if listing.prefixes:
                for t_index, territory_fsas in in_territory.items():
                    if any(f.startswith(listing.prefixes) for f in territory_fsas):
                        reach[t_index].add(i)
            for area in listing.areas:
                for t_index in reached_by.get(area, ()):
                    reach[t_index].add(i)
        elif listing.points and region_tree is not None:
            located = shapely.points([(lon, lat) for lat, lon in listing.points])
            _p, found = region_tree.query(located, predicate="covered_by")
            own = {region_tree_codes[int(o)] for o in found}
            for t_index, region in enumerate(regions):
                if region in own:
                    reach[t_index].add(i)
        else:
            for t_index in range(len(territories)):
                reach[t_index].add(i)
    return reach


def _count(cell: Cell, chosen: list[_Listing]) -> None:
    cell.services = len(chosen)
    for listing in chosen:
        cell.accepting += listing.capacity == CapacityStatus.OPEN
        cell.waitlist += listing.capacity == CapacityStatus.WAITLIST
        cell.full += listing.capacity == CapacityStatus.FULL
        cell.french += listing.french
        cell.english += listing.english
        cell.free += listing.free
        cell.evenings += listing.evenings
        cell.weekends += listing.weekends
        cell.in_person += listing.in_person
        cell.remote += listing.remote
        cell.home_visits += listing.home_visits


def _gaps(cell: Cell) -> list[str]:
    if cell.services == 0:
        return [GAP_NONE]
    gaps = []
    if cell.evenings == 0 and cell.weekends == 0:
        gaps.append(GAP_HOURS)
    if cell.french == 0:
        gaps.append(GAP_FRENCH)
    if cell.english == 0:
        gaps.append(GAP_ENGLISH)
    return gaps


def _duplicates(local: list[_Listing], domain: str, accepted) -> bool:
    """Several services of the domain located in the territory for the same ages (at
    least DUPLICATION_MIN_SERVICES age ranges sharing an age), each little used."""
    little_used = [x for x in local if accepted.get((x.id, domain), 0) < LOW_USE]
    if len(little_used) < DUPLICATION_MIN_SERVICES:
        return False
    # The most ranges holding one age: starts before ends at the same age.
    events = sorted([(x.ages[0], 0) for x in little_used] + [(x.ages[1], 1) for x in little_used])
    depth = deepest = 0
    for _age, is_end in events:
        depth += -1 if is_end else 1
        deepest = max(deepest, depth)
    return deepest >= DUPLICATION_MIN_SERVICES


# What the map can be coloured by (a Cell's attribute) and how it reads.
MEASURES = {
    "services": gettext_lazy("services reachable"),
    "located": gettext_lazy("services located there"),
    "accepting": gettext_lazy("accepting requests"),
    "evenings": gettext_lazy("open evenings"),
    "weekends": gettext_lazy("open weekends"),
    "french": gettext_lazy("in French"),
    "english": gettext_lazy("in English"),
    "free": gettext_lazy("free of charge"),
    "referrals_sent": gettext_lazy("referrals sent"),
    "referrals_accepted": gettext_lazy("referrals accepted"),
    "median_response_hours": gettext_lazy("median response (hours)"),
}
GAP_LABELS = {
    GAP_NONE: gettext_lazy("nothing reachable"),
    GAP_HOURS: gettext_lazy("nothing open evenings or weekends"),
    GAP_FRENCH: gettext_lazy("nothing in French"),
    GAP_ENGLISH: gettext_lazy("nothing in English"),
}
REACH_CHOICES_KM = (0, 2, 5, 10)


def domain_labels() -> dict[str, str]:
    """The first-level need domains in the reader's language, in the taxonomy's order."""
    return first_level_domain_labels()


def territories_for_map(
    level: str, region_code: str | None, *, on: date | None = None
) -> list[Territory]:
    """The current territories of a level, in a region when given, by code."""
    found = (
        current_territories(on)
        .filter(level=level)
        .select_related("parent__parent__parent")
        .order_by("code")
    )
    return [t for t in found if region_code is None or region_of(t).code == region_code]


def territory_in_region(code: str, region_code: str, *, level: str | None = None):
    """A current territory of the region by its code (at the level given, else the
    lowest level having that code); None elsewhere."""
    from proxima.territories.models import LEVEL_ORDER

    found = [
        t
        for t in current_territories().filter(code=code).select_related("parent__parent__parent")
        if region_of(t).code == region_code and (not level or t.level == level)
    ]
    found.sort(key=lambda t: -LEVEL_ORDER.index(t.level))
    return found[0] if found else None


def levels_in_region(region_code: str) -> list[str]:
    """The levels the region has territories at, from the largest down."""
    from proxima.territories.models import LEVEL_ORDER

    present = {
        t.level
        for t in current_territories().select_related("parent__parent__parent")
        if region_of(t).code == region_code
    }
    return [level for level in LEVEL_ORDER if level in present]
