"""Referral pages: the inbox (received, sent, the region's for coordinators), a referral
with what its side may see and do, a new referral (from a contact or a person), and
notifications. Rules, consent and audit live in the services."""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from proxima.core import formats
from proxima.core.forms import moment_or_error, whole_number
from proxima.core.roles import is_network_staff
from proxima.directory.models import Service
from proxima.intake.models import Priority
from proxima.intake.services import episodes
from proxima.intake.services.questionnaires import need_label
from proxima.matching.services import DIRECTORY_DOMAINS
from proxima.people.models import InformationCategory
from proxima.people.services import records
from proxima.referrals.lifecycle import OPEN, Outcome, RejectReason, Side, Status, next_statuses
from proxima.referrals.models import Notification, Referral
from proxima.referrals.services import access, sharing, workflow
from proxima.teams.services import team_choices


def _default_box(user) -> str:
    if access.oversees_region(user):
        return "region"
    return "received" if access.received_by(user).exists() else "sent"


@login_required
def inbox(request):
    """Referrals with filters and counts; overdue ones first within each status."""
    if not access.can_use_referrals(request.user):
        raise PermissionDenied
    box = request.GET.get("box") or _default_box(request.user)
    if box not in access.BOXES:
        box = "received"
    referrals = access.inbox(request.user, box)
    counts = dict(referrals.values_list("status").annotate(n=Count("pk")))
    status = request.GET.get("status", "open")
    if status == "open":
        referrals = referrals.filter(status__in=OPEN)
    elif status in Status.values:
        referrals = referrals.filter(status=status)
    now = timezone.now()
    if request.GET.get("overdue"):
        referrals = referrals.filter(status=Status.REQUESTED, response_due_at__lt=now)
    rows = list(
        referrals.select_related(
            "target_organization",
            "target_team",
            "requester",
            "requester_team",
            "requester_organization",
            "person",
            "service",
        ).order_by("response_due_at", "-requested_at")[:200]
    )
    names = sharing.names_in_list(rows, by=request.user)
    for row in rows:
        row.shown_name = names[row.pk]
    context = {
        "box": box,
        "boxes": access.boxes_of(request.user),
        "rows": rows,
        "now": now,
        "status": status,
        "statuses": Status.choices,
        "counts": counts,
        "open_count": sum(counts.get(s, 0) for s in OPEN),
        "overdue": bool(request.GET.get("overdue")),
        "reasons": RejectReason.choices,
        "default_appointment": _next_working_morning(now),
    }
    return render(request, "referrals/inbox.html", context)


def _next_working_morning(now: datetime) -> str:
    """Tomorrow (or Monday) at 9:00, local time, as a datetime-local value."""
    day = timezone.localtime(now).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(9, 0)).strftime("%Y-%m-%dT%H:%M")


def _appointment(value: str):
    """The appointment typed (local time), None if none; a date that does not exist is
    a form error."""
    return moment_or_error(value, "first_appointment_at", error=workflow.ReferralInputError)


def _act(request, referral: Referral) -> str:
    """Carry out one posted action on the referral; returns the message to show."""
    action = request.POST.get("action", "")
    version = whole_number(request.POST.get("version")) or 0  # 0, unreadable: always stale
    by = request.user
    if action == "send":
        workflow.send(
            referral,
            by=by,
            version=version,
            acknowledge_duplicates=request.POST.get("acknowledge") == "1",
        )
        return _("Referral sent.")
    if action == "message":
        sharing.post_message(
            referral,
            request.POST.get("body", ""),
            by=by,
            category=request.POST.get("category", InformationCategory.FOLLOW_UP),
        )
        return _("Message sent.")
    if action == "status":
        new_status = request.POST.get("status", "")
        workflow.transition(
            referral,
            new_status,
            by=by,
            version=version,
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
            first_appointment_at=_appointment(request.POST.get("first_appointment_at", "")),
            outcome=request.POST.get("outcome", ""),
        )
        return _("Referral updated: %s.") % dict(Status.choices)[new_status]
    raise PermissionDenied(_("Unknown action."))


@login_required
def detail(request, referral_id):
    referral = access.referral_for(
        request.user,
        referral_id,
        Referral.objects.select_related(
            "target_organization", "target_team", "service", "person", "parent"
        ),
    )
    errors: list[str] = []
    warnings: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            done = _act(request, referral)
        except workflow.ReferralInputError as error:
            errors, status = list(error.errors.values()), 400
        except workflow.PossibleDuplicateReferral as warned:
            warnings = warned.warnings
        except workflow.ReferralConflict as conflict:
            errors = [
                _(
                    "Someone else changed this referral in the meantime (it is now %s). "
                    "Here it is as it stands; check before acting again."
                )
                % conflict.referral.get_status_display()
            ]
            status = 409
        else:
            messages.success(request, done)
            if request.POST.get("next") == "inbox":
                return redirect("referrals:inbox")
            return redirect("referrals:detail", referral_id=referral.pk)
        referral.refresh_from_db()
    view = sharing.view_referral(referral, by=request.user)
    side = view.side
    Notification.objects.filter(user=request.user, referral=referral, read_at=None).update(
        read_at=timezone.now()
    )
    context = {
        "view": view,
        "referral": referral,
        "side": side,
        "next_statuses": _shown_statuses(referral.status, side),
        "errors": errors,
        "warnings": warnings,
        "consent_problem": workflow.consent_problem(referral)
        if referral.status == Status.DRAFT
        else "",
        "reasons": RejectReason.choices,
        "outcomes": Outcome.choices,
        "categories": InformationCategory.choices,
        "events": referral.events.select_related("actor"),
        "chain": _chain(referral, request.user),
        "default_appointment": _next_working_morning(timezone.now()),
        "can_pass_on": side == Side.TARGET
        and referral.status in {Status.ACCEPTED, Status.IN_PROGRESS, Status.ON_HOLD},
    }
    return render(request, "referrals/detail.html", context, status=status)


