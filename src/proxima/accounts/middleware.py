"""Nothing but the sign-in steps before the second factor; signed out after inactivity."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from proxima.accounts.services import two_factor

# Reachable once the password was accepted, before the one-time code.
SIGN_IN_STEPS = ("accounts:verify", "accounts:setup", "accounts:logout", "accounts:login")
ALWAYS_OPEN_PREFIXES = ("/static/", "/i18n/")
# How often, at most, the last activity is written to the session (not on every request):
# a 30th of the idle time, a minute at most.
ACTIVITY_RESOLUTION_SECONDS = 60


def activity_resolution(idle_seconds: int) -> int:
    return max(1, min(ACTIVITY_RESOLUTION_SECONDS, idle_seconds // 30))


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


class TwoFactorRequiredMiddleware:
    """A signed-in account that has not given its one-time code in this session reaches
    only the sign-in steps: pages redirect there, the API answers 401."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.open_paths: set[str] | None = None

    def __call__(self, request):
        user = getattr(request, "user", None)
        verified = user is None or not user.is_authenticated or user.is_verified()
        if not verified and not self._is_open(request.path):
            return self._refuse(request)
        return self.get_response(request)

    def _is_open(self, path: str) -> bool:
        if self.open_paths is None:
            self.open_paths = {reverse(name) for name in SIGN_IN_STEPS}
        return path in self.open_paths or path.startswith(ALWAYS_OPEN_PREFIXES)

    def _refuse(self, request):
        if _is_api(request):
            return JsonResponse(
                {"detail": _("Finish signing in: give your one-time code first.")}, status=401
            )
        step = "accounts:verify" if two_factor.has_second_factor(request.user) else "accounts:setup"
        target = reverse(step)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)


class SessionIdleTimeoutMiddleware:
    """Signs out after PROXIMA_SESSION_IDLE_MINUTES without a request (a worker's screen
    left open on a shared desk), saying why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get("last_activity")
            idle = settings.PROXIMA_SESSION_IDLE_MINUTES * 60
            resolution = activity_resolution(idle)
            # `last` may lag the true last request by up to `resolution`: the session
            # ends once idle for certain (never early; late by at most `resolution`).
            if last is not None and now - last > idle + resolution:
                request.logout_reason = "inactivity"  # for the audit line (signals.py)
                logout(request)
                return self._expired(request)
            if last is None or now - last >= resolution:
                request.session["last_activity"] = now
        return self.get_response(request)

    def _expired(self, request):
        text = _("You were signed out after %(minutes)d minutes without activity.") % {
            "minutes": settings.PROXIMA_SESSION_IDLE_MINUTES
        }
        if _is_api(request):
            return JsonResponse({"detail": text}, status=401)
        messages.info(request, text)
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(reverse("accounts:login") + (f"?{query}" if query else ""))


class SignedInMarkerMiddleware:
    """A cookie the pages' scripts may read, naming the account this browser is signed in
    with (its id; nothing else): the outreach form kept on a phone for offline use
    records only for that account, and stops once it signed out. Set while signed in
    with both factors, removed on any answer to someone who is not (signing out, the
    session ended: this middleware is outside the idle and two-factor ones); gone when
    the browser closes, as the session is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        name = settings.PROXIMA_SIGNED_IN_COOKIE
        # A user just signed in or out by the view has no is_verified (django-otp adds
        # it to the request's user): the next answer says it.
        is_verified = getattr(user, "is_verified", None)
        signed_in = bool(user and user.is_authenticated and callable(is_verified) and is_verified())
        value = str(user.pk) if signed_in else ""
        if request.COOKIES.get(name, "") == value:
            return response
        if value:
            response.set_cookie(
                name,
                value,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=False,
                samesite="Lax",
            )
        else:
            response.delete_cookie(name, samesite="Lax")
        return response
