"""What the export page shows in words: questionnaire answers, teams, actions, reasons."""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from proxima.intake.services.episodes import ACTION_LABELS as RISK_ACTION_LABELS
from proxima.referrals.lifecycle import Outcome, RejectReason

register = template.Library()


@register.filter
def in_words(value) -> str:
    """A {"fr": ..., "en": ...} text in the active language."""
    if isinstance(value, dict):
        return value.get((get_language() or "fr")[:2]) or value.get("fr", "")
    return str(value)


def _answer(value) -> str:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, dict) and "severity" in value:
        return _("severity %s (0 to 3)") % value["severity"]
    return str(value)


@register.filter
def screening_answers(screening) -> list[tuple[str, str]]:
    """Each question asked, in words, with its answer."""
    items = {item["id"]: item for item in screening.questionnaire.definition.get("items", [])}
    return [
        (in_words(items[key]["text"]) if key in items else key, _answer(value))
        for key, value in screening.answers.items()
    ]


@register.filter
def staff_name(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.username


@register.filter
def risk_action_label(code: str) -> str:
    return str(RISK_ACTION_LABELS.get(code, code))


@register.filter
def referral_reason_label(code: str) -> str:
    labels = {**dict(RejectReason.choices), **dict(Outcome.choices)}
    return str(labels.get(code, code)) if code else ""
