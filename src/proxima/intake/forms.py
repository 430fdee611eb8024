"""The contact screen's fields, built from the questionnaire definitions (so a new
question shows without code), and read back into answers."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from proxima.core.forms import whole_number
from proxima.intake.models import Questionnaire
from proxima.intake.services.questionnaires import ScreeningInputError, questionnaire
from proxima.matching.services import BARRIERS

RISK_QUESTIONNAIRES = ("cssrs-screen", "safety-screen")
NEEDS_QUESTIONNAIRE = "needs-screen"


def _text(texts: dict) -> str:
    return texts.get((get_language() or "fr")[:2]) or texts.get("fr") or ""


def title_of(questionnaire: Questionnaire) -> str:
    return _text(questionnaire.title) or questionnaire.code


def screen_items(questionnaire: Questionnaire) -> list[dict]:
    """Items ready for the template: field name, text in the user's language, condition."""
    items = []
    for item in questionnaire.definition["items"]:
        items.append(
            {
                "id": item["id"],
                "type": item["type"],
                "field": f"{questionnaire.code}.{item['id']}",
                "text": _text(item["text"]),
                "ask_if": [
                    f"{questionnaire.code}.{other}"
                    for other in item.get("ask_if", {}).get("yes", [])
                ],
            }
        )
    return items


YES_NO = {"yes": True, "on": True, "no": False}  # anything else: not asked


def answers_from(questionnaire: Questionnaire, post) -> dict:
    """The POSTed fields of one questionnaire as answers. A yes/no question is "yes",
    "no" or left "not asked" (None: not the same as no), when it applies (the questions
    it follows were answered yes); a need is present when its box is checked, with its
    severity and whether help is wanted; a strength when checked."""
    answers: dict = {}
    code = questionnaire.code
    items = questionnaire.definition["items"]
    checked = {item["id"] for item in items if post.get(f"{code}.{item['id']}") in ("on", "yes")}
    errors: dict[str, str] = {}
    for item in items:
        field = f"{code}.{item['id']}"
        if item["type"] == "yes_no":
            value = post.get(field, "")
            if value not in YES_NO and value != "":
                errors[field] = _("“%s”: answer yes, no or not asked.") % _text(item["text"])
                continue
            condition = item.get("ask_if", {}).get("yes", [])
            if all(other in checked for other in condition):
                answers[item["id"]] = YES_NO.get(value)
            elif value:
                errors[field] = _("“%s”: this question is only asked after a yes.") % _text(
                    item["text"]
                )
        elif item["type"] == "strength":
            if item["id"] in checked:
                answers[item["id"]] = True
        elif item["type"] == "need" and item["id"] in checked:
            severity = post.get(f"{field}.severity", "")
            number = whole_number(severity)
            answers[item["id"]] = {
                # As typed when unreadable, so that the screening names the error.
                "severity": severity if number is None else number,
                "wants_help": post.get(f"{field}.help") == "on",
                "note": post.get(f"{field}.note", ""),
            }
    if errors:
        raise ScreeningInputError(errors)
    return answers


def barriers_from(post) -> frozenset[str]:
    return frozenset(b for b in BARRIERS if post.get(f"barrier.{b}") == "on")


def has_unsaved_screens(episode, draft: dict) -> bool:
    """The draft's answers differ from the screenings saved (a risk "yes" ticked after
    the last save would be lost by closing): yes, no, needs and strengths compared, "not
    asked" left aside; an unreadable draft counts as a change."""
    if not draft:  # nothing typed on the contact screen (an API client, say)
        return False
    saved = {}
    for screening in episode.screenings.select_related("questionnaire").order_by(
        "recorded_at", "id"
    ):
        saved[screening.questionnaire.code] = screening.answers
    for code in (*RISK_QUESTIONNAIRES, NEEDS_QUESTIONNAIRE):
        try:
            typed = answers_from(questionnaire(code), draft)
        except ScreeningInputError:
            return True
        given = {k: v for k, v in typed.items() if v is not None}
        kept = {k: v for k, v in saved.get(code, {}).items() if v is not None}
        if given != kept:
            return True
    return False
