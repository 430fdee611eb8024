"""Lookups of records named in a request: a malformed id is a 404, never a 500."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

INTEGER_KEYS = ("AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField")


def get_from_request(queryset_or_model, value):
    """The record whose primary key the user sent, or 404 (missing or malformed id)."""
    if value in (None, ""):
        raise Http404("No id given")
    model = getattr(queryset_or_model, "model", queryset_or_model)
    integer_key = model._meta.pk.get_internal_type() in INTEGER_KEYS
    # One spelling a record: "12", not "１２", " 12", "+12" nor "012".
    if isinstance(value, str) and integer_key and not _plain_number(value):
        raise Http404("Malformed id")
    try:
        return get_object_or_404(queryset_or_model, pk=value)
    except (ValueError, TypeError, ValidationError) as error:
        raise Http404("Malformed id") from error


def _plain_number(value: str) -> bool:
    return value.isascii() and value.isdigit() and str(int(value)) == value
