"""Roles and the written permission matrix: which role may do what.

Every view and API route asks `has_capability(user, CAPABILITY)`; the matrix below is the
single source of truth, and tests walk it for every route.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    WORKER_811 = "worker_811", _("811 Info-Social worker")
    CLSC_WORKER = "clsc_worker", _("CLSC worker")
    SOCIAL_PRESCRIBER = "social_prescriber", _("Social prescriber")
    PARTNER_EDITOR = "partner_editor", _("Partner organization editor")
    EVALUATOR = "evaluator", _("Evaluator")


# Capabilities of the directory.
VIEW_CONFIDENTIAL_LOCATIONS = "directory.view_confidential_locations"
EDIT_OWN_ORGANIZATION_SERVICES = "directory.edit_own_organization_services"
EDIT_ANY_SERVICE = "directory.edit_any_service"
ADMIN_SITE = "core.admin_site"
# Capabilities on people's records (always within the user's own region).
READ_PERSONAL_RECORDS = "people.read_personal_records"

NETWORK_STAFF = {
    Role.ADMIN,
    Role.COORDINATOR,
    Role.WORKER_811,
    Role.CLSC_WORKER,
    Role.SOCIAL_PRESCRIBER,
}

PERMISSION_MATRIX: dict[str, set[str]] = {
    VIEW_CONFIDENTIAL_LOCATIONS: NETWORK_STAFF,
    EDIT_OWN_ORGANIZATION_SERVICES: {Role.PARTNER_EDITOR, Role.ADMIN},
    EDIT_ANY_SERVICE: {Role.ADMIN},
    ADMIN_SITE: {Role.ADMIN},
    # Administrators manage accounts and data, not people's files.
    READ_PERSONAL_RECORDS: NETWORK_STAFF - {Role.ADMIN},
}


def is_network_staff(user, region_id=None) -> bool:
    """Network staff who read personal records, attached to a region: theirs, or the one
    given (the person's, the contact's, the referral's)."""
    return (
        has_capability(user, READ_PERSONAL_RECORDS)
        and user.region_id is not None
        and (region_id is None or user.region_id == region_id)
    )


def has_capability(user, capability: str) -> bool:
    """True when the user's role grants the capability (anonymous users have none)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role in PERMISSION_MATRIX[capability]
