"""Each indicator is defined in words, in French and English, and documented."""

from pathlib import Path

from django.utils import translation

from proxima.indicators.definitions import DEFINITIONS, SECTIONS
from proxima.indicators.services import INDICATORS

DOC = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"


def test_every_indicator_has_one_function_and_is_documented():
    assert list(INDICATORS) == [d.code for d in DEFINITIONS]
    text = DOC.read_text(encoding="utf-8")
    for definition in DEFINITIONS:
        assert f"(`{definition.code}`)" in text, definition.code


def test_every_definition_says_what_out_of_what_and_when_in_both_languages():
    for definition in DEFINITIONS:
        assert definition.section in SECTIONS
        parts = ("title", "numerator", "denominator", "period")
        with translation.override("en"):
            english = [str(getattr(definition, part)) for part in parts]
        with translation.override("fr"):
            french = [str(getattr(definition, part)) for part in parts]
        assert all(english) and all(french)
        # Translated: the French title differs from the English one.
        assert french[0] != english[0], definition.code
