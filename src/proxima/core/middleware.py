"""Language selection (French first), and the guard that refuses unusable bodies."""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.locale import LocaleMiddleware
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _


class FrenchFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are in French unless the person chose English with the language switch
    (its cookie), whatever the browser's languages; the API follows the caller's
    Accept-Language, as API clients expect."""

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        translation.activate(language_of(request))
        request.LANGUAGE_CODE = translation.get_language()


def language_of(request) -> str:
    """The language to answer in, before the locale middleware has run: the page's
    (French unless the language switch chose English), or the API caller's."""
    if request.path.startswith("/api/"):
        return translation.get_language_from_request(request)
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class RequestGuardMiddleware:
    """Refuse a request body the site cannot take before anything reads it, with the
    reason in the user's language (JSON for the API, a short page otherwise): over
    DATA_UPLOAD_MAX_MEMORY_SIZE (413); a Content-Length that is not a number, a form that
    cannot be parsed, or a NUL character anywhere, which no text field of PostgreSQL can
    hold (400). (The API refuses what is not JSON itself: proxima/api.py.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with translation.override(language_of(request)):
            refusal = self.refusal(request)
        return refusal or self.get_response(request)

    def refusal(self, request) -> HttpResponse | None:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isascii() or not length.isdigit():
            return _refuse(request, 400, _("The request's Content-Length is not a number."))
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and int(length) > limit:
            message = _("The request is too large (at most %s).") % filesizeformat(limit)
            return _refuse(request, 413, message)
        if _holds_nul(request, int(length)):
            return _refuse(request, 400, _("The request holds a NUL character, which is not text."))
        is_page = not request.path.startswith("/api/")
        if is_page and request.method == "POST" and request.content_type in FORM_TYPES:
            try:
                request.POST  # noqa: B018 (parsed now, so that a malformed form is a 400 here)
            except (MultiPartParserError, SuspiciousOperation):
                return _refuse(request, 400, _("The form sent cannot be read."))
        return None


FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
# A NUL character as sent: raw, in a URL or a form, in JSON.
NUL_SPELLINGS = (b"\x00", b"%00", b"\\u0000")


def _holds_nul(request, length: int) -> bool:
    query = request.META.get("QUERY_STRING", "")
    if "\x00" in request.path or "%00" in query or "\x00" in query:
        return True
    return length > 0 and any(spelling in request.body for spelling in NUL_SPELLINGS)


def _refuse(request, status: int, reason: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": reason}, status=status)
    page = render_to_string("core/request_refused.html", {"reason": reason})
    return HttpResponse(page, status=status)
