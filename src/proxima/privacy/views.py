"""The privacy officer's pages: the audit log of the region, finding a record for a
request, a person's access report (page and CSV) and everything held on a person (page
and JSON). Rules, reasons and audit live in the services; nothing here is cached."""

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from proxima.core.roles import EXPORT_PERSON_RECORD, PERSON_ACCESS_REPORT, READ_AUDIT_LOG
from proxima.privacy.forms import LogFilterForm
from proxima.privacy.services import export as export_services
from proxima.privacy.services import log as log_services
from proxima.privacy.services import people, report
from proxima.privacy.services.people import PrivacyInputError

LANGUAGES = ("fr", "en")


def _language(request) -> str:
    """The language asked for a printable page (the person's), else the reader's."""
    asked = request.GET.get("lang", "")
    return asked if asked in LANGUAGES else translation.get_language()[:2]


def _filters(request, form: LogFilterForm) -> log_services.LogFilters | None:
    """The filters, or None when the form has errors (shown on the page)."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    person = None
    if data["person"]:
        person = people.visible_to(request.user, READ_AUDIT_LOG).filter(pk=data["person"]).first()
        if person is None:
            form.add_error("person", _("No record of your region has this number."))
            return None
    return log_services.LogFilters(
        actor=data["actor"].strip(),
        action=data["action"],
        object_type=data["object_type"],
        person=person,
        since=data["since"],
        until=data["until"],
    )


@never_cache
@login_required
@require_GET
def log(request):
    """The audit log of the officer's region, filtered and paged; each read is audited."""
    people.require_officer(request.user, READ_AUDIT_LOG)
    form = LogFilterForm(request.GET)
    filters = _filters(request, form)
    page = None
    if filters is not None:
        page = log_services.read_log(by=request.user, filters=filters, page=request.GET.get("page"))
    context = {"form": form, "page": page, "chain": log_services.chain_state()}
    return render(request, "privacy/log.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
@require_GET
def search(request):
    """Find a record of the region by name or number, for a request; audited with the
    reason the officer types."""
    people.require_officer(request.user, PERSON_ACCESS_REPORT)
    query, reason = request.GET.get("q", "")[:200], request.GET.get("reason", "")[:300]
    found, errors = None, []
    if "q" in request.GET:
        try:
            found = people.find_people(
                query, by=request.user, capability=PERSON_ACCESS_REPORT, reason=reason
            )
        except PrivacyInputError as error:
            errors = list(error.errors.values())
    context = {"query": query, "reason": reason, "found": found, "errors": errors}
    return render(request, "privacy/search.html", context, status=400 if errors else 200)


def _ask_reason(request, person, errors=(), status=200):
    """The small form asking why, before anything of the person is read."""
    context = {"person_id": person.pk, "errors": list(errors), "lang": request.GET.get("lang", "")}
    return render(request, "privacy/reason.html", context, status=status)


def _reason(request) -> str:
    return request.GET.get("reason", "")[:300]


@never_cache
@login_required
@require_GET
def access_report(request, person_id):
    """Who saw or changed the person's file, when and why: a printable page, in the
    person's language when asked (?lang=)."""
    person = people.person_for(request.user, person_id, PERSON_ACCESS_REPORT)
    if not _reason(request).strip():
        return _ask_reason(request, person)
    language = _language(request)
    with translation.override(language):
        try:
            lines = report.access_report(person, by=request.user, reason=_reason(request))
        except PrivacyInputError as error:
            return _ask_reason(request, person, error.errors.values(), status=400)
        context = {
            "person": person,
            "lines": lines,
            **_printing(request, language, "privacy:access_report_csv", _("Download (CSV)")),
        }
        return render(request, "privacy/access_report.html", context)


def _printing(request, language: str, download: str, label: str) -> dict:
    """The printable page's links: the other language, and the download, same reason."""
    other = "en" if language == "fr" else "fr"
    person_id = request.resolver_match.kwargs["person_id"]
    return {
        "print_language": language,
        "other_language": other,
        "language_query": urlencode({"reason": _reason(request), "lang": other}),
        "downloads": [
            {
                "url": reverse(download, args=[person_id])
                + "?"
                + urlencode({"reason": _reason(request), "lang": language}),
                "label": label,
            }
        ],
    }


def _back_to_ask(name: str, person_id) -> HttpResponse:
    return redirect(reverse(name, args=[person_id]))


@never_cache
@login_required
@require_GET
def access_report_csv(request, person_id):
    """The access report as a CSV download."""
    person = people.person_for(request.user, person_id, PERSON_ACCESS_REPORT)
    if not _reason(request).strip():
        return _back_to_ask("privacy:access_report", person.pk)
    with translation.override(_language(request)):
        try:
            lines = report.access_report(
                person, by=request.user, reason=_reason(request), download=True
            )
        except PrivacyInputError as error:
            return _ask_reason(request, person, error.errors.values(), status=400)
        body = report.as_csv(lines)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-{person.pk}.csv"'
    return response


@never_cache
@login_required
@require_GET
def export(request, person_id):
    """Everything held on the person, as a printable page."""
    person = people.person_for(request.user, person_id, EXPORT_PERSON_RECORD)
    if not _reason(request).strip():
        return _ask_reason(request, person)
    language = _language(request)
    with translation.override(language):
        try:
            record = export_services.export_person(person, by=request.user, reason=_reason(request))
        except PrivacyInputError as error:
            return _ask_reason(request, person, error.errors.values(), status=400)
        context = {
            "record": record,
            "person": person,
            **_printing(request, language, "privacy:export_json", _("Download (JSON)")),
        }
        return render(request, "privacy/export.html", context)


@never_cache
@login_required
@require_GET
def export_json(request, person_id):
    """Everything held on the person, as a JSON document (keys in docs/privacy.md)."""
    person = people.person_for(request.user, person_id, EXPORT_PERSON_RECORD)
    if not _reason(request).strip():
        return _back_to_ask("privacy:export", person.pk)
    with translation.override(_language(request)):
        try:
            record = export_services.export_person(
                person, by=request.user, reason=_reason(request), as_document=True
            )
        except PrivacyInputError as error:
            return _ask_reason(request, person, error.errors.values(), status=400)
        document = export_services.as_document(record, by=request.user, reason=_reason(request))
    response = JsonResponse(
        document, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="proxima-{person.pk}.json"'
    return response