def _chain(referral: Referral, user) -> list[tuple[Referral, bool]]:
    """The referrals this one was passed on from, oldest first, each with whether this
    user may open it (a receiver down the chain sees who passed it on, not their file)."""
    chain = []
    parent = referral.parent
    while parent is not None:
        chain.insert(0, parent)
        parent = parent.parent
    readable = set(
        access.visible_to(user).filter(pk__in=[p.pk for p in chain]).values_list("pk", flat=True)
    )
    return [(p, p.pk in readable) for p in chain]


def _shown_statuses(current: str, side) -> list[str]:
    """The statuses offered as buttons. The IG lets the receiving side cancel too (the API
    and FHIR imports follow it), but on the page the receiver declines before accepting
    and says "could not be done" after: "Cancel the referral" is the sender's button."""
    if not side:
        return []
    statuses = next_statuses(current, side)
    return [s for s in statuses if not (side == Side.TARGET and s == Status.CANCELLED)]


@login_required
def new(request):
    """A new referral, from a contact (?episode=), a person (?person=), or passed on from
    a referral this user received (?parent=); to a service (?service=) or a team."""
    by = request.user
    if not access.can_send_referrals(by):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    episode = person = parent = service = None
    if source.get("episode"):
        episode = episodes.contact_for(by, source["episode"])
        person = episode.person
    if source.get("person"):
        person = records.current_person_for(by, source["person"])
    if source.get("parent"):
        parent = access.referral_for(by, source["parent"])
        if access.side_of(by, parent) != Side.TARGET:
            raise PermissionDenied
    if source.get("service"):
        service = get_object_or_404(
            Service.objects.select_related("organization"), pk=source["service"]
        )
    errors: list[str] = []
    warnings: list[str] = []
    # Nobody named yet (from the directory, a service page): find the person here.
    finding = person is None and episode is None and parent is None and is_network_staff(by)
    find = source.get("find", "").strip()[:200] if finding else ""
    found = records.search_people(find, by=by) if find else []
    if request.method == "POST":
        data = workflow.ReferralInput(
            need_domain=source.get("need_domain", ""),
            request_text=source.get("request_text", ""),
            priority=source.get("priority", ""),
            service=service,
            target_team=source.get("target_team", "") if service is None else "",
            person=person,
            anonymous=source.get("anonymous") == "on" or person is None,
            episode_id=episode.pk if episode else None,
        )
        acknowledged = source.get("acknowledge") == "1"
        try:
            if parent is not None:
                referral = workflow.pass_on(
                    parent, data, by=by, acknowledge_duplicates=acknowledged
                )
            else:
                referral = workflow.create_referral(data, by=by)
                if source.get("send_now") == "1":
                    try:
                        workflow.send(
                            referral,
                            by=by,
                            version=referral.version,
                            acknowledge_duplicates=acknowledged,
                        )
                    except (
                        workflow.ReferralInputError,
                        workflow.PossibleDuplicateReferral,
                    ) as held:
                        messages.warning(request, _("Saved as a draft: %s") % _reason_of(held))
                        return redirect("referrals:detail", referral_id=referral.pk)
        except workflow.ReferralInputError as error:
            errors = list(error.errors.values())
        except workflow.PossibleDuplicateReferral as warned:
            warnings = warned.warnings
        else:
            messages.success(request, _("Referral saved."))
            return redirect("referrals:detail", referral_id=referral.pk)
    context = {
        "episode": episode,
        "person": person,
        "parent": parent,
        "service": service,
        "posted": source,
        "finding": finding,
        "find": find,
        "found": found,
        "errors": errors,
        "warnings": warnings,
        "priorities": Priority.choices,
        "teams": team_choices(
            workflow.resolve_region(parent.region_id if parent else None, request.user)
        ),
        # In the reader's language's order, not the codes' (need_label: the names shown).
        "domains": sorted(DIRECTORY_DOMAINS, key=lambda d: formats.collation_key(need_label(d))),
        "default_priority": (
            episode.priority if episode and episode.priority else Priority.HOURS_72
        ),
    }
    if person is not None:
        records.note_person_shown(by, person, reason="new referral")
    return render(request, "referrals/new.html", context, status=400 if errors else 200)


def _reason_of(error) -> str:
    if isinstance(error, workflow.PossibleDuplicateReferral):
        return " ".join(error.warnings)
    return " ".join(error.errors.values())


@login_required
def notifications(request):
    notices = Notification.objects.filter(user=request.user).select_related("referral")[:100]
    return render(request, "referrals/notifications.html", {"notices": notices})


@login_required
@require_POST
def notification_settings(request):
    """One email per notice, or a daily digest."""
    request.user.referral_digest = request.POST.get("digest") == "on"
    request.user.save(update_fields=["referral_digest"])
    messages.success(request, _("Notification settings saved."))
    return redirect("referrals:notifications")


@login_required
@require_POST
def mark_all_read(request):
    Notification.objects.filter(user=request.user, read_at=None).update(read_at=timezone.now())
    return redirect("referrals:notifications")


@login_required
def fhir_export(request, referral_id):
    """The referral as a FHIR R4 Bundle (SDOH Clinical Care IG), to download."""
    from django.http import JsonResponse

    from proxima.referrals.services.fhir import export_referral

    referral = access.referral_for(request.user, referral_id)
    bundle = export_referral(referral, by=request.user)
    response = JsonResponse(bundle, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Type"] = "application/fhir+json"
    response["Content-Disposition"] = f'attachment; filename="referral-{referral.pk}.json"'
    return response
