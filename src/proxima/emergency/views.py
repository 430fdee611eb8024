"""Emergency mode pages: the events, declaring one, an event (its dashboard, the fast
registration form, its affected people by household), an affected person with their
follow-ups, closing, the follow-up tasks; one URL per action (POST). Thin: a form
checked, one service action, a redirect; a refusal said on the page (400) with nothing
written."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from proxima.core.forms import error_texts, service_error_texts
from proxima.directory.services.taxonomy import first_level_domain_labels
from proxima.emergency import services
from proxima.emergency.forms import (
    AffectedForm,
    CloseForm,
    EventForm,
    FollowUpForm,
    ScheduleForm,
    schedule_text,
)
from proxima.emergency.models import DEFAULT_OFFSETS_HOURS, EventStatus, FollowUpStatus
from proxima.intake.services.episodes import contact_for
from proxima.people.services import records
from proxima.territories.services import region_territories

# --- events -------------------------------------------------------------------------------


@login_required
@require_safe
def events(request):
    rows = services.events_for(request.user)
    context = {
        "events": rows,
        "declares": services.declares(request.user),
    }
    return render(request, "emergency/events.html", context)


def _event_form(request, data=None) -> EventForm:
    region_id = request.user.region_id
    return EventForm(
        data,
        territories=region_territories(region_id),
        leads=services.possible_leads(region_id),
        teams=services.possible_teams(region_id),
        initial={
            "schedule": schedule_text(DEFAULT_OFFSETS_HOURS),
            "occurred_on": timezone.localdate().isoformat(),
            "lead": request.user.pk,
        },
        auto_id="event-%s",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def declare(request):
    services.require_declarer(request.user)
    form = _event_form(request, request.POST if request.method == "POST" else None)
    errors: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                event = services.declare_event(form.event_input(), by=request.user)
            except services.EmergencyInputError as error:
                errors = service_error_texts(form, error.errors)
            else:
                messages.success(request, _("Event declared. Activate it to register people."))
                return redirect("emergency:event", event_id=event.pk)
        else:
            errors = error_texts(form)
    context = {"form": form, "errors": errors}
    return render(request, "emergency/declare.html", context, status=400 if errors else 200)


def _domain_names(codes, labels) -> list[str]:
    return [labels.get(code, code) for code in codes]


def _registration_form(request, event, data=None) -> AffectedForm:
    initial = {}
    chosen = request.GET.get("household", "")
    if (
        chosen.isascii()
        and chosen.isdigit()
        and len(chosen) < 19
        and services.households_of(event).filter(pk=int(chosen)).exists()
    ):
        initial["household"] = int(chosen)
    return AffectedForm(
        data,
        households=services.households_of(event),
        domain_labels=first_level_domain_labels(),
        initial=initial,
        auto_id="affected-%s",
    )


def _event_context(request, event, **forms) -> dict:
    user = request.user
    labels = first_level_domain_labels()
    figures = services.dashboard(event)
    responder = services.responds(user, event.region_id)
    people = services.affected_people(event, by=user) if responder else []
    for group in people:
        for affected in group.people:
            affected.domain_labels = _domain_names(affected.need_domains, labels)
    frozen = None
    if event.is_closed and event.close_figures:
        frozen = dict(event.close_figures)
        frozen["by_need"] = [
            (labels.get(code, code), count) for code, count in frozen.get("by_need", {}).items()
        ]
    person = forms.get("person")
    registration = forms.get("registration")
    if registration is None and event.is_active and responder:
        registration = _registration_form(request, event)
        if person is not None:
            registration.initial.update(
                given_name=person.given_name, family_name=person.family_name, phone=person.phone
            )
    return {
        "event": event,
        "figures": figures,
        "by_need": [(labels.get(code, code), count) for code, count in figures.by_need.items()],
        "frozen": frozen,
        "schedule": services.schedule_label(event.follow_up_offsets_hours),
        "people": people,
        "registration": registration if event.is_active and responder else None,
        "person": person,
        "declares": services.declares(user, event.region_id),
        "works_on_follow_ups": services.works_on_follow_ups(user, event),
        "schedule_form": forms.get("schedule_form")
        or ScheduleForm(
            initial={"schedule": schedule_text(event.follow_up_offsets_hours)},
            auto_id="schedule-%s",
        ),
        "errors": forms.get("errors") or [],
    }


@login_required
@require_safe
def event_detail(request, event_id):
    event = services.event_for(request.user, event_id)
    person = None
    if request.GET.get("person") and event.is_active:
        person = records.current_person_for(request.user, request.GET["person"])
        records.note_person_shown(request.user, person, reason="emergency page")
    context = _event_context(request, event, person=person)
    return render(request, "emergency/event.html", context)


def _refused(request, event, **forms):
    """The event page again (its people read, audited), with what was refused."""
    event = services.event_for(request.user, event.pk)
    context = _event_context(request, event, **forms)
    return render(request, "emergency/event.html", context, status=400)


@login_required
@require_POST
def activate(request, event_id):
    event = services.event_for(request.user, event_id)
    services.require_declarer(request.user, event.region_id)
    try:
        services.activate_event(event, by=request.user)
    except services.EmergencyInputError as error:
        return _refused(request, event, errors=list(error.errors.values()))
    messages.success(request, _("Event active: the 811 screen shows it; register people."))
    return redirect("emergency:event", event_id=event.pk)


@login_required
@require_POST
def change_schedule(request, event_id):
    event = services.event_for(request.user, event_id)
    services.require_declarer(request.user, event.region_id)
    form = ScheduleForm(request.POST, auto_id="schedule-%s")
    if not form.is_valid():
        return _refused(request, event, schedule_form=form, errors=error_texts(form))
    try:
        services.change_schedule(event, form.cleaned_data["schedule"], by=request.user)
    except services.EmergencyInputError as error:
        errors = service_error_texts(form, error.errors)
        return _refused(request, event, schedule_form=form, errors=errors)
    messages.success(request, _("Follow-up schedule changed."))
    return redirect("emergency:event", event_id=event.pk)


@login_required
@require_POST
def register(request, event_id):
    event = services.event_for(request.user, event_id)
    person = None
    if request.POST.get("person"):
        person = records.current_person_for(request.user, request.POST["person"])
    form = AffectedForm(
        request.POST,
        households=services.households_of(event),
        domain_labels=first_level_domain_labels(),
        auto_id="affected-%s",
    )
    if not form.is_valid():
        return _refused(request, event, registration=form, person=person, errors=error_texts(form))
    try:
        affected = services.register_affected_person(
            event, form.affected_input(person), by=request.user
        )
    except services.EmergencyInputError as error:
        errors = service_error_texts(form, error.errors)
        return _refused(request, event, registration=form, person=person, errors=errors)
    messages.success(
        request,
        _("%(name)s registered; %(count)d follow-ups planned.")
        % {"name": affected, "count": len(event.follow_up_offsets_hours)},
    )
    url = reverse("emergency:event", args=[event.pk])
    if affected.household_id:
        url += f"?household={affected.household_id}#register"
    else:
        url += "#register"
    return redirect(url)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def close(request, event_id):
    event = services.event_for(request.user, event_id)
    services.require_declarer(request.user, event.region_id)
    if event.is_closed:
        return redirect("emergency:event", event_id=event.pk)
    if event.status != EventStatus.ACTIVE:  # declared: nothing to close yet
        messages.error(request, _("Only an active event can be closed."))
        return redirect("emergency:event", event_id=event.pk)
    form = CloseForm(request.POST if request.method == "POST" else None, auto_id="close-%s")
    errors: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                services.close_event(event, by=request.user, report=form.cleaned_data["report"])
            except services.EmergencyInputError as error:
                errors = service_error_texts(form, error.errors)
            else:
                messages.success(request, _("Event closed. The follow-ups planned go on."))
                return redirect("emergency:event", event_id=event.pk)
        else:
            errors = error_texts(form)
    labels = first_level_domain_labels()
    figures = services.dashboard(event)
    context = {
        "event": event,
        "form": form,
        "errors": errors,
        "figures": figures,
        "by_need": [(labels.get(code, code), count) for code, count in figures.by_need.items()],
    }
    return render(request, "emergency/close.html", context, status=400 if errors else 200)


# --- affected people and follow-ups -------------------------------------------------------


def _person_context(request, event, affected, **forms) -> dict:
    follow_ups = services.read_affected_person(affected, by=request.user)
    may_record = services.works_on_follow_ups(request.user, event)
    now = timezone.now()
    sent = forms.get("follow_up_form")
    for follow_up in follow_ups:
        follow_up.is_overdue = follow_up.status == FollowUpStatus.DUE and follow_up.due_at < now
        follow_up.form = None
        if may_record and follow_up.status == FollowUpStatus.DUE:
            if sent is not None and sent[0] == follow_up.pk:
                follow_up.form = sent[1]
            else:
                follow_up.form = FollowUpForm(auto_id=f"follow-up-{follow_up.pk}-%s")
    labels = first_level_domain_labels()
    return {
        "event": event,
        "affected": affected,
        "domains": _domain_names(affected.need_domains, labels),
        "follow_ups": follow_ups,
        "may_record": may_record,
        "errors": forms.get("errors") or [],
    }


@login_required
@require_safe
def affected_detail(request, event_id, affected_id):
    event = services.event_for(request.user, event_id)
    affected = services.affected_for(request.user, event, affected_id)
    return render(request, "emergency/person.html", _person_context(request, event, affected))


@login_required
@require_POST
def record_follow_up(request, event_id, follow_up_id):
    event = services.event_for(request.user, event_id)
    follow_up = services.follow_up_for(request.user, follow_up_id)
    affected = follow_up.affected_person
    if affected.event_id != event.pk:
        raise Http404("Not a follow-up of this event")
    services.require_follow_up_worker(request.user, event)
    form = FollowUpForm(request.POST, auto_id=f"follow-up-{follow_up.pk}-%s")
    errors: list[str] = []
    if form.is_valid():
        try:
            services.record_follow_up(
                follow_up,
                by=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                orientation=form.cleaned_data["orientation"],
            )
        except services.EmergencyInputError as error:
            errors = service_error_texts(form, error.errors)
        else:
            messages.success(request, _("Follow-up recorded."))
            if request.POST.get("next") == "tasks":
                return redirect("emergency:tasks")
            return redirect("emergency:person", event_id=event.pk, affected_id=affected.pk)
    else:
        errors = error_texts(form)
    affected = services.affected_for(request.user, event, affected.pk)
    context = _person_context(
        request, event, affected, follow_up_form=(follow_up.pk, form), errors=errors
    )
    return render(request, "emergency/person.html", context, status=400)


@login_required
@require_safe
def tasks(request):
    found = services.tasks_for(request.user)
    for follow_up in (*found.overdue, *found.today, *found.coming):
        follow_up.form = FollowUpForm(auto_id=f"follow-up-{follow_up.pk}-%s")
    context = {
        "overdue": found.overdue,
        "today": found.today,
        "coming": found.coming,
    }
    return render(request, "emergency/tasks.html", context)


@login_required
@require_POST
def link_contact(request, event_id, contact_id):
    """The 811 call is about the event (from the call screen's banner)."""
    event = services.event_for(request.user, event_id)
    episode = contact_for(request.user, contact_id)
    try:
        services.link_contact(event, episode, by=request.user)
    except services.EmergencyInputError as error:
        messages.error(request, " ".join(error.errors.values()))
    else:
        messages.success(request, _("The call is linked to the event."))
    return redirect("intake:call", episode.pk)
