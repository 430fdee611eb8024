"""Partnership agreements: the registry each region keeps of its collaboration agreements
between the 811 Info-Social line, the CLSC teams and the community organizations (service
agreements, protocols, referral corridors, memoranda), their parties and commitments, how
to reach the service they cover, their dates and status with its history, follow-up
meetings and the indicators the parties watch; and the training sessions partners share.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

TEXT_LENGTH = 4000
# Each attached document at most this large, and at most this many an agreement.
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENTS_PER_AGREEMENT = 50
# All of a region's agreement documents together, at most (the database and its backups
# hold them).
DOCUMENTS_PER_REGION_BYTES = 2 * 1024 * 1024 * 1024


class AgreementKind(models.TextChoices):
    SERVICE_AGREEMENT = "service_agreement", _("service agreement")
    PROTOCOL = "protocol", _("collaboration protocol")
    REFERRAL_CORRIDOR = "referral_corridor", _("referral corridor")
    MEMORANDUM = "memorandum", _("memorandum of understanding")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("agreement status", "draft")
    ACTIVE = "active", pgettext_lazy("agreement status", "active")
    UNDER_REVIEW = "under_review", pgettext_lazy("agreement status", "under review")
    EXPIRED = "expired", pgettext_lazy("agreement status", "expired")
    ENDED = "ended", pgettext_lazy("agreement status", "ended")


class Agreement(models.Model):
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=AgreementKind.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AgreementStatus.choices,
        default=AgreementStatus.DRAFT,
        db_index=True,
    )
    purpose = models.TextField(_("purpose"), max_length=TEXT_LENGTH, blank=True)
    # Need domains covered (the directory's first-level domains, by code).
    need_domains = models.JSONField(_("needs covered"), default=list, blank=True)
    services = models.ManyToManyField(
        "directory.Service", verbose_name=_("services covered"), blank=True, related_name="+"
    )
    territories = models.ManyToManyField(
        "territories.Territory",
        verbose_name=_("territories covered"),
        blank=True,
        related_name="+",
    )
    # The access mechanism: how the parties reach the service the agreement covers.
    how_to_refer = models.TextField(_("how to refer"), max_length=TEXT_LENGTH, blank=True)
    access_hours = models.CharField(_("hours"), max_length=300, blank=True)
    access_contact = models.CharField(_("contact"), max_length=300, blank=True)
    direct_transfer = models.BooleanField(_("the 811 may transfer a call directly"), default=False)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("in force from"), null=True, blank=True)
    review_on = models.DateField(_("review due on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    review_reminded_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["region", "title_fr"]
        verbose_name = _("partnership agreement")
        verbose_name_plural = _("partnership agreements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if (get_language() or "fr").startswith("en") and self.title_en:
            return self.title_en
        return self.title_fr


class Party(models.Model):
    """One party: the region's establishment, one of its teams, or a community
    organization; its role and what it commits to."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.ForeignKey(
        "teams.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Neither: the region's establishment (CISSS / CIUSSS) itself.
    role = models.CharField(_("role"), max_length=300, blank=True)
    commitments = models.TextField(_("commitments"), max_length=TEXT_LENGTH, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(organization__isnull=False, team__isnull=False),
                name="party_is_one_organization_or_team",
            )
        ]

    def __str__(self) -> str:
        if self.organization_id:
            return self.organization.localized_name
        if self.team_id:
            return self.team.localized_name
        return str(_("the region's establishment (CISSS / CIUSSS)"))


class StatusChange(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=16, choices=AgreementStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=AgreementStatus.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("why"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.from_status} → {self.to_status}"


class Meeting(models.Model):
    """A follow-up meeting of the parties: its notes and decisions."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("held on"))
    attendees = models.CharField(_("attendees"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), max_length=TEXT_LENGTH, blank=True)
    decisions = models.TextField(_("decisions"), max_length=TEXT_LENGTH, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.held_on}"


class DocumentKind(models.TextChoices):
    SIGNED = "signed", _("signed agreement")
    ANNEX = "annex", _("annex")
    MINUTES = "minutes", _("meeting minutes")
    REPORT = "report", _("follow-up report")
    OTHER = "other", pgettext_lazy("kind of document", "other")


class Document(models.Model):
    """A document attached to an agreement (the signed text, an annex, minutes...). Kept in
    the database with the agreement: one backup, one set of permissions; its kind checked
    from its content when it came in (core.uploads)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind of document"), max_length=16, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    file_name = models.CharField(_("file"), max_length=160)
    media_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-added_at", "-pk"]
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")

    def __str__(self) -> str:
        return self.title or self.file_name


class IndicatorKind(models.TextChoices):
    # Computed live by Proxima from the referrals to the agreement's parties.
    REFERRALS_SENT = "referrals_sent", _("referrals sent to the parties")
    REFERRALS_ACCEPTED = "referrals_accepted", _("referrals accepted by the parties")
    ACCEPTANCE_RATE = "acceptance_rate", _("share of referrals accepted (%)")
    MEDIAN_RESPONSE_HOURS = "median_response_hours", _("median time to answer (hours)")
    # Followed by the parties themselves: a figure they write down.
    OTHER = "other", _("other (figure kept by the parties)")


class Indicator(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(_("indicator"), max_length=32, choices=IndicatorKind.choices)
    label = models.CharField(_("in words"), max_length=200, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    # For OTHER: the last figure the parties reported.
    reported_value = models.DecimalField(
        _("reported figure"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label or self.get_kind_display()


class TrainingSession(models.Model):
    """A joint training session: partners training together share a culture."""

    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("under the agreement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_sessions",
    )
    topic = models.CharField(_("topic"), max_length=300)
    held_on = models.DateField(_("date"))
    trainers = models.CharField(_("trainers"), max_length=500, blank=True)
    organizations = models.ManyToManyField(
        "directory.Organization",
        verbose_name=_("organizations that took part"),
        blank=True,
        related_name="+",
    )
    attendees = models.PositiveIntegerField(_("people who attended"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("joint training session")
        verbose_name_plural = _("joint training sessions")

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"
