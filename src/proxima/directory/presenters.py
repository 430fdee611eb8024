"""Presentation helpers shared by pages: the results map, hours, service facts."""

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Case, Q, When
from django.utils import timezone
from django.utils.translation import gettext as _

from proxima.core import formats
from proxima.directory.models import Service, ServiceAtLocation
from proxima.directory.services import geo, hours

MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN = 640, 360, 24


def day_names() -> list[str]:
    """Weekday names, Monday first, in the active language."""
    return [
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    ]


@dataclass(frozen=True)
class MapPin:
    number: int
    label: str
    url: str
    x: float
    y: float
    is_origin: bool = False


@dataclass(frozen=True)
class Landmark:
    """A place to orient by, drawn faintly under the pins: a neighbourhood we name, or a
    postal area (its three characters)."""

    label: str
    x: float
    y: float
    is_area: bool

    @property
    def anchor(self) -> str:
        """Where the label hangs from its point, so that none runs off the map."""
        if self.x < MAP_WIDTH * 0.15:
            return "start"
        return "end" if self.x > MAP_WIDTH * 0.85 else "middle"


@dataclass(frozen=True)
class Tile:
    href: str
    x: float
    y: float
    size: float


@dataclass
class ResultsMap:
    """The map of a page of results: pins over a background drawn from our own data (the
    neighbourhoods and postal areas in sight, a scale, north up), or over tiles when the
    deployment names a tile address (PROXIMA_MAP_TILES)."""

    pins: list[MapPin]
    landmarks: list[Landmark] = field(default_factory=list)
    tiles: list[Tile] = field(default_factory=list)
    attribution: str = ""
    scale_px: float = 0.0
    scale_label: str = ""

    def __bool__(self) -> bool:
        return bool(self.pins)


def _mercator(lat: float, lon: float) -> tuple[float, float]:
    """Web Mercator in units of the world's width (0 to 1, north at 0): tiles align."""
    lat = max(min(lat, 85.0), -85.0)
    y = (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2
    return (lon + 180.0) / 360.0, y


def _latitude(y: float) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))


EARTH_CIRCUMFERENCE_KM = 40075.0
MIN_SPAN_KM = 1.5  # a single point is shown within about this much around it
SCALE_STEPS_KM = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000)
LANDMARK_SPACING_PX = 56
MAX_TILES = 40


def results_map(
    pins: list[tuple[str, str, float, float]],
    origin: geo.Place | None,
    *,
    tiles: bool = True,
) -> ResultsMap:
    """Project points (label, url, lat, lon) into the SVG box (Web Mercator, north up,
    the aspect kept), with what to orient by around them. `tiles=False` when a point is
    confidential: asking a tile server for the tiles around it would tell where it is."""
    points = list(pins)
    if origin is not None:
        points.append((origin.label, "", origin.latitude, origin.longitude))
    if not points:
        return ResultsMap([])
    projected = [_mercator(p[2], p[3]) for p in points]
    xs, ys = [p[0] for p in projected], [p[1] for p in projected]
    center_lat = sum(p[2] for p in points) / len(points)
    km_per_unit = EARTH_CIRCUMFERENCE_KM * math.cos(math.radians(center_lat))
    min_span = MIN_SPAN_KM / max(km_per_unit, 1.0)
    span_x = max(max(xs) - min(xs), min_span)
    span_y = max(max(ys) - min(ys), min_span)
    factor = min((MAP_WIDTH - 2 * MAP_MARGIN) / span_x, (MAP_HEIGHT - 2 * MAP_MARGIN) / span_y)
    center_x, center_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2

    def to_box(x: float, y: float) -> tuple[float, float]:
        return (
            round(MAP_WIDTH / 2 + (x - center_x) * factor, 1),
            round(MAP_HEIGHT / 2 + (y - center_y) * factor, 1),
        )

    result = ResultsMap([])
    for index, ((label, url, _lat, _lon), (x, y)) in enumerate(
        zip(points, projected, strict=True), start=1
    ):
        is_origin = origin is not None and index == len(points)
        result.pins.append(MapPin(0 if is_origin else index, label, url, *to_box(x, y), is_origin))
    left, right = center_x - MAP_WIDTH / 2 / factor, center_x + MAP_WIDTH / 2 / factor
    top, bottom = center_y - MAP_HEIGHT / 2 / factor, center_y + MAP_HEIGHT / 2 / factor
    result.landmarks = _landmarks(to_box, (_latitude(bottom), _latitude(top)), (left, right))
    km_per_px = km_per_unit / factor
    step = max((s for s in SCALE_STEPS_KM if s / km_per_px <= 120), default=SCALE_STEPS_KM[0])
    result.scale_px = round(step / km_per_px, 1)
    result.scale_label = f"{step * 1000:g} m" if step < 1 else f"{formats.decimal(step, 0)} km"
    template = getattr(settings, "PROXIMA_MAP_TILES", "")
    if template and tiles:
        result.tiles = _tiles(template, factor, to_box, (left, top, right, bottom))
        result.attribution = getattr(settings, "PROXIMA_MAP_ATTRIBUTION", "")
    return result


