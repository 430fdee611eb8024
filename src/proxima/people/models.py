"""People, their households and their consent to share.

Only what intake needs is kept. A person belongs to a region: network staff of that
region read the record, and every read and change is written to the audit log
(see services.py; there is deliberately no Django admin for these records).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NAME_LENGTH = 100


class Person(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="people"
    )
    given_name = models.CharField(_("given name"), max_length=NAME_LENGTH)
    family_name = models.CharField(_("family name"), max_length=NAME_LENGTH)
    preferred_name = models.CharField(_("preferred name"), max_length=NAME_LENGTH, blank=True)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=16, default="fr")
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    postal_code = models.CharField(_("postal code"), max_length=7, blank=True)
    # Folded "family given" (lower case, no accents), for duplicate detection.
    name_key = models.CharField(max_length=2 * NAME_LENGTH + 1, db_index=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_active(self) -> bool:
        return self.merged_into_id is None


class Relationship(models.TextChoices):
    PARENT = "parent", _("parent")
    CHILD = "child", _("child")
    GUARDIAN = "guardian", _("legal guardian")
    WARD = "ward", _("under guardianship of")
    SIBLING = "sibling", _("sibling")
    PARTNER = "partner", _("partner")
    OTHER = "other", _("other household member")


INVERSE_RELATIONSHIP = {
    Relationship.PARENT: Relationship.CHILD,
    Relationship.CHILD: Relationship.PARENT,
    Relationship.GUARDIAN: Relationship.WARD,
    Relationship.WARD: Relationship.GUARDIAN,
    Relationship.SIBLING: Relationship.SIBLING,
    Relationship.PARTNER: Relationship.PARTNER,
    Relationship.OTHER: Relationship.OTHER,
}
# Who may consent for a minor.
GUARDIAN_RELATIONSHIPS = {Relationship.PARENT, Relationship.GUARDIAN}


class HouseholdLink(models.Model):
    """`relative` is the `person`'s <relationship> (Anna's parent is Marc). Stored both ways."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household_links")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "relative", "relationship"], name="household_link_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(person=models.F("relative")), name="household_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relative} is {self.relationship} of {self.person}"


class InformationCategory(models.TextChoices):
    IDENTITY = "identity", _("identity and contact details")
    NEEDS = "needs", _("needs and what the person wants help with")
    RISK = "risk", _("risk screening results")
    HEALTH = "health", _("health information")
    FAMILY = "family", _("household and family situation")
    FOLLOW_UP = "follow_up", _("follow-up and outcomes")


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", _("verbal")
    WRITTEN = "written", _("written")
    GUARDIAN = "guardian", _("by a parent or guardian")


class Consent(models.Model):
    """What of a person's information may be shared, with whom, for what, until when."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    categories = models.JSONField(_("information that may be shared"), default=list)
    recipient_organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("with the organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient_team = models.ForeignKey(
        "teams.Team",
        verbose_name=_("with the team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    purpose = models.CharField(_("purpose"), max_length=500)
    method = models.CharField(
        _("how it was obtained"), max_length=16, choices=ConsentMethod.choices
    )
    guardian = models.ForeignKey(
        Person,
        verbose_name=_("given by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consents_given",
    )
    given_at = models.DateTimeField(_("given on"))
    expires_at = models.DateTimeField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(
                    recipient_organization__isnull=True, recipient_team__isnull=True
                ),
                name="consent_has_a_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"consent {self.pk} of {self.person_id}"

    @property
    def is_current(self) -> bool:
        """Given, not withdrawn and not expired: things may be shared under it now."""
        now = timezone.now()
        return (
            self.withdrawn_at is None
            and self.given_at <= now
            and (self.expires_at is None or self.expires_at > now)
        )

    @property
    def category_labels(self) -> list[str]:
        labels = dict(InformationCategory.choices)
        return [str(labels.get(code, code)) for code in self.categories]
