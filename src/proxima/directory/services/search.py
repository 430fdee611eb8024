"""Directory search: one service for the public page, the workers' pages and the HSDS API.

Free text (French or English, stemmed, accent-insensitive) is matched against service
texts and, through the need vocabulary, against need domains; filters narrow by taxonomy,
place, opening hours, language, cost, age, delivery mode and accessibility. Each hit says
why it matched.
"""

import math
import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db import connections, router
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from proxima.core import formats
from proxima.directory.models import (
    NeedSource,
    Organization,
    SearchDocument,
    Service,
    ServiceNeed,
    TaxonomyTerm,
)
from proxima.directory.services import facets, geo, hours
from proxima.directory.services.bilingual import expand
from proxima.directory.services.crisis import (
    EMERGENCY_NUMBERS,
    CrisisSignal,
    detect_crisis,
    is_about_the_subject,
    may_be_a_crisis,
)
from proxima.directory.services.needs import SOURCE_RANK, FoundNeed, is_crisis_need
from proxima.directory.services.search_backends import All, Any_, Expr, FieldTerm, Term, backend
from proxima.directory.services.taxonomy import (
    TERM_PREFIX,
    TermGraph,
    need_domain_term_id,
    taxonomy_stamp,
    term_graph,
    term_token,
)
from proxima.directory.services.text import (
    GENERIC_WORDS,  # noqa: F401 (the words themselves, for tests and docs)
    fold,
    index_tokens,
    is_content_word,
    is_generic,
    query_words,
    stems,
)
from proxima.directory.services.text import words as text_words
from proxima.directory.services.vocabulary import NeedMatch, need_vocabulary

CANDIDATE_LIMIT = 1000
MAX_QUERY_LENGTH = 500
MAX_PER_PAGE = 100
MAX_OFFSET = 2**63 - 1  # the largest OFFSET SQLite and PostgreSQL accept
REMOTE_EQUIVALENT_KM = 5.0
DELIVERY_MODE_LABELS = {
    "in_person": gettext_lazy("In person"),
    "phone": gettext_lazy("By phone"),
    "online": gettext_lazy("Online"),
    "home_visit": gettext_lazy("Home visits"),
}
DELIVERY_MODES = tuple(DELIVERY_MODE_LABELS)


def _connection():
    """The database search reads: a read replica for public pages (proxima.core.db_router)."""
    return connections[router.db_for_read(SearchDocument)]


class SearchInputError(ValueError):
    """A search parameter that cannot be understood; the message is for the user."""


@dataclass
class SearchQuery:
    text: str = ""
    taxonomy_term_ids: list[str] = field(default_factory=list)
    latitude: float | None = None
    longitude: float | None = None
    postal_code: str = ""
    place: str = ""
    max_km: float | None = None
    include_remote: bool = True
    open_at: datetime | None = None
    languages: list[str] = field(default_factory=list)
    free_only: bool = False
    age: float | None = None
    delivery_modes: list[str] = field(default_factory=list)
    wheelchair_accessible: bool = False
    organization_id: str = ""
    taxonomy_id: str = ""
    modified_after: datetime | None = None
    served_postal_code: str = ""  # only services whose service areas cover it (or have none)
    # A plain listing counts every match (the HSDS API pages by the total) rather than
    # stopping past CANDIDATE_LIMIT and saying "more than" (the pages).
    exact_total: bool = False
    page: int = 1
    per_page: int = 20

    def with_page(self, page: int, per_page: int) -> "SearchQuery":
        return replace(self, page=page, per_page=per_page)


@dataclass
class SearchHit:
    service: Service
    score: float
    distance_km: float | None
    is_open: bool | None
    reasons: list[str]


@dataclass
class SearchResults:
    hits: list[SearchHit]
    total: int
    total_is_capped: bool
    page: int
    per_page: int
    point: geo.Place | None
    need_matches: list[NeedMatch]
    relaxed: bool = False
    crisis: CrisisSignal | None = None  # the search speaks of a crisis: numbers shown first
    only_generic: bool = False  # the text held only words any listing may hold
    # Not read as a crisis, but the crisis model says it may be one (the quieter line).
    may_be_a_crisis: bool = False
    # A listing counted only so far (more than `total`): pages go on while they are full.
    open_ended: bool = False

    @property
    def has_next_page(self) -> bool:
        if self.open_ended:
            return len(self.hits) == self.per_page
        return self.page < self.page_count

    @property
    def understood_phrases(self) -> list[str]:
        """The everyday phrases recognised as needs, once each (a phrase can map to a
        domain and its sub-domain)."""
        return list(dict.fromkeys(match.phrase for match in self.need_matches))

    @property
    def emergency_numbers(self) -> tuple:
        """The numbers to show above everything when the search speaks of a crisis."""
        return EMERGENCY_NUMBERS if self.crisis else ()

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def past_the_last_page(self) -> bool:
        """An empty page of a search that found some (a page asked for beyond them)."""
        return not self.hits and self.total > 0 and self.page > 1

    @property
    def previous_page(self) -> int:
        """The page before this one, or the last page when this one is past it."""
        if self.past_the_last_page and not self.open_ended:
            return min(self.page - 1, self.page_count)
        return self.page - 1


@dataclass
class _Candidate:
    service_id: str
    relevance: float
    hours: str
    distance_km: float | None
    is_open: bool | None = None
    score: float = 0.0
    texts: str | None = None  # its index row, read with it, for the pool's ranking
    answers_crisis: bool = False  # serves a domain of the crisis spoken of (_rank_pool)


# A language code as BCP 47 writes it ("fr", "en-CA", "ikt"): anything else is refused
# (a quote in one broke PostgreSQL's full-text query: a 500).
LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def _validate(query: SearchQuery) -> geo.Place | None:
    if len(query.text) > MAX_QUERY_LENGTH:
        raise SearchInputError(
            _("The search text is too long (at most %d characters).") % MAX_QUERY_LENGTH
        )
    if query.page < 1:
        raise SearchInputError(_("The page number must be 1 or more."))
    if not 1 <= query.per_page <= MAX_PER_PAGE:
        raise SearchInputError(_("Results per page must be between 1 and %d.") % MAX_PER_PAGE)
    if query.max_km is not None and not 0 < query.max_km <= 1000:
        raise SearchInputError(_("The distance must be more than 0 km and at most 1000 km."))
    if query.age is not None and not 0 <= query.age <= 130:
        raise SearchInputError(_("The age must be between 0 and 130."))
    unknown_languages = [code for code in query.languages if not LANGUAGE_CODE.fullmatch(code)]
    if unknown_languages:
        raise SearchInputError(_("Unknown language code: %s.") % ", ".join(unknown_languages))
    unknown_modes = set(query.delivery_modes) - set(DELIVERY_MODES)
    if unknown_modes:
        raise SearchInputError(_("Unknown delivery mode: %s.") % ", ".join(sorted(unknown_modes)))
    if query.served_postal_code and geo.normalize_postal_code(query.served_postal_code) is None:
        raise SearchInputError(
            _("Unknown Canadian postal code: %s.") % query.served_postal_code.strip()
        )
    if query.latitude is not None or query.longitude is not None:
        if query.latitude is None or query.longitude is None:
            raise SearchInputError(_("Give both latitude and longitude."))
        if not (-90 <= query.latitude <= 90 and -180 <= query.longitude <= 180):
            raise SearchInputError(_("Latitude or longitude out of range."))
        return geo.Place("point", _("the given point"), query.latitude, query.longitude)
    if query.postal_code.strip():
        place = geo.postal_code_point(query.postal_code)
        if place is None:
            raise SearchInputError(
                _("Unknown Canadian postal code: %s.") % query.postal_code.strip()
            )
        return place
    if query.place:
        found = geo.place(query.place)
        if found is None:
            raise SearchInputError(_("Unknown place."))
        return found
    if query.max_km is not None:
        raise SearchInputError(_("A distance limit needs a place, a postal code or a point."))
    return None


