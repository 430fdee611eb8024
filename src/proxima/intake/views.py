"""The contact screen (811 and every other door): keyboard first, autosaved, with the
risk screens, needs, matched resources, escalation actions, orientation and closing."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from proxima.core.forms import moment_or_error
from proxima.core.shortcuts import get_from_request
from proxima.directory import presenters
from proxima.directory.models import Service
from proxima.directory.services.crisis import EMERGENCY_NUMBERS, detect_crisis
from proxima.intake import forms
from proxima.intake.models import (
    Channel,
    ContactEpisode,
    Escalation,
    OrientationKind,
    Priority,
    risk_level_label,
)
from proxima.intake.services import drafts, episodes, summaries
from proxima.intake.services.questionnaires import ScreeningInputError, questionnaire
from proxima.matching.services import MatchConstraints, match
from proxima.people.forms import date_or_error
from proxima.people.services import records
from proxima.teams.services import team_choices

MAX_RESOURCES_AT_ONCE = 20  # orientations recorded in one save


def _require_staff(request) -> None:
    episodes.require_taker(request.user)


@login_required
def home(request):
    """The worker's open contacts and the button to take a new one."""
    _require_staff(request)
    open_contacts = (
        episodes.visible_to(request.user)
        .filter(taken_by=request.user, closed_at__isnull=True)
        .order_by("-started_at")[:50]
    )
    channels = [(code, label) for code, label in Channel.choices if code != Channel.PHONE_811]
    return render(request, "intake/home.html", {"contacts": open_contacts, "channels": channels})


@login_required
@require_POST
def new_call(request):
    try:
        episode = episodes.open_episode(
            by=request.user, channel=request.POST.get("channel", "phone_811"), reason=""
        )
    except ScreeningInputError as error:
        for text in error.errors.values():
            messages.error(request, text)
        return redirect("intake:home")
    return redirect("intake:call", episode_id=episode.pk)


def _latest_outcomes(episode: ContactEpisode) -> dict[str, dict]:
    latest: dict[str, dict] = {}
    for screening in episode.screenings.select_related("questionnaire").order_by(
        "recorded_at", "id"
    ):
        latest[screening.questionnaire.code] = screening.outcome
    return latest


def _matches(episode: ContactEpisode, outcomes: dict, draft: dict) -> dict:
    needs = outcomes.get(forms.NEEDS_QUESTIONNAIRE, {}).get("needs", {})
    if not needs:
        return {}
    constraints = MatchConstraints(
        postal_code=draft.get("postal_code", "")
        if isinstance(draft.get("postal_code"), str)
        else "",
        barriers=forms.barriers_from(draft),
        language=episode.language if episode.language in ("fr", "en") else "",
        per_need=3,
    )
    try:
        return match(needs, episode.person, constraints)
    except ValueError:
        return match(needs, episode.person, MatchConstraints(per_need=3))


def _handle_post(request, episode: ContactEpisode) -> None:
    action = request.POST.get("action")
    by = request.user
    if action == "screen":
        # Every answer read (and refused, naming the question) before anything is written;
        # all written or none.
        codes = (*forms.RISK_QUESTIONNAIRES, forms.NEEDS_QUESTIONNAIRE)
        answers, errors = {}, {}
        for code in codes:
            try:
                answers[code] = forms.answers_from(questionnaire(code), request.POST)
            except ScreeningInputError as error:
                errors.update(error.errors)
        if errors:
            raise ScreeningInputError(errors)
        fields = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        with transaction.atomic():
            episodes.update_reason(
                episode, request.POST.get("reason", ""), request.POST.get("language", "fr"), by=by
            )
            for code in codes:
                episodes.record_screening(episode, code, answers[code], by=by)
            episodes.record_barriers(episode, forms.barriers_from(request.POST), by=by)
            drafts.save_draft(episode, fields, by=by)
    elif action == "escalation_action":
        escalation = get_from_request(
            Escalation.objects.filter(episode=episode), request.POST.get("escalation")
        )
        episodes.record_escalation_action(
            escalation,
            request.POST.get("what", ""),
            by=by,
            taken_at=moment_or_error(
                request.POST.get("taken_at"), "taken_at", error=ScreeningInputError
            ),
            note=request.POST.get("note", ""),
        )
    elif action == "orient":
        kind = request.POST.get("kind", "")
        # Several resources at once (one orientation each; with the priority, all or none
        # written); each named must be an active listing of the directory.
        asked = list(dict.fromkeys(v for v in request.POST.getlist("service") if v))
        if len(asked) > MAX_RESOURCES_AT_ONCE:
            raise ScreeningInputError(
                {"service": _("At most %d resources at once.") % MAX_RESOURCES_AT_ONCE}
            )
        chosen = list(Service.objects.filter(pk__in=asked, status="active"))
        if len(chosen) != len(asked):
            raise ScreeningInputError({"service": _("Unknown or inactive resource.")})
        with transaction.atomic():
            if request.POST.get("priority"):
                episodes.set_priority(episode, request.POST["priority"], by=by)
            for service in chosen or [None]:
                episodes.record_orientation(
                    episode,
                    kind,
                    by=by,
                    team=request.POST.get("team", ""),
                    service=service,
                    note=request.POST.get("orientation_note", ""),
                )
    elif action == "person":
        data = records.PersonInput(
            given_name=request.POST.get("given_name", ""),
            family_name=request.POST.get("family_name", ""),
            birth_date=date_or_error(request.POST.get("birth_date", ""), "birth_date"),
            postal_code=request.POST.get("person_postal_code", ""),
            language=episode.language,
        )
        person = records.create_person(
            data, by=by, confirmed_new=request.POST.get("confirmed_new") == "1"
        )
        episodes.link_person(episode, person, by=by)
    elif action == "link_person":
        person = records.person_for(by, request.POST.get("person"))
        episodes.link_person(episode, person, by=by)
    elif action == "close":
        if forms.has_unsaved_screens(episode, drafts.load_draft(episode, by=by)):
            raise ScreeningInputError(
                {
                    "close": _(
                        "The screens have answers not saved: save the screening "
                        "(Ctrl+Enter) before closing."
                    )
                }
            )
        episodes.close_episode(episode, by=by)
        drafts.discard_draft(episode, by=by)
    else:
        raise ScreeningInputError({"action": _("Unknown action.")})


