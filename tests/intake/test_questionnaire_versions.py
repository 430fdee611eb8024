"""A region adds questions without code: a new version published from the admin, checked
like a definition file, shown on the contact screen; earlier versions stay."""

import copy
import json

import pytest
from django.test import Client
from django.urls import reverse

from proxima.core.roles import Role
from proxima.intake.models import Questionnaire
from proxima.intake.services.questionnaires import (
    ScreeningInputError,
    publish_version,
    questionnaire,
    validate_definition,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DIGITAL = {
    "id": "need_digital",
    "type": "need",
    "domain": "digital_access",
    "text": {"fr": "Accès au numérique", "en": "Digital access"},
}


def with_item(code: str, item: dict) -> dict:
    definition = copy.deepcopy(questionnaire(code).definition)
    definition["items"].append(item)
    return definition


def problems(definition) -> dict:
    with pytest.raises(ScreeningInputError) as refused:
        validate_definition(definition)
    return refused.value.errors


def test_broken_definitions_are_refused_naming_the_problem(questionnaires):
    needs = questionnaire("needs-screen").definition
    assert "title" in problems({**needs, "title": {"fr": "Besoins"}})
    twice = problems(with_item("needs-screen", {**DIGITAL, "id": "need_food"}))
    assert [(key.split()[-1], message) for key, message in twice.items()] == [
        ("need_food", "Cet identifiant est utilisé deux fois.")
    ]
    assert "need_digital" in str(problems(with_item("needs-screen", {**DIGITAL, "text": {}})))
    later = {"id": "q0", "type": "yes_no", "ask_if": {"yes": ["q9"]}, "text": DIGITAL["text"]}
    assert "q0" in str(problems(with_item("cssrs-screen", later)))
    unknown_risk = {"id": "q7", "type": "yes_no", "risk": "bad_luck", "text": DIGITAL["text"]}
    assert "bad_luck" in str(problems(with_item("safety-screen", unknown_risk)))
    cssrs = questionnaire("cssrs-screen").definition
    assert "levels" in problems({**cssrs, "levels": [{"level": "high", "if_any_yes": ["q99"]}]})
    assert "escalate_at" in problems({**cssrs, "escalate_at": ["extreme"]})
    assert "definition" in problems(["not", "an", "object"])


def test_a_new_version_is_numbered_after_the_latest_and_the_old_one_stays(questionnaires):
    published = publish_version(with_item("needs-screen", DIGITAL))
    assert published.version == 2 and published.definition["version"] == 2
    assert questionnaire("needs-screen").pk == published.pk
    assert questionnaire("needs-screen", version=1).definition["items"][-1]["id"] != "need_digital"


def test_the_admin_publishes_a_version_that_the_contact_screen_shows(questionnaires, region):
    admin_client = Client()
    admin_client.force_login(UserFactory(role=Role.ADMIN))
    add = reverse("admin:intake_questionnaire_add")
    form = admin_client.get(add, {"from": "needs-screen"}).content.decode()
    assert "need_food" in form  # prefilled with the latest version

    broken = with_item("needs-screen", {**DIGITAL, "domain": ""})
    refused = admin_client.post(add, {"definition": json.dumps(broken)})
    assert refused.status_code == 200 and "need_digital" in refused.content.decode()
    not_json = admin_client.post(add, {"definition": "{items: ["})
    assert not_json.status_code == 200
    assert Questionnaire.objects.filter(code="needs-screen").count() == 1

    saved = admin_client.post(add, {"definition": json.dumps(with_item("needs-screen", DIGITAL))})
    assert saved.status_code == 302
    assert questionnaire("needs-screen").version == 2

    worker = Client()
    worker.force_login(UserFactory(role=Role.WORKER_811, region=region))
    worker.post(reverse("intake:new_call"))
    from proxima.intake.models import ContactEpisode

    screen = worker.get(reverse("intake:call", args=[ContactEpisode.objects.get().pk]))
    assert "Accès au numérique" in screen.content.decode()


def test_only_administrators_reach_the_questionnaire_admin(questionnaires, region):
    coordinator = Client()
    coordinator.force_login(UserFactory(role=Role.COORDINATOR, region=region))
    response = coordinator.get(reverse("admin:intake_questionnaire_add"))
    assert response.status_code == 302 and "login" in response["Location"]
