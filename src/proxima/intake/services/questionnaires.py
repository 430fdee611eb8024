"""Questionnaires as data: loading versioned definitions, checking answers, scoring them.

A definition (data/questionnaires/*.json) lists its items (yes_no, need, strength; an
item may be asked only if others were answered yes) and, for risk screens, ordered
levels ("high" if any of these is yes...) and the levels that escalate.
"""

import json
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from proxima.intake.models import Questionnaire

QUESTIONNAIRE_DIR = Path(__file__).resolve().parent.parent / "data" / "questionnaires"
SEVERITIES = (0, 1, 2, 3)
NOTE_LENGTH = 2000


class ScreeningInputError(ValueError):
    """Answers or a definition that cannot be used; `errors` maps items to messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@transaction.atomic
def load_questionnaires(folder: Path = QUESTIONNAIRE_DIR) -> int:
    """Create the definitions not yet in the database. A version is never changed once
    loaded: a changed definition must carry a new version number."""
    created = 0
    for path in sorted(folder.glob("*.json")):
        definition = json.loads(path.read_text(encoding="utf-8"))
        existing = Questionnaire.objects.filter(
            code=definition["code"], version=definition["version"]
        ).first()
        if existing is None:
            Questionnaire.objects.create(
                code=definition["code"],
                version=definition["version"],
                kind=definition["kind"],
                title=definition["title"],
                definition=definition,
            )
            created += 1
        elif existing.definition != definition:
            raise ScreeningInputError(
                {path.name: f"version {definition['version']} already exists with other content"}
            )
    return created


def questionnaire(code: str, version: int | None = None) -> Questionnaire:
    """The given version, or the latest one in use."""
    found = Questionnaire.objects.filter(code=code)
    found = found.filter(version=version) if version is not None else found.filter(is_active=True)
    result = found.order_by("-version").first()
    if result is None:
        if version is None:
            message = _("Unknown questionnaire: %s.") % code
        else:
            message = _("Unknown questionnaire version: %(code)s v%(version)s.") % {
                "code": code,
                "version": version,
            }
        raise ScreeningInputError({"questionnaire": message})
    return result


def _is_asked(item: dict, answers: dict) -> bool:
    return all(answers.get(other) is True for other in item.get("ask_if", {}).get("yes", []))


def clean_answers(definition: dict, answers: dict) -> dict:
    """Answers checked against the items: every asked yes/no item answered with a boolean;
    needs as {"severity": 0-3, "wants_help": bool, "note": str}; strengths as booleans.
    Unknown items and answers to questions that were not to be asked are refused."""
    errors: dict[str, str] = {}
    items = {item["id"]: item for item in definition["items"]}
    for key in answers:
        if key not in items:
            errors[key] = _("Unknown question.")
    cleaned: dict = {}
    for item_id, item in items.items():
        value = answers.get(item_id)
        if not _is_asked(item, answers):
            if value is not None:
                errors[item_id] = _("This question is only asked after a yes.")
            continue
        if item["type"] in ("yes_no", "strength"):
            if item["type"] == "strength" and value is None:
                continue
            if not isinstance(value, bool):
                errors[item_id] = _("Answer yes or no.")
            else:
                cleaned[item_id] = value
        elif item["type"] == "need":
            if value is None:
                continue
            if not isinstance(value, dict) or value.get("severity") not in SEVERITIES:
                errors[item_id] = _("Give a severity from 0 to 3.")
                continue
            note = str(value.get("note", ""))
            if len(note) > NOTE_LENGTH:
                errors[item_id] = _("At most %d characters.") % NOTE_LENGTH
                continue
            cleaned[item_id] = {
                "severity": value["severity"],
                "wants_help": bool(value.get("wants_help", False)),
                "note": note,
            }
    if errors:
        raise ScreeningInputError(errors)
    return cleaned


def score(definition: dict, answers: dict) -> dict:
    """The outcome of cleaned answers: the level and whether it escalates (risk screens),
    positive risks by kind, needs by domain and strengths."""
    yes = {key for key, value in answers.items() if value is True}
    level = "none"
    for rule in definition.get("levels", []):
        if yes & set(rule["if_any_yes"]):
            level = rule["level"]
            break
    items = definition["items"]
    risks = sorted(
        {item.get("risk", definition.get("risk", "")) for item in items if item["id"] in yes} - {""}
    )
    return {
        "level": level,
        "escalates": level in definition.get("escalate_at", []),
        "risks": risks if definition["kind"] == "risk" else [],
        "needs": {
            item["domain"]: answers[item["id"]]
            for item in items
            if item["type"] == "need"
            and item["id"] in answers
            and answers[item["id"]]["severity"] > 0
        },
        "strengths": [
            item["factor"] for item in items if item["type"] == "strength" and item["id"] in yes
        ],
    }
