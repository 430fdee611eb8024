"""Shared pieces of the HSDS models."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

HSDS_ID_LENGTH = 250


def hsds_id_field() -> models.CharField:
    """HSDS identifiers are strings (UUIDs by convention) chosen by the publisher."""
    return models.CharField(primary_key=True, max_length=HSDS_ID_LENGTH)


def optional_fk(to: str, related_name: str, verbose_name: str = "") -> models.ForeignKey:
    """An HSDS link: kept as given even when its target is not in the dataset (HSDS data,
    official examples included, has such links); the importer enforces the links that
    matter (see hsds_spec.REQUIRED_LINKS)."""
    return models.ForeignKey(
        to,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name=related_name,
        verbose_name=verbose_name or None,
        db_constraint=False,
    )


class HsdsRecord(models.Model):
    """A plain HSDS record; named by its type and identifier in admin pages and logs."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class TextLanguage(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class Translatable(models.Model):
    """A record whose texts are written in `text_language`, with translations beside them.

    `translations` maps a language code to translated fields, e.g.
    {"en": {"name": "Food bank", "description": "..."}}.
    """

    text_language = models.CharField(
        _("language of the texts"), max_length=8, blank=True, default="fr"
    )
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        abstract = True

    def localized(self, field: str, language: str | None = None) -> str:
        """The field in `language` (default: the active language), falling back to the original."""
        language = (language or get_language() or "fr")[:2]
        original = getattr(self, field) or ""
        if language == self.text_language:
            return original
        translated = (self.translations or {}).get(language, {}).get(field)
        return translated or original

    def all_texts(self, field: str) -> list[str]:
        """The field in every language we have, original first."""
        texts = [getattr(self, field) or ""]
        for values in (self.translations or {}).values():
            if values.get(field):
                texts.append(values[field])
        return [t for t in texts if t]

    @property
    def localized_name(self) -> str:
        return self.localized("name")

    @property
    def localized_description(self) -> str:
        return self.localized("description")
