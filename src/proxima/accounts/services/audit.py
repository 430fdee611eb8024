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
    # The account's line (so its region's privacy officer sees it), or an unknown name's.
    record_audit_event(None, "login_failed", account, object_type="core.user", detail=detail)


def locked_out(username: str, request) -> None:
    account = _account(username)
    record_audit_event(
        None, "login_locked_out", account, object_type="core.user", detail=_detail(request)
    )


def second_factor(user, request, *, accepted: bool, kind: str = "") -> None:
    action = "login_second_factor" if accepted else "second_factor_failed"
    record_audit_event(user, action, user, reason=kind, detail=_detail(request))


def logged_out(user, request, *, reason: str = "") -> None:
    record_audit_event(user, "logout", user, reason=reason, detail=_detail(request))


# What an administrator changes on an account that decides what it may see.
WATCHED_FIELDS = (
    "role",
    "region_id",
    "organization_id",
    "is_active",
    "is_staff",
    "is_superuser",
    "username",
    "email",  # where password resets and two-factor notices go
)


def watched(user: User) -> dict:
    return {name: getattr(user, name) for name in WATCHED_FIELDS}


def account_saved(by, user: User, before: dict | None) -> None:
    """The administrator created an account, or changed what it may see: the line names
    each field with its value before and after (roles, regions and teams are not personal
    information)."""
    after = watched(user)
    if before is None:
        record_audit_event(by, "create_account", user, detail={"fields": _plain(after)})
        return
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if changes:
        record_audit_event(by, "change_account", user, detail={"fields": _plain(changes)})


def account_password_set(by, user: User) -> None:
    record_audit_event(by, "set_account_password", user)


def _plain(values: dict) -> dict:
    return {
        key: value if isinstance(value, (bool, int, str, list)) or value is None else str(value)
        for key, value in values.items()
    }
