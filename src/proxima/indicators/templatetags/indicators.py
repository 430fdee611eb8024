"""The indicators' figures as a person reads them, and an agreement's figures for its page
(the agreements' templates load this library: the agreements app imports nothing of the
indicators, which are built on it)."""

from datetime import date

from django import template
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from proxima.core.formats import decimal
from proxima.core.perturbation import noise_for
from proxima.indicators import services

register = template.Library()


def shown(value: services.Value) -> str:
    """A figure in the reader's language: "45,2 %" / "45.2%", "20,5 h", hidden said so."""
    if value.hidden:
        return _("suppressed")
    number = value.number
    if number is None:
        return "—"
    if isinstance(number, date):
        return date_format(number, "DATE_FORMAT")
    french = (get_language() or "fr").startswith("fr")
    if value.unit == "count":
        return decimal(number, 0)
    if value.unit == "percent":
        return f"{decimal(number, 1)}\u00a0%" if french else f"{decimal(number, 1)}%"
    if value.unit == "hours":
        return f"{decimal(number, 1)}\u00a0h"
    if value.unit == "days":
        places = 0 if float(number).is_integer() else 1
        return ngettext("%s day", "%s days", int(abs(number)) if places == 0 else 2) % decimal(
            number, places
        )
    if value.unit == "days_left":
        if number < 0:
            late = int(-number)
            return ngettext("%s day overdue", "%s days overdue", late) % decimal(late, 0)
        return ngettext("%s day", "%s days", int(number)) % decimal(number, 0)
    if value.unit == "score":
        text = decimal(number, 2)
        return f"+{text}" if number > 0 else text
    if value.unit == "per_1000":
        return decimal(number, 2)
    places = 0 if float(number).is_integer() else 2
    return decimal(number, places)


@register.filter
def figure(value) -> str:
    return shown(value) if isinstance(value, services.Value) else str(value)


@register.simple_tag(takes_context=True)
def agreement_figures(context, agreement) -> list[services.AgreementFigure]:
    """An agreement's indicators with their figures, computed as on the dashboard, and
    shown to the reader as the dashboard shows them (perturbed for an evaluator)."""
    return services.agreement_figures(agreement, noise_for(context["request"].user))