def _filters_expr(query: SearchQuery) -> list[Expr]:
    parts: list[Expr] = [Term(term_token(t)) for t in query.taxonomy_term_ids]
    if query.languages:
        parts.append(Any_(tuple(Term(f"f_lang_{code.lower()[:2]}") for code in query.languages)))
    if query.free_only:
        parts.append(Term("f_free"))
    if query.delivery_modes:
        parts.append(Any_(tuple(Term(f"f_mode_{mode}") for mode in query.delivery_modes)))
    if query.wheelchair_accessible:
        parts.append(Term("f_access_wheelchair"))
    if query.served_postal_code:
        parts.append(_coverage_expr(query.served_postal_code))
    return parts


def _narrowing_expr(query: SearchQuery, point: geo.Place | None) -> list[Expr]:
    """The radius, the age and the moment asked, as the index's coarse tokens
    (services/facets.py): with words or other filters, the index keeps only the listings
    that can fit, and the exact checks (the distance, `_sql_predicates`, then
    `_candidates`) run on those."""
    parts: list[Expr] = []
    if point is not None and query.max_km is not None:
        place = _place_expr(point, query.max_km, include_remote=query.include_remote)
        if place is not None:
            parts.append(place)
    if query.age is not None:
        parts.append(Any_(tuple(Term(t) for t in facets.age_query_tokens(query.age))))
    if query.open_at is not None:
        parts.append(Any_(tuple(Term(t) for t in facets.open_query_tokens(query.open_at))))
    # A group most listings hold narrows little and makes the index merge its long
    # lists ("every age" is held by two listings in three): the exact checks on the rows
    # found cost less. The shares come from the database's statistics of the index.
    shares = backend().token_shares(_connection())
    return [
        part
        for part in parts
        if sum(shares.get(term.token, 0.0) for term in part.parts) < BROAD_FACET_SHARE
    ]


def _place_expr(point: geo.Place, km: float, *, include_remote: bool) -> Expr | None:
    """The index's cells a listing within `km` of the point holds one of (or the remote
    token); None when they would be too many to ask for (services/facets.py)."""
    cells = facets.place_query_tokens(
        point.latitude, point.longitude, km, include_remote=include_remote
    )
    return Any_(tuple(Term(t) for t in cells)) if cells else None


BROAD_FACET_SHARE = 0.5  # a facet group held by this share of listings is not asked of the index


def _sql_predicates(query: SearchQuery, point: geo.Place | None, moment: datetime | None):
    where, params = [], []
    if query.age is not None:
        where.append("d.min_age <= %s AND d.max_age >= %s")
        params += [query.age, query.age]
    if moment is not None:
        weekday, slot = hours.slot_of(moment)
        where.append(f"(d.{SearchDocument.WEEKDAY_COLUMNS[weekday]} & %s) <> 0")
        params.append(1 << slot)
    if query.organization_id:
        where.append(
            "d.service_id IN (SELECT s.id FROM directory_service s WHERE s.organization_id = %s)"
        )
        params.append(query.organization_id)
    if query.taxonomy_id:
        where.append(
            "d.service_id IN (SELECT a.link_id FROM directory_attribute a JOIN directory_taxonomyterm t "
            "ON t.id = a.taxonomy_term_id WHERE t.taxonomy_id = %s)"
        )
        params.append(query.taxonomy_id)
    if query.modified_after is not None:
        where.append(
            "d.service_id IN (SELECT s.id FROM directory_service s WHERE s.last_modified >= %s)"
        )
        params.append(query.modified_after)
    return where, params


def _coverage_expr(postal_code: str) -> Expr:
    """Services whose territory includes the postal code: a service area naming a prefix
    of it, or being a territory holding its postal area's centre; or that serve
    everywhere (see indexing.area_tokens)."""
    from proxima.territories.services import territories_at

    compact = (geo.normalize_postal_code(postal_code) or "").replace(" ", "").lower()
    prefixes = [compact[:n] for n in range(1, len(compact) + 1)]
    point = geo.postal_code_point(postal_code)
    held = territories_at(point.latitude, point.longitude) if point else []
    return Any_(
        (
            Term("f_area_any"),
            *(Term(f"f_area_{p}") for p in prefixes),
            *(Term(f"f_terr_{t.pk}") for t in held),
        )
    )


def _squared_distance_sql(point: geo.Place, table: str = "p") -> tuple[str, list]:
    """Squared distance in degrees of latitude (equirectangular: exact enough within 1000 km)
    from the point to `table`'s latitude and longitude."""
    scale = math.cos(math.radians(point.latitude))
    expression = (
        f"(({table}.latitude - %s) * ({table}.latitude - %s) + "
        f"(({table}.longitude - %s) * %s) * (({table}.longitude - %s) * %s))"
    )
    lat, lon = point.latitude, point.longitude
    return expression, [lat, lat, lon, scale, lon, scale]


def _distance_sql(
    query: SearchQuery, point: geo.Place | None, *, text_driven: bool, nearest: int | None
) -> tuple[str, list, str, list]:
    """(distance column, its params, join clause, its params).

    Three plans, chosen by what narrows the search most:
    - the full-text index first (words or filters, the radius's cells among them:
      `_narrowing_expr`): each document found is measured from its own point (held in
      its row when it has one) or its nearest (the (document, latitude, longitude)
      index, when it has several), and the radius is applied to it (`_fetch`);
    - a radius and no text: the points inside it, found through the covering
      (latitude, longitude, document_id) index, joined to the documents; when nothing
      else filters, only the `nearest` documents are joined;
    - no radius: each document's nearest point.
    """
    if point is None:
        return "NULL", [], "", []
    squared, squared_params = _squared_distance_sql(point)
    if query.max_km is None or text_driven:
        # A row's own point when it has one (most do: the same number as its point's),
        # its nearest point looked up when it has several.
        own, own_params = _squared_distance_sql(point, "d")
        column = (
            f"CASE WHEN d.point_count = 1 THEN {own} WHEN d.point_count > 1 THEN "
            f"(SELECT MIN({squared}) FROM directory_searchpoint p WHERE p.document_id = d.id) END"
        )
        return column, own_params + squared_params, "", []
    near, params = _near_sql(query, point, nearest)
    join = "LEFT JOIN" if query.include_remote else "JOIN"
    return "near.distance2", [], f" {join} ({near}) near ON near.document_id = d.id", params


