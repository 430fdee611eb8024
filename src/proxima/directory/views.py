"""Directory pages: public search and service pages, and the partner's editing pages."""

import uuid
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from proxima.core.roles import (
    EDIT_ANY_SERVICE,
    EDIT_OWN_ORGANIZATION_SERVICES,
    MAP_TAXONOMY_TERMS,
    VIEW_CONFIDENTIAL_LOCATIONS,
    has_capability,
    is_network_staff,
)
from proxima.directory import presenters
from proxima.directory.forms import (
    CapacityForm,
    HoursFormSet,
    NeedMappingForm,
    SearchForm,
    ServiceEditForm,
    TerritoriesServedForm,
)
from proxima.directory.models import Service, TaxonomyTerm, TermMapping
from proxima.directory.services import confidential, editing, needs
from proxima.directory.services.crisis import EMERGENCY_NUMBERS, REFUSED_READ, detect_crisis
from proxima.directory.services.search import SearchInputError, search_services

SEARCH_FIELDS = (
    "q",
    "category",
    "postal_code",
    "place",
    "km",
    "open_now",
    "language",
    "free",
    "age",
    "modes",
    "accessible",
)


FILTER_FIELDS = tuple(name for name in SEARCH_FIELDS if name != "q")


def search(request):
    """The directory's search page (public); HTMX requests get only the results."""
    has_criteria = any(request.GET.get(name) for name in SEARCH_FIELDS)
    form = SearchForm(request.GET if has_criteria else None)
    results, results_map = None, None
    if has_criteria and form.is_valid():
        try:
            results = search_services(form.to_query())
        except SearchInputError as error:
            form.add_error(None, str(error))
        else:
            cards = presenters.result_cards([hit.service for hit in results.hits], timezone.now())
            for hit in results.hits:
                hit.card = cards[hit.service.id]
            points = presenters.points_of([hit.service for hit in results.hits], public=True)
            results_map = presenters.results_map(
                [
                    (
                        hit.service.localized_name,
                        reverse("directory:service", args=[hit.service.id]),
                        *point,
                    )
                    for hit in results.hits
                    for point in points.get(hit.service.id, [])[:1]
                ],
                results.point,
            )
    query_string = request.GET.copy()
    query_string.pop("page", None)
    # A refused search (a text too long, a postal code not found...) still shows the
    # emergency numbers when its words speak of a crisis.
    refused_crisis = (
        results is None and has_criteria and detect_crisis(request.GET.get("q", "")[:REFUSED_READ])
    )
    context = {
        "emergency_numbers": EMERGENCY_NUMBERS if refused_crisis else (),
        "for_person": _for_person(request),
        "active_filters": sum(1 for name in FILTER_FIELDS if request.GET.get(name)),
        "form": form,
        "results": results,
        "results_map": results_map,
        "map_size": (presenters.MAP_WIDTH, presenters.MAP_HEIGHT),
        "query_string": query_string.urlencode(),
    }
    template = (
        "directory/_results.html" if request.headers.get("HX-Request") else "directory/search.html"
    )
    return render(request, template, context)


def service_detail(request, service_id: str):
    """A service's page: everything a person needs to go there, or call."""
    service = get_object_or_404(
        Service.objects.select_related("organization", "program"), id=service_id
    )
    staff = has_capability(request.user, VIEW_CONFIDENTIAL_LOCATIONS)
    places = list(
        service.service_at_locations.select_related("location").prefetch_related(
            "location__addresses", "location__accessibility"
        )
    )
    if any(p.location and p.location.is_confidential for p in places):
        confidential.record_confidential_reads(request.user, [service.id], reason="service page")
    points = presenters.service_points(service, public=not staff)
    confidential_drawn = staff and any(p.location and p.location.is_confidential for p in places)
    results_map = presenters.results_map(
        [(service.localized_name, "", lat, lon) for lat, lon in points],
        None,
        tiles=not confidential_drawn,
    )
    from proxima.referrals.services.responsiveness import service_responsiveness

    context = {
        "service": service,
        "responsiveness": service_responsiveness(service.id),
        "places": places,
        "show_confidential": staff,
        "hours": presenters.opening_hours(service),
        "open_now": presenters.is_open_now(service, timezone.now()),
        "phones": service.phones.all(),
        "languages": service.languages.all(),
        "cost_options": service.cost_options.all(),
        "results_map": results_map,
        "map_size": (presenters.MAP_WIDTH, presenters.MAP_HEIGHT),
        "place_territories": presenters.territories_of_places(places, show_confidential=staff),
        "can_edit": editing.can_edit_service(request.user, service),
        "for_person": _for_person(request),
        "back_url": _back_to_results(request),
    }
    return render(request, "directory/service.html", context)


