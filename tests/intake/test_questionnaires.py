"""Questionnaires as data: versions, answer checks and scoring (C-SSRS screen triage)."""

import json

import pytest

from proxima.intake.models import Questionnaire
from proxima.intake.services.questionnaires import (
    ScreeningInputError,
    clean_answers,
    load_questionnaires,
    questionnaire,
    score,
)

pytestmark = pytest.mark.django_db

NO = {"q1": False, "q2": False, "q6": False}


def cssrs(answers: dict) -> dict:
    definition = questionnaire("cssrs-screen").definition
    return score(definition, clean_answers(definition, answers))


@pytest.mark.parametrize(
    ("answers", "level", "escalates"),
    [
        (NO, "none", False),
        ({"q1": True, "q2": False, "q6": False}, "low", False),
        (
            {"q1": True, "q2": True, "q3": False, "q4": False, "q5": False, "q6": False},
            "low",
            False,
        ),
        (
            {"q1": True, "q2": True, "q3": True, "q4": False, "q5": False, "q6": False},
            "moderate",
            True,
        ),
        ({"q1": True, "q2": True, "q3": True, "q4": True, "q5": False, "q6": False}, "high", True),
        (
            {"q1": False, "q2": True, "q3": False, "q4": False, "q5": True, "q6": False},
            "high",
            True,
        ),
        ({"q1": False, "q2": False, "q6": True, "q6_recent": False}, "moderate", True),
        ({"q1": False, "q2": False, "q6": True, "q6_recent": True}, "high", True),
    ],
)
def test_cssrs_screen_triage_levels(questionnaires, answers, level, escalates):
    outcome = cssrs(answers)
    assert (outcome["level"], outcome["escalates"]) == (level, escalates)
    assert outcome["risks"] == (["suicide"] if level != "none" else [])


@pytest.mark.parametrize(
    ("answers", "item"),
    [
        ({"q1": False, "q6": False}, "q2"),  # unanswered
        ({"q1": "oui", "q2": False, "q6": False}, "q1"),  # not a boolean
        ({**NO, "q3": True}, "q3"),  # asked only after a yes to q2
        ({**NO, "q99": True}, "q99"),  # unknown question
    ],
)
def test_bad_answers_are_refused_item_by_item(questionnaires, answers, item):
    with pytest.raises(ScreeningInputError) as raised:
        cssrs(answers)
    assert item in raised.value.errors


def test_not_asked_is_kept_apart_from_no(questionnaires):
    """A question the worker did not ask is None ("not asked"), said explicitly: it
    counts neither as a no nor as a yes, and the outcome names it."""
    outcome = cssrs({"q1": None, "q2": True, "q3": None, "q4": None, "q5": None, "q6": False})
    assert outcome["level"] == "low" and outcome["not_asked"] == ["q1", "q3", "q4", "q5"]
    assert cssrs(NO)["not_asked"] == []
    with pytest.raises(ScreeningInputError) as refused:
        cssrs({"q1": None, "q6": False})  # q2 neither answered nor said not asked
    assert "q2" in refused.value.errors


def test_needs_and_strengths(questionnaires):
    definition = questionnaire("needs-screen").definition
    answers = {
        "need_food": {"severity": 3, "wants_help": True, "note": "frigo vide"},
        "need_housing": {"severity": 0},
        "strength_supportive_relationships": True,
        "strength_belonging": False,
    }
    outcome = score(definition, clean_answers(definition, answers))
    assert outcome["needs"] == {"food": {"severity": 3, "wants_help": True, "note": "frigo vide"}}
    assert outcome["strengths"] == ["supportive_relationships"]
    with pytest.raises(ScreeningInputError) as raised:
        clean_answers(definition, {"need_food": {"severity": 7}})
    assert raised.value.errors == {"need_food": "Indiquez une gravité de 0 à 3."}
    with pytest.raises(ScreeningInputError):
        clean_answers(definition, {"need_food": {"severity": 1, "note": "x" * 100_000}})


def test_versions_are_kept_and_never_rewritten(questionnaires, tmp_path):
    assert load_questionnaires() == 0  # idempotent
    source = questionnaire("safety-screen").definition
    newer = {**source, "version": 2, "title": {"fr": "Sécurité", "en": "Safety"}}
    (tmp_path / "safety-v2.json").write_text(json.dumps(newer))
    assert load_questionnaires(tmp_path) == 1
    assert questionnaire("safety-screen").version == 2
    assert questionnaire("safety-screen", version=1).version == 1
    changed = {**source, "title": {"fr": "Autre", "en": "Other"}}
    (tmp_path / "safety-v1-changed.json").write_text(json.dumps(changed))
    with pytest.raises(ScreeningInputError):
        load_questionnaires(tmp_path)
    assert Questionnaire.objects.filter(code="safety-screen").count() == 2
    (tmp_path / "safety-v1-changed.json").unlink()
    broken = {**source, "version": 3, "items": [*source["items"][:1]]}  # levels name lost items
    (tmp_path / "safety-v3.json").write_text(json.dumps(broken))
    with pytest.raises(ScreeningInputError) as refused:
        load_questionnaires(tmp_path)
    assert "safety-v3.json" in refused.value.errors
    assert Questionnaire.objects.filter(code="safety-screen").count() == 2


def test_unknown_questionnaire_or_version(questionnaires):
    with pytest.raises(ScreeningInputError) as raised:
        questionnaire("cssrs-screen", version=9)
    assert (
        raised.value.errors["questionnaire"]
        == "Version de questionnaire inconnue : cssrs-screen v9."
    )
    with pytest.raises(ScreeningInputError):
        questionnaire("nope")
