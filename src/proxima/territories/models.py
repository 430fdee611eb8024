"""Territories: the places the network is organized by, nested (a health region holds
local networks, which hold CLSC territories, which hold neighbourhoods; Ontario's
equivalents fit the same levels), each with its outline.

The outline is GeoJSON (WGS 84, longitude first) kept as text, with its bounding box in
columns: the box narrows a search in the database (an index), shapely decides within
it. No spatial database is needed; PostGIS can take over later behind `services`.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TerritoryLevel(models.TextChoices):
    REGION = "region", _("health region")
    LOCAL_NETWORK = "local_network", _("local network (RLS)")
    CLSC = "clsc", _("CLSC territory")
    NEIGHBOURHOOD = "neighbourhood", _("neighbourhood")


# Each level sits inside the one before it.
LEVEL_ORDER = [level.value for level in TerritoryLevel]


class Territory(models.Model):
    level = models.CharField(_("level"), max_length=16, choices=TerritoryLevel.choices)
    code = models.CharField(_("code"), max_length=32)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("within"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The region's row in core (personal records are kept by region): one-to-one for the
    # region level, so that a region and its territory are the same place.
    region = models.OneToOneField(
        "core.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="territory",
    )
    # GeoJSON Polygon or MultiPolygon in WGS 84; empty when the outline is not known yet.
    geometry = models.TextField(_("outline"), blank=True, default="")
    min_latitude = models.FloatField(null=True, blank=True)
    max_latitude = models.FloatField(null=True, blank=True)
    min_longitude = models.FloatField(null=True, blank=True)
    max_longitude = models.FloatField(null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    # Material and social deprivation quintiles (1 least deprived to 5 most), where known.
    material_deprivation = models.PositiveSmallIntegerField(
        _("material deprivation quintile"), null=True, blank=True
    )
    social_deprivation = models.PositiveSmallIntegerField(
        _("social deprivation quintile"), null=True, blank=True
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["level", "code"]
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="territory_level_code"),
            models.CheckConstraint(
                condition=models.Q(material_deprivation__isnull=True)
                | models.Q(material_deprivation__gte=1, material_deprivation__lte=5),
                name="territory_material_quintile",
            ),
            models.CheckConstraint(
                condition=models.Q(social_deprivation__isnull=True)
                | models.Q(social_deprivation__gte=1, social_deprivation__lte=5),
                name="territory_social_quintile",
            ),
        ]
        indexes = [
            models.Index(
                fields=["min_latitude", "max_latitude", "min_longitude", "max_longitude"],
                name="territory_bbox",
            )
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.code} {self.name_fr}"

    @property
    def name(self) -> str:
        """In the reader's language (French when no English name is known)."""
        if (get_language() or "fr").startswith("en") and self.name_en:
            return self.name_en
        return self.name_fr

    @property
    def name_and_level(self) -> str:
        """ "Vanier — quartier": how a territory is named where several levels are listed."""
        return f"{self.name} — {self.get_level_display()}"