def _near_sql(query: SearchQuery, point: geo.Place, nearest: int | None) -> tuple[str, list]:
    """The documents with a point within the query's radius, each with its nearest one's
    squared distance (`distance2`), found through the covering (latitude, longitude,
    document_id) index; only the `nearest` of them when given."""
    squared, squared_params = _squared_distance_sql(point)
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(
        point.latitude, point.longitude, query.max_km
    )
    near = (
        f"SELECT p.document_id AS document_id, MIN({squared}) AS distance2 "
        "FROM directory_searchpoint p WHERE p.latitude BETWEEN %s AND %s "
        "AND p.longitude BETWEEN %s AND %s GROUP BY p.document_id "
        f"HAVING MIN({squared}) <= %s" + (" ORDER BY distance2 LIMIT %s" if nearest else "")
    )
    params = [
        *squared_params,
        min_lat,
        max_lat,
        min_lon,
        max_lon,
        *squared_params,
        _squared_radius(query),
        *([nearest] if nearest else []),
    ]
    return near, params


def _squared_radius(query: SearchQuery) -> float:
    return (query.max_km / geo.KM_PER_DEGREE) ** 2


def _fetch(
    expr: Expr | None,
    query,
    point,
    moment,
    order: str | None,
    limit: int,
    offset: int = 0,
    *,
    with_total: bool = False,
    with_texts: bool = False,
):
    """Rows (service_id, relevance, hours, distance2), and when `with_total` how many match
    (counted up to a cap: (count, True) past it; all of them when `query.exact_total`;
    else None). `order` None: neither ranked nor sorted, the first rows the
    index gives (a text search's pool). `with_texts` (with an expression): each row also
    holds its index row's texts, which the pool's ranking reads (`pool_scores`)."""
    engine = backend()
    where, where_params = _sql_predicates(query, point, moment)
    # The index drives (it holds the place too: `_narrowing_expr`): each document found
    # looks up its nearest point, and the radius is applied to it.
    text_driven = expr is not None
    radius_after = text_driven and point is not None and query.max_km is not None
    if point is not None and query.max_km is not None and query.include_remote and not text_driven:
        where.append("(near.document_id IS NOT NULL OR d.is_remote)")
    only_distance = expr is None and not where and not query.include_remote
    distance, distance_params, near_join, near_params = _distance_sql(
        query, point, text_driven=text_driven, nearest=limit + offset if only_distance else None
    )
    if expr is not None:
        match = engine.match_sql(expr, _connection())
        from_clause, from_params, relevance = match.from_clause, match.from_params, match.relevance
        if order is None or "relevance" not in order:
            relevance = "0"  # filters only (category, language...): no ranking to compute
        where = [match.where, *where]
        where_params = match.where_params + where_params
    else:
        from_clause, from_params, relevance = "directory_searchdocument d", [], "0"
    from_clause += near_join
    from_params = from_params + near_params
    where_sql = " AND ".join(where) or "1=1"
    texts = with_texts and expr is not None
    select = (
        f"SELECT d.service_id AS service_id, {relevance} AS relevance, d.hours AS hours, "
        f"{distance} AS distance2, d.is_remote AS is_remote, d.sort_name AS sort_name"
        + (f", {engine.texts_carried} AS texts" if texts else "")
        + f" FROM {from_clause} WHERE {where_sql}"
    )
    params = distance_params + from_params + where_params
    if radius_after:
        # Farther than the radius: kept only when reachable remotely, then without a distance.
        radius = _squared_radius(query)
        keep = "x.distance2 <= %s" + (" OR x.is_remote" if query.include_remote else "")
        select = (
            "SELECT x.service_id, x.relevance, x.hours, "
            "CASE WHEN x.distance2 <= %s THEN x.distance2 END AS distance2, x.sort_name"
            + (", x.texts" if texts else "")
            # OFFSET 0: the rows' distance is measured once, not once per mention of it
            # (a subquery merged into this one would repeat its nearest-point lookup).
            + f" FROM ({select}{engine.fence}) x WHERE {keep}"
        )
        params = [radius, *params, radius]
        order = order.replace("d.", "x.") if order else None
    final_order = order.replace("d.", "").replace("x.", "") if order else ""
    if expr is not None:
        # Matches first, then sorted: an index on the name would otherwise walk every
        # document in name order looking for the few that match (PostgreSQL chose that).
        final_order = final_order.replace("sort_name", "(sort_name || '')")
    columns = "service_id, relevance, hours, distance2" + (", texts" if texts else "")
    late = texts and engine.texts_late
    sql = (
        f"SELECT {columns}{', sort_name' if late and final_order else ''} "
        f"FROM ({select}) r "
        + (f"ORDER BY {final_order} " if final_order else "")
        + "LIMIT %s OFFSET %s"
    )
    sql_params = [*params, limit, offset]
    if late:
        # The texts made from the rows kept only: made in the subqueries, they were made
        # for every row the words found (of a place's 3,740 matches, 201 were kept: its
        # texts took 13 ms of 20).
        sql = (
            f"SELECT service_id, relevance, hours, distance2, {engine.texts_sql('t.texts')} "
            f"AS texts FROM ({sql}) t" + (f" ORDER BY {final_order}" if final_order else "")
        )
    with _connection().cursor() as cursor:
        cursor.execute(sql, sql_params)
        rows = cursor.fetchall()
        if not with_total:
            return rows, None
        return rows, _page_total(cursor, rows, query, limit, offset, select, params)


def _page_total(cursor, rows, query: SearchQuery, limit: int, offset: int, select: str, params):
    """How many listings `select` matches, as (count, True when past the cap): the
    page's rows when the first page holds them all; else counted apart (a window's count
    in the same query made both databases sort every match in full), and only so far:
    all of them when `query.exact_total`, else past CANDIDATE_LIMIT (and the page shown)
    the count says "more than", as a text search's does. Counting a category of 17,000
    listings took longer than finding its first page."""
    if not offset and len(rows) < limit:
        return len(rows), False  # the first page holds them all
    cap = MAX_OFFSET - 1 if query.exact_total else CANDIDATE_LIMIT
    cap = min(max(cap, offset + limit), MAX_OFFSET - 1)
    cursor.execute(f"SELECT COUNT(*) FROM ({select} LIMIT %s) r", [*params, cap + 1])  # noqa: S608
    count = cursor.fetchone()[0]
    return min(count, cap), count > cap


