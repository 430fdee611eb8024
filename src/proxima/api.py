"""The JSON API: one NinjaAPI, a router per domain, OpenAPI at /api/openapi.json, docs at /api/docs.

Domain errors become 4xx answers with a reason here, in one place.
"""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from proxima.core.errors import InputError
from proxima.directory.api import router as hsds_router
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
)
api.add_router("/hsds/", hsds_router)
api.add_router("/intake/", intake_router)
api.add_router("/intake/", people_router)
api.add_router("/", referrals_router)


@api.exception_handler(SearchInputError)
@api.exception_handler(MatchInputError)
def search_input_error(request, exc: ValueError):
    return api.create_response(request, {"detail": str(exc)}, status=400)


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
    return api.create_response(request, {"detail": str(exc) or "Not found"}, status=404)


@api.exception_handler(ValidationError)
def invalid_input(request, exc: ValidationError):
    return api.create_response(
        request, {"detail": "Invalid request", "errors": exc.errors}, status=422
    )