def _for_person(request) -> str:
    """The person a worker is finding a service for (`?for=`, from their record), carried
    to the "Refer" links; only an id's shape is checked here: nothing of the person is read
    until the referral form, which checks the worker may see them (and audits it)."""
    value = request.GET.get("for", "")
    if not is_network_staff(request.user):
        return ""  # only those who may refer a named person are offered it
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return ""


def _back_to_results(request) -> str:
    """The results page the person came from (same site only), else a new search."""
    search = reverse("directory:search")
    came_from = request.META.get("HTTP_REFERER", "")
    if came_from and url_has_allowed_host_and_scheme(
        came_from, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        path = urlsplit(came_from)
        if path.path == search:
            return f"{path.path}?{path.query}" if path.query else path.path
    return search


def _require_partner(request) -> None:
    if not (
        has_capability(request.user, EDIT_OWN_ORGANIZATION_SERVICES)
        or has_capability(request.user, EDIT_ANY_SERVICE)
    ):
        raise PermissionDenied


@login_required
def partner_home(request):
    """The services a partner editor maintains."""
    _require_partner(request)
    if has_capability(request.user, EDIT_ANY_SERVICE):
        services = Service.objects.select_related("organization").order_by("name")[:200]
    else:
        services = Service.objects.filter(organization_id=request.user.organization_id).order_by(
            "name"
        )
    return render(request, "directory/partner_home.html", {"services": services})


def _initial_texts(service: Service) -> dict:
    def text(language: str, field: str) -> str:
        if service.text_language == language:
            return getattr(service, field)
        return (service.translations or {}).get(language, {}).get(field, "")

    return {
        "name_fr": text("fr", "name"),
        "name_en": text("en", "name"),
        "description_fr": text("fr", "description"),
        "description_en": text("en", "description"),
        "application_process": service.application_process,
        "delivery_modes": service.delivery_modes,
        "is_free": {True: "yes", False: "no"}.get(service.is_free, ""),
    }


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request, service_id: str):
    """Edit one service: texts, capacity, hours, territories served, verification."""
    _require_partner(request)
    service = get_object_or_404(Service, id=service_id)
    if not editing.can_edit_service(request.user, service):
        raise PermissionDenied
    action = request.POST.get("action") if request.method == "POST" else None
    details = ServiceEditForm(
        request.POST if action == "details" else None, initial=_initial_texts(service)
    )
    capacity = CapacityForm(
        request.POST if action == "capacity" else None,
        initial={"capacity_status": service.capacity_status},
    )
    hours_initial = [
        {
            "weekday": ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].index(day),
            "opens_at": s.opens_at[:5],
            "closes_at": s.closes_at[:5],
        }
        for s in service.schedules.all()
        for day in (s.byday or "").split(",")
        if day in ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
    ]
    hours = HoursFormSet(
        request.POST if action == "hours" else None, initial=hours_initial, prefix="hours"
    )
    served = TerritoriesServedForm(
        request.POST if action == "territories" else None,
        initial={
            "territories": list(
                service.service_areas.exclude(territory=None).values_list("territory", flat=True)
            )
        },
    )
    done = False
    if action == "details" and details.is_valid():
        data = details.cleaned_data
        editing.update_service_details(
            service,
            by=request.user,
            texts=editing.ServiceTexts(
                data["name_fr"],
                data["name_en"],
                data["description_fr"],
                data["description_en"],
                data["application_process"],
            ),
            delivery_modes=data["delivery_modes"],
            is_free=data["is_free"],
        )
        done = True
    elif action == "capacity" and capacity.is_valid():
        editing.set_capacity_status(
            service, by=request.user, status=capacity.cleaned_data["capacity_status"]
        )
        done = True
    elif action == "hours" and hours.is_valid():
        slots = [
            editing.WeeklyHours(
                f["weekday"], f["opens_at"].strftime("%H:%M"), f["closes_at"].strftime("%H:%M")
            )
            for f in hours.cleaned_data
            if f and not f.get("DELETE")
        ]
        editing.replace_weekly_hours(service, by=request.user, hours=slots)
        done = True
    elif action == "territories" and served.is_valid():
        editing.set_territories_served(
            service, by=request.user, territories=served.cleaned_data["territories"]
        )
        done = True
    elif action == "verify":
        editing.confirm_service_verified(service, by=request.user)
        done = True
    if done:
        messages.success(request, _("Saved. Thank you for keeping the directory up to date."))
        return redirect("directory:partner_edit", service_id=service.id)
    return render(
        request,
        "directory/partner_edit.html",
        status=400 if request.method == "POST" else 200,  # a form refused, with its errors
        context={
            "service": service,
            "details": details,
            "capacity": capacity,
            "hours": hours,
            "served": served,
            "postal_areas": [
                a.postal_prefixes
                for a in service.service_areas.filter(territory=None).exclude(postal_prefixes="")
            ],
        },
    )


