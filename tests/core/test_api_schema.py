"""The OpenAPI document lists, for every route, every status it can answer, each with its
schema: API clients (and the schemathesis pass) can rely on it."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from ninja import Status
from ninja.testing import TestClient

from proxima.core.api_errors import ApiRouter

UNSAFE = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def openapi():
    return Client().get("/api/openapi.json").json()


def operations(openapi):
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_route_declares_its_error_answers(openapi):
    missing = {}
    for path, method, operation in operations(openapi):
        expected = {"400", "413", "422"}
        if operation.get("security"):
            expected |= {"401", "403"}
        if "{" in path or method in UNSAFE:
            expected.add("404")
        if method in UNSAFE:
            expected |= {"409", "415"}
        declared = set(operation["responses"])
        if expected - declared:
            missing[f"{method.upper()} {path}"] = sorted(expected - declared)
        if not declared & {"200", "201", "204"}:
            missing[f"{method.upper()} {path}"] = ["no success answer"]
    assert not missing


def test_every_error_answer_has_the_error_shape(openapi):
    for path, method, operation in operations(openapi):
        for status, answer in operation["responses"].items():
            if status.startswith("4"):
                schema = answer["content"]["application/json"]["schema"]
                expected = "ConflictOut" if status == "409" else "ErrorOut"
                assert schema == {"$ref": f"#/components/schemas/{expected}"}, (path, method)
    error = openapi["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["detail"]


def test_the_referral_refusal_is_documented(openapi):
    """The 403 of POST /api/referrals was answered by a 500: no schema was declared."""
    assert "403" in openapi["paths"]["/api/referrals"]["post"]["responses"]


def test_a_route_must_say_what_it_answers():
    router = ApiRouter()
    with pytest.raises(ImproperlyConfigured, match="declare what the route answers"):

        @router.get("/undeclared")
        def undeclared(request):
            return {}


def test_a_route_answering_an_error_status_gets_the_error_shape():
    """A route returning Status(403, ...) without declaring 403 answered a 500."""
    router = ApiRouter(auth=lambda request: True)  # a signed-in route

    @router.post("/refuse", response={201: dict})
    def refuse(request):
        return Status(403, {"detail": "Non."})

    response = TestClient(router).post("/refuse", json={})
    assert response.status_code == 403 and response.json() == {"detail": "Non.", "errors": None}
