"""Which records a privacy officer reaches (those of their region, the one row-level rule
of this app), finding one by name or number for a request, and what "the person" covers:
the record and the records merged into it."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from proxima.core.audit import record_audit_event
from proxima.core.errors import InputError
from proxima.core.roles import in_region
from proxima.core.shortcuts import get_from_request
from proxima.directory.services.text import fold
from proxima.people.models import Person

REASON_LENGTH = 250
SEARCH_LIMIT = 25


class PrivacyInputError(InputError):
    """A request the privacy pages cannot act on (a reason missing, a bad filter)."""


def require_officer(user, capability: str) -> None:
    """403 unless the user holds the capability and works in a region."""
    if not in_region(user, capability, getattr(user, "region_id", None)):
        raise PermissionDenied(_("This page is for the privacy officers of a region."))


def visible_to(user, capability: str) -> QuerySet[Person]:
    """The records this privacy officer may report on: those of their region."""
    if not in_region(user, capability, getattr(user, "region_id", None)):
        return Person.objects.none()
    return Person.objects.filter(region_id=user.region_id)


def person_for(user, person_id, capability: str) -> Person:
    """The record named in a request: 403 for those who hold no such capability, 404 for a
    record of another region, a missing one or a malformed number."""
    require_officer(user, capability)
    return get_from_request(visible_to(user, capability).select_related("region"), person_id)


def require_person(user, person: Person, capability: str) -> None:
    """The same rule as `visible_to`, for a record already in hand."""
    if not in_region(user, capability, person.region_id):
        raise PermissionDenied(_("This record is not of your region."))


def clean_reason(reason: str | None) -> str:
    """Why the officer reads this: required, kept in the audit log."""
    reason = (reason or "").strip()
    if not reason:
        raise PrivacyInputError({"reason": _("Say why (the request you are answering).")})
    if len(reason) > REASON_LENGTH:
        raise PrivacyInputError({"reason": _("At most %d characters.") % REASON_LENGTH})
    return reason


def subject_ids(person: Person) -> list:
    """The record and every record merged into it (and into those), as primary keys."""
    ids, frontier = [person.pk], [person.pk]
    while frontier:
        frontier = list(
            Person.objects.filter(merged_into__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids += frontier
    return ids


@transaction.atomic
def find_people(query: str, *, by, capability: str, reason: str) -> list[Person]:
    """Records of the officer's region whose number is `query`, or whose folded name holds
    every word of it; the search and each record listed are written to the audit log with
    the reason the officer typed."""
    require_officer(by, capability)
    reason = clean_reason(reason)
    people = visible_to(by, capability)
    query = query.strip()
    try:
        found = list(people.filter(pk=uuid.UUID(query)))
    except ValueError:
        words = fold(query.replace("-", " ").replace("'", " ")).split()
        if not words:
            raise PrivacyInputError({"q": _("Type a name or a record number.")}) from None
        for word in words[:6]:
            people = people.filter(name_key__contains=word)
        found = list(people.order_by("family_name", "given_name", "birth_date")[:SEARCH_LIMIT])
    record_audit_event(
        by, "search_people_for_privacy", reason=reason, detail={"results": len(found)}
    )
    for person in found:
        record_audit_event(by, "list_person", person, reason=reason)
    return found
