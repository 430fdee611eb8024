"""Risks in words for the pages: `{% load risks %}`, then `kind|risk_kind` and
`level|risk_level` ("suicide" → "risque suicidaire", "high" → "élevé")."""

from django import template

from proxima.intake.models import risk_kind_label, risk_level_label

register = template.Library()
register.filter("risk_kind", risk_kind_label)
register.filter("risk_level", risk_level_label)
