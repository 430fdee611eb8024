"""Checking and scoring the shipped screens as a property: any answers within range (every
asked yes/no question answered, needs rated 0 to 3) give an outcome the screen defines (one
of its levels, escalating exactly at its escalation levels); any answer out of range is
refused with an error naming the question, never a crash."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proxima.intake.models import RiskKind
from proxima.intake.services.questionnaires import (
    QUESTIONNAIRE_DIR,
    SEVERITIES,
    ScreeningInputError,
    clean_answers,
    score,
)

DEFINITIONS = {
    path.stem: json.loads(path.read_text(encoding="utf-8"))
    for path in sorted(QUESTIONNAIRE_DIR.glob("*.json"))
}
BOUNDED = settings(max_examples=100, deadline=None)
ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=4),
    st.sampled_from(["²", "--1", "oui", "on"]),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["severity", "note", "x"]), st.integers(), max_size=2),
)


def is_asked(item, answers) -> bool:
    return all(answers.get(other) is True for other in item.get("ask_if", {}).get("yes", []))


@st.composite
def answers_within_range(draw, definition) -> dict:
    """Every asked yes/no question answered; strengths and needs when the person has them."""
    answers: dict = {}
    for item in definition["items"]:
        if not is_asked(item, answers):
            continue
        if item["type"] == "yes_no":
            answers[item["id"]] = draw(st.booleans())
        elif item["type"] == "strength" and draw(st.booleans()):
            answers[item["id"]] = True
        elif item["type"] == "need" and draw(st.booleans()):
            answers[item["id"]] = {
                "severity": draw(st.sampled_from(SEVERITIES)),
                "wants_help": draw(st.booleans()),
                "note": draw(st.text(max_size=20)),
            }
    return answers


def out_of_range(item) -> st.SearchStrategy:
    """An answer this question cannot take (the likeliest mistakes first)."""
    if item["type"] == "need":
        severities = st.sampled_from([True, False, 1.0, "1", "²", 4, -1, None, [1]])
        return st.one_of(
            st.fixed_dictionaries({"severity": severities}),
            st.fixed_dictionaries({"severity": ANYTHING}).filter(
                lambda need: type(need["severity"]) is not int or need["severity"] not in SEVERITIES
            ),
            ANYTHING.filter(lambda value: not isinstance(value, dict) and value is not None),
        )
    return st.one_of(
        st.sampled_from([1, 0, "on", "oui", "true", [True]]),
        ANYTHING.filter(lambda value: not isinstance(value, bool) and value is not None),
    )


@pytest.mark.parametrize("code", sorted(DEFINITIONS))
@BOUNDED
@given(data=st.data())
def test_answers_within_range_give_an_outcome_of_the_screen(code, data):
    definition = DEFINITIONS[code]
    answers = data.draw(answers_within_range(definition))
    outcome = score(definition, clean_answers(definition, answers))
    levels = [rule["level"] for rule in definition.get("levels", [])]
    assert outcome["level"] in {"none", *levels}
    assert outcome["escalates"] == (outcome["level"] in definition.get("escalate_at", []))
    assert set(outcome["risks"]) <= set(RiskKind.values)
    assert all(1 <= need["severity"] <= 3 for need in outcome["needs"].values())
    yes = {key for key, value in answers.items() if value is True}
    for rule in definition.get("levels", []):  # the first level whose questions got a yes
        if yes & set(rule["if_any_yes"]):
            assert outcome["level"] == rule["level"]
            break
    else:
        assert outcome["level"] == "none"


@pytest.mark.parametrize("code", sorted(DEFINITIONS))
@BOUNDED
@given(data=st.data())
def test_an_answer_out_of_range_is_refused_naming_the_question(code, data):
    definition = DEFINITIONS[code]
    answers = data.draw(answers_within_range(definition))
    asked = [item for item in definition["items"] if is_asked(item, answers)]
    item = data.draw(st.sampled_from(asked))
    answers[item["id"]] = data.draw(out_of_range(item))
    with pytest.raises(ScreeningInputError) as refused:
        clean_answers(definition, answers)
    assert refused.value.errors  # the question itself, or one asked only after its yes
    assert item["id"] in refused.value.errors or any(
        item["id"] in other.get("ask_if", {}).get("yes", []) for other in definition["items"]
    )


@pytest.mark.parametrize("code", sorted(DEFINITIONS))
@BOUNDED
@given(data=st.data(), extra=st.text(min_size=1, max_size=8), value=ANYTHING)
def test_an_unknown_question_is_refused(code, data, extra, value):
    definition = DEFINITIONS[code]
    answers = data.draw(answers_within_range(definition))
    if any(item["id"] == extra for item in definition["items"]):
        return
    answers[extra] = value
    with pytest.raises(ScreeningInputError) as refused:
        clean_answers(definition, answers)
    assert extra in refused.value.errors
