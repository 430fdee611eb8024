"""Coverage pages: a map of the region's territories coloured by a measure for a need,
the same figures as a sortable table, a territory's table for every need, and CSV."""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from proxima.core.formats import csv_text
from proxima.core.forms import error_texts
from proxima.core.perturbation import noise_for
from proxima.core.roles import VIEW_COVERAGE, has_capability
from proxima.coverage import services
from proxima.coverage.forms import CoverageForm
from proxima.groups import services as groups
from proxima.territories.models import LEVEL_ORDER, TerritoryLevel


def _region_code(user) -> str:
    """The user's region, whose territories they see (403 without the capability)."""
    if not has_capability(user, VIEW_COVERAGE):
        raise PermissionDenied(
            _("This page is for the region's coordinators, team leads and evaluators.")
        )
    region = getattr(user, "region", None)
    if region is None:
        raise PermissionDenied(_("Your account is not attached to a region yet."))
    return region.code


def _choices(request, levels: list[str], *, level: str | None = None):
    """The choices asked (each missing one its default) among the region's levels,
    checked; None when one is not a choice (the form then says which)."""
    domains = services.domain_labels()
    defaults = {
        "level": level
        or (
            TerritoryLevel.NEIGHBOURHOOD
            if TerritoryLevel.NEIGHBOURHOOD in levels
            else (levels[-1] if levels else "")
        ),
        "domain": next(iter(domains)),
        "measure": "services",
        "reach_km": "0",
    }
    # What was asked over the defaults: the lists always show what is drawn.
    data = {**defaults, **{k: v for k, v in request.GET.items() if k in defaults and v}}
    form = CoverageForm(data, levels=levels, domains=domains)
    if not form.is_valid():
        return form, None
    chosen = {name: form.cleaned_data[name] for name in defaults}
    return form, chosen


def _refused(request, reason: str):
    """A choice that is not one, said on a page in the reader's language."""
    return render(request, "core/request_refused.html", {"reason": reason}, status=400)


def _value(cell, measure: str):
    return getattr(cell, measure)


@login_required
def coverage_map(request):
    region_code = _region_code(request.user)
    levels = services.levels_in_region(region_code)
    if not levels:
        # No outline imported yet for this region: say how to get there.
        return render(request, "coverage/map.html", {"no_territories": True})
    form, chosen = _choices(request, levels)
    if chosen is None:
        return render(request, "coverage/map.html", {"form": form}, status=400)
    territories = services.territories_for_map(chosen["level"], region_code)
    cells = {
        c.territory_id: c
        for c in services.coverage_table(
            noise=noise_for(request.user),
            level=chosen["level"],
            reach_km=chosen["reach_km"],
            region_code=region_code,
            domains=[chosen["domain"]],
        )
    }
    query = f"?level={chosen['level']}&reach_km={chosen['reach_km']}"
    rows, features = [], []
    for territory in territories:
        cell = cells.get(territory.pk)
        if cell is None:
            continue
        gaps = [str(services.GAP_LABELS[g]) for g in cell.gaps]
        url = reverse("coverage:territory", args=[territory.code]) + query
        rows.append({"territory": territory, "cell": cell, "gaps": gaps, "url": url})
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(territory.geometry),
                "properties": {
                    "name": territory.name,
                    "value": _value(cell, chosen["measure"]),
                    "gaps": gaps,
                    "duplication": cell.duplication,
                    "url": url,
                },
            }
        )
    measure_label = str(services.MEASURES[chosen["measure"]])
    context = {
        "form": form,
        "chosen": chosen,
        "rows": rows,
        "measure_label": measure_label,
        "domain_label": form.domains.get(chosen["domain"], chosen["domain"]),
        "map_data": {
            "type": "FeatureCollection",
            "features": features,
            "measure": measure_label,
            "labels": {
                "gaps": _("Gaps"),
                "duplication": _("possible duplication"),
                "none": _("no figure"),
                "pair": _("%(label)s: %(value)s"),
                "zoom_in": _("Zoom in"),
                "zoom_out": _("Zoom out"),
            },
        },
        "csv_query": query,
        "referrals_perturbed": noise_for(request.user).perturbed,
    }
    return render(request, "coverage/map.html", context)