def _summary_page(request, episode, *, errors=None, sent_form=None):
    from proxima.referrals.models import Referral

    episodes.read_contact(episode, by=request.user, reason="contact summary")
    orientations = list(episode.orientations.select_related("service__organization", "team"))
    services = [o.service for o in orientations if o.service_id]
    person = episode.person
    context = {
        "episode": episode,
        "orientations": orientations,
        "cards": presenters.result_cards(services, timezone.now()),
        "referrals": Referral.objects.filter(episode=episode).select_related(
            "target_organization", "service"
        ),
        "emergency_numbers": EMERGENCY_NUMBERS if episode.escalations.exists() else (),
        "send_channels": summaries.channels(),
        "send_items": summaries.items_of(episode),
        "sent": episode.summaries_sent.all(),
        "errors": errors or {},
        # What the worker chose, else the record's address (its email, else its phone
        # by text where texts can go) and every line but the sensitive ones.
        "send_form": sent_form or _default_send_form(person),
    }
    return render(request, "intake/summary.html", context, status=400 if errors else 200)


def _default_send_form(person) -> dict:
    by_text = "sms" in dict(summaries.channels())
    if person and not person.email and person.phone and by_text:
        return {"channel": "sms", "to": person.phone, "items": None}
    return {"channel": "email", "to": person.email if person else "", "items": None}


@login_required
def summary(request, episode_id):
    """What the caller was told, to read back: the resources given (with their number and
    today's hours), the referrals made, the priority; printable, and sent to the person
    by email or text where they ask and agree."""
    return _summary_page(request, episodes.contact_for(request.user, episode_id))


@login_required
@require_POST
def send_summary(request, episode_id):
    episode = episodes.contact_for(request.user, episode_id)
    form = {
        "channel": request.POST.get("channel", ""),
        "to": request.POST.get("to", ""),
        "items": request.POST.getlist("item"),
    }
    try:
        sent = summaries.send_summary(
            episode,
            by=request.user,
            channel=form["channel"],
            to=form["to"],
            consented=request.POST.get("consented") == "on",
            keys=form["items"],
        )
    except ScreeningInputError as error:
        return _summary_page(request, episode, errors=error.errors, sent_form=form)
    messages.success(
        request,
        _("Summary sent %(how)s to %(to)s.")
        % {"how": sent.get_channel_display(), "to": sent.to_hint},
    )
    return redirect("intake:summary", episode_id=episode.pk)


