"""Mobile outreach: the contacts a worker has in the street, a park, a shelter or a
disaster site, often anonymous, recorded on a phone that may be offline.

The contact's id is made by the phone when it is recorded: sending it twice (the queue
replayed after a lost answer) stores it once.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

PLACE_LENGTH = 200
NOTE_LENGTH = 1000
ORIENTATION_NOTE_LENGTH = 500
MAX_PEOPLE = 50
# A phone may keep a contact this long before it is sent (a week-end out of network).
MAX_AGE_DAYS = 30


class AgeBand(models.TextChoices):
    UNKNOWN = "unknown", _("not known")
    CHILD = "0-11", _("child (0–11)")
    YOUTH = "12-17", _("youth (12–17)")
    YOUNG_ADULT = "18-24", _("young adult (18–24)")
    ADULT = "25-64", _("adult (25–64)")
    SENIOR = "65+", _("senior (65 and over)")


class Help(models.TextChoices):
    LISTENING = "listening", _("listening and support")
    INFORMATION = "information", _("information on resources")
    MATERIAL = "material", _("material help (food, clothing, hygiene)")
    HARM_REDUCTION = "harm_reduction", _("harm reduction supplies")
    ACCOMPANIMENT = "accompaniment", _("accompaniment to a service")
    FIRST_AID = "first_aid", _("psychological first aid")
    CRISIS = "crisis", _("crisis intervention")


class Orientation(models.TextChoices):
    NONE = "none", _("none")
    INFORMATION = "information", _("information given")
    RESOURCE = "resource", _("referred to a community resource")
    CLSC = "clsc", _("referred to a CLSC team")
    EMERGENCY = "emergency", _("emergency services called (911)")


class OutreachContact(models.Model):
    """One outreach contact: where, whom (roughly), the needs seen, the help given and
    the orientation; no name."""

    id = models.UUIDField(primary_key=True, editable=False)  # made by the phone
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "teams.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    met_at = models.DateTimeField(_("met"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    # Sent from a phone's queue (offline), or from the page while online.
    was_queued = models.BooleanField(_("recorded offline"), default=False)
    place = models.CharField(_("place"), max_length=PLACE_LENGTH)
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    people_count = models.PositiveSmallIntegerField(_("people met"), default=1)
    age_band = models.CharField(
        _("approximate age"), max_length=8, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
    # The directory's first-level need domains, by code.
    need_domains = models.JSONField(_("needs seen"), default=list, blank=True)
    help_given = models.JSONField(_("help given"), default=list, blank=True)
    orientation = models.CharField(
        _("orientation"), max_length=16, choices=Orientation.choices, default=Orientation.NONE
    )
    orientation_note = models.CharField(
        _("orientation, details"), max_length=ORIENTATION_NOTE_LENGTH, blank=True
    )
    note = models.TextField(_("note"), max_length=NOTE_LENGTH, blank=True)
    event = models.ForeignKey(
        "emergency.Event",
        verbose_name=_("emergency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outreach_contacts",
    )
    # The contact as the indicators count it (channel "mobile outreach", anonymous).
    episode = models.OneToOneField(
        "intake.ContactEpisode", on_delete=models.PROTECT, related_name="outreach"
    )
    # What was sent, to tell a replay (the same) from another contact under the same id.
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["-met_at"]
        verbose_name = _("outreach contact")
        verbose_name_plural = _("outreach contacts")
        indexes = [
            models.Index(fields=["region", "met_at"], name="outreach_region_time"),
            models.Index(fields=["recorded_by", "met_at"], name="outreach_worker_time"),
        ]

    def __str__(self) -> str:
        return f"outreach contact {self.pk}"

    def help_labels(self) -> list[str]:
        labels = dict(Help.choices)
        return [str(labels.get(code, code)) for code in self.help_given]


def new_contact_id() -> uuid.UUID:
    """An id for a contact recorded on the page without its script (the form carries it,
    so that a form sent twice stores one contact)."""
    return uuid.uuid4()
