"""The API's error answers: one shape for them all (`ErrorOut`), declared on every route.

Errors are answered in one place, whatever the route: proxima/api.py turns domain errors
into 4xx answers, and the request guard (core/middleware.py) refuses bodies that are too
large or not JSON. So every route may answer them, and `ApiRouter` declares them on each
route it holds: the OpenAPI document lists every status a route can answer, and a route
returning an error status never fails for want of its schema.
"""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Schema
from ninja.constants import NOT_SET

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ErrorOut(Schema):
    """Why the request was refused, for the user in their language; with the fields in
    error (field → message; for malformed parameters, the validator's list)."""

    detail: str
    errors: dict[str, str] | list[dict[str, Any]] | None = None


class ConflictOut(ErrorOut):
    """409: nothing was changed; what stands in the way (the record as it now is, the
    likely duplicates, the actions still to record)."""

    status: str | None = None
    version: int | None = None
    warnings: list[str] | None = None
    candidates: list[dict[str, Any]] | None = None
    missing: list[str] | None = None


def error_statuses(methods: list[str], path: str, *, signed_in: bool) -> set[int]:
    """The error statuses a route may answer, whatever it does itself."""
    statuses = {400, 413, 422}  # unreadable input, a body over the limit, bad parameters
    if signed_in:
        statuses |= {401, 403}  # not signed in; not allowed (or no CSRF token)
    if "{" in path or UNSAFE_METHODS & set(methods):
        statuses.add(404)  # the record named in the path or the body does not exist
    if UNSAFE_METHODS & set(methods):
        statuses |= {409, 415}  # a conflict with the record as it is now; a body not JSON
    return statuses


class ApiRouter(Router):
    """A ninja Router whose every route declares what it answers: its own `response=`
    (required) and the error statuses of `error_statuses`, each with its schema."""

    def add_api_operation(
        self,
        path: str,
        methods: list[str],
        view_func,
        *,
        auth: Any = NOT_SET,
        response: Any = NOT_SET,
        **options: Any,
    ) -> None:
        if response is NOT_SET:
            raise ImproperlyConfigured(
                f"{', '.join(methods)} {path}: declare what the route answers (response=)."
            )
        declared = dict(response) if isinstance(response, dict) else {200: response}
        signed_in = (self.auth if auth is NOT_SET else auth) not in (NOT_SET, None)
        for status in error_statuses(methods, path, signed_in=signed_in):
            declared.setdefault(status, ConflictOut if status == 409 else ErrorOut)
        super().add_api_operation(path, methods, view_func, auth=auth, response=declared, **options)


# Pydantic's messages are English: each error's `msg` in the caller's language, by its
# `type` (kept, with `loc`, for programs).
PYDANTIC_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "string_type": gettext_lazy("Give text."),
    "string_too_long": gettext_lazy("This text is too long."),
    "string_too_short": gettext_lazy("This text is too short."),
    "int_type": gettext_lazy("Give a whole number."),
    "int_parsing": gettext_lazy("Give a whole number."),
    "int_from_float": gettext_lazy("Give a whole number."),
    "float_type": gettext_lazy("Give a number."),
    "float_parsing": gettext_lazy("Give a number."),
    "finite_number": gettext_lazy("Give a number."),
    "bool_type": gettext_lazy("Give true or false."),
    "bool_parsing": gettext_lazy("Give true or false."),
    "uuid_type": gettext_lazy("Give an identifier (UUID)."),
    "uuid_parsing": gettext_lazy("Give an identifier (UUID)."),
    "date_type": gettext_lazy("Give a date (YYYY-MM-DD)."),
    "date_parsing": gettext_lazy("Give a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": gettext_lazy("Give a date (YYYY-MM-DD)."),
    "date_from_datetime_inexact": gettext_lazy("Give a date (YYYY-MM-DD)."),
    "datetime_type": gettext_lazy("Give a date and time (ISO 8601)."),
    "datetime_parsing": gettext_lazy("Give a date and time (ISO 8601)."),
    "datetime_from_date_parsing": gettext_lazy("Give a date and time (ISO 8601)."),
    "list_type": gettext_lazy("Give a list."),
    "dict_type": gettext_lazy("Give an object."),
    "model_type": gettext_lazy("Give an object."),
    "model_attributes_type": gettext_lazy("Give an object."),
    "json_invalid": gettext_lazy("This is not readable JSON."),
    "literal_error": gettext_lazy("This value is not one of those accepted."),
    "enum": gettext_lazy("This value is not one of those accepted."),
    "greater_than": gettext_lazy("This number is too small."),
    "greater_than_equal": gettext_lazy("This number is too small."),
    "less_than": gettext_lazy("This number is too large."),
    "less_than_equal": gettext_lazy("This number is too large."),
    "too_long": gettext_lazy("This list is too long."),
    "too_short": gettext_lazy("This list is too short."),
}


def in_words(error) -> dict:
    if not isinstance(error, dict):
        return error
    return {
        **{k: v for k, v in error.items() if k not in ("msg", "ctx", "url")},
        "msg": pydantic_message(error),
    }


def pydantic_message(error: dict) -> str:
    message = PYDANTIC_MESSAGES.get(error.get("type", ""))
    return str(message) if message else _("This value cannot be used.")