def _only_category(filters: list[Expr], query: SearchQuery) -> str | None:
    """The category token when a listing asks for one category and nothing else."""
    if len(filters) != 1 or _sql_predicates(query, None, None)[0]:
        return None
    only = filters[0]
    if isinstance(only, Term) and only.token.startswith(TERM_PREFIX):
        return only.token
    return None


def _fetch_category(token: str, query: SearchQuery, limit: int, offset: int):
    """A page of one category's listings in name order, and how many there are (as
    `_fetch` counts them), from the category index alone (models.SearchCategory): the
    full-text index would fetch every listing of a large category to sort them."""
    with _connection().cursor() as cursor:
        cursor.execute(
            "SELECT c.service_id, 0, d.hours, NULL FROM directory_searchcategory c "
            "JOIN directory_searchdocument d ON d.id = c.document_id WHERE c.token = %s "
            "ORDER BY c.sort_name, c.service_id LIMIT %s OFFSET %s",
            [token, limit, offset],
        )
        rows = cursor.fetchall()
        matches = "SELECT 1 FROM directory_searchcategory c WHERE c.token = %s"
        return rows, _page_total(cursor, rows, query, limit, offset, matches, [token])


def _is_nearest_only(query: SearchQuery, point, moment, expr: Expr | None) -> bool:
    """Only a radius (no text, category or other filter): results are the nearest services."""
    return (
        expr is None
        and point is not None
        and query.max_km is not None
        and not query.include_remote
        and not _sql_predicates(query, point, moment)[0]
    )


def _fetch_nearest(query: SearchQuery, point: geo.Place) -> tuple[list, int]:
    """The page asked of the nearest CANDIDATE_LIMIT services, and how many there are (up
    to that limit), looking in growing circles: when an eighth, a quarter or half of the
    radius already holds enough services, they are the nearest ones, found without
    measuring the distance to every service of a dense city."""
    radius = query.max_km
    offset = min((query.page - 1) * query.per_page, CANDIDATE_LIMIT)
    fractions = (0.125, 0.25, 0.5, 1.0)
    if _points_within_box(point, radius, 4 * CANDIDATE_LIMIT) < 4 * CANDIDATE_LIMIT:
        fractions = (1.0,)  # few places in all: the whole circle at once
    for fraction in fractions:
        if fraction < 1 and (
            _points_within_box(point, radius * fraction, CANDIDATE_LIMIT) < CANDIDATE_LIMIT
        ):
            continue  # too few places in its box (counted from the index): a wider circle
        narrower = replace(query, max_km=radius * fraction)
        rows, total = _fetch_window(narrower, point, offset)
        if total >= CANDIDATE_LIMIT:
            break
    return rows, total


def _fetch_window(query: SearchQuery, point: geo.Place, offset: int):
    """A page of the nearest CANDIDATE_LIMIT services within the query's radius (nearest
    first, then by name), and how many those are. Only those as near as the page's last
    one are joined to their index rows for their name: joining the nearest 1,000 of a
    city to sort them took half the query."""
    near, params = _near_sql(query, point, CANDIDATE_LIMIT)
    # (Named three times, the circle's rows are computed once: both databases keep such a
    # subquery's rows rather than computing them again.)
    with _connection().cursor() as cursor:
        cursor.execute(
            f"WITH near AS ({near}) "  # noqa: S608
            "SELECT d.service_id, 0, d.hours, near.distance2, (SELECT COUNT(*) FROM near) "
            "FROM near JOIN directory_searchdocument d ON d.id = near.document_id "
            "WHERE near.distance2 <= COALESCE((SELECT n.distance2 FROM near n "
            "ORDER BY n.distance2 LIMIT 1 OFFSET %s), near.distance2) "
            "ORDER BY near.distance2, d.sort_name, d.service_id LIMIT %s OFFSET %s",
            [*params, offset + query.per_page - 1, query.per_page, offset],
        )
        rows = cursor.fetchall()
        if rows or not offset:
            return [row[:-1] for row in rows], rows[0][-1] if rows else 0
        cursor.execute(f"SELECT COUNT(*) FROM ({near}) near", params)  # noqa: S608
        return [], cursor.fetchone()[0]


def _points_within_box(point: geo.Place, km: float, cap: int) -> int:
    """How many points the box around the circle holds, counted up to `cap` (from the
    (latitude, longitude) index alone)."""
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(point.latitude, point.longitude, km)
    with _connection().cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM directory_searchpoint p "
            "WHERE p.latitude BETWEEN %s AND %s AND p.longitude BETWEEN %s AND %s LIMIT %s) x",
            [min_lat, max_lat, min_lon, max_lon, cap],
        )
        return cursor.fetchone()[0]


def search_services(query: SearchQuery, *, now: datetime | None = None) -> SearchResults:
    """Find services for a query; raises SearchInputError with a message for the user."""
    results = _search_services(query, now=now)
    # Words the patterns do not read as a crisis that may still be one: the quieter line.
    results.may_be_a_crisis = results.crisis is None and may_be_a_crisis(query.text)
    return results


