"""Questionnaires as data: loading versioned definitions, checking answers, scoring them.

A definition (data/questionnaires/*.json) lists its items (yes_no, need, strength; an
item may be asked only if others were answered yes) and, for risk screens, ordered
levels ("high" if any of these is yes...) and the levels that escalate.
"""

import json
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from proxima.core.errors import InputError
from proxima.intake.models import Questionnaire, RiskKind

QUESTIONNAIRE_DIR = Path(__file__).resolve().parent.parent / "data" / "questionnaires"
SEVERITIES = (0, 1, 2, 3)
NOTE_LENGTH = 2000
ITEM_TYPES = {"yes_no", "need", "strength"}
KINDS = {"needs", "risk"}
MAX_ITEMS = 200


class ScreeningInputError(InputError):
    """Answers or a definition that cannot be used; `errors` maps items to messages."""


def _bilingual(value) -> bool:
    return isinstance(value, dict) and all(
        isinstance(value.get(lang), str) and value[lang].strip() for lang in ("fr", "en")
    )


def _slug(value) -> bool:
    return isinstance(value, str) and value.replace("_", "").replace("-", "").isalnum()


def validate_definition(definition) -> None:
    """Refuse a definition the contact screen could not show or score, naming each
    problem: code and kind, a French and an English text everywhere, unique item ids,
    known item types, `ask_if` pointing to earlier yes/no items, risk kinds the
    escalation rules know, levels naming existing items."""
    if not isinstance(definition, dict):
        raise ScreeningInputError({"definition": _("A definition is a JSON object.")})
    errors: dict[str, str] = {}
    if not _slug(definition.get("code")):
        errors["code"] = _("A code of letters, digits, - and _ is required.")
    if definition.get("kind") not in KINDS:
        errors["kind"] = _("The kind is needs or risk.")
    if not _bilingual(definition.get("title")):
        errors["title"] = _("A title in French and in English is required.")
    items = definition.get("items")
    if not isinstance(items, list) or not items or len(items) > MAX_ITEMS:
        errors["items"] = _("Between 1 and %d items are required.") % MAX_ITEMS
        items = []
    seen_yes_no: set[str] = set()
    ids: set[str] = set()
    for position, item in enumerate(items, start=1):
        where = f"items[{position}]"
        if not isinstance(item, dict) or not _slug(item.get("id")):
            errors[where] = _("Each item needs an id of letters, digits, - and _.")
            continue
        where = f"items[{position}] {item['id']}"
        if item["id"] in ids:
            errors[where] = _("This id is used twice.")
        ids.add(item["id"])
        if item.get("type") not in ITEM_TYPES:
            errors[where] = _("The type is yes_no, need or strength.")
        elif not _bilingual(item.get("text")):
            errors[where] = _("A text in French and in English is required.")
        elif item["type"] == "need" and not _slug(item.get("domain")):
            errors[where] = _("A need names its domain.")
        elif item["type"] == "strength" and not _slug(item.get("factor")):
            errors[where] = _("A strength names its protective factor.")
        elif set(item.get("ask_if", {}).get("yes", [])) - seen_yes_no:
            errors[where] = _("It may only depend on earlier yes/no questions.")
        risk = item.get("risk", definition.get("risk"))
        is_risk_question = definition.get("kind") == "risk" and item.get("type") == "yes_no"
        if is_risk_question and risk not in RiskKind.values:
            errors[where] = _("Unknown risk: %s.") % risk
        if item.get("type") == "yes_no":
            seen_yes_no.add(item["id"])
    levels = definition.get("levels", [])
    if definition.get("kind") == "risk" and not levels:
        errors["levels"] = _("A risk screen lists its levels.")
    names = set()
    for rule in levels if isinstance(levels, list) else []:
        if not isinstance(rule, dict) or not _slug(rule.get("level")):
            errors["levels"] = _("Each level has a name.")
        elif not rule.get("if_any_yes") or set(rule["if_any_yes"]) - seen_yes_no:
            errors["levels"] = (
                _("Level %s must name yes/no questions of this screen.") % (rule["level"])
            )
        else:
            names.add(rule["level"])
    if set(definition.get("escalate_at", [])) - names:
        errors["escalate_at"] = _("Escalation levels must be levels of this screen.")
    if errors:
        raise ScreeningInputError(errors)


@transaction.atomic
def publish_version(definition: dict) -> Questionnaire:
    """A new version of a questionnaire (or its first), numbered after the latest; earlier
    versions stay for the screenings that used them."""
    validate_definition(definition)
    latest = (
        Questionnaire.objects.select_for_update()
        .filter(code=definition["code"])
        .order_by("-version")
        .first()
    )
    version = (latest.version + 1) if latest else 1
    definition = {**definition, "version": version}
    return Questionnaire.objects.create(
        code=definition["code"],
        version=version,
        kind=definition["kind"],
        title=definition["title"],
        definition=definition,
    )


@transaction.atomic
def load_questionnaires(folder: Path = QUESTIONNAIRE_DIR) -> int:
    """Create the definitions not yet in the database. A version is never changed once
    loaded: a changed definition must carry a new version number."""
    created = 0
    for path in sorted(folder.glob("*.json")):
        definition = json.loads(path.read_text(encoding="utf-8"))
        try:
            validate_definition(definition)
        except ScreeningInputError as error:
            raise ScreeningInputError({path.name: str(error)}) from error
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


def _is_severity(value) -> bool:
    """0 to 3 exactly: not True or False (equal to 1 and 0), nor 1.0 or "1"."""
    return type(value) is int and value in SEVERITIES


def clean_answers(definition: dict, answers: dict) -> dict:
    """Answers checked against the items: every yes/no item that applies answered with a
    boolean, or None when the worker says it was not asked (kept as None: "not asked" is
    not "no"); needs as {"severity": 0-3, "wants_help": bool, "note": str}; strengths as
    booleans. Unknown items and answers to questions that were not to be asked are refused."""
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
            if item["type"] == "yes_no" and item_id in answers and value is None:
                cleaned[item_id] = None  # not asked
            elif not isinstance(value, bool):
                errors[item_id] = _("Answer yes or no (or null: not asked).")
            else:
                cleaned[item_id] = value
        elif item["type"] == "need":
            if value is None:
                continue
            if not isinstance(value, dict) or not _is_severity(value.get("severity")):
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
    positive risks by kind, the yes/no questions not asked, needs by domain and strengths."""
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
        "not_asked": [
            item["id"]
            for item in items
            if item["type"] == "yes_no" and item["id"] in answers and answers[item["id"]] is None
        ],
        # Yes/no questions answered yes or no: none on a risk screen means not screened.
        "answered": sum(
            1 for item in items if item["type"] == "yes_no" and answers.get(item["id"]) is not None
        ),
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


def need_label(domain: str) -> str:
    """A need domain as the needs questionnaire names it, in the active language."""
    from django.utils.translation import get_language

    latest = Questionnaire.objects.filter(kind="needs", is_active=True).order_by("-version").first()
    language = (get_language() or "fr")[:2]
    for item in latest.definition["items"] if latest else []:
        if item.get("type") == "need" and item.get("domain") == domain:
            return item["text"].get(language) or item["text"]["fr"]
    return domain
