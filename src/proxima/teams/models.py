"""Teams: the network's working groups (the 811 Info-Social line, a CLSC's social
consultation, a mobile outreach team...), each of an establishment's region or of a
community organization, and of a territory; users are members, several teams allowed.

Referrals, consents and orientations point to a team. At the edges (forms, the JSON API,
FHIR) a team is named by its code, unique within its region: the standard teams keep the
codes of the former list (`info_social`, `social_consultation`...).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TeamKind(models.TextChoices):
    """What a team does: the network's kinds of teams."""

    INFO_SOCIAL = "info_social", _("811 Info-Social")
    SOCIAL_CONSULTATION = "social_consultation", _("social consultation (CLSC)")
    INTERPROFESSIONAL = "interprofessional", _("interprofessional team (CLSC)")
    MOBILE_OUTREACH = "mobile_outreach", _("mobile outreach")
    EMERGENCY_PSYCHOSOCIAL = "emergency_psychosocial", _("emergency psychosocial services")
    SOCIAL_PRESCRIBING = "social_prescribing", _("social prescribing")
    COMMUNITY = "community", _("community organization team")


# The standard teams of a region's establishment (CISSS / CIUSSS): one per kind, named as
# the kind, in both languages (written into migrations and the demo without gettext).
STANDARD_NAMES = {
    "info_social": ("811 Info-Social", "811 Info-Social"),
    "social_consultation": ("consultation sociale (CLSC)", "social consultation (CLSC)"),
    "interprofessional": ("équipe interprofessionnelle (CLSC)", "interprofessional team (CLSC)"),
    "mobile_outreach": ("équipe mobile de proximité", "mobile outreach"),
    "emergency_psychosocial": (
        "services psychosociaux d’urgence",
        "emergency psychosocial services",
    ),
    "social_prescribing": ("prescription sociale", "social prescribing"),
}


class Team(models.Model):
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="teams"
    )
    code = models.SlugField(
        _("code"),
        max_length=32,
        help_text=_("Unique within the region; how forms, the API and FHIR name the team."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=TeamKind.choices)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    # Of a community organization; empty: of the region's establishment (CISSS / CIUSSS).
    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams",
        help_text=_("Empty for a team of the region's establishment (CISSS / CIUSSS)."),
    )
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory served"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="teams",
        verbose_name=_("members"),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive team receives no new referral.")
    )

    class Meta:
        ordering = ["region", "name_fr"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="team_region_code"),
        ]

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        if (get_language() or "fr").startswith("en") and self.name_en:
            return self.name_en
        return self.name_fr


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    since = models.DateTimeField(_("member since"), auto_now_add=True)

    class Meta:
        ordering = ["since", "pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.team_id}"