def _search_services(query: SearchQuery, *, now: datetime | None = None) -> SearchResults:
    point = _validate(query)
    moment = query.open_at
    said = query_words(query.text)
    # Words any listing may hold ("aide", "help", "service"...) never make a match alone:
    # better no result than a transport service for "food bank help".
    stamp = taxonomy_stamp()  # read once: the vocabulary and the term graph follow it
    graph = term_graph(stamp)
    needs = need_vocabulary(stamp).match(query.text) if query.text.strip() else []
    needs = _without_qualifying_urgency(needs, said, graph)
    # A word also looks for its equivalents in the other language (services/bilingual.py),
    # unless a need it names already reaches both languages (and far more listings).
    # (The ranking counts the equivalents of every word: `expanded`.)
    in_needs = {stem for match in needs for stem in match.words}
    kept = [alternatives for alternatives in said if not is_generic(alternatives)]
    expanded = [expand(alternatives) for alternatives in kept]
    words = [
        alternatives if in_needs & set(alternatives) else wider
        for alternatives, wider in zip(kept, expanded, strict=True)
    ]
    # A search about a subject (a course, a training) looks for that, not for the
    # services of the need it names: its words weigh more than its needs (_rank_pool).
    about = bool(said) and is_about_the_subject(query.text)
    if needs and about:
        # "Suicide prevention training for teachers" looks for a training, not a crisis line.
        needs = [m for m in needs if not is_crisis_need(m.term_id, graph)]
    filters = _filters_expr(query)
    if (filters or query.text.strip()) and backend().narrows_by_facets:
        # The index drives the search: it narrows by place, age and hours too. (Without
        # it, the listings are walked in order of name or distance, which these would
        # not speed.)
        filters += _narrowing_expr(query, point)
    crisis = detect_crisis(query.text)
    crisis_expr = _crisis_expr(crisis) if crisis else None
    has_text = bool(words or needs or crisis_expr)
    if query.text.strip() and not has_text:
        # Only generic words ("aide", "help"), or none that can be looked for (punctuation,
        # "en", an emoji): nothing to look for, rather than every listing.
        results = SearchResults([], 0, False, query.page, query.per_page, point, [])
        results.only_generic = True
        return results

    if has_text:
        return _text_search(
            query, point, moment, filters, words, expanded, needs, crisis, crisis_expr, about, graph
        )
    only_filters = All(tuple(filters)) if filters else None
    if point is None and moment is None:
        # A plain listing: the database pages it (a page past the last is empty, however
        # far past: the offset is kept within what the database can hold).
        offset = min((query.page - 1) * query.per_page, MAX_OFFSET)
        category = _only_category(filters, query)
        if category:
            rows, (total, capped) = _fetch_category(category, query, query.per_page, offset)
        else:
            rows, (total, capped) = _fetch(
                only_filters,
                query,
                None,
                None,
                "d.sort_name, d.service_id",
                query.per_page,
                offset,
                with_total=True,
            )
        candidates = [_Candidate(r[0], 0.0, r[2], None) for r in rows]
        results = _results(
            query, candidates, total, capped, point, needs, moment, words, paged=True, graph=graph
        )
        results.open_ended = capped
        return results

    if point is not None:
        order = "distance2 ASC NULLS LAST, d.sort_name, d.service_id"
    else:
        order = "d.sort_name, d.service_id"
    if _is_nearest_only(query, point, moment, only_filters):
        # Only the page leaves the database, with how many are within the radius (up to
        # CANDIDATE_LIMIT, as below): nothing else is checked on these rows.
        rows, total = _fetch_nearest(query, point)
        capped, paged = total >= CANDIDATE_LIMIT, True
    else:
        rows, _total = _fetch(only_filters, query, point, moment, order, CANDIDATE_LIMIT)
        total, capped, paged = None, len(rows) >= CANDIDATE_LIMIT, False
    candidates = _candidates(rows, query, moment)
    _score(candidates, point)
    total = len(candidates) if total is None else total
    return _results(
        query, candidates, total, capped, point, needs, moment, words, paged=paged, graph=graph
    )


# Words that say a need is urgent: alone a crisis ("urgence"), with another need's words
# the urgency of that need ("urgence alimentaire", "emergency dental").
URGENCY_WORDS = frozenset({"urgence", "urgences", "emergency", "emergencies", "urgent", "urgente"})


def _without_qualifying_urgency(needs: list[NeedMatch], said, graph) -> list[NeedMatch]:
    """The needs named, less the crisis an urgency word alone says when other words
    say what is urgent (a dentist, food): the crisis line came before the food banks."""
    kept = []
    for match in needs:
        if fold(match.phrase).strip() in URGENCY_WORDS and is_crisis_need(match.term_id, graph):
            others = [
                alternatives
                for alternatives in said
                if not match.words.intersection(alternatives) and not is_generic(alternatives)
            ]
            if others:
                continue
        kept.append(match)
    return kept