def _landmarks(to_box, latitudes, x_range) -> list[Landmark]:
    """Our named neighbourhoods, then postal areas, in sight and not crowding each other."""
    south, north = latitudes
    west, east = (x * 360.0 - 180.0 for x in x_range)
    candidates = [
        (place.label.split(" — ")[-1], place.latitude, place.longitude, False)
        for place in geo.places()
    ] + [(fsa, lat, lon, True) for fsa, (lat, lon, _city) in sorted(geo.fsa_points().items())]
    chosen: list[Landmark] = []
    for label, lat, lon, is_area in candidates:
        if not (south <= lat <= north and west <= lon <= east):
            continue
        x, y = to_box(*_mercator(lat, lon))
        if not (MAP_MARGIN / 2 <= x <= MAP_WIDTH - MAP_MARGIN / 2 and 16 <= y <= MAP_HEIGHT - 8):
            continue
        if x > MAP_WIDTH - 40 and y < 48:  # the north arrow's corner
            continue
        if all(math.dist((x, y), (o.x, o.y)) >= LANDMARK_SPACING_PX for o in chosen):
            chosen.append(Landmark(label, x, y, is_area))
    return chosen


def _tiles(template: str, factor: float, to_box, box) -> list[Tile]:
    """The tiles covering the box at the zoom nearest the map's scale (256 px a tile)."""
    left, top, right, bottom = box
    zoom = max(0, min(19, round(math.log2(max(factor / 256.0, 1.0)))))
    count = 2**zoom
    first_x, last_x = math.floor(left * count), math.floor(right * count)
    first_y, last_y = max(0, math.floor(top * count)), min(count - 1, math.floor(bottom * count))
    if (last_x - first_x + 1) * (last_y - first_y + 1) > MAX_TILES:
        return []
    tiles = []
    for tile_x in range(first_x, last_x + 1):
        for tile_y in range(first_y, last_y + 1):
            x, y = to_box(tile_x / count, tile_y / count)
            href = template.format(z=zoom, x=tile_x % count, y=tile_y)
            tiles.append(Tile(href, x, y, round(factor / count + 0.5, 1)))  # no seams
    return tiles


def service_points(service: Service, *, public: bool) -> list[tuple[float, float]]:
    return points_of([service], public=public).get(service.id, [])


def points_of(services: list[Service], *, public: bool) -> dict[str, list[tuple[float, float]]]:
    """Each service's points (latitude, longitude), in one query for a whole results page;
    confidential locations left out of public pages."""
    points: dict[str, list[tuple[float, float]]] = {}
    places = ServiceAtLocation.objects.filter(
        service_id__in=[service.id for service in services]
    ).select_related("location")
    for place in places.order_by("service_id", "pk"):
        location = place.location
        if location and location.has_valid_point and not (public and location.is_confidential):
            points.setdefault(place.service_id, []).append((location.latitude, location.longitude))
    return points


def opening_hours(service: Service) -> list[tuple[str, str]]:
    """[(day name, "9 h à 17 h"), ...] for the service page, in the reader's language."""
    places = list(service.service_at_locations.select_related("location"))
    intervals = hours.service_intervals(
        service.schedules.all(),
        [s for p in places for s in p.schedules.all()]
        + [s for p in places if p.location for s in p.location.schedules.all()],
    )
    names = day_names()
    return [
        (names[day], ", ".join(formats.time_span(o, c) for o, c in spans))
        for day, spans in hours.describe(intervals)
    ]


NOT_TO_CALL = ("fax", "pager")  # HSDS phone types no one answers


@dataclass
class Card:
    """What a result shows at a glance: a number to call, today's hours, open now."""

    phone: str = ""
    today: str = ""  # today's hours, "" when it does not open today
    closed_today: bool = False  # its hours are known and none is today
    open_now: bool = False


def result_cards(services: list[Service], moment) -> dict[str, Card]:
    """Per service of a page of results (two queries for the page): its first phone
    (its own, else its organization's) and today's hours from the search index."""
    from proxima.directory.models import Phone, SearchDocument

    ids = [s.id for s in services]
    organizations = {s.id: s.organization_id for s in services}
    phones: dict[str, str] = {}
    by_organization: dict[str, str] = {}
    own_or_organization = Q(service_id__in=ids) | Q(
        organization_id__in=[o for o in organizations.values() if o], service=None
    )
    for service_id, organization_id, number in (
        Phone.objects.filter(own_or_organization)
        .exclude(type__in=NOT_TO_CALL)
        .order_by(Case(When(type__in=("voice", ""), then=0), default=1), "id")
        .values_list("service_id", "organization_id", "number")
    ):
        if service_id and service_id not in phones:
            phones[service_id] = number
        elif organization_id and not service_id and organization_id not in by_organization:
            by_organization[organization_id] = number
    local = timezone.localtime(moment)
    cards = {}
    for service_id, encoded in SearchDocument.objects.filter(service_id__in=ids).values_list(
        "service_id", "hours"
    ):
        intervals = hours.decode(encoded)
        spans = list(dict.fromkeys(hours.spans_on(intervals, local.date())))
        today = ", ".join(formats.time_span(o, c) for o, c in spans)
        cards[service_id] = Card(
            phone=phones.get(service_id) or by_organization.get(organizations[service_id], ""),
            today=today,
            closed_today=bool(intervals) and not spans,
            open_now=hours.is_open_at(intervals, moment),
        )
    for service_id in ids:
        cards.setdefault(
            service_id,
            Card(
                phone=phones.get(service_id) or by_organization.get(organizations[service_id], "")
            ),
        )
    return cards


