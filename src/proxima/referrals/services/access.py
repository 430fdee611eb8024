"""Who is on which side of a referral, and the inboxes.

The referring side: the worker who sent it, their team in the region, or the partner
organization that passed it on. The receiving side: the members of the receiving
organization, or the receiving team's workers in the region. Coordinators of the region
oversee every referral of the region (they read, they do not act for either side), and
staff who may read the person's record read that person's referrals.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from proxima.core.roles import READ_PERSONAL_RECORDS, Role, has_capability, is_network_staff
from proxima.people.services.records import can_access_person
from proxima.referrals.lifecycle import Side
from proxima.referrals.models import Referral

# Partner organization staff (the editor role is the partner's account) handle the
# referrals sent to their organization.
PARTNER_ROLES = {Role.PARTNER_EDITOR}


def is_network_staff_of(user, region_id) -> bool:
    return region_id is not None and is_network_staff(user, region_id)


def is_partner_of(user, organization_id) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in PARTNER_ROLES
        and organization_id is not None
        and user.organization_id == organization_id
    )


def can_send_referrals(user) -> bool:
    """Network staff of a region, and partner staff passing a referral on."""
    if is_network_staff(user):
        return True
    return is_partner_of(user, getattr(user, "organization_id", None))


def can_use_referrals(user) -> bool:
    """The referral pages and API: those who send or receive, and coordinators."""
    return can_send_referrals(user) or getattr(user, "role", None) == Role.COORDINATOR


def side_of(user, referral: Referral) -> str | None:
    """The side this user acts for on this referral, or None."""
    if referral.target_organization_id and (
        is_partner_of(user, referral.target_organization_id)
        or (
            is_network_staff_of(user, referral.region_id)
            and user.organization_id == referral.target_organization_id
        )
    ):
        return Side.TARGET
    if (
        referral.target_team
        and is_network_staff_of(user, referral.region_id)
        and user.team == referral.target_team
        and user.role != Role.COORDINATOR
    ):
        return Side.TARGET
    if referral.requester_id == getattr(user, "pk", None):
        return Side.REQUESTER
    if referral.requester_organization_id and is_partner_of(
        user, referral.requester_organization_id
    ):
        return Side.REQUESTER
    if (
        referral.requester_team
        and is_network_staff_of(user, referral.region_id)
        and user.team == referral.requester_team
        and user.role != Role.COORDINATOR
    ):
        return Side.REQUESTER
    return None


def is_overseer(user, referral: Referral) -> bool:
    return getattr(user, "role", None) == Role.COORDINATOR and is_network_staff_of(
        user, referral.region_id
    )


def can_read(user, referral: Referral) -> bool:
    """Its two sides, the region's coordinators, and the staff who may read the person's
    record anyway (they see it on the person page; they read, they do not act)."""
    if side_of(user, referral) is not None or is_overseer(user, referral):
        return True
    return referral.person_id is not None and can_access_person(user, referral.person)


def require_read(user, referral: Referral) -> None:
    if not can_read(user, referral):
        raise PermissionDenied(_("You may not read this referral."))


def require_side(user, referral: Referral) -> str:
    side = side_of(user, referral)
    if side is None:
        raise PermissionDenied(_("You may not act on this referral."))
    return side


def received_by(user) -> QuerySet[Referral]:
    """The user's inbox: referrals sent to their organization or to their team."""
    received = Q(pk__in=[])
    if getattr(user, "organization_id", None) and (
        user.role in PARTNER_ROLES or has_capability(user, READ_PERSONAL_RECORDS)
    ):
        received |= Q(target_organization_id=user.organization_id)
    if (
        getattr(user, "team", "")
        and is_network_staff_of(user, user.region_id)
        and user.role != Role.COORDINATOR
    ):
        received |= Q(target_team=user.team, region_id=user.region_id)
    return Referral.objects.filter(received).exclude(status="draft")


def sent_by(user) -> QuerySet[Referral]:
    """Referrals the user, their team or their organization sent."""
    sent = Q(requester=user)
    if user.role in PARTNER_ROLES and user.organization_id:
        sent |= Q(requester_organization_id=user.organization_id)
    if user.team and user.role != Role.COORDINATOR and user.region_id:
        sent |= Q(requester_team=user.team, region_id=user.region_id)
    return Referral.objects.filter(sent)


def overseen_by(user) -> QuerySet[Referral]:
    if getattr(user, "role", None) != Role.COORDINATOR or user.region_id is None:
        return Referral.objects.none()
    return Referral.objects.filter(region_id=user.region_id)


BOXES = ("received", "sent", "region")


def inbox(user, box: str) -> QuerySet[Referral]:
    """One of the user's boxes: received (the default), sent, or the whole region."""
    if box == "sent":
        return sent_by(user)
    if box == "region":
        return overseen_by(user)
    return received_by(user)
