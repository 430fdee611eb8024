"""Pages Django shows by itself (errors), in the person's language and the site's look;
the language switch."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe

from proxima.core.roles import ADMIN_SITE, has_capability, home_of


def csrf_failure(request, reason: str = ""):
    """A form sent without its security token (an old page, or a page from elsewhere)."""
    text = _("This form has expired or did not come from Proxima. Reload the page and try again.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": text}, status=403)
    return render(request, "403.html", {"reason": text}, status=403)


def _error(request, status: int, template: str, text: str):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": text}, status=status)
    return render(request, template, status=status)


def bad_request(request, exception=None):
    """A request Proxima cannot take (a bad Host header, a broken form): 400."""
    return _error(request, 400, "400.html", _("Proxima could not read this request."))


def admin_login(request):
    """The admin's own sign-in page: Proxima's (password, then code). Someone signed in
    whose role is not the administrator's is told so rather than asked to sign in again."""
    if has_capability(request.user, ADMIN_SITE):
        return redirect("admin:index")
    if request.user.is_authenticated:
        raise PermissionDenied(_("The administration pages are for Proxima's administrator."))
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("accounts:login") + (f"?{query}" if query else ""))


def home(request):
    """Where signing in leads: each role's work (core.roles.HOME_OF_ROLE)."""
    return redirect(home_of(request.user))


def permission_denied(request, exception=None):
    text = str(exception) if exception and str(exception) else _("Access refused.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": text}, status=403)
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def page_not_found(request, exception=None):
    return _error(request, 404, "404.html", _("Not found."))


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    """Proxima has no icon (its pages say so: `rel="icon" href="data:,"`); a browser
    asking anyway, on a JSON or file answer, gets an empty answer rather than the 404
    page. That page carries the language form's CSRF token, so an icon asked for without
    cookies set a new CSRF cookie and broke a sign-in form opened at the same moment."""
    return HttpResponse(status=204)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Something went wrong; try again in a moment.")}, status=500
        )
    return render(request, "500.html", status=500)


@require_POST
def set_language(request):
    """Django's language switch; for someone signed in, the choice also becomes their
    account's language, in which notices and emails about referrals are then written."""
    response = i18n_views.set_language(request)
    chosen = request.POST.get("language", "")
    user = request.user
    known = chosen in dict(settings.LANGUAGES)
    if known and user.is_authenticated and user.preferred_language != chosen:
        user.preferred_language = chosen
        user.save(update_fields=["preferred_language"])
    return response