def is_open_now(service: Service, moment) -> bool:
    places = list(service.service_at_locations.select_related("location"))
    intervals = hours.service_intervals(
        service.schedules.all(),
        [s for p in places for s in p.schedules.all()]
        + [s for p in places if p.location for s in p.location.schedules.all()],
    )
    return hours.is_open_at(intervals, moment)


@dataclass
class TaxonomySummary:
    taxonomy: object
    terms: int
    to_review: int
    decided: int


def _reviewed():
    """Whether a term (the outer query's row) is reviewed: a person decided one of its
    mappings and none is left only proposed."""
    from django.db.models import Exists, OuterRef

    from proxima.directory.models import MappingStatus, TermMapping

    mappings = TermMapping.objects.filter(term=OuterRef("pk"))
    return Exists(mappings.exclude(status=MappingStatus.PROPOSED)) & ~Exists(
        mappings.filter(status=MappingStatus.PROPOSED)
    )


def taxonomy_summaries(taxonomies) -> list[TaxonomySummary]:
    """Each taxonomy with its count of terms, of terms left to review (a mapping only
    proposed, or none decided) and of reviewed ones."""
    from django.db.models import Count, Q

    from proxima.directory.models import TaxonomyTerm

    counts = {
        row["taxonomy_id"]: row
        for row in TaxonomyTerm.objects.filter(taxonomy_id__in=[t.id for t in taxonomies])
        .annotate(reviewed=_reviewed())
        .values("taxonomy_id")
        .annotate(terms=Count("id"), decided=Count("id", filter=Q(reviewed=True)))
    }
    summaries = []
    for taxonomy in taxonomies:
        row = counts.get(taxonomy.id, {"terms": 0, "decided": 0})
        summaries.append(
            TaxonomySummary(taxonomy, row["terms"], row["terms"] - row["decided"], row["decided"])
        )
    return summaries


@dataclass
class TermRow:
    term: object
    services: int
    mappings: list


def term_mapping_page(taxonomy, *, to_review: bool, page, per_page: int = 50):
    """One page of a taxonomy's terms, each with its services count and its mappings
    (best first: confirmed, proposed, rejected)."""
    from django.core.paginator import Paginator
    from django.db.models import Count

    from proxima.directory.models import Attribute, MappingStatus, TaxonomyTerm, TermMapping

    terms = TaxonomyTerm.objects.filter(taxonomy_id=taxonomy.id).order_by("name", "id")
    if to_review:
        terms = terms.annotate(reviewed=_reviewed()).filter(reviewed=False)
    current = Paginator(terms, per_page).get_page(page)
    ids = [t.id for t in current]
    services = dict(
        Attribute.objects.filter(taxonomy_term_id__in=ids)
        .values("taxonomy_term_id")
        .annotate(n=Count("link_id", distinct=True))
        .values_list("taxonomy_term_id", "n")
    )
    order = {MappingStatus.CONFIRMED: 0, MappingStatus.PROPOSED: 1, MappingStatus.REJECTED: 2}
    mappings: dict[str, list] = {}
    for mapping in TermMapping.objects.filter(term_id__in=ids).select_related("need", "decided_by"):
        mappings.setdefault(mapping.term_id, []).append(mapping)
    current.object_list = [
        TermRow(
            term,
            services.get(term.id, 0),
            sorted(mappings.get(term.id, []), key=lambda m: (order[m.status], m.need.name)),
        )
        for term in current
    ]
    return current


def territories_of_places(places, *, show_confidential: bool) -> dict:
    """Per place of a service, the names of the territories holding it below the region
    (neighbourhood to local network, smallest first, "Saint-Roch · CLSC …"); none for a
    confidential place unless shown."""
    from proxima.territories.services import territories_at

    found = {}
    for place in places:
        location = place.location
        if location is None or not location.has_valid_point:
            continue
        if location.is_confidential and not show_confidential:
            continue
        held = territories_at(location.latitude, location.longitude)
        names = [t.name for t in reversed(held) if t.level != "region"]
        if names:
            found[place.pk] = " · ".join(names)
    return found
