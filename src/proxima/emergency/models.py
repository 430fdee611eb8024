"""Emergency psychosocial mode.

An event (a fire, a flood, a storm, a violent event...) is declared by a coordinator or
a team lead of the region, with a lead and the team that makes the follow-up calls. Once
active, the 811 screen shows it as context and the responders register the affected
people fast (minimal fields, grouped by household, needs, psychological first aid given);
each registration plans the person's follow-ups (+72 h, +2 weeks, +1 month, +6 months by
default, counted from the registration), which are the team's tasks. The event is
closed with a report; its figures are frozen then. See docs/emergency.md.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

TITLE_LENGTH = 200
PLACE_LENGTH = 300
NAME_LENGTH = 100
PHONE_LENGTH = 40
HOUSEHOLD_LENGTH = 200
NOTE_LENGTH = 2_000
REPORT_LENGTH = 20_000
MAX_HOUSEHOLD_SIZE = 99
# The follow-up schedule: 1 to 10 offsets, each from 1 hour to 2 years after registration.
MIN_OFFSETS, MAX_OFFSETS = 1, 10
MIN_OFFSET_HOURS, MAX_OFFSET_HOURS = 1, 2 * 365 * 24
# +72 h, +2 weeks, +1 month (30 days), +6 months (180 days).
DEFAULT_OFFSETS_HOURS = (72, 14 * 24, 30 * 24, 180 * 24)


def default_offsets() -> list[int]:
    return list(DEFAULT_OFFSETS_HOURS)


class EventKind(models.TextChoices):
    FIRE = "fire", pgettext_lazy("emergency kind", "fire")
    FLOOD = "flood", pgettext_lazy("emergency kind", "flood")
    STORM = "storm", pgettext_lazy("emergency kind", "storm")
    VIOLENT_EVENT = "violent_event", pgettext_lazy("emergency kind", "violent event")
    OTHER = "other", pgettext_lazy("emergency kind", "other (technological accident...)")


class EventStatus(models.TextChoices):
    DECLARED = "declared", pgettext_lazy("emergency status", "declared")
    ACTIVE = "active", pgettext_lazy("emergency status", "active")
    CLOSED = "closed", pgettext_lazy("emergency status", "closed")


class AgeBand(models.TextChoices):
    UNKNOWN = "unknown", pgettext_lazy("age band", "unknown")
    CHILD_0_5 = "0-5", _("0 to 5 years")
    CHILD_6_11 = "6-11", _("6 to 11 years")
    YOUTH_12_17 = "12-17", _("12 to 17 years")
    YOUNG_ADULT = "18-24", _("18 to 24 years")
    ADULT = "25-64", _("25 to 64 years")
    SENIOR = "65+", _("65 years or more")


class FollowUpStatus(models.TextChoices):
    DUE = "due", pgettext_lazy("follow-up", "to do")
    REACHED = "done_reached", pgettext_lazy("follow-up", "done, person reached")
    UNREACHABLE = "unreachable", pgettext_lazy("follow-up", "unreachable")
    DECLINED = "declined", pgettext_lazy("follow-up", "declined")
    CANCELLED = "cancelled", pgettext_lazy("follow-up", "cancelled")


# What a follow-up done may be recorded as (cancelling is the services' alone).
RECORDED_STATUSES = (FollowUpStatus.REACHED, FollowUpStatus.UNREACHABLE, FollowUpStatus.DECLINED)


class Orientation(models.TextChoices):
    NONE = "none", pgettext_lazy("orientation", "none")
    INFORMATION = "information", pgettext_lazy("orientation", "information given")
    REFERRAL = "referral", pgettext_lazy("orientation", "referred to a resource")
    INTERNAL = "internal", pgettext_lazy("orientation", "to an internal team")


class Event(models.Model):
    """An emergency of the region and its psychosocial response."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind of event"), max_length=32, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=TITLE_LENGTH)
    place = models.CharField(_("place"), max_length=PLACE_LENGTH)
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    occurred_on = models.DateField(_("date of the event"))
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The team whose members make the follow-up calls (their tasks).
    team = models.ForeignKey(
        "teams.Team", verbose_name=_("follow-up team"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EventStatus.choices,
        default=EventStatus.DECLARED,
        db_index=True,
    )
    # Hours after a person's registration at which they are called back, sorted.
    follow_up_offsets_hours = models.JSONField(_("follow-up schedule"), default=default_offsets)
    declared_at = models.DateTimeField(_("declared"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report = models.TextField(_("closing report"), max_length=REPORT_LENGTH, blank=True)
    # The dashboard's figures as they stood at closing (services.dashboard_figures).
    close_figures = models.JSONField(_("figures at closing"), default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-declared_at"]
        verbose_name = _("emergency event")
        verbose_name_plural = _("emergency events")
        indexes = [models.Index(fields=["region", "status"], name="emergency_region_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status == EventStatus.ACTIVE

    @property
    def is_closed(self) -> bool:
        return self.status == EventStatus.CLOSED


class Household(models.Model):
    """People registered together (a family, an address)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="households")
    label = models.CharField(_("household"), max_length=HOUSEHOLD_LENGTH)
    size_hint = models.PositiveSmallIntegerField(
        _("people in the household"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["label", "pk"]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.label


class AffectedPerson(models.Model):
    """A person affected by the event, registered on the spot (few fields: more can be
    asked at the follow-up calls)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="affected_people")
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    given_name = models.CharField(_("given name"), max_length=NAME_LENGTH)
    family_name = models.CharField(_("family name"), max_length=NAME_LENGTH, blank=True)
    phone = models.CharField(_("phone"), max_length=PHONE_LENGTH, blank=True)
    age_band = models.CharField(
        _("age"), max_length=16, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
    # The directory's first-level need domains, by code (as groups keep them).
    need_domains = models.JSONField(_("needs"), default=list, blank=True)
    first_aid_given = models.BooleanField(_("psychological first aid given"), default=False)
    first_aid_notes = models.CharField(
        _("notes on the first aid"), max_length=NOTE_LENGTH, blank=True
    )
    # The person's record, when the worker found one of the region.
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="emergency_registrations",
    )
    registered_at = models.DateTimeField(_("registered"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["registered_at", "pk"]
        verbose_name = _("affected person")
        verbose_name_plural = _("affected people")

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class FollowUp(models.Model):
    """One planned call to an affected person: a task of the event's team."""

    affected_person = models.ForeignKey(
        AffectedPerson, on_delete=models.CASCADE, related_name="follow_ups"
    )
    sequence = models.PositiveSmallIntegerField(_("follow-up number"))
    due_at = models.DateTimeField(_("due"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.DUE,
        db_index=True,
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("outcome"), max_length=NOTE_LENGTH, blank=True)
    orientation = models.CharField(
        _("orientation"), max_length=16, choices=Orientation.choices, default=Orientation.NONE
    )

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["affected_person", "sequence"], name="emergency_follow_up_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.affected_person_id} #{self.sequence} {self.status}"


class EventContact(models.Model):
    """An 811 contact about the event (linked from the call screen): the dashboard
    counts them."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="contacts")
    episode = models.ForeignKey(
        "intake.ContactEpisode", on_delete=models.PROTECT, related_name="emergency_links"
    )
    linked_at = models.DateTimeField(_("linked"))
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["linked_at", "pk"]
        verbose_name = _("contact about an event")
        verbose_name_plural = _("contacts about an event")
        constraints = [
            models.UniqueConstraint(fields=["event", "episode"], name="emergency_contact_once"),
        ]

    def __str__(self) -> str:
        return f"{self.episode_id} about {self.event_id}"