def _text_search(
    query, point, moment, filters, words, expanded, needs, crisis, crisis_expr, about, graph
):
    """A search with words, needs or a crisis in it.

    The candidates are a pool taken in tiers, each as the index gives them, unranked
    (ranking every listing that holds a common word is what costs at 100,000 listings):
    those holding every word (those also serving a need the query names first, when
    there are more than the pool takes), then (when few hold every word) some of the
    words, then a need. The pool is then ranked by
    what the query asked (`_rank_pool`). Crisis services are pooled and ranked on their
    own, and come first."""
    need_terms = Any_(tuple(Term(term_token(m.term_id)) for m in needs)) if needs else None
    every_word = (
        All(tuple(Any_(tuple(Term(s) for s in alternatives)) for alternatives in words))
        if words
        else None
    )
    if words or needs:
        rows, capped = _every_word_pool(every_word, need_terms, filters, query, point, moment)
    else:
        rows, capped = _pool([crisis_expr], filters, query, point, moment, POOL_SIZE)
    relaxed = False
    if len(rows) < RELAX_BELOW and len(words) > 1 and not capped:
        # Few listings hold every word: those holding some come next (ranked by how many
        # they hold), before those that only serve the need, so that a full pool never
        # leaves them out. Said so only when none held them all nor served the need.
        some = Any_(tuple(Any_(tuple(Term(s) for s in alternatives)) for alternatives in words))
        more, capped = _pool([some], filters, query, point, moment, POOL_SIZE - len(rows), rows)
        relaxed, rows = not rows, rows + more
    if need_terms is not None and len(rows) < POOL_SIZE and not capped:
        more, capped = _pool(
            [need_terms], filters, query, point, moment, POOL_SIZE - len(rows), rows
        )
        relaxed, rows = relaxed and not more, rows + more
    candidates = _candidates(rows, query, moment)
    crisis_ids: set[str] = set()
    if crisis_expr is not None:
        # As many as can reach the page shown, in whole pools of CRISIS_POOL_SIZE (a page
        # past the candidates is empty), each ranked on its own below the one before: the
        # first pools are the same whatever the page (a pool grown with the page ranked
        # its ties anew, and page 3 repeated some of page 2 and left others out).
        wanted = -(-query.page * query.per_page // CRISIS_POOL_SIZE) * CRISIS_POOL_SIZE
        shown = min(wanted, CANDIDATE_LIMIT)
        if point is not None:
            # Near the person first: of more crisis services than the pool takes, those
            # the index happened to give first were far away (a remote one counts as
            # REMOTE_EQUIVALENT_KM away, as in the ranking), leaving out a shelter
            # 2 km away.
            crisis_rows = _nearest_crisis(crisis_expr, filters, query, point, moment, shown)
        elif words or needs or (capped and shown > len(rows)):
            crisis_rows, _capped = _pool([crisis_expr], filters, query, point, moment, shown)
        else:  # the pool is the crisis services already
            crisis_rows = rows[:shown]
        # Violence now (an ex's death threats too) first brings violence services.
        preferred = crisis.preferred
        first = []
        for start in range(0, len(crisis_rows), CRISIS_POOL_SIZE):
            pool = _candidates(crisis_rows[start : start + CRISIS_POOL_SIZE], query, moment)
            _rank_pool(
                pool,
                expanded,
                needs,
                point,
                graph,
                preferred=preferred,
                crisis_domains=crisis.domains,
                about=about,
            )
            first += pool
        if len(first) < query.page * query.per_page:
            # The page shows some of the others (ranked as a whole pool, as they were
            # found): a page of crisis services alone does not need their order.
            _rank_pool(candidates, expanded, needs, point, graph, about=about)
        pooled = {c.service_id for c in first}
        crisis_ids = {c.service_id for c in first if c.answers_crisis}
        candidates = first + [c for c in candidates if c.service_id not in pooled]
    else:
        _rank_pool(candidates, expanded, needs, point, graph, about=about)
    results = _results(
        query,
        candidates,
        len(candidates),
        capped,
        point,
        needs,
        moment,
        words,
        relaxed=relaxed and not crisis_ids,
        graph=graph,
    )
    results.crisis = crisis
    for hit in results.hits:
        if hit.service.id in crisis_ids:
            hit.reasons.insert(0, _("a crisis service, for what was said"))
    return results


def _every_word_pool(every_word, need_terms, filters, query, point, moment) -> tuple[list, bool]:
    """The listings holding every word, those also serving a need the query names first.
    With a place, a moment, an age or a filter (few listings are left: of 40 combined
    searches at 100,000 listings, 7 had more than the pool takes), or when the index's
    statistics expect few, all of them are asked for at once, and those serving a need
    apart only if there are more than the pool takes (the index is then read once, not
    twice); words alone expected to be many (or on SQLite, which keeps no such
    statistics): those serving a need first."""
    if every_word is None:
        return [], False
    both = All((every_word, need_terms)) if need_terms is not None else None
    narrowed = bool(filters) or point is not None or moment is not None or query.age is not None
    if both is not None and not narrowed:
        expected = backend().estimated_rows(_connection(), every_word)
        if expected is None or expected > POOL_SIZE:  # many, or unknown: the need first
            return _pool([both, every_word], filters, query, point, moment, POOL_SIZE)
    rows, capped = _pool([every_word], filters, query, point, moment, POOL_SIZE)
    if not capped or both is None:
        return rows, capped
    need_tokens = [part.token for part in need_terms.parts]
    if all(backend().holds_any(row[4], need_tokens) for row in rows):
        # Every row of the full pool serves a need named: they are the first the index
        # gives of those also serving one (it gives rows in the same order), the full
        # pool the query for those would return (a search for a crisis line near a place
        # read the index twice for the same rows).
        return rows, True
    first, first_capped = _pool([both], filters, query, point, moment, POOL_SIZE)
    if first_capped:
        return first, True
    seen = {row[0] for row in first}
    return first + [row for row in rows if row[0] not in seen][: POOL_SIZE - len(first)], True


def _nearest_crisis(crisis_expr, filters, query, point, moment, size: int) -> list:
    """The crisis services within REMOTE_EQUIVALENT_KM of the place asked, nearest
    first (the ranking counts a remote one as that far), then others as the index gives
    them, with their index texts."""
    near_query = replace(
        query,
        max_km=min(query.max_km or REMOTE_EQUIVALENT_KM, REMOTE_EQUIVALENT_KM),
        include_remote=False,
    )
    # The index asked for that circle's cells, on either database (few listings each):
    # the remote ones everywhere would otherwise all be measured and sorted.
    near_filters = _filters_expr(query)
    place = _place_expr(point, near_query.max_km, include_remote=False)
    if place is not None:
        near_filters.append(place)
    order = "distance2 ASC NULLS LAST, d.sort_name, d.service_id"
    near, _total = _fetch(
        All((crisis_expr, *near_filters)), near_query, point, moment, order, size, with_texts=True
    )
    if len(near) >= size:
        return near
    more, _capped = _pool([crisis_expr], filters, query, point, moment, size - len(near), near)
    return near + more


def _pool(tiers, filters, query, point, moment, size: int, already=()) -> tuple[list, bool]:
    """Up to `size` rows matching the tiers in turn (with the filters), unranked; True
    when a tier had more than the pool could take."""
    rows, seen = [], {row[0] for row in already}
    for tier in tiers:
        if tier is None:
            continue
        # Rows already pooled may come back: as many more are asked for.
        wanted = size - len(rows)
        found, _total = _fetch(
            All((tier, *filters)),
            query,
            point,
            moment,
            None,
            wanted + len(seen) + 1,
            with_texts=True,
        )
        fresh = [row for row in found if row[0] not in seen]
        capped = len(fresh) > wanted
        for row in fresh[:wanted]:
            seen.add(row[0])
            rows.append(row)
        if len(rows) >= size or capped:
            return rows[:size], True
    return rows, False


def _crisis_expr(crisis: CrisisSignal) -> Expr | None:
    """The services that answer this crisis: tagged with its need domains, or naming it
    in their own words (a directory with its own taxonomy)."""
    terms = [Term(term_token(need_domain_term_id(domain))) for domain in crisis.domains]
    for alternatives in query_words(" ".join(crisis.service_words)):
        terms.extend(Term(stem) for stem in alternatives)
    return Any_(tuple(terms)) if terms else None


# How many listings a text search ranks: taken in tiers, the best first (_text_search).
POOL_SIZE = 200
CRISIS_POOL_SIZE = 50
# Fewer listings than this holding every word: those holding some are looked for too.
RELAX_BELOW = 10
NEED_WEIGHT, WORDS_WEIGHT, ENGINE_WEIGHT = 1.5, 0.6, 0.4
READ_NEED_SHARE = 0.7  # a need read in a listing's words, against one its category says
BROADER_NEED_SHARE = 0.5  # the broader domain of the need (food aid for emergency food)
PREFERRED_BONUS = 10.0


def _rank_pool(
    candidates: list[_Candidate],
    words: list[tuple[str, ...]],
    needs: list[NeedMatch],
    point,
    graph: TermGraph,
    *,
    preferred: list[str] = (),
    crisis_domains: list[str] = (),
    about: bool = False,
) -> None:
    """Rank the pool by what the query asked rather than by how rare its words are: the
    share of the needs it expressed that a service serves (weighed by the words each need
    took; a need its category says counts fully, one read in its own words 0.7, only the
    broader domain 0.5), then the share of its words the listing holds, then a bm25
    computed within the pool (the same on both databases), plus proximity.
    A food bank answers "where can I get free groceries" before a transport service whose
    description happens to say "get groceries". A search about a subject (a course, a
    training: `about`) weighs its words more than its needs. `preferred` need domains
    (the crisis spoken of first) put the services serving them ahead."""
    if not candidates:
        return
    # A phrase naming a domain and its sub-domain ("plus rien dans le frigo": food aid,
    # emergency food) is one need: the sub-domain, the broader domain earning a part.
    broader_of = {m.term_id: graph.ancestors_and_self(m.term_id)[1:] for m in needs}
    named = {m.term_id for m in needs}
    needs = [m for m in needs if not any(m.term_id in broader_of[o] for o in named)]
    tokens = [term_token(m.term_id) for m in needs]
    parents = [term_token(broader_of[m.term_id][0]) if broader_of[m.term_id] else "" for m in needs]
    features: list[Expr] = [Any_(tuple(Term(s) for s in alternatives)) for alternatives in words]
    features += [Term(t) for t in tokens]  # served, by its category or its words
    features += [FieldTerm(t, "terms") for t in tokens]  # served by its category
    features += [Term(t or tokens[0]) for t in parents]  # its broader domain served
    features += [Term(term_token(need_domain_term_id(code))) for code in preferred]
    features += [Term(term_token(need_domain_term_id(code))) for code in crisis_domains]
    n_words, n_needs = len(words), len(needs)
    # The text rank counts the words and the needs (features 0 .. n_words + n_needs - 1).
    scored = backend().pool_scores(
        _connection(),
        {c.service_id: c.texts for c in candidates},
        features,
        n_words + n_needs,
    )
    need_total = sum(m.strength for m in needs) or 1
    need_weight = NEED_WEIGHT / 4 if about else NEED_WEIGHT
    held: dict[str, set[int]] = {}
    for c in candidates:
        c.relevance, held[c.service_id] = scored.get(c.service_id, (0.0, set()))
    top = max((c.relevance for c in candidates), default=0) or 1.0
    for c in candidates:
        mine = held[c.service_id]
        word_share = sum(1 for i in range(n_words) if i in mine) / n_words if n_words else 0.0
        need_share = 0.0
        for j, match in enumerate(needs):
            if n_words + n_needs + j in mine:
                need_share += match.strength
            elif n_words + j in mine:
                need_share += READ_NEED_SHARE * match.strength
            elif parents[j] and n_words + 2 * n_needs + j in mine:
                need_share += BROADER_NEED_SHARE * match.strength
        need_share /= need_total
        first = n_words + 3 * n_needs
        preferred_hit = any(first + k in mine for k in range(len(preferred)))
        crisis_hit = any(first + len(preferred) + k in mine for k in range(len(crisis_domains)))
        # (A training or a grief group naming the subject is in the crisis pool by its
        # words, not a crisis service: after those that are, and not called one.)
        c.answers_crisis = preferred_hit or crisis_hit
        text = (
            need_weight * need_share + WORDS_WEIGHT * word_share + ENGINE_WEIGHT * c.relevance / top
        )
        km = c.distance_km if c.distance_km is not None else REMOTE_EQUIVALENT_KM
        proximity = 1 / (1 + km / 2) if point is not None else 0.0
        c.score = text + 0.6 * proximity + (PREFERRED_BONUS if preferred_hit else 0.0)
        c.score += PREFERRED_BONUS / 2 if crisis_hit else 0.0
    candidates.sort(key=lambda c: (-c.score, c.service_id))


def _candidates(rows, query: SearchQuery, moment) -> list[_Candidate]:
    """The rows fetched, within the radius and open at the moment asked."""
    found, open_by_hours = [], {}  # many listings keep the same hours: each read once
    radius2 = _squared_radius(query) if query.max_km is not None else None
    for service_id, relevance, hours_json, distance2, *texts in rows:
        km = math.sqrt(distance2) * geo.KM_PER_DEGREE if distance2 is not None else None
        # The database's test (squared degrees): a place on the radius, kept there and
        # counted, is not dropped here by the rounding of its kilometres.
        if query.max_km is not None and distance2 is not None and distance2 > radius2:
            continue
        candidate = _Candidate(service_id, float(relevance or 0), hours_json, km)
        candidate.texts = texts[0] if texts else None
        if moment is not None:
            if hours_json not in open_by_hours:
                open_by_hours[hours_json] = hours.is_open_at(hours.decode(hours_json), moment)
            candidate.is_open = open_by_hours[hours_json]
            if not candidate.is_open:
                continue
        found.append(candidate)
    return found


def _score(candidates: list[_Candidate], point) -> None:
    """Searches without text: nearest first when there is a place."""
    for c in candidates:
        km = c.distance_km if c.distance_km is not None else REMOTE_EQUIVALENT_KM
        c.score = 1 / (1 + km / 2) if point is not None else 0.0
    if point is not None:
        candidates.sort(key=lambda c: -c.score)


def _results(
    query,
    candidates,
    total,
    capped,
    point,
    needs,
    moment,
    words,
    *,
    paged=False,
    relaxed=False,
    graph=None,
):
    page = (
        candidates
        if paged
        else candidates[(query.page - 1) * query.per_page : query.page * query.per_page]
    )
    services = _services_with_organization([c.service_id for c in page])
    reasons = _reasons(query, page, services, needs, words, moment, graph)
    hits = [
        SearchHit(services[c.service_id], c.score, c.distance_km, c.is_open, reasons[c.service_id])
        for c in page
        if c.service_id in services
    ]
    return SearchResults(hits, total, capped, query.page, query.per_page, point, needs, relaxed)


def _services_with_organization(ids: list[str]) -> dict[str, Service]:
    """The page's services by id, each with its organization, as
    `Service.objects.filter(id__in=ids).select_related("organization").in_bulk()` gives
    them (the same values, through the same converters), from one query whose text is
    made once per process: compiling that query for its 60 columns took longer than
    running it (about 1 ms of a 12 ms search on PostgreSQL)."""
    found = {}
    for service, organization in _read_by_id(Service, ids, Organization, "organization"):
        service._state.fields_cache["organization"] = organization
        found[service.pk] = service
    return found


def _by_id(model, ids: list[str]) -> list:
    """The instances of `model` with these ids, read as `_services_with_organization` reads."""
    return [instance for instance, _none in _read_by_id(model, ids)]


def _read_by_id(model, ids: list[str], related=None, link: str = "") -> list[tuple]:
    """(instance, its `related` instance through the foreign key `link` or None) for each
    of these ids, each value through the converters the ORM applies."""
    if not ids:
        return []
    alias = router.db_for_read(model)
    connection = connections[alias]
    names, converters = _loading_plan(model, connection)
    related_names, related_converters = _loading_plan(related, connection) if related else ([], [])
    converting = [(i, c) for i, c in enumerate(converters + related_converters) if c]
    with connection.cursor() as cursor:
        cursor.execute(_read_sql(connection, model, len(ids), related, link), list(ids))
        rows = cursor.fetchall()
    size = len(names)
    related_pk_index = related._meta.concrete_fields.index(related._meta.pk) if related else 0
    found = []
    for row in rows:
        values = list(row)
        for i, chain in converting:
            for converter, column in chain:
                values[i] = converter(values[i], column, connection)
        instance = _from_db(model, alias, names, values[:size])
        other = None
        related_pk = values[size + related_pk_index] if related else None
        if related_pk is not None:  # a link to a row not there (no constraint) reads None
            other = _from_db(related, alias, related_names, values[size:])
        found.append((instance, other))
    return found


def _from_db(model, alias: str, names: list[str], values: list):
    """`model.from_db(alias, names, values)` for a row of every concrete field: the same
    instance, its values set as `Model.__init__` sets them in a new instance (a third of
    the time), unless the model makes its instances its own way or a signal listens."""
    if (
        model.__init__ is not Model.__init__
        or model.from_db.__func__ is not Model.from_db.__func__
        or pre_init.has_listeners(model)
        or post_init.has_listeners(model)
    ):
        return model.from_db(alias, names, values)
    instance = model.__new__(model)
    state = instance._state = ModelState()
    state.adding, state.db = False, alias
    instance.__dict__.update(zip(names, values, strict=True))
    return instance


_LOADING_PLANS: dict[tuple, tuple[list[str], list[list]]] = {}


def _loading_plan(model, connection) -> tuple[list[str], list[list]]:
    """A model's concrete fields' names, and each field's converters from what the
    database gives (with the column they are called with), as the ORM applies them."""
    key = (model, connection.alias)
    if key not in _LOADING_PLANS:
        names, converters = [], []
        for model_field in model._meta.concrete_fields:
            column = model_field.get_col(model._meta.db_table)
            chain = connection.ops.get_db_converters(column)
            chain += column.get_db_converters(connection)
            names.append(model_field.attname)
            converters.append([(converter, column) for converter in chain])
        _LOADING_PLANS[key] = (names, converters)
    return _LOADING_PLANS[key]


_READ_SQL: dict[tuple, str] = {}


def _read_sql(connection, model, count: int, related=None, link: str = "") -> str:
    """The query of `_read_by_id` (made once per process for each model and count)."""
    key = (connection.alias, model, count, related, link)
    if key not in _READ_SQL:
        quote = connection.ops.quote_name
        columns = [f"m.{quote(f.column)}" for f in model._meta.concrete_fields]
        join = ""
        if related is not None:
            columns += [f"r.{quote(f.column)}" for f in related._meta.concrete_fields]
            join = (
                f" LEFT JOIN {quote(related._meta.db_table)} r ON "
                f"r.{quote(related._meta.pk.column)} = m.{quote(model._meta.get_field(link).column)}"
            )
        _READ_SQL[key] = (
            f"SELECT {', '.join(columns)} FROM {quote(model._meta.db_table)} m{join} "  # noqa: S608
            f"WHERE m.{quote(model._meta.pk.column)} IN ({', '.join(['%s'] * count)})"
        )
    return _READ_SQL[key]


def _needs_served(service_ids: list[str]) -> list[tuple[str, str, str, str]]:
    """(service, need, source, evidence) of these services' ServiceNeed rows."""
    connection = connections[router.db_for_read(ServiceNeed)]
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(ServiceNeed._meta.get_field(name).column)
        for name in ("service", "need", "source", "evidence")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {quote(ServiceNeed._meta.db_table)} "  # noqa: S608
            f"WHERE {quote(ServiceNeed._meta.get_field('service').column)} "
            f"IN ({', '.join(['%s'] * len(service_ids))})",
            service_ids,
        )
        return cursor.fetchall()


