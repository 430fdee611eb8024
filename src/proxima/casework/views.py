"""Casework pages: the caseload, the coaching requests to one's teams, a case, and one
URL per action on it (POST). Thin: a form checked, one service action, a redirect; a
refusal said on the case page (400) with nothing written."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from proxima.casework import services
from proxima.casework.forms import (
    AddendumForm,
    AnswerForm,
    CloseForm,
    CoachingForm,
    CoWorkerForm,
    NextActionForm,
    NoteForm,
    OpenCaseForm,
    PlanForm,
)
from proxima.casework.models import CoachingStatus
from proxima.core.forms import error_texts
from proxima.core.shortcuts import get_from_request
from proxima.intake.services.episodes import visible_to as contacts_visible_to
from proxima.people.services import records


@login_required
@require_safe
def caseload(request):
    mine, others = services.caseload(request.user)
    context = {
        "mine": mine,
        "others": others,
        "closed": services.recently_closed(request.user),
        "keeps_caseload": services.keeps_caseload(request.user),
    }
    return render(request, "casework/caseload.html", context)


@login_required
@require_safe
def coaching_inbox(request):
    context = {
        "requests": services.coaching_inbox(request.user),
        "asked": CoachingStatus.ASKED,
    }
    return render(request, "casework/coaching.html", context)


def _episode_asked(request, person):
    """The contact named (?episode=ID) when the user may read it and it is the person's."""
    value = request.POST.get("episode") or request.GET.get("episode")
    if not value:
        return None
    return get_from_request(contacts_visible_to(request.user).filter(person=person), value)


@login_required
def open_case(request):
    services.require_keeper(request.user)
    source = request.POST if request.method == "POST" else request.GET
    if not source.get("person"):
        messages.info(request, _("Find the person's record first, then “Open a follow-up”."))
        return redirect("people:search")
    person = records.current_person_for(request.user, source.get("person"))
    episode = _episode_asked(request, person)
    form = OpenCaseForm(
        request.POST or None, teams=services.openable_teams(request.user), auto_id="case-%s"
    )
    errors: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                case = services.open_case(
                    person,
                    by=request.user,
                    plan=form.cleaned_data["plan"],
                    team=form.cleaned_data["team"],
                    episode=episode,
                )
            except services.CaseInputError as error:
                errors = list(error.errors.values())
            else:
                messages.success(request, _("Case opened."))
                return redirect("casework:case", case_id=case.pk)
        else:
            errors = error_texts(form)
    records.note_person_shown(request.user, person, reason="new case")
    context = {"person": person, "episode": episode, "form": form, "errors": errors}
    return render(request, "casework/open.html", context, status=400 if errors else 200)


def _note_forms(notes, user, sent: dict) -> list:
    """Each note with the forms its reader may use: the author's draft, its change form;
    a signed note, the addendum form."""
    for note in notes:
        key = str(note.pk)
        note.change_form = None
        note.addendum_form = None
        if note.signed_at is None and note.written_by_id == user.pk:
            note.change_form = sent.get(("change", key)) or NoteForm(
                initial={
                    "intervention_type": note.intervention_type,
                    "duration_minutes": note.duration_minutes,
                    "place": note.place,
                    "happened_on": note.happened_on.isoformat(),
                    "text": note.text,
                },
                auto_id=f"note-{key}-%s",
            )
        elif note.signed_at is not None:
            note.addendum_form = sent.get(("addendum", key)) or AddendumForm(
                auto_id=f"addendum-{key}-%s"
            )
    return notes


