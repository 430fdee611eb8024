"""Social prescription pages: co-produce a plan with the person or family, follow it
(goals rated, activities, supports, follow-ups, well-being measures and their change),
and print it for the family in their language."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from proxima.core.forms import day_or_error, whole_number
from proxima.core.shortcuts import get_from_request
from proxima.directory import presenters
from proxima.directory.models import Service
from proxima.directory.services.search import SearchInputError, SearchQuery, search_services
from proxima.outcomes.models import Instrument, Occasion
from proxima.outcomes.services.instruments import InstrumentError, instrument, text
from proxima.outcomes.services.measures import changes, record_measurement
from proxima.people.services import records
from proxima.prescriptions.models import (
    ActivityStatus,
    Prescription,
    SupportKind,
)
from proxima.prescriptions.services import plans

GOAL_FIELDS = range(plans.MAX_GOALS)
SUPPORT_FIELDS = range(3)


def _day(value: str, field: str) -> date | None:
    return day_or_error(value, field, error=plans.PrescriptionInputError)


ACTIVITY_KM = 25  # how far from home an activity is looked for (online ones anywhere)


@login_required
def activities(request):
    """Directory services for the activity picker (an HTMX fragment of checkboxes): for
    the person's age and within reach of their home (online ones too), without the
    activities already chosen."""
    plans_staff_only(request.user)
    query = request.GET.get("q", "")[:200]
    chosen = set(request.GET.getlist("services"))
    person = None
    if request.GET.get("person"):
        person = records.read_person(
            request.GET["person"], by=request.user, reason="activity search"
        )
    hits = []
    if query.strip():
        search = SearchQuery(text=query, per_page=15 + len(chosen))
        if person is not None:
            search = _near_and_for(search, person)
        try:
            hits = [h for h in search_services(search).hits if h.service.id not in chosen][:15]
        except SearchInputError:
            hits = []
    return render(request, "prescriptions/_activities.html", {"hits": hits, "query": query})


def _near_and_for(search: SearchQuery, person) -> SearchQuery:
    """The search narrowed to the person's age and to activities within reach of their
    home (or given remotely), when their record says them."""
    from dataclasses import replace

    from proxima.directory.services import geo
    from proxima.people.services.consent import age_on

    age = age_on(person, timezone.now())
    if age is not None:
        search = replace(search, age=float(min(max(age, 0), 130)))
    if person.postal_code and geo.postal_code_point(person.postal_code) is not None:
        search = replace(
            search, postal_code=person.postal_code, max_km=ACTIVITY_KM, include_remote=True
        )
    return search


def plans_staff_only(user) -> None:
    plans.require_prescriber(user)


def _input(post) -> plans.PrescriptionInput:
    supports = [
        plans.SupportInput(
            kind=post.get(f"support_{i}_kind", ""),
            detail=post.get(f"support_{i}_detail", ""),
            service_id=post.get(f"support_{i}_service", ""),
        )
        for i in SUPPORT_FIELDS
        if post.get(f"support_{i}_kind")
    ]
    follow_ups = [
        day for i in range(3) if (day := _day(post.get(f"follow_up_{i}", ""), "follow_ups"))
    ]
    return plans.PrescriptionInput(
        what_matters=post.get("what_matters", ""),
        co_produced_with=post.get("co_produced_with", ""),
        made_with_ids=post.getlist("made_with"),
        goals=[post.get(f"goal_{i}", "") for i in GOAL_FIELDS],
        service_ids=post.getlist("services"),
        supports=supports,
        follow_ups=follow_ups,
    )


def _instruments_offered() -> list[dict]:
    """The instruments in use, each once (its latest version), named in the reader's
    language."""
    offered = {}
    for item in Instrument.objects.filter(is_active=True).order_by("code", "-version"):
        offered.setdefault(item.code, {"code": item.code, "name": text(item.title) or item.code})
    return list(offered.values())


@login_required
def new(request):
    source = request.POST if request.method == "POST" else request.GET
    if not source.get("person") and request.method == "GET":
        # A plan is made with someone: their record first (it says who, their age, home).
        plans_staff_only(request.user)
        messages.info(
            request,
            _("Find the person's record first, then “Co-produce a social prescription”."),
        )
        return redirect("people:search")
    person = records.current_person_for(request.user, source.get("person"))
    errors: list[str] = []
    if request.method == "POST":
        try:
            prescription = plans.create_prescription(person, _input(request.POST), by=request.user)
        except plans.PrescriptionInputError as error:
            errors = list(error.errors.values())
        else:
            messages.success(request, _("Prescription saved."))
            return redirect("prescriptions:detail", prescription_id=prescription.pk)
    chosen = Service.objects.filter(pk__in=source.getlist("services"))
    context = {
        "person": person,
        "posted": source,
        "errors": errors,
        "goal_fields": GOAL_FIELDS,
        "support_fields": SUPPORT_FIELDS,
        "support_kinds": SupportKind.choices,
        "chosen": chosen,
        "household": records.household(person, by=request.user),
    }
    records.note_person_shown(request.user, person, reason="new prescription")
    return render(request, "prescriptions/new.html", context, status=400 if errors else 200)


def _act(request, prescription: Prescription) -> str:
    action = request.POST.get("action", "")
    by = request.user
    if action == "rate":
        goal = get_from_request(prescription.goals, request.POST.get("goal"))
        plans.rate_goal(goal, whole_number(request.POST.get("rating")) or 0, by=by)
        return _("Goal rated.")
    if action == "follow_up":
        follow_up = get_from_request(prescription.follow_ups, request.POST.get("follow_up"))
        plans.record_follow_up(
            follow_up,
            request.POST.get("note", ""),
            by=by,
            next_on=_day(request.POST.get("next_on", ""), "next_on"),
        )
        return _("Follow-up recorded.")
    if action == "activity":
        activity = get_from_request(prescription.activities, request.POST.get("activity"))
        plans.set_activity_status(activity, request.POST.get("status", ""), by=by)
        return _("Activity updated.")
    if action == "support":
        support = get_from_request(prescription.supports, request.POST.get("support"))
        plans.arrange_support(support, by=by)
        return _("Support arranged.")
    if action == "end":
        plans.end_prescription(prescription, request.POST.get("status", ""), by=by)
        return _("Prescription closed.")
    raise PermissionDenied(_("Unknown action."))


@login_required
def detail(request, prescription_id):
    target = plans.prescription_for(request.user, prescription_id)
    errors: list[str] = []
    if request.method == "POST":
        try:
            done = _act(request, target)
        except plans.PrescriptionInputError as error:
            errors = list(error.errors.values())
        else:
            messages.success(request, done)
            return redirect("prescriptions:detail", prescription_id=target.pk)
    prescription = plans.read_prescription(target.pk, by=request.user, reason="prescription page")
    plans.note_made_with_shown(prescription, by=request.user)
    context = {
        "prescription": prescription,
        "person": prescription.person,
        "goals": prescription.goals.prefetch_related("ratings"),
        "activities": prescription.activities.select_related("service", "referral"),
        "supports": prescription.supports.select_related("activity__service"),
        "follow_ups": prescription.follow_ups.all(),
        "measurements": prescription.measurements.select_related("instrument"),
        "changes": changes(prescription.person, prescription=prescription),
        "instruments": _instruments_offered(),
        "activity_statuses": ActivityStatus.choices,
        "errors": errors,
    }
    return render(request, "prescriptions/detail.html", context, status=400 if errors else 200)


@login_required
def measure(request, prescription_id, code):
    prescription = plans.prescription_for(request.user, prescription_id)
    try:
        used = instrument(code)
    except InstrumentError as error:
        raise Http404(str(error)) from error
    definition = used.definition
    errors: list[str] = []
    if request.method == "POST":
        answers = {}
        for item in definition["items"]:
            answers[item["id"]] = whole_number(request.POST.get(item["id"]))
        try:
            result = record_measurement(
                prescription.person,
                code,
                answers,
                by=request.user,
                occasion=request.POST.get("occasion", ""),
                prescription=prescription,
            )
        except InstrumentError as error:
            errors = (
                [_("Answer every question.")]
                if len(error.errors) > 1
                else list(error.errors.values())
            )
        else:
            score = formats.localize(result.score)  # 50,00 in French
            messages.success(request, _("Measure recorded: %(score)s.") % {"score": score})
            for alert in result.alerts:
                messages.error(request, alert)
            return redirect("prescriptions:detail", prescription_id=prescription.pk)
    items = [{"id": i["id"], "text": text(i["text"])} for i in definition["items"]]
    options = [{"value": o["value"], "text": text(o["text"])} for o in definition["options"]]
    has_baseline = prescription.measurements.filter(instrument__code=code).exists()
    context = {
        "prescription": prescription,
        "instrument": used,
        "title": text(used.title),
        "stem": text(definition.get("stem", {"fr": "", "en": ""})),
        "items": items,
        "options": options,
        "posted": request.POST,
        "occasions": Occasion.choices,
        "default_occasion": Occasion.FOLLOW_UP if has_baseline else Occasion.BASELINE,
        "errors": errors,
    }
    return render(request, "prescriptions/measure.html", context, status=400 if errors else 200)


@login_required
def printable(request, prescription_id):
    """The prescription the family takes home, in the language asked (default: the
    person's, when French or English)."""
    prescription = plans.read_prescription(prescription_id, by=request.user, reason="printed")
    language = request.GET.get("lang") or prescription.person.language
    language = language if language in ("fr", "en") else "fr"
    with translation.override(language):
        activities = list(
            prescription.activities.select_related("service").prefetch_related(
                "service__phones", "service__service_at_locations__location__addresses"
            )
        )
        for activity in activities:  # its hours, in the printed language
            activity.hours = presenters.opening_hours(activity.service)
        return render(
            request,
            "prescriptions/print.html",
            {
                "prescription": prescription,
                "person": prescription.person,
                "goals": prescription.goals.all(),
                "activities": activities,
                "supports": prescription.supports.select_related("activity__service"),
                "follow_ups": prescription.follow_ups.filter(done_at=None),
                "print_language": language,
                "other_language": "en" if language == "fr" else "fr",
            },
        )
