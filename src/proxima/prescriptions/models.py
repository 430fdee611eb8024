"""Social prescriptions: a plan co-produced with the person or family.

What matters to them (their words), their goals (each rated along the way), the
activities prescribed from the directory (online ones too), the supports that remove the
barriers (fee subsidy, transport, accompaniment, interpreter, equipment), and follow-ups
with the link worker. No Django admin: every read is audited through the services.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TEXT_LENGTH = 2000


class PrescriptionStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    COMPLETED = "completed", _("completed")
    STOPPED = "stopped", _("stopped")


class Prescription(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="prescriptions",
    )
    prescriber = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prescribed by"),
        on_delete=models.PROTECT,
        related_name="prescriptions_written",
    )
    link_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("link worker"),
        on_delete=models.PROTECT,
        related_name="prescriptions_followed",
    )
    co_produced_with = models.CharField(
        _("co-produced with"),
        max_length=200,
        blank=True,
        help_text=_("Others who made the plan (not in the household's records), in words."),
    )
    # Who made it, among the person and their household's records.
    made_with = models.ManyToManyField(
        "people.Person", verbose_name=_("made with"), blank=True, related_name="+"
    )
    what_matters = models.TextField(_("what matters to them"), max_length=TEXT_LENGTH)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PrescriptionStatus.choices,
        default=PrescriptionStatus.ACTIVE,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("social prescription")
        verbose_name_plural = _("social prescriptions")

    def __str__(self) -> str:
        return f"prescription {self.pk}"


class Goal(models.Model):
    """A goal in the person's words, rated 1 (not at all) to 5 (fully) along the way."""

    prescription = models.ForeignKey(Prescription, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal, in their words"), max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class GoalRating(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="ratings")
    rating = models.PositiveSmallIntegerField(_("attainment (1-5)"))
    rated_at = models.DateTimeField(_("rated"), auto_now_add=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["rated_at", "id"]

    def __str__(self) -> str:
        return f"{self.rating}/5 for goal {self.goal_id}"


class ActivityStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    STARTED = "started", _("started")
    STOPPED = "stopped", _("stopped")
    DONE = "done", _("done")


class Activity(models.Model):
    """A community activity prescribed from the directory."""

    prescription = models.ForeignKey(
        Prescription, on_delete=models.CASCADE, related_name="activities"
    )
    service = models.ForeignKey(
        "directory.Service", verbose_name=_("activity"), on_delete=models.PROTECT, related_name="+"
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        verbose_name=_("referral"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note for the family"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActivityStatus.choices, default=ActivityStatus.PROPOSED
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"activity {self.service_id} in {self.prescription_id}"


class SupportKind(models.TextChoices):
    FEE_SUBSIDY = "fee_subsidy", _("fee subsidy")
    TRANSPORT = "transport", _("transport")
    ACCOMPANIMENT = "accompaniment", _("accompaniment")
    INTERPRETER = "interpreter", _("interpreter")
    EQUIPMENT = "equipment", _("equipment")
    OTHER = "other", _("other support")


class Support(models.Model):
    """A barrier removed: what support, for which activity, arranged or not yet."""

    prescription = models.ForeignKey(
        Prescription, on_delete=models.CASCADE, related_name="supports"
    )
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="supports"
    )
    kind = models.CharField(_("support"), max_length=16, choices=SupportKind.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    arranged = models.BooleanField(_("arranged"), default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} for {self.prescription_id}"


class FollowUp(models.Model):
    prescription = models.ForeignKey(
        Prescription, on_delete=models.CASCADE, related_name="follow_ups"
    )
    due_on = models.DateField(_("follow-up on"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=TEXT_LENGTH, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"follow-up {self.due_on} of {self.prescription_id}"