@login_required
def call(request, episode_id):
    episode = episodes.contact_for(request.user, episode_id)
    errors: list[str] = []
    candidates = []
    if request.method == "POST":
        try:
            _handle_post(request, episode)
        except (ScreeningInputError, records.PersonInputError) as error:
            errors = list(error.errors.values())
        except records.PossibleDuplicates as found:
            candidates = found.candidates
        except episodes.EpisodeCannotClose as refused:
            errors = [_("Record these actions before closing:"), *refused.missing]
        else:
            if not episode.is_open:
                messages.success(request, _("Contact closed."))
                return redirect("intake:summary", episode_id=episode.pk)
            back = reverse("intake:call", args=[episode.pk])
            # Back where the worker was: the orientations recorded, or the top.
            return redirect(
                back + ("#orient-title" if request.POST.get("action") == "orient" else "")
            )
        if candidates:
            errors = []
    episodes.read_contact(episode, by=request.user, reason="contact screen")
    draft = drafts.load_draft(episode, by=request.user) if episode.is_open else {}
    outcomes = _latest_outcomes(episode)
    matches = _matches(episode, outcomes, draft)
    context = {
        "episode": episode,
        "draft": draft,
        "risk_screens": [
            (
                forms.title_of(questionnaire(code)),
                forms.screen_items(questionnaire(code)),
                _recorded(outcomes.get(code)),
            )
            for code in forms.RISK_QUESTIONNAIRES
        ],
        "needs_items": forms.screen_items(questionnaire(forms.NEEDS_QUESTIONNAIRE)),
        "outcomes": outcomes,
        "escalations": [
            (
                escalation,
                [(a, episodes.ACTION_LABELS[a]) for a in escalation.required_actions],
                [
                    (episodes.ACTION_LABELS.get(d.action, d.action), d.taken_at)
                    for d in escalation.actions.all()
                ],
            )
            for escalation in episode.escalations.prefetch_related("actions")
        ],
        "missing": episodes.missing_actions(episode),
        # What the caller said (saved, or in the autosaved draft) speaks of a crisis, or
        # a risk screen escalated: the numbers stay in sight until the contact is closed.
        "emergency_numbers": EMERGENCY_NUMBERS
        if episode.is_open
        and (
            detect_crisis(episode.reason)
            or (isinstance(draft.get("reason"), str) and detect_crisis(draft["reason"]))
            or episode.escalations.exists()
        )
        else (),
        "matches": matches,
        # Each resource once, whichever needs it answers.
        "resources": list(
            {m.service.id: m.service for found in matches.values() for m in found}.values()
        ),
        "cards": presenters.result_cards(
            [m.service for found in matches.values() for m in found], timezone.now()
        ),
        **_priority_suggestion(episode),
        "priorities": Priority.choices,
        "orientation_kinds": OrientationKind.choices,
        "teams": team_choices(episode.region_id),
        "barriers": [
            ("transport", _("No transport")),
            ("cost", _("Money")),
            ("language", _("Language")),
            ("fear", _("Fear of being judged")),
        ],
        "errors": errors,
        "candidates": candidates,
        "person_fields": request.POST if candidates else {},
    }
    return render(request, "intake/call.html", context, status=400 if errors else 200)


def _recorded(outcome: dict | None) -> dict | None:
    """What the last saved screen found, to show beside it: its level in words and how
    many questions were left "not asked"."""
    if outcome is None:
        return None
    level, not_asked = outcome.get("level", "none"), len(outcome.get("not_asked", []))
    if level == "none" and not outcome.get("answered", 1):
        label = _("not done (no question asked)")
    elif level == "none" and not_asked:
        label = _("no risk found in the questions asked")
    else:
        label = risk_level_label(level)
    return {"level": label, "not_asked": not_asked}


def _priority_suggestion(episode) -> dict:
    """The priority the screens point to: the one set, else "immediate" when a risk screen
    escalated (and why); else none (the worker chooses: no default to immediate)."""
    escalated = episode.escalations.exists()
    if episode.priority and not (escalated and episode.priority == Priority.IMMEDIATE):
        return {"suggested_priority": episode.priority, "suggestion_reason": ""}
    if escalated:
        return {
            "suggested_priority": Priority.IMMEDIATE,
            "suggestion_reason": _("Suggested by the risk screen: a risk was found."),
        }
    return {"suggested_priority": "", "suggestion_reason": ""}


FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _draft_fields(request) -> dict:
    """The fields to keep: JSON from the page's script, or form fields from a browser
    posting the form itself (or navigator.sendBeacon)."""
    if request.content_type in FORM_TYPES:
        return {
            name: values[0] if len(values) == 1 else values
            for name, values in request.POST.lists()
            if name != "csrfmiddlewaretoken"
        }
    try:
        return json.loads(request.body or b"{}")
    except (ValueError, RecursionError):  # not UTF-8, not JSON, nested beyond reason
        raise ScreeningInputError({"draft": _("The draft is not readable JSON.")}) from None


def _plain(text: str, status: int) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


@login_required
@require_POST
def save_call_draft(request, episode_id):
    """Autosave (every few seconds, from the page's script)."""
    episode = episodes.contact_for(request.user, episode_id)
    if request.content_type not in (*FORM_TYPES, "application/json"):
        return _plain(_("Send the draft as JSON or as form fields."), 415)
    try:
        draft = drafts.save_draft(episode, _draft_fields(request), by=request.user)
    except ScreeningInputError as error:
        return _plain(" ".join(error.errors.values()), 400)
    reason = draft.data.get("reason")
    if episode.is_open and isinstance(reason, str) and detect_crisis(reason):
        # What is being typed speaks of a crisis: the numbers, for the page to show now.
        numbers = {"numbers": EMERGENCY_NUMBERS, "steady": False}
        return HttpResponse(render_to_string("directory/_emergency_numbers.html", numbers))
    return HttpResponse(status=204)
