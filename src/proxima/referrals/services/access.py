"""Who is on which side of a referral, and the inboxes.

The referring side: the worker who sent it, their team in the region, or the partner
organization that passed it on. The receiving side: the members of the receiving
organization, or the receiving team's workers in the region. Coordinators of the region
oversee every referral of the region (they read, they do not act for either side), and
staff who may read the person's record read that person's referrals.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Min, Q, QuerySet
from django.utils.translation import gettext as _

from proxima.core.roles import (
    OVERSEE_REGION_REFERRALS,
    RECEIVE_FOR_ORGANIZATION,
    SEND_REFERRALS,
    WORK_IN_TEAM_INBOX,
    has_capability,
    in_region,
    is_network_staff,
)
from proxima.core.shortcuts import get_from_request
from proxima.referrals.lifecycle import Side, Status
from proxima.referrals.models import Referral
from proxima.teams.services import team_ids_of


def is_network_staff_of(user, region_id) -> bool:
    return region_id is not None and is_network_staff(user, region_id)


def is_partner_of(user, organization_id) -> bool:
    """Partner staff (administrator or worker) of this organization."""
    return (
        has_capability(user, RECEIVE_FOR_ORGANIZATION)
        and organization_id is not None
        and user.organization_id == organization_id
    )


def works_in_team(user, team_id, region_id) -> bool:
    """A front-line worker, member of that team, in the team's region (coordinators
    oversee, they do not work in a team's inbox)."""
    return (
        team_id is not None
        and in_region(user, WORK_IN_TEAM_INBOX, region_id)
        and team_id in team_ids_of(user)
    )


def _inbox_team_ids(user) -> frozenset[int]:
    """The teams whose inboxes the user works in (none for those who may not)."""
    region_id = getattr(user, "region_id", None)
    if region_id is None or not in_region(user, WORK_IN_TEAM_INBOX, region_id):
        return frozenset()
    return team_ids_of(user)


def can_send_referrals(user) -> bool:
    """Network staff of a region, and partner staff of an organization."""
    if not has_capability(user, SEND_REFERRALS):
        return False
    if is_network_staff(user):
        return True
    return is_partner_of(user, getattr(user, "organization_id", None))


def oversees_region(user) -> bool:
    """Coordinators of a region read every referral of their region."""
    return has_capability(user, OVERSEE_REGION_REFERRALS) and user.region_id is not None


def can_use_referrals(user) -> bool:
    """The referral pages and API: those who send or receive, and coordinators."""
    return can_send_referrals(user) or oversees_region(user)


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
    if works_in_team(user, referral.target_team_id, referral.region_id):
        return Side.TARGET
    if referral.requester_id == getattr(user, "pk", None) and can_send_referrals(user):
        return Side.REQUESTER
    if referral.requester_organization_id and is_partner_of(
        user, referral.requester_organization_id
    ):
        return Side.REQUESTER
    if works_in_team(user, referral.requester_team_id, referral.region_id):
        return Side.REQUESTER
    return None


def is_overseer(user, referral: Referral) -> bool:
    return oversees_region(user) and user.region_id == referral.region_id


def can_read(user, referral: Referral) -> bool:
    """Its two sides (the receiving side once it was sent), the region's coordinators, and
    the staff who may read the person's record (they read, they do not act)."""
    return visible_to(user).filter(pk=referral.pk).exists()


def require_read(user, referral: Referral) -> None:
    if not can_read(user, referral):
        raise PermissionDenied(_("You may not read this referral."))


def referral_for(user, referral_id, queryset: QuerySet[Referral] | None = None) -> Referral:
    """The referral named in a request, if this user may read it: 403 for those who read
    no referrals at all, 404 for one they may not read, a missing one or a malformed id
    (so nobody learns which referrals exist elsewhere)."""
    if not (can_use_referrals(user) or is_network_staff(user)):
        raise PermissionDenied(_("You may not read referrals."))
    rows = visible_to(user)
    if queryset is not None:
        rows = queryset & rows
    return get_from_request(rows, referral_id)


def require_side(user, referral: Referral) -> str:
    side = side_of(user, referral)
    if side is None:
        raise PermissionDenied(_("You may not act on this referral."))
    return side