def _case_context(request, case, **forms) -> dict:
    user = request.user
    worker = services.is_worker(user, case)
    requests = list(
        case.coaching_requests.select_related("team", "asked_by", "answered_by").order_by(
            "-asked_at"
        )
    )
    for coaching in requests:
        coaching.may_answer = coaching.status == CoachingStatus.ASKED and services.can_answer(
            user, coaching
        )
        coaching.answer_form = (
            forms.get("answer_forms", {}).get(str(coaching.pk))
            or AnswerForm(auto_id=f"answer-{coaching.pk}-%s")
            if coaching.may_answer
            else None
        )
    today = timezone.localdate()
    actions = list(case.next_actions.select_related("created_by", "done_by"))
    for action in actions:
        action.overdue = action.done_at is None and action.due_on < today
    teams = services.interprofessional_teams(case.region_id)
    return {
        "case": case,
        "is_worker": worker,
        "may_write": worker and case.is_open,
        "may_assign": case.is_open and services.can_assign(user, case),
        "workers": case.case_workers.select_related("user"),
        "actions": actions,
        "notes": _note_forms(services.notes_of(case), user, forms.get("sent", {})),
        "coaching": requests,
        "plan_form": forms.get("plan_form")
        or PlanForm(initial={"plan": case.plan}, auto_id="plan-%s"),
        "action_form": forms.get("action_form") or NextActionForm(auto_id="action-%s"),
        "note_form": forms.get("note_form")
        or NoteForm(initial={"happened_on": today.isoformat()}, auto_id="note-%s"),
        "co_worker_form": forms.get("co_worker_form")
        or CoWorkerForm(workers=services.possible_co_workers(case), auto_id="worker-%s"),
        "coaching_form": forms.get("coaching_form")
        or CoachingForm(teams=teams, auto_id="coaching-%s"),
        "errors": forms.get("errors") or [],
    }


@login_required
@require_safe
def case_detail(request, case_id):
    case = services.read_case(case_id, by=request.user)
    return render(request, "casework/case.html", _case_context(request, case))


def _refused(request, case, **forms):
    """The case page again (a read, audited), with what was refused: 400."""
    case = services.read_case(case.pk, by=request.user)
    return render(request, "casework/case.html", _case_context(request, case, **forms), status=400)


def _done(request, case, message: str):
    messages.success(request, message)
    return redirect("casework:case", case_id=case.pk)


@login_required
@require_POST
def set_plan(request, case_id):
    case = services.case_for(request.user, case_id)
    services.require_worker(request.user, case)
    form = PlanForm(request.POST, auto_id="plan-%s")
    if not form.is_valid():
        return _refused(request, case, plan_form=form, errors=error_texts(form))
    try:
        services.set_plan(case, form.cleaned_data["plan"], by=request.user)
    except services.CaseInputError as error:
        return _refused(request, case, plan_form=form, errors=list(error.errors.values()))
    return _done(request, case, _("Plan saved."))


@login_required
@require_POST
def add_next_action(request, case_id):
    case = services.case_for(request.user, case_id)
    services.require_worker(request.user, case)
    form = NextActionForm(request.POST, auto_id="action-%s")
    if not form.is_valid():
        return _refused(request, case, action_form=form, errors=error_texts(form))
    try:
        services.add_next_action(
            case, form.cleaned_data["text"], form.cleaned_data["due_on"], by=request.user
        )
    except services.CaseInputError as error:
        return _refused(request, case, action_form=form, errors=list(error.errors.values()))
    return _done(request, case, _("Next action added."))


@login_required
@require_POST
def complete_next_action(request, case_id, action_id):
    case = services.case_for(request.user, case_id)
    action = services.next_action_for(case, action_id)
    try:
        services.complete_next_action(action, by=request.user)
    except services.CaseInputError as error:
        return _refused(request, case, errors=list(error.errors.values()))
    return _done(request, case, _("Next action done."))


@login_required
@require_POST
def add_co_worker(request, case_id):
    case = services.case_for(request.user, case_id)
    if not services.can_assign(request.user, case):
        services.require_worker(request.user, case)
    form = CoWorkerForm(
        request.POST, workers=services.possible_co_workers(case), auto_id="worker-%s"
    )
    if not form.is_valid():
        return _refused(request, case, co_worker_form=form, errors=error_texts(form))
    try:
        services.add_co_worker(
            case, form.cleaned_data["worker"], by=request.user, role=form.cleaned_data["role"]
        )
    except services.CaseInputError as error:
        return _refused(request, case, co_worker_form=form, errors=list(error.errors.values()))
    return _done(request, case, _("Worker added to the case."))


@login_required
@require_POST
def write_note(request, case_id):
    case = services.case_for(request.user, case_id)
    services.require_worker(request.user, case)
    form = NoteForm(request.POST, auto_id="note-%s")
    if not form.is_valid():
        return _refused(request, case, note_form=form, errors=error_texts(form))
    try:
        services.write_note(case, form.note_input(), by=request.user)
    except services.CaseInputError as error:
        return _refused(request, case, note_form=form, errors=list(error.errors.values()))
    return _done(request, case, _("Note saved as a draft: sign it once it is final."))


