"""Who sees which figures: the one rule of the indicators.

The region's coordinators, team leads and evaluators see their region's figures, narrowed
as they choose (a territory, a team, an organization); a partner organization's staff see
their organization's own figures only, whatever they ask. Every figure is an aggregate with
small cells suppressed (core/suppression.py), for everyone: nobody reads a person here. Those
who read no record (evaluators) get their figures perturbed, over whole months only
(core/perturbation.py).
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from proxima.core.formats import collation_key
from proxima.core.perturbation import noise_for
from proxima.core.roles import (
    EXPORT_RESEARCH_EXTRACT,
    PARTNERS,
    VIEW_INDICATORS,
    has_capability,
    in_region,
)
from proxima.indicators.services import Scope
from proxima.referrals.services.access import organizations_referred_in
from proxima.teams.services import region_teams
from proxima.territories.models import LEVEL_ORDER, Territory
from proxima.territories.services import territories_of_region


def require_viewer(user) -> None:
    """The user may see indicators and is attached to what they are of (403 otherwise)."""
    if not has_capability(user, VIEW_INDICATORS):
        raise PermissionDenied(
            _(
                "The indicators are for the region's coordinators, team leads, evaluators and partner organizations."
            )
        )
    if user.region_id is None:
        raise PermissionDenied(_("Your account is not attached to a region yet."))
    if user.role in PARTNERS and user.organization_id is None:
        raise PermissionDenied(_("Your account is not attached to an organization yet."))


def may_extract(user) -> bool:
    """The user may take their region's research extract."""
    return in_region(user, EXPORT_RESEARCH_EXTRACT, getattr(user, "region_id", None))


def require_extractor(user) -> None:
    """The same, or a 403."""
    if not may_extract(user):
        raise PermissionDenied(
            _("The research extract is for the region's coordinators and evaluators.")
        )


def sees_own_organization_only(user) -> bool:
    return user.role in PARTNERS


def choices_for(user) -> dict[str, list[tuple]]:
    """The territories, teams and organizations this user may narrow to (none for a
    partner, whose figures are always their organization's)."""
    require_viewer(user)
    if sees_own_organization_only(user):
        return {"territories": [], "teams": [], "organizations": []}
    territories = _region_territories(user.region_id)
    return {
        "territories": [(t.pk, t.name_and_level) for t in territories],
        "teams": sorted(
            ((team.pk, team.localized_name) for team in region_teams(user.region_id)),
            key=lambda pair: collation_key(pair[1]),
        ),
        "organizations": sorted(
            (
                (organization.pk, organization.localized_name)
                for organization in organizations_referred_in(user.region_id)
            ),
            key=lambda pair: collation_key(pair[1]),
        ),
    }


def _region_territories(region_id) -> list[Territory]:
    """The region's territories, each level's by name in the reader's language."""
    return sorted(
        territories_of_region(region_id),
        key=lambda t: (LEVEL_ORDER.index(t.level), collation_key(t.name)),
    )


def refuse_other_than_own(user, *, territory_id=None, team_id=None, organization_id=None):
    """A partner's figures are its own organization's: naming a territory, a team or
    another organization is refused (403), whether typed in the query or chosen."""
    if not sees_own_organization_only(user):
        return
    other = organization_id and str(organization_id) != str(user.organization_id)
    if territory_id or team_id or other:
        raise PermissionDenied(_("You see your own organization's figures only."))


def scope_for(
    user, *, start: date, end: date, territory_id=None, team_id=None, organization_id=None
) -> Scope:
    """The scope the user asked for, within what they may see: their region, their
    organization for a partner (anything else asked is refused with a 403)."""
    require_viewer(user)
    refuse_other_than_own(
        user, territory_id=territory_id, team_id=team_id, organization_id=organization_id
    )
    perturbed = noise_for(user).perturbed
    if sees_own_organization_only(user):
        return Scope(
            user.region_id, start, end, organization=user.organization, perturbed=perturbed
        )
    territory = team = organization = None
    if territory_id:
        territory = next(
            (t for t in _region_territories(user.region_id) if t.pk == territory_id), None
        )
        if territory is None:
            raise PermissionDenied(_("This territory is not in your region."))
    if team_id:
        team = region_teams(user.region_id).filter(pk=team_id).first()
        if team is None:
            raise PermissionDenied(_("This team is not in your region."))
    if organization_id:
        organization = organizations_referred_in(user.region_id).filter(pk=organization_id).first()
        if organization is None:
            raise PermissionDenied(_("This organization has no referral in your region."))
    return Scope(
        user.region_id,
        start,
        end,
        territory=territory,
        team=team,
        organization=organization,
        perturbed=perturbed,
    )
