"""Group and collective intervention pages: the activities, an activity (sessions,
facilitators, participants with the waiting list, attendance per session), a project,
and one URL per action (POST). Thin: a form checked, one service action, a redirect; a
refusal said on the page (400) with nothing written."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from proxima.core.forms import error_texts
from proxima.directory.models import Organization
from proxima.directory.services.taxonomy import first_level_domain_labels
from proxima.groups import services
from proxima.groups.forms import (
    ActivityForm,
    AttendanceForm,
    ProjectActivityForm,
    ProjectForm,
    RegisterForm,
    SessionForm,
    StatusForm,
)
from proxima.people.services import records
from proxima.territories.services import region_territories

# --- group activities ---------------------------------------------------------------------


@login_required
@require_safe
def activities(request):
    context = {
        **services.activities_for(request.user),
        "runs_groups": services.runs_groups(request.user),
        "reads_projects": services.reads_projects(request.user),
    }
    return render(request, "groups/activities.html", context)


def _activity_form(request, data=None) -> ActivityForm:
    user = request.user
    return ActivityForm(
        data,
        teams=services.runnable_teams(user),
        territories=region_territories(user.region_id),
        facilitators=services.possible_facilitators(user.region_id).exclude(pk=user.pk),
        domain_labels=first_level_domain_labels(),
        auto_id="activity-%s",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def new_activity(request):
    services.require_runs_groups(request.user)
    form = _activity_form(request, request.POST if request.method == "POST" else None)
    errors: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                activity = services.create_activity(form.activity_input(), by=request.user)
            except services.GroupInputError as error:
                errors = list(error.errors.values())
            else:
                messages.success(request, _("Group activity created."))
                return redirect("groups:activity", activity_id=activity.pk)
        else:
            errors = error_texts(form)
    context = {"form": form, "errors": errors}
    return render(request, "groups/new_activity.html", context, status=400 if errors else 200)


def _activity_context(request, activity, **forms) -> dict:
    user = request.user
    found = services.participants(activity, by=user)
    now = timezone.now()
    runner = services.is_runner(user, activity)
    sessions = list(activity.sessions.all())
    for session in sessions:
        session.has_started = session.starts_at <= now
        session.marks = found.attendance.get(session.pk, {})
        session.present = sum(1 for m in session.marks.values() if m.presence == "present")
        session.form = None
        if runner and session.has_started:
            session.form = forms.get("attendance", {}).get(session.pk) or AttendanceForm(
                registrations=found.registered,
                recorded=session.marks,
                auto_id=f"session-{session.pk}-%s",
            )
    labels = first_level_domain_labels()
    return {
        "activity": activity,
        "participants": found,
        "sessions": sessions,
        "facilitators": activity.facilitators.order_by("last_name", "first_name"),
        "domains": [labels.get(code, code) for code in activity.need_domains],
        "places_left": max(0, activity.capacity - len(found.registered)),
        "is_runner": runner,
        "is_facilitator": services.is_facilitator(user, activity),
        "status_form": forms.get("status_form")
        or StatusForm(initial={"status": activity.status}, auto_id="status-%s"),
        "session_form": forms.get("session_form") or SessionForm(auto_id="session-%s"),
        "errors": forms.get("errors") or [],
    }


@login_required
@require_safe
def activity_detail(request, activity_id):
    activity = services.activity_for(request.user, activity_id)
    return render(request, "groups/activity.html", _activity_context(request, activity))


def _refused(request, activity, **forms):
    """The activity page again (its participants read, audited), with what was refused."""
    activity = services.activity_for(request.user, activity.pk)
    context = _activity_context(request, activity, **forms)
    return render(request, "groups/activity.html", context, status=400)


def _done(request, activity, message: str):
    messages.success(request, message)
    return redirect("groups:activity", activity_id=activity.pk)


@login_required
@require_POST
def set_status(request, activity_id):
    activity = services.activity_for(request.user, activity_id)
    services.require_runner(request.user, activity)
    form = StatusForm(request.POST, auto_id="status-%s")
    if not form.is_valid():
        return _refused(request, activity, status_form=form, errors=error_texts(form))
    services.set_activity_status(activity, form.cleaned_data["status"], by=request.user)
    return _done(request, activity, _("Status changed."))


@login_required
@require_POST
def add_session(request, activity_id):
    activity = services.activity_for(request.user, activity_id)
    services.require_runner(request.user, activity)
    form = SessionForm(request.POST, auto_id="session-%s")
    if not form.is_valid():
        return _refused(request, activity, session_form=form, errors=error_texts(form))
    try:
        services.add_session(
            activity,
            form.cleaned_data["starts_at"],
            form.cleaned_data["duration_minutes"],
            form.cleaned_data["place"],
            by=request.user,
        )
    except services.GroupInputError as error:
        return _refused(request, activity, session_form=form, errors=list(error.errors.values()))
    return _done(request, activity, _("Session added."))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def register(request):
    """Register a person (from their record: ?person=ID) in one of the user's groups."""
    services.require_runs_groups(request.user)
    source = request.POST if request.method == "POST" else request.GET
    if not source.get("person"):
        messages.info(request, _("Find the person's record first, then “Register in a group”."))
        return redirect("people:search")
    person = records.current_person_for(request.user, source.get("person"))
    form = RegisterForm(
        request.POST if request.method == "POST" else None,
        activities=services.open_activities_for(request.user),
        auto_id="register-%s",
    )
    errors: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            activity = form.cleaned_data["activity"]
            try:
                registration = services.register(activity, person, by=request.user)
            except services.GroupInputError as error:
                errors = list(error.errors.values())
            else:
                if registration.status == "waitlisted":
                    messages.warning(
                        request, _("The group is full: the person is on the waiting list.")
                    )
                else:
                    messages.success(request, _("The person is registered in the group."))
                return redirect("groups:activity", activity_id=activity.pk)
        else:
            errors = error_texts(form)
    records.note_person_shown(request.user, person, reason="group registration")
    context = {"person": person, "form": form, "errors": errors}
    return render(request, "groups/register.html", context, status=400 if errors else 200)


