"""Malformed bodies to every write route of the site and the API, found by walking the URL
resolver and the API's operations (a new route is covered without a line here), posted by
a user allowed there, with a valid CSRF token: every answer is a 4xx (or the page, a
redirect), never a 500."""

import json

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from proxima.api import api
from proxima.core.api_errors import UNSAFE_METHODS
from proxima.core.roles import Role

pytestmark = pytest.mark.django_db

OVER_THE_LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
MALFORMED = {
    "multipart": (
        b'--B\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--B--\r\n',
        "multipart/form-data; boundary=B",
    ),
    "multipart, broken": (b"--nope\r\n\r\n", "multipart/form-data"),
    "multipart, no boundary": (b"x=1", "multipart/form-data; boundary="),
    "form": (
        b"version=%C2%B2&first_appointment_at=2026-02-30T25%3A61",
        "application/x-www-form-urlencoded",
    ),
    "form, invalid UTF-8": (b"reason=\xff\xfe&status=\xc3", "application/x-www-form-urlencoded"),
    "text": (b'{"reason": "x"}', "text/plain"),
    "no content type": (b'{"reason": "x"}', ""),
    "over the limit": (json.dumps({"x": "a" * OVER_THE_LIMIT}).encode(), "application/json"),
    "JSON, invalid UTF-8": (b'{"reason": "\xff\xfe"}', "application/json"),
    "JSON, not JSON": (b"{'reason': 1", "application/json"),
    "JSON, a list": (b'[{"status": "accepted"}]', "application/json"),
    "JSON, nested nulls": (
        json.dumps(
            {k: None for k in ("status", "version", "needs", "answers", "categories", "payload")}
            | {"needs": {"food": None}, "answers": {"q1": None}, "a": {"b": [None, {"c": None}]}}
        ).encode(),
        "application/json",
    ),
    "JSON, a NUL character": (b'{"reason": "a\\u0000b", "body": "\\u0000"}', "application/json"),
    "form, a NUL character": (b"reason=a%00b&body=%00", "application/x-www-form-urlencoded"),
    "JSON, deeply nested": (b"[" * 50_000 + b"]" * 50_000, "application/json"),
    "JSON, huge numbers": (
        b'{"version": 1e999, "page": 99999999999999999999999}',
        "application/json",
    ),
}
# The admin's pages are Django's own forms, reading form fields only: the form-shaped
# bodies there (the others reach them as an empty form).
FORM_SHAPED = ("multipart", "multipart, broken", "form, invalid UTF-8", "over the limit")
# Who may use the routes of each namespace (everything else: an 811 worker).
ROLE_OF_NAMESPACE = {
    "admin": Role.ADMIN,
    "directory": Role.PARTNER_ADMIN,
    "privacy": Role.PRIVACY_OFFICER,
}


def site_routes(network) -> list[tuple[str, str]]:
    """(namespace, URL) of every named route of the site but the API's (its operations
    are walked with their methods), with real records in the path."""
    values = network.url_values()
    routes = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver) and pattern.namespace != "api":
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names = (
                    getattr(pattern.pattern, "converters", None) or pattern.pattern.regex.groupindex
                )
                if namespace == "admin":  # a record of the page's model
                    own = dict.fromkeys(("object_id", "pk"), admin_object_id(pattern.name))
                else:
                    own = {}
                kwargs = {name: own.get(name) or values.get(name, "1") for name in names}
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                routes.append((namespace or "", reverse(name, kwargs=kwargs)))

    walk(get_resolver().url_patterns, None)
    return sorted(set(routes))


def admin_object_id(name: str) -> str | None:
    """A record of the model an admin page is for (`<app>_<model>_<page>`), if any."""
    for model in admin.site._registry:
        if name.startswith(f"{model._meta.app_label}_{model._meta.model_name}_"):
            pk = model._default_manager.values_list("pk", flat=True).first()
            return None if pk is None else str(pk)
    return None


def api_operations(network) -> list[tuple[str, str]]:
    """(method, URL) of every operation of the API that writes, with real records."""
    values = {name: str(value) for name, value in network.url_values().items()}
    schema = api.get_openapi_schema()
    found = []
    for path, methods in schema["paths"].items():
        for method in methods:
            if method.upper() in UNSAFE_METHODS:
                found.append((method.upper(), path.format(**values)))
    return found


def browser(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/login/")
    client.defaults["HTTP_X_CSRFTOKEN"] = client.cookies["csrftoken"].value
    return client


def malformed_bodies_refused(client, method: str, url: str, kinds) -> list[str]:
    """What went wrong when posting each of these malformed bodies to the route."""
    errors = []
    for kind in kinds:
        body, content_type = MALFORMED[kind]
        try:
            response = client.generic(method, url, body, content_type=content_type)
        except Exception as error:  # noqa: BLE001 (reported with the route and body)
            errors.append(f"{method} {url} ({kind}): {type(error).__name__}: {error}")
            continue
        if response.status_code >= 500:
            errors.append(f"{method} {url} ({kind}): {response.status_code}")
        elif response.status_code in (400, 413, 415) and not response.content.strip():
            errors.append(f"{method} {url} ({kind}): {response.status_code} without a reason")
    return errors


def test_every_write_route_refuses_malformed_bodies_without_a_500(network):
    # The users first: signing in gives each its one-time-code device (a record the
    # admin's pages name too).
    users = {role: network.user(role) for role in {*ROLE_OF_NAMESPACE.values(), Role.WORKER_811}}
    for user in users.values():
        browser(user)
    routes = [("POST", url, namespace) for namespace, url in site_routes(network)]
    routes += [(method, url, "api") for method, url in api_operations(network)]
    assert len(routes) > 60 and any(method == "PATCH" for method, _url, _ns in routes)
    errors = []
    for method, url, namespace in routes:
        role = ROLE_OF_NAMESPACE.get(namespace, Role.WORKER_811)
        # Each route from the same records (the admin's delete pages delete) and its own
        # session (a route may end it: logout).
        with transaction.atomic():
            kinds = FORM_SHAPED if namespace == "admin" else MALFORMED
            errors += malformed_bodies_refused(browser(users[role]), method, url, kinds)
            transaction.set_rollback(True)
    assert not errors, "\n".join(errors)
