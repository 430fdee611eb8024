from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proxima.core.roles import ADMIN_SITE, Role, roles_with


class ProximaUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields["role"] = Role.ADMIN
        return super().create_superuser(username, email, password, **extra_fields)


class Region(models.Model):
    """A health and social services region (RSS), e.g. 03 Capitale-Nationale: personal
    records are kept, and read, within their region."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class User(AbstractUser):
    """A person who signs in: a network worker, a coordinator, or a partner's editor.

    The role is the single source of truth: administrators, and only they, reach the
    Django admin with every permission (`is_staff` and `is_superuser` follow the role).
    """

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.EVALUATOR)
    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text=_("For partner editors: the organization whose services they maintain."),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("Network staff read the personal records of their own region only."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        default="fr",
        choices=[("fr", "Français"), ("en", "English")],
    )

    work_phone = models.CharField(
        _("work phone"),
        max_length=40,
        blank=True,
        help_text=_("Printed on the prescriptions this person follows, for the family to call."),
    )
    referral_digest = models.BooleanField(
        _("daily digest of referral notifications"),
        default=False,
        help_text=_("One email a day instead of one email per notification."),
    )

    objects = ProximaUserManager()

    def save(self, *args, **kwargs):
        self.is_staff = self.is_superuser = self.role in roles_with(ADMIN_SITE)
        super().save(*args, **kwargs)


class AuditEvent(models.Model):
    """One line of the append-only audit log: who did or read what, when, and why.

    Written only by `core.audit.record_audit_event`; chained by hash to the line before
    (core/audit_chain.py) and guarded by triggers refusing UPDATE and DELETE."""

    sequence = models.PositiveBigIntegerField(_("number"), unique=True, editable=False)
    at = models.DateTimeField(_("at"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT
    )
    actor_role = models.CharField(_("role"), max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=250, db_index=True)
    reason = models.CharField(_("reason"), max_length=250, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    # The region of the object (a person, a contact, a referral), else the actor's: whose
    # privacy officer reads the line.
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    previous_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    entry_hash = models.CharField(_("hash"), max_length=64, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["region", "-sequence"], name="audit_region_recent")]

    def __str__(self) -> str:
        when = f"{self.at:%Y-%m-%d %H:%M}" if self.at else "-"
        return f"{when} {self.actor_id} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only")
