"""Intake (AAOR): contact episodes, questionnaires as data, screenings and escalations."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

REASON_LENGTH = 5000


class Channel(models.TextChoices):
    PHONE_811 = "phone_811", _("811 Info-Social call")
    CLSC_WALK_IN = "clsc_walk_in", _("CLSC walk-in")
    HOME_VISIT = "home_visit", _("home visit")
    MOBILE_OUTREACH = "mobile_outreach", _("mobile outreach")
    PARTNER_SCHOOL = "partner_school", _("referral from a school")
    PARTNER_DAYCARE = "partner_daycare", _("referral from a daycare")
    PARTNER_CLINIC = "partner_clinic", _("referral from a clinic")
    PARTNER_COMMUNITY = "partner_community", _("referral from a community organization")
    SELF_REFERRAL = "self_referral", _("public self-referral form")


class Priority(models.TextChoices):
    IMMEDIATE = "immediate", _("immediate")
    URGENT = "urgent", _("urgent (24 h)")
    HOURS_72 = "72h", _("within 72 hours")
    WEEKS_2 = "2w", _("within 2 weeks")
    DAYS_30 = "30d", _("within 30 days")


# Default target delays in hours; a region may set its own (PriorityTarget).
DEFAULT_TARGET_HOURS = {
    Priority.IMMEDIATE: 0,
    Priority.URGENT: 24,
    Priority.HOURS_72: 72,
    Priority.WEEKS_2: 14 * 24,
    Priority.DAYS_30: 30 * 24,
}


class PriorityTarget(models.Model):
    region = models.ForeignKey("core.Region", on_delete=models.CASCADE, related_name="+")
    priority = models.CharField(max_length=16, choices=Priority.choices)
    target_hours = models.PositiveIntegerField(_("target delay (hours)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "priority"], name="one_target_per_priority")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.priority} {self.target_hours} h"


class ContactEpisode(models.Model):
    """One contact through one door; may stay anonymous, or be linked to a person later."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=32, choices=Channel.choices)
    started_at = models.DateTimeField(_("started"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    reason = models.TextField(_("reason, in the person's words"), max_length=REASON_LENGTH)
    language = models.CharField(_("language used"), max_length=16, default="fr")
    priority = models.CharField(_("priority"), max_length=16, choices=Priority.choices, blank=True)
    priority_due_at = models.DateTimeField(_("to be seen by"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # What stands in the way of getting help, as the person named it (matching.BARRIERS):
    # the matches weigh it, the indicators count it.
    barriers = models.JSONField(_("barriers named"), default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["region", "started_at"], name="contact_region_time"),
            models.Index(fields=["person", "started_at"], name="contact_person_time"),
        ]

    def __str__(self) -> str:
        return f"contact {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Questionnaire(models.Model):
    """A versioned questionnaire definition (items, scoring levels) kept as data, so a
    region adds questions without code; answers always name the version they used."""

    code = models.CharField(_("code"), max_length=64)
    version = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=16)  # needs, risk
    title = models.JSONField(_("title"))  # {"fr": ..., "en": ...}
    definition = models.JSONField(_("definition"))
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="questionnaire_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class Screening(models.Model):
    """Answers to one questionnaire during a contact, with the outcome computed from them."""

    episode = models.ForeignKey(ContactEpisode, on_delete=models.CASCADE, related_name="screenings")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(_("answers"))
    outcome = models.JSONField(_("outcome"), default=dict)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"screening {self.pk} ({self.questionnaire})"


class RiskKind(models.TextChoices):
    SUICIDE = "suicide", _("suicide risk")
    HARM_TO_OTHERS = "harm_to_others", _("danger to others")
    VIOLENCE = "violence", _("violence")
    CHILD_MALTREATMENT = "child_maltreatment", _("child maltreatment or neglect")
    ELDER_ABUSE = "elder_abuse", _("elder abuse")


# The levels risk screens name (their own slugs); shown to people in words.
RISK_LEVELS = {
    "none": _("no risk found"),
    "low": _("low"),
    "moderate": _("moderate"),
    "high": _("high"),
    "imminent": _("imminent"),
}


def risk_level_label(level: str) -> str:
    """A screen's level in the reader's language; a level only a screen of the
    administrator's names is shown as words, not as its slug."""
    return str(RISK_LEVELS.get(level, "")) or level.replace("_", " ").replace("-", " ")


def risk_kind_label(kind: str) -> str:
    return str(dict(RiskKind.choices).get(kind, "")) or kind.replace("_", " ")


class Escalation(models.Model):
    """A positive risk screen: what must be done before the contact can be closed."""

    episode = models.ForeignKey(
        ContactEpisode, on_delete=models.CASCADE, related_name="escalations"
    )
    # RESTRICT: a screening is not deleted alone while its escalation stands, but a
    # contact goes with both (retention); PROTECT refused that too.
    screening = models.ForeignKey(Screening, on_delete=models.RESTRICT, related_name="escalations")
    kind = models.CharField(_("risk"), max_length=32, choices=RiskKind.choices)
    level = models.CharField(_("level"), max_length=16)
    required_actions = models.JSONField(_("required actions"))
    mandatory_actions = models.JSONField(_("actions no one may skip"), default=list)
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} ({self.level}) on {self.episode_id}"

    @property
    def level_label(self) -> str:
        return risk_level_label(self.level)


class EscalationAction(models.Model):
    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="actions")
    action = models.CharField(_("action"), max_length=32)
    taken_at = models.DateTimeField(_("taken at"))
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.action} at {self.taken_at:%Y-%m-%d %H:%M}"


class OrientationKind(models.TextChoices):
    INFORMATION = "information", _("information only")
    INTERNAL_TEAM = "internal_team", _("internal team")
    REFERRAL = "referral", _("referral to a resource")


class Orientation(models.Model):
    """Where the contact leads: information given, an internal team, or a resource."""

    episode = models.ForeignKey(
        ContactEpisode, on_delete=models.CASCADE, related_name="orientations"
    )
    kind = models.CharField(_("orientation"), max_length=16, choices=OrientationKind.choices)
    team = models.ForeignKey(
        "teams.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    service = models.ForeignKey(
        "directory.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.kind} for {self.episode_id}"


class CallDraft(models.Model):
    """What a worker has typed on a contact's screen and not yet saved: autosaved every
    few seconds, restored when the page is opened again."""

    episode = models.ForeignKey(ContactEpisode, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["episode", "user"], name="one_draft_per_worker")
        ]

    def __str__(self) -> str:
        return f"draft of {self.episode_id} by {self.user_id}"


class SummaryChannel(models.TextChoices):
    EMAIL = "email", _("by email")
    SMS = "sms", _("by text message")


class SummarySent(models.Model):
    """A contact's summary sent to the person at their request (they agreed to receive it
    at this address): the address is kept partly hidden, the text is not kept."""

    episode = models.ForeignKey(
        ContactEpisode, on_delete=models.CASCADE, related_name="summaries_sent"
    )
    channel = models.CharField(_("sent"), max_length=8, choices=SummaryChannel.choices)
    to_hint = models.CharField(_("to"), max_length=80)
    sent_at = models.DateTimeField(_("sent on"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"summary of {self.episode_id} {self.channel}"
