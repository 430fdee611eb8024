"""The needs a service answers, and how foreign taxonomies' terms map to need domains.

`ServiceNeed` is derived at indexing (services/needs.py): each row says which need domain
a service serves and where that came from. `TermMapping` is the coordinator's side: the
need domains a term of an imported taxonomy is proposed to mean, each confirmed or
rejected by a person; a decision survives every re-import of the taxonomy.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NeedSource(models.TextChoices):
    # Most trusted first: a reason shows the best source a need has.
    CONFIRMED = "confirmed", _("confirmed by a coordinator")
    TERM = "term", _("from the listing's category")
    TEXT = "text", _("from the listing's own words")


class MappingStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class TermMapping(models.Model):
    term = models.ForeignKey("TaxonomyTerm", on_delete=models.CASCADE, related_name="need_mappings")
    need = models.ForeignKey("TaxonomyTerm", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=16, choices=MappingStatus.choices, default=MappingStatus.PROPOSED
    )
    # The words of the term's name or description the proposal came from (empty when a
    # coordinator added the mapping).
    evidence = models.CharField(max_length=200, blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term", "need"], name="termmapping_term_need")
        ]
        verbose_name = _("taxonomy term mapping")
        verbose_name_plural = _("taxonomy term mappings")

    def __str__(self) -> str:
        return f"{self.term_id} → {self.need_id} ({self.status})"


class ServiceNeed(models.Model):
    service = models.ForeignKey("Service", on_delete=models.CASCADE, related_name="needs")
    need = models.ForeignKey("TaxonomyTerm", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=16, choices=NeedSource.choices)
    # The words that said it: the listing's phrase, or the name of its category.
    evidence = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "need", "source"], name="serviceneed_service_need_source"
            )
        ]
        verbose_name = _("need served")
        verbose_name_plural = _("needs served")

    def __str__(self) -> str:
        return f"{self.service_id} serves {self.need_id} ({self.source})"
