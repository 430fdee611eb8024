"""Taxonomies: Proxima's bilingual need domains, Open Eligibility, and any imported one."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from proxima.directory.models.base import Translatable, hsds_id_field


class Taxonomy(models.Model):
    id = hsds_id_field()
    name = models.TextField(_("name"))
    description = models.TextField(_("description"), blank=True, default="")
    uri = models.TextField(blank=True, default="")
    version = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(Translatable):
    id = hsds_id_field()
    code = models.CharField(_("code"), max_length=250, blank=True, default="", db_index=True)
    name = models.TextField(_("name"))
    description = models.TextField(_("description"), blank=True, default="")
    # Plain identifiers, as in HSDS: a parent or taxonomy may live outside the dataset.
    parent_id = models.CharField(max_length=250, blank=True, default="", db_index=True)
    taxonomy = models.TextField(_("taxonomy name"), blank=True, default="")
    taxonomy_id = models.CharField(max_length=250, blank=True, default="", db_index=True)
    language = models.CharField(max_length=16, blank=True, default="")
    term_uri = models.TextField(blank=True, default="")
    # Proxima: terms of other taxonomies that mean the same need (e.g. Open Eligibility codes).
    equivalent_terms = models.ManyToManyField("self", blank=True, symmetrical=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")

    def __str__(self) -> str:
        return self.name


class NeedLexiconEntry(models.Model):
    """An everyday phrase people use for a need ("plus rien dans le frigo" → food aid)."""

    term = models.ForeignKey(TaxonomyTerm, on_delete=models.CASCADE, related_name="lexicon")
    language = models.CharField(max_length=8)
    phrase = models.CharField(max_length=200)
    # Said by a person, this phrase names the need; written in a listing it may not
    # ("bénévoles", "travail de rue", "en cas d'urgence"): not read in listings.
    query_only = models.BooleanField(default=False)

    class Meta:
        unique_together = [("term", "language", "phrase")]
        verbose_name = _("need vocabulary entry")
        verbose_name_plural = _("need vocabulary")

    def __str__(self) -> str:
        return f"{self.phrase} → {self.term}"
