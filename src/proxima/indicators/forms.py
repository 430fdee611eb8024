"""The dashboard's choices: the period, and a territory, a team or an organization."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proxima.core.forms import DayField

# The longest period asked at once: enough for a multi-year evaluation, not a scan of all.
MAX_PERIOD_DAYS = 5 * 366
EARLIEST = date(2000, 1, 1)


def default_period() -> tuple[date, date]:
    """The last twelve months, today included."""
    today = timezone.localdate()
    return today - timedelta(days=364), today


class PeriodForm(forms.Form):
    """A period, both days included (the research extract's; the dashboard's with its
    narrowing choices)."""

    start = DayField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = DayField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            next_year = timezone.localdate().year + 1
            if min(start, end) < EARLIEST or max(start, end).year > next_year:
                raise forms.ValidationError(_("Choose dates between 2000 and next year."))
            if start > end:
                raise forms.ValidationError(_("The first day comes after the last."))
            if (end - start).days > MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("Choose a period of five years at most."))
        return data


class ScopeForm(PeriodForm):
    territory = forms.TypedChoiceField(label=_("Territory"), required=False, coerce=int)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int)
    organization = forms.ChoiceField(label=_("Organization"), required=False)

    def __init__(self, *args, territories, teams, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].choices = [("", _("the whole region")), *territories]
        self.fields["team"].choices = [("", _("every team")), *teams]
        self.fields["organization"].choices = [("", _("every organization")), *organizations]
        for name in ("territory", "team", "organization"):
            if len(self.fields[name].choices) == 1:
                self.fields[name].widget = forms.HiddenInput()
