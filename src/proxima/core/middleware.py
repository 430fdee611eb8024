"""Language selection (French first), and the guard that refuses unusable bodies."""

import json
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.locale import LocaleMiddleware
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
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
    cannot be parsed, a NUL character anywhere, which no text field of PostgreSQL can
    hold, or what does not decode to text (400). (The API refuses what is not JSON
    itself: proxima/api.py.)"""

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
        files_limit = _files_limit(request) if request.content_type == "multipart/form-data" else 0
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if files_limit:  # the files, and the form's fields around them
            limit = files_limit + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and int(length) > limit:
            if files_limit:  # said as the form says it: the file's limit
                message = _("The file is too large: at most %s.") % filesizeformat(files_limit)
            else:
                message = _("The request is too large (at most %s).") % filesizeformat(limit)
            return _refuse(request, 413, message)
        takes_files = bool(files_limit)
        if not takes_files and (problem := _text_problem(request, int(length))):
            return _refuse_text(request, problem)
        if takes_files and (problem := _text_problem(request, 0)):  # the address, headers
            return _refuse_text(request, problem)
        is_page = not request.path.startswith("/api/")
        if is_page and request.method == "POST" and request.content_type in FORM_TYPES:
            try:
                fields = request.POST  # parsed now, so that a malformed form is a 400 here
            except RequestDataTooBig:  # the form's fields, beside its files
                limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
                return _refuse(request, 413, _("The request is too large (at most %s).") % limit)
            except (MultiPartParserError, SuspiciousOperation):
                if takes_files:  # Django caps each part's headers, a file's name with them
                    message = _("The form sent cannot be read: is the file's name very long?")
                    return _refuse(request, 400, message)
                return _refuse(request, 400, _("The form sent cannot be read."))
            # With files, the raw body is binary and not read here: a field holding
            # U+FFFD is taken as undecodable.
            raw_body = None if takes_files else request.body
            if problem := _form_text_problem(fields, raw_body):
                return _refuse_text(request, problem)
        return None


def _files_limit(request) -> int:
    """The most a route takes in files, when its view accepts them (core.uploads) and
    someone signed in with both factors sends them: nobody else makes the site read more
    than a form."""
    if request.method != "POST":
        return 0
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return 0
    limit = getattr(match.func, "accepts_files", 0)
    return limit if limit and _signed_in_fully(request) else 0


def _signed_in_fully(request) -> bool:
    """Whether the request's session is of someone signed in with both factors (read
    before the session and authentication middlewares have run)."""
    from importlib import import_module

    from django.contrib.auth import SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY

    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    session = import_module(settings.SESSION_ENGINE).SessionStore(key)
    return bool(session.get(SESSION_KEY) and session.get(DEVICE_ID_SESSION_KEY))


FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
NUL, NOT_UTF8 = "nul", "not_utf8"


def _form_text_problem(fields, raw_body: bytes | None) -> str:
    """A form's fields once decoded (a multipart part may come in base64 or quoted-
    printable, where the raw body shows neither a NUL nor bytes that are not UTF-8):
    Django puts U+FFFD for bytes it could not decode."""
    replaced_in_body = raw_body is not None and "\ufffd".encode() in raw_body
    for values in fields.lists():
        for value in (values[0], *values[1]):
            if "\x00" in value:
                return NUL
            if "\ufffd" in value and not replaced_in_body:
                return NOT_UTF8
    return ""


def _text_problem(request, length: int) -> str:
    """NUL when a NUL character is sent (raw, in the URL, in a form, in JSON): PostgreSQL
    keeps none in text; NOT_UTF8 when what is sent decodes to no text: bytes that are not
    UTF-8 in the query string or a form (Django would store them garbled), a lone
    surrogate escape in JSON (the database cannot encode it). "" when all is text."""
    if "\x00" in request.path or any(
        "\x00" in value for key, value in request.META.items() if key.startswith("HTTP_")
    ):
        return NUL  # a header too: django-axes keeps the User-Agent in the database
    problem = _encoded_text_problem(_query_bytes(request.META.get("QUERY_STRING", "")))
    if problem or length == 0:
        return problem
    body = request.body
    if request.content_type == "application/x-www-form-urlencoded":
        return _encoded_text_problem(body)
    if request.content_type == "application/json" or request.content_type.endswith("+json"):
        return _json_text_problem(body)
    return NUL if b"\x00" in body else ""


def _query_bytes(query: str) -> bytes:
    try:
        return query.encode("latin-1")  # how WSGI hands the raw bytes over
    except UnicodeEncodeError:
        return query.encode("utf-8")


def _encoded_text_problem(raw: bytes) -> str:
    """A query string or urlencoded form: each value percent-decoded must be UTF-8."""
    decoded = unquote_to_bytes(raw.replace(b"+", b" "))
    try:
        text = decoded.decode("utf-8")
    except UnicodeDecodeError:
        return NOT_UTF8
    return NUL if "\x00" in text else ""


def _json_text_problem(body: bytes) -> str:
    if b"\x00" in body:
        return NUL
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return ""  # not JSON: the API says so itself (proxima/api.py)
    pending = [data]
    while pending:  # every key and string of the document, without recursion
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            if "\x00" in item:
                return NUL
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return NOT_UTF8
    return ""


def _refuse_text(request, problem: str) -> HttpResponse:
    if problem == NUL:
        return _refuse(request, 400, _("The request holds a NUL character, which is not text."))
    return _refuse(request, 400, _("The request holds characters that are not text."))


def _refuse(request, status: int, reason: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": reason}, status=status)
    if request.content_type == "application/json":  # a page's script (the outreach sync)
        return JsonResponse({"error": reason}, status=status)
    page = render_to_string("core/request_refused.html", {"reason": reason})
    return HttpResponse(page, status=status)
