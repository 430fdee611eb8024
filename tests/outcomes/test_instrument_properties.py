"""Scoring the shipped instruments (K10, PHQ-9) as a property: any complete answers within
the options give a score within the instrument's range and a band; any answer outside
them is refused with an error naming the item, never a crash."""

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proxima.outcomes.services.instruments import INSTRUMENT_DIR, InstrumentError, score

DEFINITIONS = {
    path.stem: json.loads(path.read_text(encoding="utf-8"))
    for path in sorted(INSTRUMENT_DIR.glob("*.json"))
}
BOUNDED = settings(max_examples=100, deadline=None)
# What a form or a client could send instead of an option's value.
NOT_AN_OPTION = st.one_of(
    st.sampled_from([True, False, 1.0, "1", "²", "--1", "", [1], None, -1, 99]),
    st.integers().filter(lambda n: abs(n) > 5),
    st.text(max_size=5),
    st.floats(allow_nan=True),
    st.none(),
    st.booleans(),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)


def option_values(definition) -> list[int]:
    return [option["value"] for option in definition["options"]]


def answers_within(definition):
    return st.fixed_dictionaries(
        {item["id"]: st.sampled_from(option_values(definition)) for item in definition["items"]}
    )


@pytest.mark.parametrize("code", sorted(DEFINITIONS))
@BOUNDED
@given(data=st.data())
def test_answers_within_the_options_score_within_the_range_with_a_band(code, data):
    definition = DEFINITIONS[code]
    answers = data.draw(answers_within(definition))
    result = score(definition, answers)
    scoring, values, items = definition["scoring"], option_values(definition), definition["items"]
    assert len(items) * min(values) <= result.raw <= len(items) * max(values)
    assert Decimal(scoring["min"]) <= result.score <= Decimal(scoring["max"])
    assert result.band in {band["code"] for band in scoring["bands"]} and result.band_label
    expected_alerts = [
        alert
        for alert in definition.get("alerts", [])
        if answers[alert["if_item"]] >= alert["at_least"]
    ]
    assert len(result.alerts) == len(expected_alerts)


@pytest.mark.parametrize("code", sorted(DEFINITIONS))
@BOUNDED
@given(data=st.data())
def test_an_answer_outside_the_options_is_refused_naming_the_item(code, data):
    definition = DEFINITIONS[code]
    answers = data.draw(answers_within(definition))
    item = data.draw(st.sampled_from([item["id"] for item in definition["items"]]))
    wrong = data.draw(
        NOT_AN_OPTION.filter(
            lambda value: type(value) is not int or value not in option_values(definition)
        )
    )
    if data.draw(st.booleans()):
        answers[item] = wrong
    else:
        del answers[item]
    with pytest.raises(InstrumentError) as refused:
        score(definition, answers)
    assert item in refused.value.errors


@pytest.mark.parametrize("code", sorted(DEFINITIONS))
@BOUNDED
@given(data=st.data(), extra=st.text(min_size=1, max_size=8))
def test_an_unknown_question_is_refused(code, data, extra):
    definition = DEFINITIONS[code]
    answers = data.draw(answers_within(definition))
    if extra in answers:
        return
    answers[extra] = option_values(definition)[0]
    with pytest.raises(InstrumentError) as refused:
        score(definition, answers)
    assert extra in refused.value.errors