@login_required
@require_POST
def withdraw(request, activity_id, registration_id):
    activity = services.activity_for(request.user, activity_id)
    registration = services.registration_for(activity, registration_id)
    try:
        promoted = services.withdraw(registration, by=request.user)
    except services.GroupInputError as error:
        return _refused(request, activity, errors=list(error.errors.values()))
    message = _("Withdrawn from the group.")
    if promoted is not None:
        message += " " + _("%(name)s got the place (from the waiting list).") % {
            "name": promoted.person
        }
    return _done(request, activity, message)


@login_required
@require_POST
def record_attendance(request, activity_id, session_id):
    activity = services.activity_for(request.user, activity_id)
    session = services.session_for(activity, session_id)
    services.require_runner(request.user, activity)
    registered = activity.registrations.filter(status="registered").select_related("person")
    recorded = {a.registration_id: a for a in session.attendance.all()}
    form = AttendanceForm(
        request.POST,
        registrations=registered,
        recorded=recorded,
        auto_id=f"session-{session.pk}-%s",
    )
    sent = {"attendance": {session.pk: form}}
    if not form.is_valid():
        return _refused(request, activity, errors=error_texts(form), **sent)
    try:
        services.record_attendance(session, form.marks(), by=request.user)
    except services.GroupInputError as error:
        return _refused(request, activity, errors=list(error.errors.values()), **sent)
    return _done(request, activity, _("Attendance recorded."))


# --- collective projects ------------------------------------------------------------------


@login_required
@require_safe
def projects(request):
    services.require_project_reader(request.user)
    labels = first_level_domain_labels()
    rows = list(services.projects_visible_to(request.user).select_related("territory"))
    for project in rows:
        project.domain_labels = [labels.get(code, code) for code in project.need_domains]
    context = {"projects": rows, "edits_projects": services.edits_projects(request.user)}
    return render(request, "groups/projects.html", context)


def _project_form(request, data=None) -> ProjectForm:
    return ProjectForm(
        data,
        territories=region_territories(request.user.region_id),
        organizations=Organization.objects.order_by("name"),
        domain_labels=first_level_domain_labels(),
        auto_id="project-%s",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def new_project(request):
    services.require_project_editor(request.user)
    form = _project_form(request, request.POST if request.method == "POST" else None)
    errors: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                project = services.create_project(form.project_input(), by=request.user)
            except services.GroupInputError as error:
                errors = list(error.errors.values())
            else:
                messages.success(request, _("Collective project recorded."))
                return redirect("groups:project", project_id=project.pk)
        else:
            errors = error_texts(form)
    context = {"form": form, "errors": errors}
    return render(request, "groups/new_project.html", context, status=400 if errors else 200)


def _project_context(request, project, **forms) -> dict:
    labels = first_level_domain_labels()
    activities = list(project.activities.all())
    return {
        "project": project,
        "domains": [labels.get(code, code) for code in project.need_domains],
        "partners": project.partners.order_by("name"),
        "activities": activities,
        "participations": sum(a.participants for a in activities),
        "may_edit": services.edits_projects(request.user, project.region_id),
        "activity_form": forms.get("activity_form")
        or ProjectActivityForm(
            initial={"held_on": timezone.localdate().isoformat()}, auto_id="project-activity-%s"
        ),
        "errors": forms.get("errors") or [],
    }


@login_required
@require_safe
def project_detail(request, project_id):
    project = services.project_for(request.user, project_id)
    return render(request, "groups/project.html", _project_context(request, project))


@login_required
@require_POST
def add_project_activity(request, project_id):
    project = services.project_for(request.user, project_id)
    services.require_project_editor(request.user, project.region_id)
    form = ProjectActivityForm(request.POST, auto_id="project-activity-%s")
    errors: list[str] = []
    if form.is_valid():
        try:
            services.add_project_activity(
                project,
                form.cleaned_data["held_on"],
                form.cleaned_data["description"],
                form.cleaned_data["participants"],
                by=request.user,
            )
        except services.GroupInputError as error:
            errors = list(error.errors.values())
        else:
            messages.success(request, _("Activity added to the project."))
            return redirect("groups:project", project_id=project.pk)
    else:
        errors = error_texts(form)
    context = _project_context(request, project, activity_form=form, errors=errors)
    return render(request, "groups/project.html", context, status=400)
