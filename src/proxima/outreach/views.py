"""Outreach pages: the phone-sized form (an installable web app that keeps working
offline: its service worker and manifest are served here, under /outreach/), the form
sent without the script, the sync of a phone's queue (JSON), and the list of contacts.
Thin: a form checked, one service action, an answer."""

import json
import re
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from proxima.core.forms import error_texts, field_error_text, iso_moment
from proxima.directory.services.taxonomy import first_level_domain_labels
from proxima.outreach import services
from proxima.outreach.forms import OutreachForm
from proxima.outreach.models import new_contact_id
from proxima.territories.services import region_territories

STATIC_DIR = Path(__file__).resolve().parent / "static" / "outreach"


def _choices(user, *, sent: bool) -> dict:
    """What the form offers (read once for a whole queue): the region's territories, its
    emergencies (under way for a new form; any for one sent, checked when stored), the
    need domains."""
    region_id = user.region_id
    return {
        "territories": region_territories(region_id),
        "events": services.events_of_region(region_id)
        if sent
        else services.events_for_outreach(user),
        "domain_labels": first_level_domain_labels(),
    }


def _form(user, data=None, choices: dict | None = None) -> OutreachForm:
    choices = choices or _choices(user, sent=data is not None)
    # The moment the form was made (ISO, whatever the language): sent twice, it is the
    # same contact.
    initial = {"id": new_contact_id(), "met_at": timezone.now().isoformat()}
    if data is None and len(choices["events"]) == 1:  # emergency mode: of the event unless said
        initial["event"] = choices["events"][0].pk
    return OutreachForm(data, initial=initial, **choices)


@login_required
@require_safe
def app(request):
    """The outreach form, phone-sized; with its script, contacts are kept on the phone and
    sent when the network is back."""
    services.require_recorder(request.user)
    return _render_app(request, _form(request.user))


def _render_app(request, form, status=200):
    context = {
        "form": form,
        "events": list(services.events_for_outreach(request.user)),
        "texts": _texts(),
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        "signed_in_cookie_name": settings.PROXIMA_SIGNED_IN_COOKIE,
    }
    return render(request, "outreach/app.html", context, status=status)


def _texts() -> dict[str, str]:
    """What the script says, in the reader's language (it has no catalogue of its own)."""
    return {
        "saved": _("Kept on this phone: it will be sent when the network is back."),
        "sent": _("Sent."),
        "waiting_none": _("Nothing is waiting to be sent."),
        "waiting": _("Waiting to be sent"),
        "offline": _("No network: the contacts are kept on this phone."),
        "online": _("Network available."),
        "signed_out": _("Sign in again to send the contacts waiting on this phone."),
        "other_user": _("Recorded by another worker: sent when they sign in on this phone."),
        "refused": _("Not sent"),
        "conflict": _(
            "Another contact was already sent under this one's id: this one was not stored."
        ),
        "failed": _("Sending failed; it will be tried again."),
        "discard": _("Discard"),
        "correct": _("Correct"),
        "corrected": _("Back in the form: correct it, then record it again."),
        "discard_confirm": _("Discard this contact for good?"),
        "send_now": _("Send now"),
        "person": _("person"),
        "people": _("people"),
        "unsupported": _(
            "This browser cannot keep contacts offline: the form is sent directly, "
            "and needs the network."
        ),
    }


@login_required
@require_POST
def record(request):
    """The form sent without its script (or with the network): stored at once."""
    services.require_recorder(request.user)
    form = _form(request.user, request.POST)
    if not form.is_valid():
        for text in error_texts(form):
            messages.error(request, text)
        return _render_app(request, form, status=400)
    try:
        _contact, created = services.record_contact(
            form.contact_input(now=timezone.now(), was_queued=False), by=request.user
        )
    except services.OutreachInputError as refused:
        for name, text in refused.errors.items():
            form.add_error(name if name in form.fields else None, text)
        for text in error_texts(form):
            messages.error(request, text)
        return _render_app(request, form, status=400)
    except services.OutreachConflict:
        messages.error(request, _("This form was already used for another contact."))
        return _render_app(request, _form(request.user), status=409)
    if created:
        messages.success(request, _("The contact is recorded."))
    else:
        messages.info(request, _("This contact was already recorded."))
    return redirect("outreach:app")


@never_cache
def sync(request):
    """A phone's queue, sent as JSON: each contact stored, found again (a replay),
    refused with the reasons, or left for the worker who recorded it."""
    if request.method != "POST":
        return JsonResponse({"error": _("Send the contacts with POST.")}, status=405)
    user = request.user
    if not user.is_authenticated:
        return JsonResponse({"error": "signed_out", "message": _("Sign in again.")}, status=401)
    if not services.records_outreach(user):
        raise PermissionDenied(_("You do not record outreach contacts."))
    try:
        sent = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return JsonResponse({"error": _("The request is not JSON.")}, status=400)
    items = sent.get("contacts") if isinstance(sent, dict) else None
    if not isinstance(items, list) or not items:
        return JsonResponse({"error": _("Send a list of contacts.")}, status=400)
    if len(items) > services.BATCH:
        message = _("At most %d contacts at a time.") % services.BATCH
        return JsonResponse({"error": message}, status=400)
    choices = _choices(user, sent=True)
    results = [_sync_one(user, item, choices) for item in items]
    return JsonResponse({"results": results})


LIST_FIELDS = ("need_domains", "help_given")
TEXT_FIELDS = (
    "id",
    "met_at",
    "event",
    "place",
    "territory",
    "people_count",
    "age_band",
    "orientation",
    "orientation_note",
    "note",
)


