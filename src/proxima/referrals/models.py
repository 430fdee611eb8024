"""Referrals between the network's teams and community organizations, closed loop.

A referral goes from a requester (a worker of an internal team, or of a partner
organization passing it on) to one target: a directory service's organization, or an
internal team of the region. Its status follows the FHIR SDOH referral Task
(lifecycle.py); every change is a ReferralEvent, so the history shows the whole loop.
What the receiving side sees of the person follows the person's consent, read at each
display (services/sharing.py). No Django admin: every read is audited.
"""

import uuid

from django.conf import settings
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from proxima.intake.models import Priority
from proxima.people.models import InformationCategory
from proxima.referrals.lifecycle import Outcome, RejectReason, Side, Status

TEXT_LENGTH = 2000
MESSAGE_LENGTH = 5000


class Referral(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    # Anonymous: the receiving side sees nothing that identifies the person, whatever
    # the consents (the person will contact the service, or consent comes later).
    anonymous = models.BooleanField(_("anonymous request"), default=False)
    episode = models.ForeignKey(
        "intake.ContactEpisode",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    # A referral passed on through an intermediary (FHIR Task.partOf).
    parent = models.ForeignKey(
        "self",
        verbose_name=_("passed on from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_referrals",
    )
    need_domain = models.CharField(_("need"), max_length=64)
    request_text = models.TextField(_("what is asked"), max_length=TEXT_LENGTH)
    priority = models.CharField(_("priority"), max_length=16, choices=Priority.choices)

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        on_delete=models.PROTECT,
        related_name="referrals_sent",
    )
    requester_team = models.ForeignKey(
        "teams.Team",
        verbose_name=_("referring team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_sent",
    )
    requester_organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("referring organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_sent",
    )
    service = models.ForeignKey(
        "directory.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    target_organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("receiving organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    target_team = models.ForeignKey(
        "teams.Team",
        verbose_name=_("receiving team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    reject_reason = models.CharField(
        _("reason"), max_length=32, choices=RejectReason.choices, blank=True
    )
    first_appointment_at = models.DateTimeField(_("first appointment"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=32, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome in words"), max_length=TEXT_LENGTH, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    requested_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    response_due_at = models.DateTimeField(_("answer expected by"), null=True, blank=True)
    last_reminder_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    # Imported from a clinical system (FHIR): the Task's id there, who sent it, and the
    # resources as received, kept whole so that they export back without loss.
    external_id = models.CharField(_("id in the sending system"), max_length=200, blank=True)
    external_requester = models.CharField(_("sent by (outside)"), max_length=300, blank=True)
    external_resources = models.JSONField(default=dict, blank=True)
    # Optimistic locking: each change checks and bumps it, so a concurrent change is
    # refused with a conflict instead of being silently overwritten.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(target_organization__isnull=False, target_team__isnull=True)
                    | models.Q(target_organization__isnull=True, target_team__isnull=False)
                ),
                name="referral_has_one_target",
            )
        ]
        indexes = [
            models.Index(fields=["target_organization", "status"], name="referral_org_inbox"),
            models.Index(fields=["region", "target_team", "status"], name="referral_team_inbox"),
            models.Index(fields=["service", "requested_at"], name="referral_service_time"),
            models.Index(fields=["external_id"], name="referral_external_id"),
            # The region's referrals by the time they were sent, with what the indicators
            # count of them (status, reason, answered): their figures read the index alone.
            models.Index(
                fields=["region", "requested_at", "status", "reject_reason", "responded_at"],
                name="referral_region_figures",
            ),
            # A contact's first appointment (the indicators' access delay), read from the
            # index alone.
            models.Index(
                fields=["episode", "first_appointment_at", "status"],
                name="referral_first_appointment",
                condition=models.Q(first_appointment_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk} ({self.status})"

    @property
    def recipient(self):
        """The consent recipient: the receiving organization or team."""
        return self.target_organization or self.target_team

    @property
    def target_label(self) -> str:
        if self.target_organization_id:
            return self.target_organization.localized_name
        return self.target_team.localized_name

    @property
    def requester_label(self) -> str:
        if self.external_requester:
            return self.external_requester
        if self.requester_organization_id:
            return self.requester_organization.localized_name
        if self.requester_team_id:
            return self.requester_team.localized_name
        return self.requester.get_full_name() or self.requester.username


def hours_to_answer() -> RawSQL:
    """A referral's hours from sent to answered, computed by the database (NULL until
    answered), for the figures about answering (a service's responsiveness, coverage,
    agreements' indicators): reading 100,000 pairs of dates into Python took most of the
    coverage table's time."""
    table = connection.ops.quote_name(Referral._meta.db_table)
    sent, answered = f"{table}.requested_at", f"{table}.responded_at"
    if connection.vendor == "postgresql":
        # Constant SQL: the model's table, quoted; nothing of a request.
        return RawSQL(f"EXTRACT(EPOCH FROM ({answered} - {sent})) / 3600.0", [])  # noqa: S611
    return RawSQL(f"(julianday({answered}) - julianday({sent})) * 24.0", [])  # noqa: S611


class ReferralEvent(models.Model):
    """One change of a referral: its status (or a reminder), who, which side, when, why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    side = models.CharField(max_length=16, choices=Side.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    reason = models.CharField(max_length=32, blank=True)
    note = models.TextField(max_length=TEXT_LENGTH, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.from_status} → {self.to_status}"


class ReferralMessage(models.Model):
    """A message on a referral. What it says about the person belongs to `category`:
    the receiving side reads it only while the person consents to share that category."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=16, choices=Side.choices)
    category = models.CharField(
        _("information category"),
        max_length=16,
        choices=InformationCategory.choices,
        default=InformationCategory.FOLLOW_UP,
    )
    body = models.TextField(_("message"), max_length=MESSAGE_LENGTH)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"message {self.pk} on {self.referral_id}"


class Notification(models.Model):
    """An in-app notice to one user about a referral; emailed at once, or gathered in the
    user's daily digest (User.referral_digest)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_notices"
    )
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_unread")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"
