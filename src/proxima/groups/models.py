"""Group and collective interventions.

A group activity (a parenting group, a transition-to-adulthood group...) is run by a
team of the region, facilitated by some of its workers, over sessions; people register
(or wait for a place, first come first served) and their attendance is recorded for each
session held. A collective project is a community action on a territory: it holds no
personal information at all, only counts of the citizens involved (named participants
are deliberately not recorded; see docs/groups.md).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

TEXT_LENGTH = 10_000
TITLE_LENGTH = 200
PLACE_LENGTH = 300
MIN_CAPACITY, MAX_CAPACITY = 1, 100
MIN_AGE, MAX_AGE = 0, 120
MIN_SESSION_MINUTES, MAX_SESSION_MINUTES = 15, 480
MAX_CITIZENS = 1_000_000


class Theme(models.TextChoices):
    PARENTING = "parenting", _("parenting")
    TRANSITION_TO_ADULTHOOD = "transition_to_adulthood", _("transition to adulthood")
    SEXUAL_GENDER_DIVERSITY = "sexual_gender_diversity", _("sexual and gender diversity support")
    HOARDING_INSALUBRITY = "hoarding_insalubrity", _("hoarding and insalubrity")
    GRIEF = "grief", _("grief")
    ANXIETY = "anxiety", _("anxiety management")
    OTHER = "other", pgettext_lazy("group theme", "other")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("group status", "planned")
    RUNNING = "running", pgettext_lazy("group status", "running")
    FINISHED = "finished", pgettext_lazy("group status", "finished")
    CANCELLED = "cancelled", pgettext_lazy("group status", "cancelled")


# A finished or cancelled activity takes no registration.
OPEN_STATUSES = (ActivityStatus.PLANNED, ActivityStatus.RUNNING)


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("registration", "registered")
    WAITLISTED = "waitlisted", pgettext_lazy("registration", "on the waiting list")
    WITHDRAWN = "withdrawn", pgettext_lazy("registration", "withdrawn")


class Presence(models.TextChoices):
    PRESENT = "present", pgettext_lazy("attendance", "present")
    ABSENT = "absent", pgettext_lazy("attendance", "absent")
    EXCUSED = "excused", pgettext_lazy("attendance", "excused")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("project status", "planned")
    ONGOING = "ongoing", pgettext_lazy("project status", "ongoing")
    COMPLETED = "completed", pgettext_lazy("project status", "completed")
    ABANDONED = "abandoned", pgettext_lazy("project status", "abandoned")


def _localized(french: str, english: str) -> str:
    if (get_language() or "fr").startswith("en") and english:
        return english
    return french


class GroupActivity(models.Model):
    """A group intervention run by a team of the region, over several sessions."""

    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "teams.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="+"
    )
    title_fr = models.CharField(_("title (French)"), max_length=TITLE_LENGTH)
    title_en = models.CharField(_("title (English)"), max_length=TITLE_LENGTH, blank=True)
    theme = models.CharField(_("theme"), max_length=32, choices=Theme.choices)
    description = models.TextField(_("description"), max_length=TEXT_LENGTH, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("places"),
        validators=[MinValueValidator(MIN_CAPACITY), MaxValueValidator(MAX_CAPACITY)],
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The directory's first-level need domains, by code (as agreements keep them).
    need_domains = models.JSONField(_("needs addressed"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ActivityStatus.choices,
        default=ActivityStatus.PLANNED,
        db_index=True,
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("facilitators"), related_name="facilitated_groups"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("group activity")
        verbose_name_plural = _("group activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=MIN_CAPACITY, capacity__lte=MAX_CAPACITY),
                name="group_capacity_bounded",
            ),
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")),
                name="group_ages_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title_fr

    @property
    def title(self) -> str:
        return _localized(self.title_fr, self.title_en)

    @property
    def takes_registrations(self) -> bool:
        return self.status in OPEN_STATUSES


class GroupSession(models.Model):
    """One meeting of the group."""

    activity = models.ForeignKey(GroupActivity, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        validators=[
            MinValueValidator(MIN_SESSION_MINUTES),
            MaxValueValidator(MAX_SESSION_MINUTES),
        ],
    )
    place = models.CharField(_("place"), max_length=PLACE_LENGTH, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")

    def __str__(self) -> str:
        return f"{self.activity_id} {self.starts_at:%Y-%m-%d %H:%M}"


class Registration(models.Model):
    """A person in the group, or waiting for a place (the waiting list is first come,
    first served: by `registered_at`)."""

    activity = models.ForeignKey(
        GroupActivity, on_delete=models.CASCADE, related_name="registrations"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="group_registrations",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RegistrationStatus.choices, db_index=True
    )
    registered_at = models.DateTimeField(_("registered"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # When a place was given (at registration, or on promotion from the waiting list).
    placed_at = models.DateTimeField(_("place given"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["registered_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="group_registered_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.activity_id} ({self.status})"


class Attendance(models.Model):
    """Whether a registered participant came to a session (once per session and person;
    a facilitator may correct it)."""

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="attendance")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendance"
    )
    presence = models.CharField(_("attendance"), max_length=16, choices=Presence.choices)
    recorded_at = models.DateTimeField(_("recorded"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["session", "registration"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "registration"], name="group_attendance_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.registration_id} {self.presence}"


class CollectiveProject(models.Model):
    """A community project or action on a territory. No personal information: the
    citizens involved are a count."""

    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title_fr = models.CharField(_("title (French)"), max_length=TITLE_LENGTH)
    title_en = models.CharField(_("title (English)"), max_length=TITLE_LENGTH, blank=True)
    issue = models.TextField(_("issue addressed"), max_length=TEXT_LENGTH)
    need_domains = models.JSONField(_("needs addressed"), default=list, blank=True)
    partners = models.ManyToManyField(
        "directory.Organization", verbose_name=_("partner organizations"), related_name="+"
    )
    citizens_involved = models.PositiveIntegerField(
        _("citizens involved"), default=0, validators=[MaxValueValidator(MAX_CITIZENS)]
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProjectStatus.choices,
        default=ProjectStatus.PLANNED,
        db_index=True,
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    results = models.TextField(_("results"), max_length=TEXT_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("collective project")
        verbose_name_plural = _("collective projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(started_on__isnull=True)
                | models.Q(ended_on__isnull=True)
                | models.Q(started_on__lte=models.F("ended_on")),
                name="collective_project_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title_fr

    @property
    def title(self) -> str:
        return _localized(self.title_fr, self.title_en)


class ProjectActivity(models.Model):
    """Something done within the project (a meeting, a community kitchen...), with how
    many took part."""

    project = models.ForeignKey(
        CollectiveProject, on_delete=models.CASCADE, related_name="activities"
    )
    held_on = models.DateField(_("date"))
    description = models.TextField(_("what was done"), max_length=TEXT_LENGTH)
    participants = models.PositiveIntegerField(
        _("participants"), default=0, validators=[MaxValueValidator(MAX_CITIZENS)]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("project activity")
        verbose_name_plural = _("project activities")

    def __str__(self) -> str:
        return f"{self.project_id} {self.held_on}"
