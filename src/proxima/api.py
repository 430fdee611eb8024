"""The JSON API: one NinjaAPI, a router per domain, OpenAPI at /api/openapi.json, docs at /api/docs.

Domain errors become 4xx answers with a reason here, in one place.
"""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import ValidationError

from proxima.directory.api import router as hsds_router
from proxima.directory.services.search import SearchInputError

api = NinjaAPI(
    title="Proxima API",
    version="1.0",
    description="Proxima's JSON API. `/api/hsds/` is the public, read-only HSDS 3.0 API of the directory.",
    urls_namespace="api",
)
api.add_router("/hsds/", hsds_router)


@api.exception_handler(SearchInputError)
def search_input_error(request, exc: SearchInputError):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not found"}, status=404)


@api.exception_handler(ValidationError)
def invalid_input(request, exc: ValidationError):
    return api.create_response(
        request, {"detail": "Invalid request", "errors": exc.errors}, status=422
    )
