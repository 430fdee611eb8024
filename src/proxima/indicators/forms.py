"""The dashboard's choices: the period, and a territory, a team or an organization."""

import calendar
import re
from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
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


def default_months() -> tuple[date, date]:
    """The last twelve whole months, the current one excluded."""
    end = timezone.localdate().replace(day=1) - timedelta(days=1)
    year, month = divmod(end.year * 12 + end.month - 1 - 11, 12)
    return date(year, month + 1, 1), end


class MonthField(forms.Field):
    """A month, YYYY-MM as the month input sends it: its first day (`last=False`) or its
    last day (`last=True`). A day is accepted only if it is that one (a link made with
    days): the period is always whole months."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": _("YYYY-MM")})
    default_error_messages = {
        "invalid": _("Enter a month as YYYY-MM."),
        "first": _("Choose whole months: the period starts on the first day of a month."),
        "last": _("Choose whole months: the period ends on the last day of a month."),
    }

    def __init__(self, *, last: bool, **kwargs):
        self.last = last
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        found = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", str(value).strip(), re.ASCII)
        if not found or not 1 <= int(found[2]) <= 12 or int(found[1]) < 1:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        year, month = int(found[1]), int(found[2])
        day = calendar.monthrange(year, month)[1] if self.last else 1
        if found[3] is not None and int(found[3]) != day:
            code = "last" if self.last else "first"
            raise ValidationError(self.error_messages[code], code=code)
        return date(year, month, day)

    def prepare_value(self, value):
        return value.strftime("%Y-%m") if isinstance(value, date) else value


class PeriodForm(forms.Form):
    """A period, both days included (the research extract's; the dashboard's with its
    narrowing choices)."""

    # The date input reads and shows ISO days only, whatever the language.
    start = DayField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = DayField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

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
    """The period in days, and what to narrow to."""

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


class MonthPeriodForm(PeriodForm):
    """A period in whole months, for readers of no record (evaluators: core/perturbation.py):
    no two periods they can ask for, of the dashboard or of the research extract, differ
    by a day."""

    start = MonthField(label=_("From"), last=False)
    end = MonthField(label=_("To"), last=True)


class MonthScopeForm(MonthPeriodForm, ScopeForm):
    """The dashboard's choices in whole months."""
