"""Presentation helpers shared by pages: the results map, hours, service facts."""

from dataclasses import dataclass

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


def results_map(
    pins: list[tuple[str, str, float, float]], origin: geo.Place | None
) -> list[MapPin]:
    """Project points (label, url, lat, lon) into the SVG box, keeping the aspect ratio."""
    points = list(pins)
    if origin is not None:
        points.append((origin.label, "", origin.latitude, origin.longitude))
    if not points:
        return []
    lats = [p[2] for p in points]
    lons = [p[3] for p in points]
    import math

    scale_x = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = max((max(lons) - min(lons)) * scale_x, 0.005)
    span_y = max(max(lats) - min(lats), 0.005)
    factor = min((MAP_WIDTH - 2 * MAP_MARGIN) / span_x, (MAP_HEIGHT - 2 * MAP_MARGIN) / span_y)
    center_x = (max(lons) + min(lons)) / 2
    center_y = (max(lats) + min(lats)) / 2
    result = []
    for index, (label, url, lat, lon) in enumerate(points, start=1):
        x = MAP_WIDTH / 2 + (lon - center_x) * scale_x * factor
        y = MAP_HEIGHT / 2 - (lat - center_y) * factor
        is_origin = origin is not None and index == len(points)
        result.append(
            MapPin(0 if is_origin else index, label, url, round(x, 1), round(y, 1), is_origin)
        )
    return result


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
