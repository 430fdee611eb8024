"""The HSDS 3.0 API (public, read-only): /, services, organizations, service_at_locations,
taxonomies, taxonomy_terms, with the standard's pagination and filters.

Anonymous callers never see confidential locations' addresses or coordinates; network
staff do, and each such read is written to the audit log.
"""

import math
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Schema

from proxima.core.api_errors import ApiRouter
from proxima.core.forms import iso_moment
from proxima.core.roles import VIEW_CONFIDENTIAL_LOCATIONS, has_capability
from proxima.directory import queries
from proxima.directory.models import (
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from proxima.directory.services import confidential
from proxima.directory.services.crisis import EMERGENCY_NUMBERS, CrisisSignal, detect_crisis
from proxima.directory.services.hsds_export import (
    HSDS_VERSION,
    scalars,
    serialize,
    serialize_many,
)
from proxima.directory.services.hsds_spec import KINDS
from proxima.directory.services.search import (
    MAX_QUERY_LENGTH,
    SearchInputError,
    SearchQuery,
    search_services,
)

router = ApiRouter(tags=["HSDS 3.0"])
MAX_PER_PAGE = 100


class ApiMeta(Schema):
    version: str
    profile: str
    openapi_url: str


class EmergencyNumberOut(Schema):
    number: str
    dial: str
    label: str


class CrisisOut(Schema):
    """Proxima's profile: the search speaks of a crisis (suicide, self-harm, danger to
    someone, violence now). Show these numbers before anything else; the crisis services
    of the directory come first in `contents`."""

    kinds: list[str]
    emergency_numbers: list[EmergencyNumberOut]


class HelpNowOut(Schema):
    """Proxima's profile: the search's words may speak of a crisis the patterns did not
    read (services/crisis_model.py): offer these numbers, quietly."""

    emergency_numbers: list[dict[str, str]]


class Page(Schema):
    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[dict[str, Any]]
    proxima_crisis: CrisisOut | None = None
    # Proxima's profile: not read as a crisis, but it may be one (the crisis model):
    # the numbers to offer quietly, not above everything.
    proxima_help_now: HelpNowOut | None = None


def _page(items: list[dict], total: int, page: int, per_page: int) -> dict:
    pages = max(1, math.ceil(total / per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(items),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": not items,
        "contents": items,
    }


def _check_paging(page: int, per_page: int) -> None:
    if page < 1:
        raise SearchInputError(_("The page number must be 1 or more."))
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise SearchInputError(_("Results per page must be between 1 and %d.") % MAX_PER_PAGE)


def _paginate(queryset: QuerySet, page: int, per_page: int) -> tuple[list, int]:
    """One page of rows and the total; a page past the last is empty (HSDS's `empty`),
    however far past, without asking the database for an offset it cannot hold."""
    _check_paging(page, per_page)
    total = queryset.count()
    start = (page - 1) * per_page
    if start >= total:
        return [], total
    return list(queryset[start : start + per_page]), total


def _is_public(request: HttpRequest) -> bool:
    return not has_capability(request.user, VIEW_CONFIDENTIAL_LOCATIONS)


def _audit_confidential(request: HttpRequest, service_ids: list[str]) -> None:
    confidential.record_confidential_reads(request.user, service_ids, reason="api")


def _parse_modified_after(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = iso_moment(value)  # None when impossible: month 13, offset +25:00, year 0...
    if parsed is None:
        raise SearchInputError(_("modified_after must be a date and time (ISO 8601)."))
    return parsed


def _service_summary(service: Service, public: bool) -> dict:
    data = scalars(KINDS["service"], service, public=public)
    if service.organization:
        data["organization"] = scalars(KINDS["organization"], service.organization, public=public)
    if service.program:
        data["program"] = scalars(KINDS["program"], service.program, public=public)
    return data


def _hsds_search_query(
    search: str,
    taxonomy_term_id: str,
    taxonomy_id: str,
    organization_id: str,
    modified: datetime | None,
    postcode: str,
    proximity: float | None,
) -> SearchQuery:
    """The HSDS API's search filters as a directory search: `postcode` alone means
    "serves this postcode"; with `proximity` (metres) it is also the centre of a radius."""
    return SearchQuery(
        text=search,
        taxonomy_term_ids=[taxonomy_term_id] if taxonomy_term_id else [],
        taxonomy_id=taxonomy_id,
        organization_id=organization_id,
        modified_after=modified,
        postal_code=postcode if proximity is not None else "",
        served_postal_code=postcode,
        max_km=proximity / 1000 if proximity is not None else None,
        include_remote=False,
        exact_total=True,  # HSDS pages say how many items and pages there are
    )


def _check_format(format: str | None) -> None:
    if format not in (None, "", "json"):
        raise SearchInputError(_("Only the json format is offered."))


@router.get("/", response=ApiMeta, summary="About this API")
def api_meta(request: HttpRequest):
    return {
        "version": HSDS_VERSION,
        "profile": "https://docs.openreferral.org/en/v3.0/",
        "openapi_url": request.build_absolute_uri(reverse("api:openapi-json")),
    }


@router.get("/services", response=Page, summary="Services")
def list_services(
    request: HttpRequest,
    search: str = "",
    page: int = 1,
    per_page: int = 50,
    format: str | None = None,
    taxonomy_term_id: str = "",
    taxonomy_id: str = "",
    organization_id: str = "",
    modified_after: str | None = None,
    minimal: bool = False,
    full: bool = False,
    postcode: str = "",
    proximity: float | None = None,
):
    """`search`, `postcode` and `proximity` (metres from the postcode's centroid) run the
    directory's search service; other filters alone list every service, active or not."""
    _check_format(format)
    _check_paging(page, per_page)
    public = _is_public(request)
    modified = _parse_modified_after(modified_after)
    crisis = help_now = None
    if search or postcode or proximity is not None:
        if proximity is not None and not postcode:
            raise SearchInputError(_("proximity needs a postcode."))
        results = search_services(
            _hsds_search_query(
                search,
                taxonomy_term_id,
                taxonomy_id,
                organization_id,
                modified,
                postcode,
                proximity,
            ).with_page(page, per_page)
        )
        services, total = [hit.service for hit in results.hits], results.total
        crisis = crisis_out(results.crisis)
        help_now = _numbers_out() if results.may_be_a_crisis else None
    else:
        queryset = queries.services_filtered(
            taxonomy_term_id=taxonomy_term_id,
            taxonomy_id=taxonomy_id,
            organization_id=organization_id,
            modified_after=modified,
        )
        services, total = _paginate(queryset, page, per_page)
    if minimal:
        items = [
            {"id": s.id, "last_modified": s.last_modified.isoformat() if s.last_modified else None}
            for s in services
        ]
    elif full:
        _audit_confidential(request, [s.id for s in services])
        items = serialize_many("service", services, public=public)
    else:
        items = [_service_summary(s, public) for s in services]
    return {
        **_page(items, total, page, per_page),
        "proxima_crisis": crisis,
        "proxima_help_now": help_now,
    }


def _numbers_out() -> dict:
    return {
        "emergency_numbers": [
            {"number": n.number, "dial": n.dial, "label": str(n.label)} for n in EMERGENCY_NUMBERS
        ]
    }


def crisis_out(crisis: CrisisSignal | None) -> dict | None:
    if crisis is None:
        return None
    return {"kinds": sorted(crisis.kinds), **_numbers_out()}


@router.get(
    "/services/{id}",
    response=dict[str, Any],
    summary="One service, fully nested",
)
def get_service(request: HttpRequest, id: str):
    service = get_object_or_404(Service, id=id)
    _audit_confidential(request, [service.id])
    return serialize("service", service, public=_is_public(request))


@router.get("/organizations", response=Page, summary="Organizations")
def list_organizations(
    request: HttpRequest,
    search: str = "",
    full_service: bool = False,
    full: bool = False,
    page: int = 1,
    per_page: int = 50,
    format: str | None = None,
):
    _check_format(format)
    if len(search) > MAX_QUERY_LENGTH:
        raise SearchInputError(
            _("The search text is too long (at most %d characters).") % MAX_QUERY_LENGTH
        )
    organizations, total = _paginate(queries.organizations_matching(search), page, per_page)
    public = _is_public(request)
    if full or full_service:
        confidential.record_confidential_reads_of_organizations(
            request.user, [o.id for o in organizations], reason="api"
        )
        skip = frozenset() if full_service else frozenset({"services"})
        items = serialize_many("organization", organizations, public=public, skip=skip)
    else:
        items = [scalars(KINDS["organization"], o, public=public) for o in organizations]
    # (A name search, not the directory's: still, words of a crisis bring the numbers.)
    crisis = crisis_out(detect_crisis(search)) if search else None
    return {**_page(items, total, page, per_page), "proxima_crisis": crisis}


@router.get("/organizations/{id}", response=dict[str, Any], summary="One organization")
def get_organization(request: HttpRequest, id: str, full_service: bool = False):
    organization = get_object_or_404(Organization, id=id)
    public = _is_public(request)
    confidential.record_confidential_reads_of_organizations(
        request.user, [organization.id], reason="api"
    )
    data = serialize("organization", organization, public=public, skip=frozenset({"services"}))
    services = organization.services.order_by("id")
    if full_service:
        data["services"] = serialize_many(
            "service", list(services), public=public, skip=frozenset({"organization"})
        )
    else:
        data["services"] = [scalars(KINDS["service"], s, public=public) for s in services]
    return data


@router.get("/service_at_locations", response=Page, summary="Services at locations")
def list_service_at_locations(
    request: HttpRequest,
    search: str = "",
    taxonomy_term_id: str = "",
    taxonomy_id: str = "",
    organization_id: str = "",
    modified_after: str | None = None,
    full: bool = False,
    page: int = 1,
    per_page: int = 50,
    format: str | None = None,
    postcode: str = "",
    proximity: float | None = None,
):
    _check_format(format)
    _check_paging(page, per_page)
    if proximity is not None and not postcode:
        raise SearchInputError(_("proximity needs a postcode."))
    modified = _parse_modified_after(modified_after)
    crisis = help_now = None
    if search or postcode:
        # The search's best services (its first MAX_PER_PAGE), their places in the
        # search's order (the crisis services first, with the numbers, as /services).
        results = search_services(
            _hsds_search_query(
                search,
                taxonomy_term_id,
                taxonomy_id,
                organization_id,
                modified,
                postcode,
                proximity,
            ).with_page(1, MAX_PER_PAGE)
        )
        crisis = crisis_out(results.crisis)
        help_now = _numbers_out() if results.may_be_a_crisis else None
        rank = {hit.service.id: number for number, hit in enumerate(results.hits)}
        found = ServiceAtLocation.objects.filter(service_id__in=list(rank))
        ordered = sorted(found.values_list("id", "service_id"), key=lambda r: (rank[r[1]], r[0]))
        total, start = len(ordered), (page - 1) * per_page
        wanted = [sal_id for sal_id, _service in ordered[start : start + per_page]]
        by_id = ServiceAtLocation.objects.in_bulk(wanted)
        rows = [by_id[sal_id] for sal_id in wanted]
    else:
        services = queries.services_filtered(
            taxonomy_term_id=taxonomy_term_id,
            taxonomy_id=taxonomy_id,
            organization_id=organization_id,
            modified_after=modified,
        )
        queryset = ServiceAtLocation.objects.filter(service__in=services).order_by("id")
        rows, total = _paginate(queryset, page, per_page)
    public = _is_public(request)
    if full:
        _audit_confidential(request, [r.service_id for r in rows if r.service_id])
    items = serialize_many(
        "service_at_location",
        rows,
        public=public,
        skip=frozenset()
        if full
        else frozenset({"contacts", "phones", "schedules", "attributes", "metadata"}),
    )
    return {
        **_page(items, total, page, per_page),
        "proxima_crisis": crisis,
        "proxima_help_now": help_now,
    }


@router.get(
    "/service_at_locations/{id}",
    response=dict[str, Any],
    summary="One service at a location",
)
def get_service_at_location(request: HttpRequest, id: str):
    row = get_object_or_404(ServiceAtLocation, id=id)
    if row.service_id:
        _audit_confidential(request, [row.service_id])
    return serialize("service_at_location", row, public=_is_public(request))


@router.get("/taxonomies", response=Page, summary="Taxonomies")
def list_taxonomies(
    request: HttpRequest,
    search: str = "",
    page: int = 1,
    per_page: int = 50,
    format: str | None = None,
):
    _check_format(format)
    queryset = Taxonomy.objects.order_by("id")
    if search:
        queryset = queryset.filter(name__icontains=search)
    rows, total = _paginate(queryset, page, per_page)
    return _page(serialize_many("taxonomy", rows), total, page, per_page)


@router.get("/taxonomies/{id}", response=dict[str, Any], summary="One taxonomy")
def get_taxonomy(request: HttpRequest, id: str):
    return serialize("taxonomy", get_object_or_404(Taxonomy, id=id))


@router.get("/taxonomy_terms", response=Page, summary="Taxonomy terms")
def list_taxonomy_terms(
    request: HttpRequest,
    search: str = "",
    page: int = 1,
    per_page: int = 50,
    format: str | None = None,
    taxonomy_id: str = "",
    top_only: bool = False,
    parent_id: str = "",
):
    _check_format(format)
    queryset = TaxonomyTerm.objects.order_by("id")
    if search:
        queryset = queryset.filter(name__icontains=search)
    if taxonomy_id:
        queryset = queryset.filter(taxonomy_id=taxonomy_id)
    if top_only:
        queryset = queryset.filter(parent_id="")
    if parent_id:
        queryset = queryset.filter(parent_id=parent_id)
    rows, total = _paginate(queryset, page, per_page)
    return _page(serialize_many("taxonomy_term", rows), total, page, per_page)


@router.get(
    "/taxonomy_terms/{id}",
    response=dict[str, Any],
    summary="One taxonomy term",
)
def get_taxonomy_term(request: HttpRequest, id: str):
    try:
        return serialize("taxonomy_term", TaxonomyTerm.objects.get(id=id))
    except TaxonomyTerm.DoesNotExist as error:
        raise Http404(_("No taxonomy term with this id.")) from error
