"""Schemathesis against the served OpenAPI document (/api/openapi.json, loaded from the
Django app through WSGI: no network), anonymous and signed in as every role, with real
records so that the routes naming one are exercised: no 5xx, and every answer documented
(its status, its content type, its body shaped as the schema says).

Bounded for CI (PROXIMA_FUZZ_EXAMPLES, 20 examples per operation by default, positive and
negative data); `make fuzz` runs many more.
"""

import os
from contextlib import contextmanager

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from proxima.core.roles import PERMISSION_MATRIX, VIEW_CONFIDENTIAL_LOCATIONS, Role
from proxima.directory.models import Taxonomy, TaxonomyTerm
from proxima.intake.models import Channel, OrientationKind, Priority
from proxima.intake.services.episodes import ACTION_LABELS
from proxima.people.models import ConsentMethod, InformationCategory, Relationship
from proxima.referrals.lifecycle import Status
from proxima.teams.models import STANDARD_NAMES
from proxima.wsgi import application

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("PROXIMA_FUZZ_EXAMPLES", "20"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@contextmanager
def served_in_process():
    """The WSGI handler closes the database connection around each request, which would
    end the test's transaction on PostgreSQL: not while the fuzz runs. (Django's test
    client does the same for its own requests, then connects the closing again: no test
    client request may run inside.)"""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def real_values(network) -> dict[str, list]:
    """Real records (and valid codes) a fuzzed request may name, by parameter or field
    name ("<collection>:id" for the HSDS routes' `id`)."""
    people = [str(network.person.pk), str(network.relative.pk)]
    return {
        "services:id": [network.service.id],
        "organizations:id": [network.organization.id],
        "service_at_locations:id": [network.location.id],
        "taxonomies:id": list(Taxonomy.objects.values_list("id", flat=True)[:3]),
        "taxonomy_terms:id": list(TaxonomyTerm.objects.values_list("id", flat=True)[:5]),
        "contact_id": [str(network.contact.pk)],
        "episode_id": [str(network.contact.pk)],
        "escalation_id": [network.escalation.pk],
        "person_id": people,
        "relative_id": people,
        "duplicate_id": people,
        "guardian_id": people,
        "consent_id": [network.consent.pk],
        "referral_id": [str(network.referral.pk)],
        "version": [1, 2, 3],
        "service_id": [network.service.id],
        "organization_id": [network.organization.id],
        "recipient_organization_id": [network.organization.id],
        "questionnaire": ["cssrs-screen", "safety-screen", "needs-screen"],
        "status": list(Status.values),
        "channel": list(Channel.values),
        "priority": list(Priority.values),
        "kind": list(OrientationKind.values),
        "action": list(ACTION_LABELS),
        "need_domain": ["food", "housing"],
        "category": list(InformationCategory.values),
        "categories": [["identity"], ["identity", "needs"]],
        "method": list(ConsentMethod.values),
        "team": list(STANDARD_NAMES),
        "target_team": list(STANDARD_NAMES),
        "relationship": list(Relationship.values),
    }


def _signed_in(user) -> dict:
    """The cookies and header a browser signed in as `user` sends (CSRF enforced)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    client.get("/login/")
    token = client.cookies["csrftoken"].value
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    return {"cookies": cookies, "headers": {"X-CSRFToken": token}}


def with_real_records(case, values: dict[str, list], data) -> None:
    """Name real records (and valid codes) in the path, query and body, where the
    generated value would almost always be unknown."""

    def real(name: str, collection: str = ""):
        choices = values.get(f"{collection}:{name}" if collection else name)
        return data.draw(st.sampled_from(choices), label=name) if choices else None

    collection = case.operation.path.rstrip("/").split("/")[-2]  # /api/hsds/<collection>/{id}
    for name in list(case.path_parameters or {}):
        value = real(name, collection if name == "id" else "")
        if value is not None:
            case.path_parameters[name] = value
    for container in (case.query, case.body):
        if isinstance(container, dict):
            for name in list(container):
                value = real(name) if name != "id" else None
                if value is not None:
                    container[name] = value


ROLES = [None, *Role.values]
# The public directory routes answer the same to every role without the confidential
# locations, and the same to every role with them: fuzzed as anonymous and as one role
# that sees confidential locations.
STAFF_ROLE = next(r for r in Role.values if r in PERMISSION_MATRIX[VIEW_CONFIDENTIAL_LOCATIONS])
SIGNED_OUT_EXAMPLES = 5  # a signed-in route answers 401 to anyone signed out, whatever is sent


def budget(operation, role: str | None) -> int:
    """How many examples to try on this operation as this role (0: skip)."""
    public = not operation.definition.raw.get("security")
    if role is None:
        return EXAMPLES if public else min(EXAMPLES, SIGNED_OUT_EXAMPLES)
    if public:
        return EXAMPLES if role == STAFF_ROLE else 0
    return EXAMPLES


@pytest.mark.parametrize("role", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_every_operation_answers_as_documented(network, role, settings):
    values, credentials = real_values(network), _signed_in(network.user(role))
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # schemathesis's host
    with served_in_process():
        failures, statuses, operations = check_every_operation(values, credentials, role)
    print(
        f"\n{role or 'anonymous'}: {operations} operations, {sum(statuses.values())} "
        f"requests {dict(sorted(statuses.items()))}, {len(failures)} failing"
    )
    assert not failures, "\n\n".join(f"{label}:\n{error}" for label, error in failures.items())


def check_every_operation(values: dict, credentials: dict, role: str | None):
    """Failures by operation, statuses received, operations tried."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    failures, statuses, operations = {}, {}, 0
    for result in schema.get_all_operations():
        operation = result.ok()
        examples = budget(operation, role)
        if not examples:
            continue
        operations += 1
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @hypothesis.settings(
            max_examples=examples,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy, real=st.booleans(), data=st.data())
        def answers_as_documented(case, real, data):
            if real:
                with_real_records(case, values, data)
            response = case.call(**credentials)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            case.validate_response(response, checks=CHECKS)

        try:
            answers_as_documented()
        # Every operation is tried and all failures reported (schemathesis groups a case's
        # failed checks in a BaseExceptionGroup).
        except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001
            failures[operation.label] = failure
    return failures, statuses, operations