def _reasons(query, page, services, needs, words, moment, graph=None) -> dict[str, list[str]]:
    """Why each hit matched, in the user's language."""
    graph = graph or term_graph()
    engine = backend()
    # The needs each listing serves, from its categories (their closure, mappings
    # included: written at indexing, again on every mapping decision) and its words.
    served_by: dict[str, list[FoundNeed]] = {}
    if needs and services:
        for service_id, need_id, source, evidence in _needs_served(list(services)):
            served_by.setdefault(service_id, []).append(FoundNeed(need_id, source, evidence))
    wanted_terms = {m.term_id for m in needs} | set(query.taxonomy_term_ids)
    term_names = {t.id: t.localized_name for t in _by_id(TaxonomyTerm, list(wanted_terms))}
    # Each word the person typed, with the index tokens it matches (stemmed once, not
    # once per hit).
    typed = (
        [
            (word, frozenset(expand(stems(word))))
            for word in dict.fromkeys(text_words(query.text))
            if is_content_word(word)
        ]
        if words
        else []
    )
    # What every hit shares (the query's filters), said once in the user's language.
    categories = [
        _("Category: %s") % term_names.get(term_id, term_id) for term_id in query.taxonomy_term_ids
    ]
    words_found, km_away = _("Words: %s"), _("%s km away")
    asked_a_place = query.max_km is not None or query.place or query.postal_code
    remotely = _("Reachable remotely (online or by phone)") if asked_a_place else ""
    open_then = _("Open at the requested time")
    shared = _shared_reasons(query)
    result: dict[str, list[str]] = {}
    for candidate in page:
        service = services.get(candidate.service_id)
        if service is None:
            continue
        reasons: list[str] = []
        if typed:
            if candidate.texts is not None:  # the index row the search read: its words
                found = [
                    word for word, matching in typed if engine.holds_word(candidate.texts, matching)
                ]
            else:
                texts = " ".join(service.all_texts("name") + service.all_texts("description"))
                tokens = set(index_tokens(texts))
                found = [word for word, matching in typed if not matching.isdisjoint(tokens)]
            if found:
                reasons.append(words_found % ", ".join(found))
        served = served_by.get(service.id, [])
        matched = [
            m
            for m in needs
            if any(m.term_id in graph.ancestors_and_self(n.need_id) for n in served)
        ]
        broader = {a for m in matched for a in graph.ancestors_and_self(m.term_id)[1:]}
        for match in matched:
            if match.term_id not in broader:
                reasons.append(_need_reason(match, term_names, graph, served))
        reasons += categories
        if candidate.distance_km is not None:
            reasons.append(km_away % formats.decimal(candidate.distance_km, 1))
        elif remotely:
            reasons.append(remotely)
        if moment is not None and candidate.is_open:
            reasons.append(open_then)
        reasons += shared
        result[service.id] = reasons
    return result


