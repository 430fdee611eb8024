"""Writing to the audit log: every read of personal or confidential data, every change."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from proxima.core.models import AuditEvent


def record_audit_event(
    actor: Any,
    action: str,
    obj: Any = None,
    *,
    object_type: str = "",
    object_id: str = "",
    reason: str = "",
    detail: dict | None = None,
) -> AuditEvent:
    """Append one audit line; `actor` may be anonymous (stored as null)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    authenticated = getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_role=getattr(actor, "role", "") if authenticated else "anonymous",
        action=action,
        object_type=object_type,
        object_id=object_id,
        reason=reason[:250],
        detail=detail or {},
    )


# How each action reads in an access log; unknown actions show their code.
ACTION_LABELS = {
    "create_person": _("created the record"),
    "read_person": _("read the record"),
    "update_person": _("corrected the record"),
    "list_person": _("saw the record in a search result"),
    "read_household": _("read the household"),
    "link_household": _("linked a household member"),
    "merge_person": _("merged records"),
    "record_consent": _("recorded a consent"),
    "read_consents": _("read the consents"),
    "withdraw_consent": _("recorded a consent withdrawal"),
    "read_contact": _("read a contact"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


# The reasons the application itself writes, shown in the reader's language; a reason a
# person typed is shown as typed.
REASON_LABELS = {
    "api": _("through the API"),
    "contact screen": _("contact screen"),
    "household": _("household"),
    "intake": _("intake"),
    "matching": _("matching resources"),
    "person page": _("person page"),
    "person search": _("person search"),
    "service page": _("service page"),
}


def reason_label(reason: str) -> str:
    return str(REASON_LABELS.get(reason, reason))
