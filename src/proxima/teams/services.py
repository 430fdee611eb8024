"""Teams: who is a member, a region's teams, a team named by its code.

A user's teams are read once per request object (`team_ids_of` caches them on the user):
inboxes and every referral's side ask for them.
"""

from django.db.models import QuerySet

from proxima.teams.models import STANDARD_NAMES, Membership, Team


def team_ids_of(user) -> frozenset[int]:
    """The ids of the teams the user is a member of (empty for anonymous users)."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return frozenset()
    cached = getattr(user, "_proxima_team_ids", None)
    if cached is None:
        cached = frozenset(Membership.objects.filter(user=user).values_list("team_id", flat=True))
        user._proxima_team_ids = cached
    return cached


def member_ids(team: Team) -> QuerySet:
    """The ids of a team's members (a subquery: for filtering what they did)."""
    return Membership.objects.filter(team=team).values("user_id")


def forget_teams(user) -> None:
    """After a change of memberships: the next read asks the database again."""
    user.__dict__.pop("_proxima_team_ids", None)


def teams_of(user) -> QuerySet[Team]:
    """The user's teams, the first joined first (that one signs the referrals they send)."""
    return Team.objects.filter(memberships__user=user).order_by("memberships__since", "pk")


def main_team(user, region_id) -> Team | None:
    """The team a user acts for in a region: the first they joined there."""
    if region_id is None or not team_ids_of(user):
        return None
    return teams_of(user).filter(region_id=region_id).first()


def region_teams(region_id) -> QuerySet[Team]:
    """The region's active teams, by name: what a form offers."""
    return Team.objects.filter(region_id=region_id, active=True).order_by("name_fr")


def team_choices(region_id) -> list[tuple[str, str]]:
    """(code, name in the current language) of the region's active teams, in the
    language's alphabetical order (accents as letters: "équipe" among the e)."""
    from django.utils.text import capfirst

    from proxima.core.formats import collation_key

    named = [(team.code, capfirst(team.localized_name)) for team in region_teams(region_id)]
    return sorted(named, key=lambda pair: collation_key(pair[1]))


def team_named(region_id, code) -> Team | None:
    """The region's active team of that code; None for any other text."""
    if region_id is None or not isinstance(code, str) or not code:
        return None
    return region_teams(region_id).filter(code=code).first()


def join(user, team: Team) -> Membership:
    membership, _created = Membership.objects.get_or_create(user=user, team=team)
    forget_teams(user)
    return membership


def standard_team(region, code: str) -> Team:
    """The region establishment's team of a standard kind, created when missing (demo data,
    new regions, tests)."""
    name_fr, name_en = STANDARD_NAMES[code]
    team, _created = Team.objects.get_or_create(
        region=region, code=code, defaults={"kind": code, "name_fr": name_fr, "name_en": name_en}
    )
    return team


def ensure_standard_teams(region) -> list[Team]:
    return [standard_team(region, code) for code in STANDARD_NAMES]
