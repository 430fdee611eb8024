"""The JSON API: one NinjaAPI, a router per domain, OpenAPI at /api/openapi.json, docs at /api/docs.

Domain errors become 4xx answers with a reason here, in one place.
"""

from functools import wraps

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from proxima.core.api_errors import UNSAFE_METHODS, in_words
from proxima.core.errors import InputError
from proxima.directory.api import crisis_out
from proxima.directory.api import router as hsds_router
from proxima.directory.services.crisis import REFUSED_READ, detect_crisis
from proxima.directory.services.search import SearchInputError
from proxima.intake.api import router as intake_router
from proxima.intake.services.episodes import EpisodeCannotClose
from proxima.matching.services import MatchInputError
from proxima.people.api import router as people_router
from proxima.people.services.records import PossibleDuplicates
from proxima.referrals.api import router as referrals_router
from proxima.referrals.services.workflow import (
    PossibleDuplicateReferral,
    ReferralConflict,
)

api = NinjaAPI(
    title="Proxima API",
    version="1.0",
    description="Proxima's JSON API. `/api/hsds/` is the public, read-only HSDS 3.0 API of the "
    "directory; `/api/intake/` serves signed-in network staff (session authentication).",
    urls_namespace="api",
    # No deep links: Swagger UI puts them inside each operation's button (a link in a
    # button, which keyboard and screen reader users cannot reach as such).
    docs=Swagger(settings={"deepLinking": False}),
)


def takes_json_only(run):
    """Every route takes JSON: any other body is a 415 with the reason, before the CSRF
    check (which would read a multipart body and leave nothing for the route to parse)."""

    @wraps(run)
    def checked(request, *args, **kwargs):
        sends_a_body = request.META.get("CONTENT_LENGTH") not in (None, "", "0")
        if request.method in UNSAFE_METHODS and sends_a_body and not _is_json(request):
            detail = _("This API takes JSON (Content-Type: application/json).")
            return api.create_response(request, {"detail": detail}, status=415)
        return run(request, *args, **kwargs)

    return checked


def _is_json(request) -> bool:
    kind = request.content_type
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


api.add_decorator(takes_json_only, mode="view")
api.add_router("/hsds/", hsds_router)
api.add_router("/intake/", intake_router)
api.add_router("/intake/", people_router)
api.add_router("/", referrals_router)


@api.exception_handler(SearchInputError)
@api.exception_handler(MatchInputError)
def search_input_error(request, exc: ValueError):
    return api.create_response(request, _with_crisis(request, {"detail": str(exc)}), status=400)


def _with_crisis(request, body: dict) -> dict:
    """A refused search whose words speak of a crisis still carries the numbers."""
    search = request.GET.get("search", "")[:REFUSED_READ]
    crisis = detect_crisis(search) if request.method == "GET" else None
    if crisis is not None:
        body["proxima_crisis"] = crisis_out(crisis)
    return body


@api.exception_handler(InputError)
def input_error(request, exc: InputError):
    """Every service's bad input (people, screening, referrals, FHIR, prescriptions...)."""
    detail = _("Please correct: %s") % "; ".join(exc.errors.values())
    return api.create_response(request, {"detail": detail, "errors": exc.errors}, status=400)


@api.exception_handler(PossibleDuplicateReferral)
def duplicate_referral(request, exc: PossibleDuplicateReferral):
    detail = _("Check before sending; send again with acknowledge_duplicates.")
    return api.create_response(request, {"detail": detail, "warnings": exc.warnings}, status=409)


@api.exception_handler(ReferralConflict)
def referral_conflict(request, exc: ReferralConflict):
    detail = _("Someone else changed this referral in the meantime; reload it.")
    body = {"detail": detail, "status": exc.referral.status, "version": exc.referral.version}
    return api.create_response(request, body, status=409)


@api.exception_handler(PossibleDuplicates)
def possible_duplicates(request, exc: PossibleDuplicates):
    candidates = [
        {"id": str(c.person.pk), "score": c.score, "reasons": c.reasons} for c in exc.candidates
    ]
    detail = _("This person may already have a record; confirm with confirmed_new.")
    return api.create_response(request, {"detail": detail, "candidates": candidates}, status=409)


@api.exception_handler(EpisodeCannotClose)
def cannot_close(request, exc: EpisodeCannotClose):
    detail = _("The contact cannot be closed before these actions are recorded.")
    return api.create_response(request, {"detail": detail, "missing": exc.missing}, status=409)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or _("Forbidden.")}, status=403)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": _("Sign in first.")}, status=401)


@api.exception_handler(ObjectDoesNotExist)
def missing_object(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(Http404)
def not_found(request, exc):
    # get_object_or_404's own message is English and names a model: the caller gets ours.
    detail = str(exc)
    if not detail or detail.endswith("matches the given query."):
        detail = _("Not found.")
    return api.create_response(request, {"detail": detail}, status=404)


@api.exception_handler(ValidationError)
def invalid_input(request, exc: ValidationError):
    detail = _("Invalid request: see errors.")
    errors = [in_words(error) for error in exc.errors]
    body = _with_crisis(request, {"detail": detail, "errors": errors})
    return api.create_response(request, body, status=422)


# ninja's own refusals (a body it cannot parse, a missing CSRF token), in the caller's
# language. The message may carry a detail after it (in DEBUG).
NINJA_REFUSALS = {
    "Cannot parse request body": gettext_noop("The request body is not readable JSON."),
    "CSRF check Failed": gettext_noop(
        "CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header."
    ),
}


@api.exception_handler(HttpError)
def refused_by_ninja(request, exc: HttpError):
    message = str(exc)
    for english, ours in NINJA_REFUSALS.items():
        if message.startswith(english):
            message = _(ours)
    return api.create_response(request, {"detail": message}, status=exc.status_code)
