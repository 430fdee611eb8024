"""Confidential locations (shelters for people fleeing violence...): only network staff
see their address, and each such read is written to the audit log here, whichever page,
API route or export shows it."""

from proxima.core.audit import record_audit_event
from proxima.core.roles import VIEW_CONFIDENTIAL_LOCATIONS, has_capability
from proxima.directory import queries


def sees_confidential(user) -> bool:
    """Network staff see confidential addresses; everyone else sees the public view."""
    return has_capability(user, VIEW_CONFIDENTIAL_LOCATIONS)


def record_confidential_reads(user, service_ids: list[str], *, reason: str) -> None:
    """One audit line per confidential location of these services shown to `user`."""
    if not sees_confidential(user):
        return
    _record(user, queries.confidential_location_ids_of(service_ids), reason)


def _record(user, location_ids, reason: str) -> None:
    for location_id in location_ids:
        record_audit_event(
            user,
            "read_confidential_location",
            object_type="directory.location",
            object_id=location_id,
            reason=reason,
        )


def record_confidential_reads_of_organizations(
    user, organization_ids: list[str], *, reason: str
) -> None:
    """The same for organizations shown whole: their own confidential locations and their
    services' (an organization's full page nests both)."""
    if not sees_confidential(user) or not organization_ids:
        return
    from proxima.directory.models import Location, Service

    service_ids = list(
        Service.objects.filter(organization_id__in=organization_ids).values_list("id", flat=True)
    )
    own = set(
        Location.objects.filter(
            organization_id__in=organization_ids, is_confidential=True
        ).values_list("id", flat=True)
    )
    _record(user, sorted(own | set(queries.confidential_location_ids_of(service_ids))), reason)