def _shared_reasons(query: SearchQuery) -> list[str]:
    """The reasons the query's own filters give every hit."""
    shared = []
    if query.free_only:
        shared.append(_("Free of charge"))
    if query.languages:
        names = ", ".join(formats.language_name(c) for c in query.languages)
        shared.append(_("Offered in: %s") % names)
    if query.age is not None:
        shared.append(_("Accepts age %s") % f"{query.age:g}")
    if query.delivery_modes:
        modes = ", ".join(str(DELIVERY_MODE_LABELS[m]).lower() for m in query.delivery_modes)
        shared.append(_("Delivery: %s") % modes)
    if query.wheelchair_accessible:
        shared.append(_("Wheelchair accessible"))
    return shared


def _need_reason(match: NeedMatch, term_names, graph, served: list[FoundNeed]) -> str:
    """ "Need: Food aid (“empty fridge”)", and where the listing says it: its category,
    confirmed or not, or its own words."""
    values = {"domain": term_names.get(match.term_id, ""), "phrase": match.phrase}
    sources = sorted(
        (n for n in served if match.term_id in graph.ancestors_and_self(n.need_id)),
        key=lambda n: SOURCE_RANK[n.source],
    )
    if not sources:
        return _("Need: %(domain)s (“%(phrase)s”)") % values
    best = sources[0]
    values["evidence"] = best.evidence
    if best.source == NeedSource.CONFIRMED:
        return _("Need: %(domain)s (“%(phrase)s”), its category “%(evidence)s”, confirmed") % values
    if best.source == NeedSource.TERM:
        return _("Need: %(domain)s (“%(phrase)s”), its category “%(evidence)s”") % values
    return _("Need: %(domain)s (“%(phrase)s”), in its own words: “%(evidence)s”") % values


def open_now() -> datetime:
    return timezone.now()
