"""The indicators dashboard: the page, its print view, its CSV and XLSX exports (one URL
each, the same figures: `services.dashboard`)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_http_methods, require_safe

from proxima.core import perturbation
from proxima.core.errors import InputError
from proxima.core.formats import csv_text
from proxima.core.forms import error_texts
from proxima.core.spreadsheets import workbook
from proxima.indicators import access, extract, presenters, services
from proxima.indicators.forms import (
    CalendarScopeForm,
    MonthPeriodForm,
    PeriodForm,
    ScopeForm,
    default_calendar_period,
    default_months,
    default_period,
)

PERTURBED_NOTE = gettext_lazy(
    "To protect everyone, counts of 5 and more are slightly changed, by 2 at most and "
    "always the same way, and means are moved slightly too: rows may not add up exactly "
    "to their total. Periods are calendar months, quarters or years that have ended."
)


def _asked(request):
    """The form read from the query (the last twelve months when nothing is asked), and
    the scope it names, or None when the form says what is wrong."""
    choices = access.choices_for(request.user)
    # Before the form, whose lists offer a partner nothing to choose from.
    access.refuse_other_than_own(
        request.user,
        territory_id=request.GET.get("territory"),
        team_id=request.GET.get("team"),
        organization_id=request.GET.get("organization"),
    )
    if perturbation.whole_months_only(request.user):
        form_class, data = CalendarScopeForm, {"period": default_calendar_period()}
    else:
        form_class, (start, end) = ScopeForm, default_period()
        data = {"start": start.isoformat(), "end": end.isoformat()}
    data.update({k: v for k, v in request.GET.items() if k in form_class.base_fields and v})
    if access.sees_own_organization_only(request.user):
        data.pop("organization", None)  # their own, checked above: always theirs
    form = form_class(data, **choices)
    if not form.is_valid():
        return form, None
    cleaned = form.cleaned_data
    scope = access.scope_for(
        request.user,
        start=cleaned["start"],
        end=cleaned["end"],
        territory_id=cleaned.get("territory") or None,
        team_id=cleaned.get("team") or None,
        organization_id=cleaned.get("organization") or None,
    )
    return form, scope


def _scope_words(scope: services.Scope) -> list[str]:
    words = []
    if scope.territory is not None:
        words.append(scope.territory.name_and_level)
    if scope.team is not None:
        words.append(scope.team.localized_name)
    if scope.organization is not None:
        words.append(scope.organization.localized_name)
    return words


def _page(request, template: str):
    form, scope = _asked(request)
    if scope is None:
        return render(request, template, {"form": form, "errors": error_texts(form)}, status=400)
    results = services.dashboard(scope)
    context = {
        "form": form,
        "scope": scope,
        "scope_words": _scope_words(scope),
        "own_organization_only": access.sees_own_organization_only(request.user),
        "can_extract": access.may_extract(request.user),
        "perturbed_note": PERTURBED_NOTE if scope.perturbed else "",
        "sections": presenters.sections(results),
        "query": request.GET.urlencode(),
    }
    return render(request, template, context)


@login_required
@require_safe
def dashboard(request):
    return _page(request, "indicators/dashboard.html")


@login_required
@require_safe
def print_view(request):
    return _page(request, "indicators/print.html")


def _file_name(scope: services.Scope, extension: str) -> str:
    name = pgettext("file name", "indicators")
    return f"{name}-{scope.start.isoformat()}-{scope.end.isoformat()}.{extension}"


def _export(request, extension: str):
    form, scope = _asked(request)
    if scope is None:
        return render(
            request,
            "indicators/dashboard.html",
            {"form": form, "errors": error_texts(form)},
            status=400,
        )
    header, rows = presenters.export_rows(services.dashboard(scope))
    if scope.perturbed:
        rows.append(["", "", "", _("Note"), None, "", str(PERTURBED_NOTE)])
    if extension == "csv":
        response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    else:
        scope_header = [_("From"), _("To"), _("Narrowed to"), _("Figures")]
        scope_rows = [
            [
                scope.start,
                scope.end,
                "; ".join(_scope_words(scope)),
                str(PERTURBED_NOTE) if scope.perturbed else _("exact"),
            ]
        ]
        content = workbook(
            [
                (_("Indicators"), header, rows),
                (_("Definitions"), *presenters.definition_rows()),
                (_("Scope"), scope_header, scope_rows),
            ]
        )
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = content_disposition_header(True, _file_name(scope, extension))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def export_csv(request):
    return _export(request, "csv")


@login_required
@require_safe
def export_xlsx(request):
    return _export(request, "xlsx")


# --- the de-identified research extract -----------------------------------------------


def _extract_page(request, form, *, status: int = 200, problem: str = ""):
    context = {
        "form": form,
        "columns": [(name, str(text)) for name, text in extract.COLUMN_DESCRIPTIONS.items()],
        "problem": problem,
        "errors": error_texts(form) if form.is_bound and not form.is_valid() else [],
    }
    return render(request, "indicators/extract.html", context, status=status)


@login_required
@require_safe
def research_extract(request):
    access.require_extractor(request.user)
    form_class, (start, end) = _extract_form(request.user)
    return _extract_page(request, form_class(initial={"start": start, "end": end}))


def _extract_form(user):
    """The extract's period form and its default: whole months for an evaluator (two
    extracts a day apart would show the one contact between them)."""
    if perturbation.whole_months_only(user):
        return MonthPeriodForm, default_months()
    return PeriodForm, default_period()


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def download_extract(request):
    """The extract as a ZIP: the rows (CSV), the report of what was generalized and what
    each column holds, in the reader's language; audited. Reached by GET (a reload after
    a refusal), the extract's page."""
    access.require_extractor(request.user)
    if request.method != "POST":
        return redirect("indicators:extract")
    form = _extract_form(request.user)[0](request.POST)
    if not form.is_valid():
        return _extract_page(request, form, status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    try:
        made = extract.export_extract(request.user.region_id, start, end, by=request.user)
    except InputError as error:
        return _extract_page(
            request, form, status=400, problem=" ".join(str(e) for e in error.errors.values())
        )
    content = presenters.extract_zip(made)
    stem = pgettext("file name", "research-extract")
    name = f"{stem}-{start}-{end}.zip"
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    return response
