"""The agreements registry's pages: the region's inventory (CSV, XLSX), an agreement, and
one URL per action (new agreement, change of status, meeting, indicator, training)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST, require_safe

from proxima.agreements import services
from proxima.agreements.forms import (
    AgreementForm,
    DocumentForm,
    IndicatorForm,
    MeetingForm,
    PartyTermsForm,
    StatusForm,
    TrainingForm,
)
from proxima.agreements.models import DOCUMENT_MAX_BYTES, AgreementStatus
from proxima.core.formats import csv_text
from proxima.core.uploads import accepts_files
from proxima.directory.models.base import HSDS_ID_LENGTH
from proxima.directory.services.taxonomy import first_level_domain_labels as domain_labels


def _require_use(user) -> None:
    if not services.can_use_agreements(user):
        raise PermissionDenied(_("You may not read partnership agreements."))


def _status_asked(request) -> str:
    status = request.GET.get("status", "")
    return status if status in AgreementStatus.values else ""


def _organization_asked(request):
    """The organization the inventory is narrowed to (?organization=ID), or None; an id
    that names no organization narrows to nothing."""
    from proxima.directory.models import Organization

    value = request.GET.get("organization", "")
    if not value:
        return None
    found = Organization.objects.filter(pk=value[:HSDS_ID_LENGTH]).first()
    return found or Organization(id="", name=_("unknown organization"))


def _chosen(request) -> tuple[str, object, list]:
    """The status and organization asked, and the agreements they leave (the page and
    its exports alike)."""
    _require_use(request.user)
    status = _status_asked(request)
    organization = _organization_asked(request)
    agreements = services.inventory(
        request.user, status=status, organization_id=organization.pk if organization else None
    )
    return status, organization, agreements


@login_required
def inventory(request):
    status, organization, agreements = _chosen(request)
    organization_asked = request.GET.get("organization", "")[:HSDS_ID_LENGTH]
    due = services.due_for_review(agreements, timezone.localdate())
    training = services.training_seen_by(
        request.user, organization_id=organization.pk if organization else None
    )
    context = {
        "agreements": [{"agreement": a, "due": a.pk in due} for a in agreements],
        "status": status,
        "statuses": AgreementStatus.choices,
        "organization": organization,
        # The exports hold what the page shows (an unknown organization: nothing).
        "filters": urlencode(
            {k: v for k, v in (("status", status), ("organization", organization_asked)) if v}
        ),
        "can_edit": services.can_edit(request.user, region_id=request.user.region_id),
        "training": training,
        "by_organization": services.training_by_organization(training),
        "labels": domain_labels(),
    }
    return render(request, "agreements/inventory.html", context)


def _export(request):
    _status, _organization, agreements = _chosen(request)
    today = timezone.localdate()
    return services.inventory_table(agreements, today), today


def _file_stem() -> str:
    # Translators: the start of the inventory's file name (no spaces nor accents).
    return pgettext("file name", "agreements")


@login_required
def export_csv(request):
    (header, rows), today = _export(request)
    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{_file_stem()}-{today}.csv"
    )
    return response


@login_required
def export_xlsx(request):
    (header, rows), today = _export(request)
    content = services.inventory_xlsx(header, rows, title=_("Agreements"))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"{_file_stem()}-{today}.xlsx"
    )
    return response


def _parties_with_forms(agreement, editable: bool, sent: dict) -> list:
    """The parties, each with the form of its role and commitments for those who edit."""
    parties = list(agreement.parties.select_related("organization", "team"))
    for party in parties:
        party.terms_form = (
            sent.get(str(party.pk))
            or PartyTermsForm(
                initial={"role": party.role, "commitments": party.commitments},
                auto_id=f"party-{party.pk}-%s",
            )
            if editable
            else None
        )
    return parties


def _detail_context(request, agreement, **forms):
    editable = services.can_edit(request.user, agreement)
    today = timezone.localdate()
    return {
        "agreement": agreement,
        "parties": _parties_with_forms(agreement, editable, forms.get("party_forms") or {}),
        "history": agreement.status_changes.select_related("by"),
        "meetings": agreement.meetings.all(),
        "training": agreement.training_sessions.prefetch_related("organizations"),
        "labels": domain_labels(),
        "due": agreement.pk in services.due_for_review([agreement], today),
        "can_edit": editable,
        # In the lifecycle's order, none chosen beforehand ("ended" is final).
        "next_statuses": [
            (code, label)
            for code, label in AgreementStatus.choices
            if code in services.TRANSITIONS[agreement.status]
        ]
        if editable
        else [],
        "status_form": forms.get("status_form") or StatusForm(auto_id="status-%s"),
        "meeting_form": forms.get("meeting_form") or MeetingForm(auto_id="meeting-%s"),
        "indicator_form": forms.get("indicator_form") or IndicatorForm(auto_id="indicator-%s"),
        "training_form": forms.get("training_form") or TrainingForm(auto_id="training-%s"),
        "documents": services.documents_of(agreement).select_related("added_by"),
        "document_form": forms.get("document_form") or DocumentForm(auto_id="document-%s"),
        "errors": forms.get("errors") or {},
    }


@login_required
def detail(request, agreement_id):
    agreement = services.agreement_for(request.user, agreement_id)
    return render(request, "agreements/detail.html", _detail_context(request, agreement))


def _editable(request, agreement_id):
    agreement = services.agreement_for(request.user, agreement_id)
    services.require_edit(request.user, agreement)
    return agreement


def _refused(request, agreement, status=400, **forms):
    return render(
        request,
        "agreements/detail.html",
        _detail_context(request, agreement, **forms),
        status=status,
    )


@login_required
def new(request):
    _require_use(request.user)
    region = request.user.region
    services.require_edit(request.user, region_id=getattr(region, "pk", None))
    labels = domain_labels()
    form = AgreementForm(
        request.POST or None, region=region, domain_labels=labels, auto_id="agreement-%s"
    )
    errors = {}
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.create_agreement(form.cleaned_data, by=request.user, region=region)
        except services.AgreementInputError as error:
            errors = error.errors
        else:
            messages.success(request, _("Agreement recorded as a draft."))
            return redirect("agreements:detail", agreement_id=agreement.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "agreements/new.html", {"form": form, "errors": errors}, status=status)


@login_required
def edit(request, agreement_id):
    agreement = _editable(request, agreement_id)
    form = AgreementForm(
        request.POST or None,
        initial={**services.form_initial(agreement), "version": agreement.version},
        region=agreement.region,
        domain_labels=domain_labels(),
        auto_id="agreement-%s",
    )
    errors = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.update_agreement(
                agreement,
                form.cleaned_data,
                by=request.user,
                version=form.cleaned_data["version"] or 0,
            )
        except services.AgreementConflict as error:
            errors = error.errors
            context = {"form": form, "errors": errors, "agreement": agreement}
            return render(request, "agreements/new.html", context, status=409)
        except services.AgreementInputError as error:
            errors = error.errors
        else:
            messages.success(request, _("Agreement updated."))
            return redirect("agreements:detail", agreement_id=agreement.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "errors": errors, "agreement": agreement}
    return render(request, "agreements/new.html", context, status=status)


@login_required
@require_POST
def change_status(request, agreement_id):
    agreement = _editable(request, agreement_id)
    form = StatusForm(request.POST, auto_id="status-%s")
    if not form.is_valid():
        return _refused(request, agreement, status_form=form)
    try:
        services.change_status(
            agreement,
            form.cleaned_data["status"],
            by=request.user,
            version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
        )
    except services.AgreementConflict as error:
        return _refused(request, agreement, status=409, status_form=form, errors=error.errors)
    except services.AgreementInputError as error:
        return _refused(request, agreement, status_form=form, errors=error.errors)
    messages.success(request, _("Status changed."))
    return redirect("agreements:detail", agreement_id=agreement.pk)


def _follow_up(request, agreement_id, form_class, prefix: str, record, done: str):
    """One follow-up action on an agreement: its form checked (refused next to the
    fields, nothing written), then `record(agreement, data, by=...)` (its refusals said
    on the page)."""
    agreement = _editable(request, agreement_id)
    form = form_class(request.POST, request.FILES, auto_id=f"{prefix}-%s")
    if not form.is_valid():
        return _refused(request, agreement, **{f"{prefix}_form": form})
    try:
        record(agreement, form.cleaned_data, by=request.user)
    except services.AgreementInputError as error:
        return _refused(request, agreement, errors=error.errors, **{f"{prefix}_form": form})
    messages.success(request, done)
    return redirect("agreements:detail", agreement_id=agreement.pk)


@login_required
@require_POST
def add_meeting(request, agreement_id):
    return _follow_up(
        request,
        agreement_id,
        MeetingForm,
        "meeting",
        services.record_meeting,
        _("Meeting recorded."),
    )


@login_required
@require_POST
def add_indicator(request, agreement_id):
    return _follow_up(
        request,
        agreement_id,
        IndicatorForm,
        "indicator",
        services.add_indicator,
        _("Indicator added."),
    )


def _record_training(agreement, data, *, by):
    return services.record_training(data, by=by, region=agreement.region, agreement=agreement)


@login_required
@require_POST
def add_training(request, agreement_id):
    return _follow_up(
        request,
        agreement_id,
        TrainingForm,
        "training",
        _record_training,
        _("Training session recorded."),
    )


@login_required
@require_POST
@accepts_files(DOCUMENT_MAX_BYTES)
def attach_document(request, agreement_id):
    return _follow_up(
        request,
        agreement_id,
        DocumentForm,
        "document",
        services.attach_document,
        _("Document attached."),
    )


@login_required
@require_safe
def document(request, agreement_id, document_id):
    """The document itself, to download (never shown inline: the browser may not run it)."""
    agreement = services.agreement_for(request.user, agreement_id)
    found = services.document_for(agreement, document_id)
    response = HttpResponse(bytes(found.content), content_type=found.media_type)
    response["Content-Disposition"] = content_disposition_header(True, found.file_name)
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def remove_document(request, agreement_id, document_id):
    agreement = _editable(request, agreement_id)
    services.remove_document(agreement, document_id, by=request.user)
    messages.success(request, _("Document removed."))
    return redirect("agreements:detail", agreement_id=agreement.pk)


@login_required
@require_POST
def set_party_terms(request, agreement_id, party_id):
    agreement = _editable(request, agreement_id)
    party = services.party_for(agreement, party_id)
    form = PartyTermsForm(request.POST, auto_id=f"party-{party.pk}-%s")
    if not form.is_valid():
        return _refused(request, agreement, party_forms={str(party.pk): form})
    services.set_party_terms(party, form.cleaned_data, by=request.user)
    messages.success(request, _("Role and commitments saved."))
    return redirect("agreements:detail", agreement_id=agreement.pk)
