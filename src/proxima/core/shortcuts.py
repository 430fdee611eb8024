"""Lookups of records named in a request: a malformed id is a 404, never a 500."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404


def get_from_request(queryset_or_model, value):
    """The record whose primary key the user sent, or 404 (missing or malformed id)."""
    if value in (None, ""):
        raise Http404("No id given")
    try:
        return get_object_or_404(queryset_or_model, pk=value)
    except (ValueError, TypeError, ValidationError) as error:
        raise Http404("Malformed id") from error