@login_required
@require_POST
def change_note(request, case_id, note_id):
    case = services.case_for(request.user, case_id)
    note = services.note_for(case, note_id)
    services.require_worker(request.user, case)
    form = NoteForm(request.POST, auto_id=f"note-{note.pk}-%s")
    sent = {"sent": {("change", str(note.pk)): form}}
    if not form.is_valid():
        return _refused(request, case, errors=error_texts(form), **sent)
    try:
        services.change_note(note, form.note_input(), by=request.user)
    except services.CaseInputError as error:
        return _refused(request, case, errors=list(error.errors.values()), **sent)
    return _done(request, case, _("Draft note saved."))


@login_required
@require_POST
def discard_note(request, case_id, note_id):
    case = services.case_for(request.user, case_id)
    note = services.note_for(case, note_id)
    try:
        services.discard_note(note, by=request.user)
    except services.CaseInputError as error:
        return _refused(request, case, errors=list(error.errors.values()))
    return _done(request, case, _("Draft note discarded."))


@login_required
@require_POST
def sign_note(request, case_id, note_id):
    case = services.case_for(request.user, case_id)
    note = services.note_for(case, note_id)
    try:
        services.sign_note(note, by=request.user)
    except services.CaseInputError as error:
        return _refused(request, case, errors=list(error.errors.values()))
    return _done(request, case, _("Note signed: it can no longer be changed."))


@login_required
@require_POST
def add_addendum(request, case_id, note_id):
    case = services.case_for(request.user, case_id)
    note = services.note_for(case, note_id)
    services.require_worker(request.user, case)
    form = AddendumForm(request.POST, auto_id=f"addendum-{note.pk}-%s")
    sent = {"sent": {("addendum", str(note.pk)): form}}
    if not form.is_valid():
        return _refused(request, case, errors=error_texts(form), **sent)
    try:
        services.add_addendum(note, form.cleaned_data["text"], by=request.user)
    except services.CaseInputError as error:
        return _refused(request, case, errors=list(error.errors.values()), **sent)
    return _done(request, case, _("Addendum added to the note."))


@login_required
@require_POST
def request_coaching(request, case_id):
    case = services.case_for(request.user, case_id)
    services.require_worker(request.user, case)
    teams = services.interprofessional_teams(case.region_id)
    form = CoachingForm(request.POST, teams=teams, auto_id="coaching-%s")
    if not form.is_valid():
        return _refused(request, case, coaching_form=form, errors=error_texts(form))
    try:
        services.request_coaching(
            case, form.cleaned_data["team"], form.cleaned_data["question"], by=request.user
        )
    except services.CaseInputError as error:
        return _refused(request, case, coaching_form=form, errors=list(error.errors.values()))
    return _done(request, case, _("Coaching requested from the interprofessional team."))


@login_required
@require_POST
def answer_coaching(request, case_id, request_id):
    case = services.case_for(request.user, case_id)
    coaching = services.coaching_for(case, request_id)
    if not services.can_answer(request.user, coaching):
        raise PermissionDenied(_("Only the members of the team asked may answer."))
    form = AnswerForm(request.POST, auto_id=f"answer-{coaching.pk}-%s")
    sent = {"answer_forms": {str(coaching.pk): form}}
    if not form.is_valid():
        return _refused(request, case, errors=error_texts(form), **sent)
    try:
        services.answer_coaching(coaching, form.cleaned_data["answer"], by=request.user)
    except services.CaseInputError as error:
        return _refused(request, case, errors=list(error.errors.values()), **sent)
    return _done(request, case, _("Answer sent."))


@login_required
def close_case(request, case_id):
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    case = services.case_for(request.user, case_id)
    services.require_worker(request.user, case)
    form = CloseForm(request.POST or None, auto_id="close-%s")
    errors: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                services.close_case(
                    case,
                    by=request.user,
                    reason=form.cleaned_data["closing_reason"],
                    orientation=form.cleaned_data["orientation"],
                    summary=form.cleaned_data["closing_note"],
                )
            except services.CaseInputError as error:
                errors = list(error.errors.values())
            else:
                return _done(request, case, _("Case closed."))
        else:
            errors = error_texts(form)
    case = services.read_case(case.pk, by=request.user, reason="closing")
    context = {"case": case, "form": form, "errors": errors}
    return render(request, "casework/close.html", context, status=400 if errors else 200)
