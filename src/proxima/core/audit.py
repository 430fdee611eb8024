"""Writing to the audit log: every read of personal or confidential data, every change."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from proxima.core import audit_chain
from proxima.core.models import AuditEvent


class SystemActor:
    """Proxima itself (a scheduled task, a command run by an operator): not a user."""

    is_authenticated = False
    role = "system"
    region_id = None


SYSTEM = SystemActor()


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
    """Append one audit line, chained to the one before; `actor` may be anonymous or
    SYSTEM (both stored as null, with the role "anonymous" or "system"). The line belongs
    to the object's region (a person, a contact, a referral), else to the actor's."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    authenticated = getattr(actor, "is_authenticated", False)
    region_id = getattr(obj, "region_id", None)
    if region_id is None and authenticated:
        region_id = getattr(actor, "region_id", None)
    role = actor.role if authenticated else ("system" if actor is SYSTEM else "anonymous")
    event = AuditEvent(
        actor=actor if authenticated else None,
        actor_role=role,
        action=action,
        object_type=object_type,
        object_id=object_id,
        region_id=region_id,
        reason=reason[:250],
        detail=detail or {},
    )
    return audit_chain.append(event)


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


def check_audit_chain(*, by: Any = SYSTEM) -> audit_chain.ChainReport:
    """Verify the whole chain and write the result as an audit line of its own: a
    checkpoint (the head verified) that the next check, and the privacy officer's page,
    start from."""
    report = audit_chain.verify_chain()
    detail = {
        "ok": report.ok,
        "entries": report.entries,
        "last_sequence": report.last_sequence,
        "last_hash": report.last_hash,
    }
    if not report.ok:
        detail.update(broken_at=report.broken_at, problem=report.problem)
    record_audit_event(by, "verify_audit", object_type="core.auditevent", detail=detail)
    return report