def _sync_one(user, item, choices: dict) -> dict:
    contact_id = item.get("id") if isinstance(item, dict) else None
    answer = {"id": contact_id if isinstance(contact_id, str) else None}
    if not isinstance(item, dict):
        return {**answer, "status": "rejected", "errors": {"": _("A contact is an object.")}}
    recorder = item.get("recorded_by")
    if recorder is not None and str(recorder) != str(user.pk):
        return {**answer, "status": "other_user"}
    if not isinstance(contact_id, str) or not CANONICAL_ID.match(contact_id):
        return _refused(answer, "id", _("Not an id made by the phone."))
    if not item.get("met_at"):
        return _refused(answer, "met_at", _("This field is required."))
    data = MultiValueDict()
    for name in TEXT_FIELDS:
        value = item.get(name)
        if isinstance(value, str | int) and not isinstance(value, bool):
            data[name] = str(value)
        elif value is not None:
            return _refused(answer, name, _("Not a text."))
    for name in LIST_FIELDS:
        values = item.get(name) or []
        if not isinstance(values, list) or not all(isinstance(one, str) for one in values):
            return _refused(answer, name, _("Not a list of texts."))
        data.setlist(name, values)
    form = _form(user, data, choices)
    if not form.is_valid():
        errors = {
            name: " ".join(str(error) for error in field_errors)
            for name, field_errors in form.errors.items()
        }
        return {**answer, "status": "rejected", "errors": _labelled(form, errors)}
    contact = form.contact_input(now=timezone.now(), was_queued=True)
    contact.clock_offset = _clock_offset(item.get("sent_at"))
    try:
        _contact, created = services.record_contact(contact, by=user)
    except services.OutreachInputError as refused:
        return {**answer, "status": "rejected", "errors": _labelled(form, refused.errors)}
    except services.OutreachConflict:
        return {**answer, "status": "conflict"}
    return {**answer, "status": "stored" if created else "duplicate"}


# The id as phones write it (crypto.randomUUID): lowercase, with its dashes.
CANONICAL_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
# A phone's clock this far from the server's is corrected (closer: taken as it is; much
# farther: the phone's date is wrong, and the contact's date with it).
CLOCK_TOLERANCE = timedelta(minutes=2)
CLOCK_CORRECTED_AT_MOST = timedelta(days=7)


def _clock_offset(sent_at) -> timedelta:
    """How far the phone's clock was behind the server's when it sent (0 when it did not
    say, or says something that is not a moment)."""
    moment = iso_moment(sent_at) if isinstance(sent_at, str) else None
    if moment is None or not _names_its_offset(sent_at):  # a phone says its offset (Z)
        return timedelta(0)
    offset = timezone.now() - moment
    if CLOCK_TOLERANCE < abs(offset) <= CLOCK_CORRECTED_AT_MOST:
        return offset
    return timedelta(0)


def _names_its_offset(text: str) -> bool:
    from django.utils.dateparse import parse_datetime

    try:
        moment = parse_datetime(text.strip())
    except ValueError:
        return False
    return moment is not None and moment.tzinfo is not None


def _refused(answer: dict, name: str, text: str) -> dict:
    said = field_error_text(OutreachForm.base_fields, name, text)
    return {**answer, "status": "rejected", "errors": {name: said}}


def _labelled(form, errors: dict) -> dict:
    """Each error under its field's label, as the worker reads it on the phone."""
    return {name: field_error_text(form.fields, name, text) for name, text in errors.items()}


@login_required
@require_safe
def contacts(request):
    """The outreach contacts the user may read, the latest first (audited)."""
    if not services.can_read_outreach(request.user):
        raise PermissionDenied(_("You do not read outreach contacts."))
    listed = services.contacts_for(request.user)
    labels = first_level_domain_labels()
    for contact in listed["contacts"]:
        contact.need_labels = [labels.get(code, code) for code in contact.need_domains]
    context = {**listed, "records_outreach": services.records_outreach(request.user)}
    return render(request, "outreach/contacts.html", context)


@require_safe
def service_worker(request):
    """The service worker: keeps the outreach page and its files for offline use (no
    personal information: the contacts waiting are in the page's own storage)."""
    files = [
        static("core/proxima.css"),
        static("outreach/outreach.css"),
        static("outreach/outreach.js"),
        static("outreach/icon.svg"),
    ]
    version = _version(files)
    body = (STATIC_DIR / "sw.js").read_text(encoding="utf-8")
    body = body.replace("__VERSION__", version).replace("__FILES__", json.dumps(files))
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def _version(files: list[str]) -> str:
    """A name for the cache that changes when a file kept offline changes."""
    import hashlib

    digest = hashlib.sha256("|".join(files).encode())
    digest.update((STATIC_DIR / "sw.js").read_bytes())
    if settings.DEBUG:  # unhashed static names: their content tells the change
        for name in ("outreach.js", "outreach.css"):
            digest.update((STATIC_DIR / name).read_bytes())
    return digest.hexdigest()[:12]


@require_safe
def manifest(request):
    """The web app manifest: installable on the phone's home screen, opening the form."""
    body = {
        "name": _("Proxima — outreach"),
        "short_name": _("Outreach"),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/outreach/",
        "scope": "/outreach/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d4f91",
        "icons": [
            {"src": static("outreach/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("outreach/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("outreach/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return JsonResponse(
        body,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
