"""The coverage page's choices: level, need, measure, reach, sort."""

from django import forms
from django.utils.translation import gettext_lazy as _

from proxima.coverage.services import MEASURES, REACH_CHOICES_KM
from proxima.territories.models import TerritoryLevel


class CoverageForm(forms.Form):
    level = forms.ChoiceField(label=_("Territories"), required=False)
    domain = forms.ChoiceField(label=_("Need"), required=False)
    measure = forms.ChoiceField(label=_("Colour by"), required=False)
    reach_km = forms.TypedChoiceField(
        label=_("Also count services within"),
        required=False,
        coerce=int,
        empty_value=0,
    )

    def __init__(self, *args, levels: list[str], domains: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(TerritoryLevel.choices)
        self.fields["level"].choices = [(level, labels[level]) for level in levels]
        self.fields["domain"].choices = list(domains.items())
        self.fields["measure"].choices = list(MEASURES.items())
        self.fields["reach_km"].choices = [
            (km, _("%d km") % km if km else _("only those located there"))
            for km in REACH_CHOICES_KM
        ]
        self.levels, self.domains = levels, domains

    def choice(self, name: str, default):
        """The cleaned choice, or the default when none was made."""
        return (self.cleaned_data.get(name) if self.is_bound else None) or default
