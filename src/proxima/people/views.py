"""Finding a person, and the person page: the record, the family, consents, contacts and
who accessed it, with the forms to correct the record, add a family member, and record
or withdraw a consent. Rules and audit live in the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from proxima.core.shortcuts import get_from_request
from proxima.directory.models import Organization
from proxima.outcomes.services.measures import changes
from proxima.people import forms
from proxima.people.models import (
    ConsentMethod,
    InformationCategory,
    Person,
    Relationship,
)
from proxima.people.services import consent as consent_services
from proxima.people.services import records
from proxima.teams.services import team_choices

# A consent names one recipient organization; the list is long, so it is capped and
# sorted by name (the browser's type-ahead in a <select> does the rest).
ORGANIZATION_CHOICES_LIMIT = 2000
# Suggested in the language field (any code may be typed): the languages most often
# spoken at home in Quebec after French and English.
LANGUAGE_SUGGESTIONS = ("fr", "en", "es", "ar", "zh-hans", "fa", "pt", "ru", "uk", "vi", "ta", "ur")


@login_required
def search(request):
    """Find a record by name (any order, accents optional) and/or birth date."""
    query = request.GET.get("q", "")[:200]
    errors: list[str] = []
    found: list[Person] = []
    try:
        born = forms.date_or_error(request.GET.get("birth_date", ""), "birth_date")
        found = records.search_people(query, by=request.user, birth_date=born)
    except records.PersonInputError as error:
        errors = list(error.errors.values())
    context = {
        "query": query,
        "birth_date": request.GET.get("birth_date", ""),
        "found": found,
        "searched": bool(query.strip() or request.GET.get("birth_date")),
        "errors": errors,
    }
    return render(request, "people/search.html", context, status=400 if errors else 200)


def _handle_post(request, person: Person) -> str:
    """Carry out one form of the page; returns the message to show."""
    action = request.POST.get("action")
    by = request.user
    if action == "update":
        records.update_person(person, forms.person_input(request.POST), by=by)
        return _("Record updated.")
    if action == "consent":
        consent_services.record_consent(person, forms.consent_input(request.POST, person), by=by)
        return _("Consent recorded.")
    if action == "withdraw":
        consent = get_from_request(person.consents, request.POST.get("consent"))
        consent_services.withdraw_consent(consent, by=by, reason=request.POST.get("reason", ""))
        return _("Consent withdrawn: nothing more is shared under it.")
    if action in {"relative", "link_relative"}:
        relationship = request.POST.get("relationship", "")
        if action == "relative":
            relative = records.create_person(
                forms.person_input(request.POST, prefix="relative_"),
                by=by,
                confirmed_new=request.POST.get("confirmed_new") == "1",
            )
        else:
            relative = records.person_for(by, request.POST.get("relative"))
        records.link_household(person, relative, relationship, by=by)
        return _("Household member added.")
    raise PermissionDenied(_("Unknown action."))


def _record_values(person: Person, posted, action: str) -> dict:
    """What the correction form shows: what was typed if it was refused, else the record."""
    if action == "update":
        return posted
    values = {name: getattr(person, name) for name in forms.PERSON_FIELDS}
    values["birth_date"] = person.birth_date.isoformat() if person.birth_date else ""
    values["needs_interpreter"] = "on" if person.needs_interpreter else ""
    return values


@login_required
def person_detail(request, person_id):
    target = records.person_for(request.user, person_id)
    if not target.is_active:  # a merged record leads to the one kept
        while target.merged_into_id is not None:
            target = target.merged_into
        return redirect("people:person", person_id=target.pk)
    errors: list[str] = []
    candidates: list = []
    if request.method == "POST":
        try:
            done = _handle_post(request, target)
        except records.PersonInputError as error:
            errors = list(error.errors.values())
        except records.PossibleDuplicates as found:
            candidates = found.candidates
        else:
            messages.success(request, done)
            return redirect("people:person", person_id=target.pk)
    form_open = request.POST.get("action", "") if errors or candidates else ""
    file = records.person_file(target.pk, by=request.user, reason="person page")
    organizations = Organization.objects.order_by("name").only(
        "id", "name", "text_language", "translations"
    )
    context = {
        "file": file,
        "person": file.person,
        "errors": errors,
        "candidates": candidates,
        "posted": request.POST if request.method == "POST" else {},
        "form_open": form_open,
        "record": _record_values(file.person, request.POST, form_open),
        "categories": InformationCategory.choices,
        "methods": ConsentMethod.choices,
        "teams": team_choices(file.person.region_id),
        "relationships": Relationship.choices,
        "organizations": organizations[:ORGANIZATION_CHOICES_LIMIT],
        "guardians": forms.guardians_of(file.person),
        "language_codes": LANGUAGE_SUGGESTIONS,
        "referrals": file.person.referrals.select_related("target_organization", "target_team")[
            :50
        ],
        "prescriptions": file.person.prescriptions.all()[:20],
        "well_being": changes(file.person),
        "area": [t for t in reversed(records.area_of(file.person)) if t.level != "region"],
    }
    return render(request, "people/person.html", context, status=400 if errors else 200)
