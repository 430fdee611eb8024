"""Outcome measures: validated instruments kept as data (items, options, scoring rules,
conversion tables, bands), and the measurements taken with them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Instrument(models.Model):
    """One version of an instrument definition. A version is never changed once loaded:
    measurements keep the exact scoring they were computed with."""

    code = models.CharField(_("code"), max_length=32)
    version = models.PositiveIntegerField(_("version"))
    title = models.JSONField(_("title"))  # {"fr": ..., "en": ...}
    definition = models.JSONField(_("definition"))
    is_active = models.BooleanField(_("in use"), default=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="instrument_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class Occasion(models.TextChoices):
    BASELINE = "baseline", _("at the start")
    FOLLOW_UP = "follow_up", _("follow-up")
    END = "end", _("at the end")


class Measurement(models.Model):
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="measurements"
    )
    prescription = models.ForeignKey(
        "prescriptions.Prescription",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measurements",
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    occasion = models.CharField(_("occasion"), max_length=16, choices=Occasion.choices)
    answers = models.JSONField(_("answers"))
    raw_score = models.IntegerField(_("raw score"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    band = models.CharField(_("band"), max_length=32, blank=True)
    alerts = models.JSONField(_("alerts"), default=list)
    taken_at = models.DateTimeField(_("taken"), auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["taken_at", "id"]

    def __str__(self) -> str:
        return f"{self.instrument} {self.score} for {self.person_id}"

    @property
    def band_label(self) -> str:
        """The band as the instrument names it, in the active language."""
        from proxima.outcomes.services.instruments import text

        for band in self.instrument.definition.get("scoring", {}).get("bands", []):
            if band["code"] == self.band:
                return text(band["label"])
        return self.band
