"""Instruments scored by their published rules: K10 and PHQ-9 bands, PHQ-9 as the FHIR
questionnaire codes it, item 9's alert, and SWEMWBS through its published conversion table
(loaded as a licensed definition, never shipped)."""

import csv
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from proxima.outcomes.models import Instrument
from proxima.outcomes.services.instruments import (
    InstrumentError,
    conversion_from_csv,
    instrument,
    load_definition,
    load_instruments,
    score,
)
from tests.conftest import shared_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(db):
    load_instruments()


def answers(code, values):
    items = instrument(code).definition["items"]
    return {item["id"]: value for item, value in zip(items, values, strict=True)}


def test_loading_is_idempotent_and_versions_are_never_rewritten(shipped, tmp_path):
    assert load_instruments() == 0
    changed = {**instrument("k10").definition, "title": {"fr": "Autre", "en": "Other"}}
    with pytest.raises(InstrumentError):
        load_definition(changed)
    assert Instrument.objects.filter(code="k10").count() == 1


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (10, "low"),
        (15, "low"),
        (16, "moderate"),
        (21, "moderate"),
        (22, "high"),
        (29, "high"),
        (30, "very_high"),
        (50, "very_high"),
    ],
)
def test_k10_published_bands(shipped, total, band):
    values = [1] * 10
    extra = total - 10
    for index in range(10):
        step = min(4, extra)
        values[index] += step
        extra -= step
    result = score(instrument("k10").definition, answers("k10", values))
    assert (result.raw, result.score, result.band) == (total, Decimal(total), band)


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_published_bands(shipped, total, band):
    values = [0] * 9
    extra = total
    for index in range(8):  # item 9 kept at 0: no alert
        step = min(3, extra)
        values[index] += step
        extra -= step
    if extra:
        values[8] = extra
    result = score(instrument("phq9").definition, answers("phq9", values))
    assert (result.raw, result.band) == (total, band)
    assert bool(result.alerts) == (values[8] > 0)


def test_phq9_item_nine_asks_for_a_suicide_risk_assessment(shipped):
    result = score(instrument("phq9").definition, answers("phq9", [0] * 8 + [1]))
    assert result.band == "minimal" and result.alerts == [
        "Réponse positive à la question 9 : évaluez le risque suicidaire maintenant "
        "(dépistage C-SSRS)."
    ]


def test_phq9_matches_the_fhir_questionnaire(shipped):
    fhir = json.loads(shared_path("ext", "instruments", "fhir", "phq9.lforms-R4.json").read_text())
    scored = [item for item in fhir["item"] if "answerOption" in item][:9]
    ours = instrument("phq9").definition
    assert [i["loinc"] for i in ours["items"]] == [i["code"][0]["code"] for i in scored]
    for theirs in scored:
        values = [
            next(e["valueDecimal"] for e in o["extension"] if "valueDecimal" in e)
            for o in theirs["answerOption"]
        ]
        assert values == [o["value"] for o in ours["options"]]
    assert [i["text"]["en"].rstrip("?").lower()[:20] for i in ours["items"]] == [
        i["text"].rstrip("?").lower()[:20] for i in scored
    ]


def test_bad_answers_are_refused_with_the_question(shipped):
    definition = instrument("k10").definition
    complete = answers("k10", [2] * 10)
    with pytest.raises(InstrumentError) as missing:
        score(definition, {**complete, "k10_3": None})
    assert missing.value.errors == {"k10_3": "Choisissez une des réponses."}
    with pytest.raises(InstrumentError):
        score(definition, {**complete, "k10_1": 9})
    with pytest.raises(InstrumentError):
        score(definition, {**complete, "extra": 1})


def swemwbs_definition() -> dict:
    return {
        "code": "swemwbs",
        "version": 1,
        "title": {"fr": "SWEMWBS", "en": "SWEMWBS"},
        "licence": {"free": False, "note": "Licence registered with Warwick (test)."},
        "options": [
            {"value": v, "text": {"fr": f"choix {v}", "en": f"option {v}"}} for v in range(1, 6)
        ],
        # The licensed item wording is not reproduced here.
        "items": [
            {"id": f"sw{i}", "text": {"fr": f"énoncé {i}", "en": f"statement {i}"}}
            for i in range(1, 8)
        ],
        "scoring": {
            "method": "sum",
            "higher_is_better": True,
            "meaningful_change": 1,
            "bands": [
                {"up_to": 17, "code": "probable_depression", "label": {"fr": "a", "en": "a"}},
                {"up_to": 20, "code": "possible_depression", "label": {"fr": "b", "en": "b"}},
                {"up_to": 35, "code": "other", "label": {"fr": "c", "en": "c"}},
            ],
        },
    }


def test_swemwbs_scores_through_its_published_table(db, tmp_path):
    table_path = shared_path("ext", "instruments", "swemwbs_raw_to_metric.csv")
    with table_path.open() as handle:
        published = {
            int(r["raw_score"]): Decimal(r["metric_score"]) for r in csv.DictReader(handle)
        }
    definition_path = tmp_path / "swemwbs.json"
    definition_path.write_text(json.dumps(swemwbs_definition()))
    call_command("load-instrument", str(definition_path), conversion=str(table_path))
    definition = instrument("swemwbs").definition
    for raw, metric in published.items():
        values = [1] * 7
        extra = raw - 7
        for index in range(7):
            step = min(4, extra)
            values[index] += step
            extra -= step
        result = score(definition, {f"sw{i + 1}": v for i, v in enumerate(values)})
        assert (result.raw, result.score) == (raw, metric)
    assert score(definition, {f"sw{i}": 2 for i in range(1, 8)}).band == "probable_depression"


def test_a_conversion_table_with_holes_is_refused(db, tmp_path):
    table = tmp_path / "table.csv"
    table.write_text("raw_score,metric_score\n7,7.00\n8,9.51\n")
    definition = swemwbs_definition()
    definition["scoring"]["conversion"] = conversion_from_csv(table)
    with pytest.raises(InstrumentError) as refused:
        load_definition(definition)
    assert "conversion" in refused.value.errors
    path = tmp_path / "d.json"
    path.write_text(json.dumps(swemwbs_definition()))
    with pytest.raises(CommandError):
        call_command("load-instrument", str(path), conversion=str(table))
    assert not Instrument.objects.filter(code="swemwbs").exists()