def _require_mapper(request) -> None:
    if not has_capability(request.user, MAP_TAXONOMY_TERMS):
        raise PermissionDenied


@login_required
def taxonomies(request):
    """The imported taxonomies, and how much of each is left to review."""
    _require_mapper(request)
    return render(
        request,
        "directory/taxonomies.html",
        {"taxonomies": presenters.taxonomy_summaries(needs.mappable_taxonomies())},
    )


@login_required
def taxonomy_terms(request, taxonomy_id: str):
    """A taxonomy's terms with the need domains proposed for each, to confirm or correct."""
    _require_mapper(request)
    taxonomy = get_object_or_404(needs.mappable_taxonomies(), id=taxonomy_id)
    to_review = request.GET.get("show") != "all"
    page = presenters.term_mapping_page(taxonomy, to_review=to_review, page=request.GET.get("page"))
    context = {
        "taxonomy": taxonomy,
        "page": page,
        "to_review": to_review,
        "form": NeedMappingForm(),
    }
    return render(request, "directory/taxonomy_terms.html", context)


def _mapping_for(request, mapping_id: int) -> TermMapping:
    _require_mapper(request)
    return get_object_or_404(
        TermMapping.objects.select_related("term", "need").filter(
            term__taxonomy_id__in=needs.mappable_taxonomies().values("id")
        ),
        id=mapping_id,
    )


def _back_to_terms(request, term: TaxonomyTerm):
    came_from = request.POST.get("next", "")
    target = reverse("directory:taxonomy_terms", args=[term.taxonomy_id])
    if came_from.startswith(target + "?") and url_has_allowed_host_and_scheme(
        came_from, allowed_hosts={request.get_host()}
    ):
        target = came_from
    return redirect(f"{target}#term-{term.pk}")


def _decide(request, mapping_id: int, action, message: str):
    mapping = _mapping_for(request, mapping_id)
    action(mapping, by=request.user)
    messages.success(
        request,
        message % {"term": mapping.term.localized_name, "need": mapping.need.localized_name},
    )
    return _back_to_terms(request, mapping.term)


@login_required
@require_http_methods(["POST"])
def confirm_mapping(request, mapping_id: int):
    return _decide(
        request, mapping_id, needs.confirm_mapping, _("“%(term)s” now means “%(need)s”.")
    )


@login_required
@require_http_methods(["POST"])
def reject_mapping(request, mapping_id: int):
    return _decide(
        request, mapping_id, needs.reject_mapping, _("“%(term)s” no longer means “%(need)s”.")
    )


@login_required
@require_http_methods(["POST"])
def add_mapping(request, term_id: str):
    _require_mapper(request)
    term = get_object_or_404(
        TaxonomyTerm.objects.filter(taxonomy_id__in=needs.mappable_taxonomies().values("id")),
        id=term_id,
    )
    form = NeedMappingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a need domain from the list."))
        return _back_to_terms(request, term)
    need = TaxonomyTerm.objects.get(id=form.cleaned_data["need"])
    needs.add_mapping(term, need, by=request.user)
    messages.success(
        request,
        _("“%(term)s” now means “%(need)s”.")
        % {"term": term.localized_name, "need": need.localized_name},
    )
    return _back_to_terms(request, term)
