"""Audit lines in words, in the reader's language: actions, reasons, roles, objects.

Core names the actions and the reasons the application writes; the reasons that are a
domain's own codes (a risk, an action taken for it, an orientation, a referral's side)
are named by their domain. A reason a person typed is shown as typed."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from proxima.core import audit
from proxima.intake.models import OrientationKind, RiskKind
from proxima.intake.services.episodes import ACTION_LABELS as ESCALATION_ACTION_LABELS
from proxima.referrals.lifecycle import Side

OBJECT_TYPE_LABELS = {
    "people.person": _("person record"),
    "intake.contactepisode": _("contact"),
    "referrals.referral": _("referral"),
    "directory.service": _("directory service"),
    "directory.location": _("location"),
    "core.auditevent": _("audit log"),
    "privacy.retention": _("retention rules"),
}


def action_label(action: str) -> str:
    return audit.action_label(action)


def reason_label(reason: str) -> str:
    for labels in (
        audit.REASON_LABELS,
        dict(RiskKind.choices),
        ESCALATION_ACTION_LABELS,
        dict(OrientationKind.choices),
        dict(Side.choices),
    ):
        if reason in labels:
            return str(labels[reason])
    return reason


def role_label(role: str) -> str:
    return audit.actor_role_label(role)


def object_type_label(object_type: str) -> str:
    if object_type in OBJECT_TYPE_LABELS:
        return str(OBJECT_TYPE_LABELS[object_type])
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def action_choices() -> list[tuple[str, str]]:
    """Every action, by its words (for the log's filter)."""
    return sorted(
        ((code, str(label)) for code, label in audit.ACTION_LABELS.items()), key=lambda c: c[1]
    )


def object_type_choices() -> list[tuple[str, str]]:
    return sorted(
        ((code, str(label)) for code, label in OBJECT_TYPE_LABELS.items()), key=lambda c: c[1]
    )
