"""Casework: the follow-up of one person by the CLSC proximity teams (a case), with its
plan and next actions, the workers on it (co-intervention), progress notes (a structured
part and free text) locked once signed and corrected only by addenda, coaching requests
to the region's interprofessional team, and its closing (reason and orientation).

A signed progress note, and any addendum, is never changed nor deleted: the service
refuses, the models refuse (`save()`, `delete()`, the querysets' `update()` and
`delete()`), and database triggers refuse an UPDATE (migration 0001; see
docs/casework.md). Deleting a whole case with the person's file (retention) stays possible.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

TEXT_LENGTH = 10_000
SHORT_TEXT_LENGTH = 500
# A note's duration: from one minute to a whole working day and a half.
MIN_DURATION_MINUTES = 1
MAX_DURATION_MINUTES = 720


class CaseStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("case status", "open")
    CLOSED = "closed", pgettext_lazy("case status", "closed")


class WorkerRole(models.TextChoices):
    LEAD = "lead", _("lead worker")
    CO_INTERVENER = "co_intervener", _("co-intervener")


class InterventionType(models.TextChoices):
    ASSESSMENT = "assessment", _("assessment")
    SUPPORT = "support", _("psychosocial support")
    PSYCHOEDUCATION = "psychoeducation", _("psychoeducation")
    CRISIS = "crisis", _("crisis intervention")
    ACCOMPANIMENT = "accompaniment", _("accompaniment")
    COORDINATION = "coordination", _("coordination with partners")
    FAMILY = "family", _("intervention with the family or close ones")
    COACHING_RECEIVED = "coaching_received", _("coaching received")


class Place(models.TextChoices):
    CLSC = "clsc", _("at the CLSC")
    HOME = "home", _("at home")
    COMMUNITY = "community", _("in the community")
    PHONE = "phone", _("by phone")
    ONLINE = "online", _("online")


class ClosingReason(models.TextChoices):
    GOALS_MET = "goals_met", _("goals met")
    PERSON_ENDED = "person_ended", _("the person ended the follow-up")
    NO_CONTACT = "no_contact", _("no contact with the person")
    TRANSFERRED = "transferred", _("transferred to another service")
    MOVED = "moved", _("the person moved away")
    DECEASED = "deceased", _("the person died")
    OTHER = "other", pgettext_lazy("closing reason", "other")


class Orientation(models.TextChoices):
    NONE = "none", _("no further service needed")
    COMMUNITY = "community", _("a community organization")
    CLSC_SERVICE = "clsc_service", _("another CLSC service")
    MENTAL_HEALTH = "mental_health", _("mental health services")
    FAMILY_DOCTOR = "family_doctor", _("family doctor or medical clinic")
    SOCIAL_PRESCRIBING = "social_prescribing", _("social prescribing")
    OTHER = "other", pgettext_lazy("orientation", "other")


class CoachingStatus(models.TextChoices):
    ASKED = "asked", pgettext_lazy("coaching status", "waiting for an answer")
    ANSWERED = "answered", pgettext_lazy("coaching status", "answered")


class Case(models.Model):
    """One person's follow-up by a CLSC team: its plan, its workers, its notes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="cases"
    )
    team = models.ForeignKey(
        "teams.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The contact (intake) that led to the case, when there was one.
    episode = models.ForeignKey(
        "intake.ContactEpisode",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CaseStatus.choices,
        default=CaseStatus.OPEN,
        db_index=True,
    )
    plan = models.TextField(_("intervention plan"), max_length=TEXT_LENGTH, blank=True)
    opened_at = models.DateTimeField(_("opened"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closing_reason = models.CharField(
        _("closing reason"), max_length=32, choices=ClosingReason.choices, blank=True
    )
    orientation = models.CharField(
        _("orientation"), max_length=32, choices=Orientation.choices, blank=True
    )
    closing_note = models.TextField(_("closing summary"), max_length=TEXT_LENGTH, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CaseWorker",
        through_fields=("case", "user"),
        related_name="cases",
    )

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["region", "status"], name="case_region_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open", closed_at__isnull=True)
                | models.Q(status="closed", closed_at__isnull=False) & ~models.Q(closing_reason=""),
                name="case_closed_with_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.opened_at:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class CaseWorker(models.Model):
    """A worker on the case (co-intervention: several, one of them the lead)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_workers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="case_roles",
    )
    role = models.CharField(_("role on the case"), max_length=16, choices=WorkerRole.choices)
    since = models.DateTimeField(_("since"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["since", "pk"]
        verbose_name = _("worker on a case")
        verbose_name_plural = _("workers on cases")
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="case_worker_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.case_id} ({self.role})"


class NextAction(models.Model):
    """Something to do on the case, by a date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="next_actions")
    text = models.CharField(_("what to do"), max_length=SHORT_TEXT_LENGTH)
    due_on = models.DateField(_("due on"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("next action")
        verbose_name_plural = _("next actions")
        indexes = [models.Index(fields=["case", "due_on"], name="next_action_case_due")]

    def __str__(self) -> str:
        return f"{self.due_on} {self.text}"


class SignedNoteLocked(Exception):
    """A signed progress note, or an addendum, cannot be changed nor deleted."""


class LockedQuerySet(models.QuerySet):
    """Refuses bulk changes of locked rows (`locked` names what makes a row locked)."""

    locked: models.Q = models.Q()

    def update(self, **kwargs):
        if self.filter(self.locked).exists():
            raise SignedNoteLocked("signed notes and addenda are never changed")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(self.locked).exists():
            raise SignedNoteLocked("signed notes and addenda are never deleted")
        return super().delete()


class NoteQuerySet(LockedQuerySet):
    locked = models.Q(signed_at__isnull=False)


class ProgressNote(models.Model):
    """A progress note: the structured part (what, how long, where) and free text. Its
    author may change it until they sign it; signed, it is locked for good."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    intervention_type = models.CharField(
        _("intervention type"), max_length=32, choices=InterventionType.choices
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        validators=[
            MinValueValidator(MIN_DURATION_MINUTES),
            MaxValueValidator(MAX_DURATION_MINUTES),
        ],
    )
    place = models.CharField(_("place"), max_length=16, choices=Place.choices)
    text = models.TextField(_("note"), max_length=TEXT_LENGTH)
    # When the intervention took place (the note may be written later).
    happened_on = models.DateField(_("date of the intervention"))
    written_at = models.DateTimeField(_("written"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("last changed"))
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["-happened_on", "-written_at", "-pk"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    duration_minutes__gte=MIN_DURATION_MINUTES,
                    duration_minutes__lte=MAX_DURATION_MINUTES,
                ),
                name="progress_note_duration_bounded",
            ),
            models.CheckConstraint(
                condition=models.Q(signed_at__isnull=True, signed_by__isnull=True)
                | models.Q(signed_at__isnull=False, signed_by__isnull=False),
                name="progress_note_signed_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.happened_on} {self.intervention_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None and _stored_signed(ProgressNote, self.pk):
            raise SignedNoteLocked("a signed note is never changed: add an addendum")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk is not None and _stored_signed(ProgressNote, self.pk):
            raise SignedNoteLocked("a signed note is never deleted")
        return super().delete(*args, **kwargs)

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


def _stored_signed(model, pk) -> bool:
    """The note as stored is signed (what the instance in hand says does not count)."""
    return model._base_manager.filter(pk=pk, signed_at__isnull=False).exists()


class AddendumQuerySet(LockedQuerySet):
    locked = models.Q(pk__isnull=False)


class NoteAddendum(models.Model):
    """A correction or a complement to a signed note: written once, never changed."""

    note = models.ForeignKey(ProgressNote, on_delete=models.CASCADE, related_name="addenda")
    text = models.TextField(_("addendum"), max_length=TEXT_LENGTH)
    written_at = models.DateTimeField(_("written"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = AddendumQuerySet.as_manager()

    class Meta:
        ordering = ["written_at", "pk"]
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")

    def __str__(self) -> str:
        return f"{self.note_id} + {self.written_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise SignedNoteLocked("an addendum is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SignedNoteLocked("an addendum is never deleted")


class CoachingRequest(models.Model):
    """A question from the case's worker to an interprofessional team of the region, and
    its answer by one of that team's members."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="coaching_requests")
    team = models.ForeignKey(
        "teams.Team",
        verbose_name=_("asked of"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    question = models.TextField(_("question"), max_length=TEXT_LENGTH)
    asked_at = models.DateTimeField(_("asked"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CoachingStatus.choices,
        default=CoachingStatus.ASKED,
        db_index=True,
    )
    answer = models.TextField(_("answer"), max_length=TEXT_LENGTH, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-asked_at", "-pk"]
        verbose_name = _("coaching request")
        verbose_name_plural = _("coaching requests")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="asked", answered_at__isnull=True)
                | models.Q(status="answered", answered_at__isnull=False) & ~models.Q(answer=""),
                name="coaching_answered_with_text",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.team_id} ({self.status})"
