"""Instruments as data, scored by their own rules.

A definition lists its options (with their values), items, and scoring: a sum, optionally
converted through the instrument's published table (raw → metric, e.g. SWEMWBS), then
placed in its published bands; alerts fire on an item's answer (PHQ-9 item 9 asks for a
suicide-risk assessment now). Shipped: K10 and PHQ-9 (free to use). An instrument whose
terms require a licence (WEMWBS, SWEMWBS) is not shipped: an organization holding the
licence loads its definition and table with `proxima load-instrument`.
"""

import csv
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from proxima.core.errors import InputError
from proxima.outcomes.models import Instrument

INSTRUMENT_DIR = Path(__file__).resolve().parent.parent / "data" / "instruments"


class InstrumentError(InputError):
    """A definition or answers that cannot be used; `errors` maps fields to messages."""


@dataclass(frozen=True)
class Score:
    raw: int
    score: Decimal
    band: str
    band_label: str
    alerts: list[str] = field(default_factory=list)


def _bilingual(value) -> bool:
    return isinstance(value, dict) and all(
        isinstance(value.get(lang), str) and value[lang].strip() for lang in ("fr", "en")
    )


def text(value: dict) -> str:
    return value.get((get_language() or "fr")[:2]) or value.get("fr", "")


def validate_instrument(definition) -> None:
    if not isinstance(definition, dict):
        raise InstrumentError({"definition": _("A definition is a JSON object.")})
    errors: dict[str, str] = {}
    if not str(definition.get("code", "")).replace("_", "").isalnum():
        errors["code"] = _("A code of letters, digits and _ is required.")
    if not isinstance(definition.get("version"), int) or definition["version"] < 1:
        errors["version"] = _("A version number is required.")
    if not _bilingual(definition.get("title")):
        errors["title"] = _("A title in French and in English is required.")
    options = definition.get("options") or []
    values = [o.get("value") for o in options if isinstance(o, dict)]
    if (
        not options
        or not all(isinstance(v, int) for v in values)
        or len(set(values)) != len(values)
    ):
        errors["options"] = _("Options need distinct whole-number values.")
    elif not all(_bilingual(o.get("text")) for o in options):
        errors["options"] = _("Each option needs a French and an English text.")
    items = definition.get("items") or []
    ids = [i.get("id") for i in items if isinstance(i, dict)]
    if not items or len(set(ids)) != len(items):
        errors["items"] = _("Items need distinct ids.")
    elif not all(_bilingual(i.get("text")) for i in items):
        errors["items"] = _("Each item needs a French and an English text.")
    scoring = definition.get("scoring") or {}
    if scoring.get("method") != "sum":
        errors["scoring"] = _("Only summed scores are supported.")
    bands = scoring.get("bands") or []
    limits = [b.get("up_to") for b in bands]
    if bands and (limits != sorted(limits) or not all(_bilingual(b.get("label")) for b in bands)):
        errors["bands"] = _("Bands go upward, each with a French and an English label.")
    conversion = scoring.get("conversion")
    if conversion is not None:
        low, high = len(items) * min(values or [0]), len(items) * max(values or [0])
        if sorted(int(k) for k in conversion) != list(range(low, high + 1)):
            errors["conversion"] = _("The conversion table must cover every raw score.")
    for alert in definition.get("alerts", []):
        if alert.get("if_item") not in ids or not _bilingual(alert.get("message")):
            errors["alerts"] = _("An alert names an item of the instrument and a message.")
    if errors:
        raise InstrumentError(errors)


def conversion_from_csv(path: Path) -> dict[str, float]:
    """A raw → converted table from a CSV with two columns (raw, converted)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return {str(int(raw)): float(value) for raw, value in rows[1:] if raw.strip()}


@transaction.atomic
def load_definition(definition: dict) -> Instrument:
    """Store a version, once; the same version with other content is refused."""
    validate_instrument(definition)
    existing = Instrument.objects.filter(
        code=definition["code"], version=definition["version"]
    ).first()
    if existing is not None:
        if existing.definition != definition:
            raise InstrumentError({"version": _("This version already exists with other content.")})
        return existing
    return Instrument.objects.create(
        code=definition["code"],
        version=definition["version"],
        title=definition["title"],
        definition=definition,
    )


def load_instruments(folder: Path = INSTRUMENT_DIR) -> int:
    before = Instrument.objects.count()
    for path in sorted(folder.glob("*.json")):
        try:
            load_definition(json.loads(path.read_text(encoding="utf-8")))
        except InstrumentError as error:
            raise InstrumentError({path.name: str(error)}) from error
    return Instrument.objects.count() - before


def instrument(code: str, version: int | None = None) -> Instrument:
    found = Instrument.objects.filter(code=code)
    found = found.filter(version=version) if version else found.filter(is_active=True)
    result = found.order_by("-version").first()
    if result is None:
        raise InstrumentError({"instrument": _("Unknown instrument: %s.") % code})
    return result


def score(definition: dict, answers: dict) -> Score:
    """Score complete answers ({item id: option value}) by the instrument's rules."""
    values = {o["value"] for o in definition["options"]}
    errors = {}
    for item in definition["items"]:
        answer = answers.get(item["id"])
        # An option's value exactly: not True for 1, nor a list, a text or a float.
        if type(answer) is not int or answer not in values:
            errors[item["id"]] = _("Choose one of the answers.")
    unknown = set(answers) - {item["id"] for item in definition["items"]}
    for key in unknown:
        errors[key] = _("Unknown question.")
    if errors:
        raise InstrumentError(errors)
    raw = sum(answers[item["id"]] for item in definition["items"])
    scoring = definition["scoring"]
    conversion = scoring.get("conversion")
    value = Decimal(str(conversion[str(raw)])) if conversion else Decimal(raw)
    band = next((b for b in scoring.get("bands", []) if value <= b["up_to"]), None)
    alerts = [
        text(alert["message"])
        for alert in definition.get("alerts", [])
        if answers.get(alert["if_item"], 0) >= alert["at_least"]
    ]
    return Score(
        raw=raw,
        score=value.quantize(Decimal("0.01")),
        band=band["code"] if band else "",
        band_label=text(band["label"]) if band else "",
        alerts=alerts,
    )
