"""Audit lines about signing in: who, from where, what happened (never the password,
never a username that matches no account: it may be a mistyped password)."""

from django.conf import settings

from proxima.core.audit import record_audit_event
from proxima.core.models import User


def client_address(request) -> str:
    """The caller's address: REMOTE_ADDR, or the address our own reverse proxy appended
    last to X-Forwarded-For when PROXIMA_BEHIND_PROXY says there is one."""
    if request is None:
        return ""
    if settings.PROXIMA_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()[:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


def _detail(request) -> dict:
    return {"address": client_address(request)}


def _account(username: str) -> User | None:
    return User.objects.filter(username=username).first() if username else None


def password_accepted(user, request) -> None:
    record_audit_event(user, "login_password", user, detail=_detail(request))


def login_failed(username: str, request) -> None:
    account = _account(username)
    detail = _detail(request)
    if account is None:
        detail["account"] = "unknown"
    record_audit_event(
        None,
        "login_failed",
        object_type="core.user",
        object_id=str(account.pk) if account else "",
        detail=detail,
    )


def locked_out(username: str, request) -> None:
    account = _account(username)
    record_audit_event(
        None,
        "login_locked_out",
        object_type="core.user",
        object_id=str(account.pk) if account else "",
        detail=_detail(request),
    )


def second_factor(user, request, *, accepted: bool, kind: str = "") -> None:
    action = "login_second_factor" if accepted else "second_factor_failed"
    record_audit_event(user, action, user, reason=kind, detail=_detail(request))


def logged_out(user, request, *, reason: str = "") -> None:
    record_audit_event(user, "logout", user, reason=reason, detail=_detail(request))
