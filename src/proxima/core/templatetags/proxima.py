from django import template
from django.utils.translation import get_language_info

from proxima.core.audit import action_label as audit_action_label
from proxima.core.audit import actor_role_label as audit_actor_role_label
from proxima.core.audit import reason_label as audit_reason_label
from proxima.core.links import safe_link

register = template.Library()


@register.filter
def role_label(role: str) -> str:
    """A role code in the user's language ("worker_811" → "Intervenant ou intervenante 811 Info-Social");
    on an audit line also "system" and "anonymous"."""
    return audit_actor_role_label(role)


@register.filter
def action_label(action: str) -> str:
    return audit_action_label(action)


@register.filter
def reason_label(reason: str) -> str:
    return audit_reason_label(reason)


@register.filter
def language_label(code: str) -> str:
    """A language code in the reader's language ("ar" → "arabe"), or the code as typed."""
    try:
        return str(get_language_info(code.strip().lower())["name_translated"])
    except (KeyError, AttributeError):
        return code


@register.filter
def need_label(domain: str) -> str:
    """A need domain code in the reader's language ("food" → "Alimentation")."""
    from proxima.intake.services.questionnaires import need_label as label

    return label(domain)


@register.filter
def getlist(values, key: str) -> list:
    """`request.POST|getlist:"name"`: every value of a repeated form field."""
    return values.getlist(key) if hasattr(values, "getlist") else []


@register.filter
def get_item(mapping, key):
    """`counts|get_item:code`: a dictionary value in a template."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def percent(value) -> str:
    """0.83 → "83 %" in French, "83%" in English."""
    from django.utils.translation import get_language

    if value is None:
        return ""
    number = round(float(value) * 100)
    return f"{number}\u00a0%" if (get_language() or "fr").startswith("fr") else f"{number}%"


@register.filter
def safe_href(value: str) -> str:
    """The link for an href (http, https, mailto, tel), or "" (then show text, no link)."""
    return safe_link(value)


@register.filter
def with_colon(label) -> str:
    """A label followed by a colon as the language writes it: "K10 :" (a no-break space
    before it in French), "K10:" in English."""
    from django.utils.translation import get_language

    french = (get_language() or "fr").startswith("fr")
    return f"{label}\u00a0:" if french else f"{label}:"


@register.filter
def distance(km) -> str:
    """ "1,8 km" in French, "1.8 km" in English (core/formats.py)."""
    from proxima.core import formats

    return formats.distance_km(float(km)) if km is not None else ""


@register.filter
def tel(number: str) -> str:
    """A phone number as a tel: link's digits ("418 555-0101" → "4185550101"); "" when
    the text is not one number (two numbers, words, letters: shown, not dialled)."""
    import re

    text = str(number or "").strip()
    if not re.fullmatch(r"\+?[\d\s().-]{7,20}", text):
        return ""
    digits = "".join(c for c in text if c.isdigit() or c == "+")
    return digits if 7 <= len(digits.lstrip("+")) <= 15 else ""


@register.filter
def in_language(record, field: str) -> str:
    """A translatable field of a directory record in the reader's language (its
    translation when there is one, else the original)."""
    localized = getattr(record, "localized", None)
    return localized(field) if localized else getattr(record, field, "")