@login_required
def territory(request, code: str):
    region_code = _region_code(request.user)
    level = request.GET.get("level") or None
    if level is not None and level not in LEVEL_ORDER:
        return _refused(
            request,
            _("%(label)s: %(error)s") % {"label": _("Level"), "error": _("Select a valid choice.")},
        )
    found = services.territory_in_region(code, region_code, level=level)
    if found is None:
        raise Http404(_("No such territory in your region."))
    form, chosen = _choices(request, services.levels_in_region(region_code), level=found.level)
    if chosen is None:
        return _refused(request, " ".join(error_texts(form)))
    labels = services.domain_labels()
    cells = [
        c
        for c in services.coverage_table(
            noise=noise_for(request.user),
            level=chosen["level"],
            reach_km=chosen["reach_km"],
            region_code=region_code,
        )
        if c.territory_id == found.pk
    ]
    rows = [
        {
            "domain": labels.get(c.domain, c.domain),
            "cell": c,
            "gaps": [str(services.GAP_LABELS[g]) for g in c.gaps],
        }
        for c in cells
    ]
    # The collective projects on the territory (counts only, no personal information).
    projects = groups.projects_in(request.user.region_id, [found.pk])
    for project in projects:
        project.domain_labels = [labels.get(code, code) for code in project.need_domains]
    context = {
        "territory": found,
        "projects": projects,
        "may_read_projects": groups.reads_projects(request.user),
        "rows": rows,
        "chosen": chosen,
        "referrals_perturbed": noise_for(request.user).perturbed,
    }
    return render(request, "coverage/territory.html", context)


CSV_HEADERS = {
    **services.MEASURES,
    "waitlist": gettext_lazy("waiting list"),
    "full": gettext_lazy("full"),
    "in_person": gettext_lazy("in person"),
    "remote": gettext_lazy("remotely"),
    "home_visits": gettext_lazy("home visits"),
}
CSV_COLUMNS = (
    "services",
    "located",
    "accepting",
    "waitlist",
    "full",
    "french",
    "english",
    "free",
    "evenings",
    "weekends",
    "in_person",
    "remote",
    "home_visits",
    "referrals_sent",
    "referrals_accepted",
    "median_response_hours",
)


@login_required
def export_csv(request):
    region_code = _region_code(request.user)
    form, chosen = _choices(request, services.levels_in_region(region_code))
    if chosen is None:
        return _refused(request, " ".join(error_texts(form)))
    territories = {t.pk: t for t in services.territories_for_map(chosen["level"], region_code)}
    labels = services.domain_labels()
    header = [
        _("Territory's code"),
        _("Territory"),
        _("Need"),
        *[str(CSV_HEADERS[c]) for c in CSV_COLUMNS],
        _("Gaps"),
        _("possible duplication"),
    ]
    rows = [
        [
            territory.code,
            territory.name,
            labels.get(cell.domain, cell.domain),
            *[getattr(cell, c) for c in CSV_COLUMNS],
            "; ".join(str(services.GAP_LABELS[g]) for g in cell.gaps),
            "1" if cell.duplication else "0",
        ]
        for cell in services.coverage_table(
            noise=noise_for(request.user),
            level=chosen["level"],
            reach_km=chosen["reach_km"],
            region_code=region_code,
        )
        if (territory := territories.get(cell.territory_id)) is not None
    ]
    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    # Translators: the start of the coverage table's file name (no spaces nor accents).
    stem = pgettext("file name", "coverage")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{stem}-{region_code}-{chosen['level']}.csv"
    )
    return response