def _target_side(user) -> Q:
    rows = Q(pk__in=[])
    organization_id = getattr(user, "organization_id", None)
    if organization_id and has_capability(user, RECEIVE_FOR_ORGANIZATION):
        rows |= Q(target_organization_id=organization_id)
    elif organization_id and is_network_staff(user):
        rows |= Q(target_organization_id=organization_id, region_id=user.region_id)
    if teams := _inbox_team_ids(user):
        rows |= Q(target_team_id__in=teams, region_id=user.region_id)
    return rows


def _requester_side(user) -> Q:
    if not can_send_referrals(user):
        return Q(pk__in=[])
    rows = Q(requester=user)
    if is_partner_of(user, user.organization_id):
        rows |= Q(requester_organization_id=user.organization_id)
    if teams := _inbox_team_ids(user):
        rows |= Q(requester_team_id__in=teams, region_id=user.region_id)
    return rows


def received_by(user) -> QuerySet[Referral]:
    """The user's inbox: referrals sent to their organization or to their team."""
    return Referral.objects.filter(_target_side(user)).exclude(status=Status.DRAFT)


def sent_by(user) -> QuerySet[Referral]:
    """Referrals the user, their team or their organization sent."""
    return Referral.objects.filter(_requester_side(user))


def overseen_by(user) -> QuerySet[Referral]:
    if not oversees_region(user):
        return Referral.objects.none()
    return Referral.objects.filter(region_id=user.region_id)


def visible_to(user) -> QuerySet[Referral]:
    """Every referral this user may read: the one row-level rule of the domain. Its
    requesting side; its receiving side once sent; the region's coordinators; staff who
    may read the person's record. Pages, API, exports and commands look referrals up
    through it, so a referral one may not read is simply not found (404)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Referral.objects.none()
    rows = _requester_side(user) | (_target_side(user) & ~Q(status=Status.DRAFT))
    if oversees_region(user):
        rows |= Q(region_id=user.region_id)
    if is_network_staff(user):
        rows |= Q(person__region_id=user.region_id)
    return Referral.objects.filter(rows)


def sent_between(region_id, since, until) -> QuerySet[Referral]:
    """The region's referrals sent in [since, until), drafts and entries in error left
    out: for counts and other aggregate figures only (indicators), never to show one."""
    return Referral.objects.filter(
        region_id=region_id, requested_at__gte=since, requested_at__lt=until
    ).exclude(status__in=[Status.DRAFT, Status.ENTERED_IN_ERROR])


def first_appointments(contacts) -> QuerySet:
    """Per contact among these, the first appointment any accepted referral made from it
    gave (rows of episode_id, first): aggregate figures only."""
    return (
        Referral.objects.filter(episode__in=contacts, first_appointment_at__isnull=False)
        .exclude(status=Status.ENTERED_IN_ERROR)
        .values("episode_id")
        .annotate(first=Min("first_appointment_at"))
    )


def organizations_referred_in(region_id) -> QuerySet:
    """The organizations that sent or received referrals in the region (what figures
    may be narrowed to)."""
    from proxima.directory.models import Organization

    sent = Referral.objects.filter(region_id=region_id).exclude(status=Status.DRAFT)
    return Organization.objects.filter(
        Q(pk__in=sent.values("target_organization_id"))
        | Q(pk__in=sent.values("requester_organization_id"))
    )


def made_from(contacts) -> QuerySet:
    """The referrals made from these contacts, drafts and entries in error left out, as
    rows of episode_id, status, responded_at and closed_at: aggregate figures and the
    de-identified research extract only, never to show one."""
    return (
        Referral.objects.filter(episode__in=contacts)
        .exclude(status__in=[Status.DRAFT, Status.ENTERED_IN_ERROR])
        .values("episode_id", "status", "responded_at", "closed_at")
    )


BOXES = ("received", "sent", "region")


def boxes_of(user) -> list[str]:
    """The boxes this user has: received and sent, and the whole region for overseers."""
    return [box for box in BOXES if box != "region" or oversees_region(user)]


def inbox(user, box: str) -> QuerySet[Referral]:
    """One of the user's boxes: received (the default), sent, or the whole region."""
    if box == "sent":
        return sent_by(user)
    if box == "region":
        return overseen_by(user)
    return received_by(user)
