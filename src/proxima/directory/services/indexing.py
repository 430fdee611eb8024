"""Keeping the search index in step with the directory.

Every action that changes a service calls `reindex_services([...])` in its transaction;
imports and the demo loader reindex what they wrote.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Prefetch, Q

from proxima.directory.models import (
    Attribute,
    SearchCategory,
    SearchDocument,
    SearchPoint,
    Service,
    ServiceAtLocation,
    ServiceNeed,
    TaxonomyTerm,
)
from proxima.directory.services import facets, geo, hours, needs
from proxima.directory.services.search_backends import backend
from proxima.directory.services.taxonomy import TERM_PREFIX, TermGraph, term_token
from proxima.directory.services.text import index_tokens, sort_key
from proxima.directory.services.vocabulary import NeedVocabulary, need_vocabulary

SEARCHABLE_STATUSES = ("active", "temporarily closed")
BATCH_SIZE = 1000
WHEELCHAIR_WORDS = (
    "wheelchair",
    "fauteuil",
    "accessible",
    "rampe",
    "ramp",
    "ascenseur",
    "elevator",
)


def _language_codes(service: Service) -> set[str]:
    codes = {(lang.code or "").strip().lower()[:2] for lang in service.languages.all()}
    codes.discard("")
    if not codes:
        codes = {service.text_language or "fr", *service.translations.keys()}
    return codes


def _flags(service: Service, locations: list) -> list[str]:
    flags = [f"f_lang_{code}" for code in sorted(_language_codes(service))]
    flags += [f"f_mode_{mode}" for mode in service.delivery_modes]
    if service.is_free:
        flags.append("f_free")
    flags.append(f"f_cap_{service.capacity_status}")
    flags.append("f_status_" + (service.status or "active").replace(" ", "_"))
    access = " ".join(
        f"{a.description} {a.details}".lower() for loc in locations for a in loc.accessibility.all()
    )
    if any(word in access for word in WHEELCHAIR_WORDS):
        flags.append("f_access_wheelchair")
    return flags + area_tokens(service.service_areas.all())


def area_tokens(service_areas) -> list[str]:
    """The territory served, as tokens: one per territory its service areas are
    ("f_terr_12", proxima.territories) and one per postal prefix they name ("f_area_g1k"),
    or "f_area_any" when no area restricts it."""
    prefixes = {
        prefix.replace(" ", "").lower()
        for area in service_areas
        for prefix in (area.postal_prefixes or "").split(",")
        if prefix.strip()
    }
    territories = {area.territory_id for area in service_areas if area.territory_id}
    tokens = sorted(f"f_area_{prefix}" for prefix in prefixes)
    tokens += sorted(f"f_terr_{pk}" for pk in territories)
    return tokens or ["f_area_any"]


def _fields(
    service: Service,
    locations: list,
    term_ids: set[str],
    read_ids: set[str],
    keywords: list[str] = (),
) -> dict[str, list[str]]:
    """The indexed fields. The listing's categories (and the need domains they map to) go
    in `terms`; the need domains read from its own words in `body`, weighing as its words."""
    names = service.all_texts("name") + service.all_texts("alternate_name")
    body = service.all_texts("description") + [service.eligibility_description, *keywords]
    if service.organization:
        body += service.organization.all_texts("name")
    for location in locations:
        body.append(location.name)
        body += [address.city for address in location.addresses.all()]
    return {
        "name": index_tokens(" ".join(names)),
        "body": index_tokens(" ".join(body)) + sorted(term_token(t) for t in read_ids - term_ids),
        "terms": sorted(term_token(t) for t in term_ids),
        "flags": _flags(service, locations),
    }


def _services_with_relations(ids: list[str]):
    places = ServiceAtLocation.objects.select_related("location").prefetch_related(
        "schedules", "location__schedules", "location__accessibility", "location__addresses"
    )
    return (
        Service.objects.filter(id__in=ids)
        .select_related("organization")
        .prefetch_related(
            "languages", "schedules", "service_areas", Prefetch("service_at_locations", places)
        )
    )


@dataclass(frozen=True)
class _Reading:
    """What indexing reads needs with, loaded once per run."""

    graph: TermGraph
    vocabulary: NeedVocabulary
    confirmed: dict[str, set[str]]


def _index_batch(ids: list[str], reading: _Reading, engine) -> int:
    graph = reading.graph
    # The services' categories, and the free keywords of older directories (HSDS 1.x and
    # Ohana: services/hsds_legacy.py), in one read.
    terms_by_service: dict[str, set[str]] = {}
    keywords: dict[str, list[str]] = {}
    for link_id, term_id, link_type, value in Attribute.objects.filter(
        Q(taxonomy_term__isnull=False) | Q(link_type="keyword"), link_id__in=ids
    ).values_list("link_id", "taxonomy_term_id", "link_type", "value"):
        if term_id:
            terms_by_service.setdefault(link_id, set()).add(term_id)
        if link_type == "keyword":
            keywords.setdefault(link_id, []).append(value)
    term_names = dict(
        TaxonomyTerm.objects.filter(
            id__in={t for terms in terms_by_service.values() for t in terms}
        ).values_list("id", "name")
    )
    ServiceNeed.objects.filter(service_id__in=ids).delete()
    served: list[ServiceNeed] = []

    old = list(SearchDocument.objects.filter(service_id__in=ids).values_list("id", flat=True))
    if old:
        engine.delete(old)
        SearchDocument.objects.filter(id__in=old).delete()

    documents, fields_by_service, points_by_service = [], {}, {}
    for service in _services_with_relations(ids):
        if service.status not in SEARCHABLE_STATUSES:
            continue
        places = list(service.service_at_locations.all())
        locations = [p.location for p in places if p.location]
        intervals = hours.service_intervals(
            service.schedules.all(),
            [s for p in places for s in p.schedules.all()]
            + [s for loc in locations for s in loc.schedules.all()],
        )
        masks = hours.weekly_bitmasks(intervals)
        document = SearchDocument(
            service=service,
            sort_name=sort_key(service.name),
            min_age=service.minimum_age if service.minimum_age is not None else 0,
            max_age=service.maximum_age if service.maximum_age is not None else 200,
            is_remote=service.delivers_online or service.delivers_by_phone,
            hours=hours.encode(intervals),
            **dict(zip(SearchDocument.WEEKDAY_COLUMNS, masks, strict=True)),
        )
        documents.append(document)
        attached = terms_by_service.get(service.id, ())
        found = needs.service_needs(
            service,
            attached,
            graph,
            reading.vocabulary,
            confirmed=reading.confirmed,
            term_names=term_names,
            keywords=keywords.get(service.id, []),
        )
        served += [
            ServiceNeed(service=service, need_id=n.need_id, source=n.source, evidence=n.evidence)
            for n in found
        ]
        fields_by_service[service.id] = _fields(
            service,
            locations,
            graph.closure(attached),
            graph.closure(n.need_id for n in found if n.source == needs.NeedSource.TEXT),
            keywords.get(service.id, []),
        )
        # Ages, hours and places as tokens too: the index narrows by them first
        # (services/facets.py).
        fields_by_service[service.id]["flags"] += facets.age_tokens(
            document.min_age, document.max_age
        ) + facets.open_tokens(masks)
        points_by_service[service.id] = [
            geo.coarsen(loc.latitude, loc.longitude)
            if loc.is_confidential
            else (loc.latitude, loc.longitude)
            for loc in locations
            if loc.has_valid_point
        ]
        fields_by_service[service.id]["flags"] += facets.place_tokens(
            points_by_service[service.id], remote=document.is_remote
        )
        document.point_count = len(points_by_service[service.id])
        if document.point_count == 1:
            document.latitude, document.longitude = points_by_service[service.id][0]
    SearchDocument.objects.bulk_create(documents)
    ServiceNeed.objects.bulk_create(served)
    SearchPoint.objects.bulk_create(
        SearchPoint(document=d, latitude=lat, longitude=lon)
        for d in documents
        for lat, lon in points_by_service[d.service_id]
    )
    SearchCategory.objects.bulk_create(
        SearchCategory(document=d, token=token, sort_name=d.sort_name, service_id=d.service_id)
        for d in documents
        for token in category_tokens(fields_by_service[d.service_id])
    )
    engine.write([(d.id, fields_by_service[d.service_id]) for d in documents])
    return len(documents)


def category_tokens(fields: dict[str, list[str]]) -> list[str]:
    """The category tokens of an index row, in any field (as a full-text match finds them):
    its categories and their closure in `terms`, the need domains read in its words in
    `body`."""
    return sorted({t for tokens in fields.values() for t in tokens if t.startswith(TERM_PREFIX)})


def unindex_services(service_ids: Iterable[str]) -> None:
    """Remove services from the index (before they are deleted or made unsearchable)."""
    ids = list(service_ids)
    for start in range(0, len(ids), BATCH_SIZE):
        documents = SearchDocument.objects.filter(service_id__in=ids[start : start + BATCH_SIZE])
        backend().delete(list(documents.values_list("id", flat=True)))
        documents.delete()


def _empty_index() -> None:
    """Every index row removed. On PostgreSQL by TRUNCATE: deleted rows leave their space
    in the table, which a scan stopping at its first matches still reads (after a reindex
    of 100,000 listings, a crisis search's pool read 32,000 emptied pages first: 50 ms
    instead of under 2)."""
    if connection.vendor == "postgresql":
        tables = [m._meta.db_table for m in (SearchCategory, SearchPoint, SearchDocument)]
        with connection.cursor() as cursor:
            # Within a transaction that wrote rows (an import), their deferred foreign key
            # checks are made first: PostgreSQL truncates no table with checks pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        SearchDocument.objects.all().delete()


def reindex_services(
    service_ids: Iterable[str] | None = None,
    *,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Rebuild the index rows of these services (every service when None); returns rows written."""
    engine = backend()
    if service_ids is None:
        ids = list(Service.objects.order_by("id").values_list("id", flat=True))
        needs.propose_mappings()  # every term read again (names may have changed)
        with transaction.atomic():
            engine.clear()
            _empty_index()
    else:
        ids = list(dict.fromkeys(service_ids))
        unread = needs.unread_terms(ids)
        if unread:  # categories of a newly imported taxonomy: proposed before use
            needs.propose_mappings(unread)
    reading = _Reading(TermGraph.load(), need_vocabulary(), needs.confirmed_mappings())
    written = 0
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        with transaction.atomic():
            written += _index_batch(batch, reading, engine)
        if on_progress:
            on_progress(len(batch))
    if service_ids is None:
        engine.optimize()  # after rewriting every row: one compact index, not thousands of pieces
    return written
