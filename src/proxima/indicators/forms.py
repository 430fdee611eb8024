"""The dashboard's choices: the period, and a territory, a team or an organization."""

import calendar
import re
from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from proxima.core.forms import DayField, day_input

# The longest period asked at once: enough for a multi-year evaluation, not a scan of all.
MAX_PERIOD_DAYS = 5 * 366
EARLIEST = date(2000, 1, 1)


def default_period() -> tuple[date, date]:
    """The last twelve months, today included."""
    today = timezone.localdate()
    return today - timedelta(days=364), today


def default_months() -> tuple[date, date]:
    """The last twelve whole months, the current one excluded."""
    end = _this_month() - timedelta(days=1)
    year, month = divmod(end.year * 12 + end.month - 1 - 11, 12)
    return date(year, month + 1, 1), end


def _this_month() -> date:
    return timezone.localdate().replace(day=1)


def _month_name(month: int) -> str:
    return date_format(date(2000, month, 1), "F")


# The calendar periods a reader of perturbed figures may ask for: months of the last three
# years, quarters of the last five, years of the last five, each one ended. Nothing
# else: overlapping periods (January to May, then January to June...) would let the
# difference of each pair be averaged into a month's exact figures.
MONTHS_BACK, QUARTERS_BACK, YEARS_BACK = 36, 20, 5


def calendar_periods() -> dict[str, tuple[date, date]]:
    """Each period offered, by its code (2026, 2026-Q3, 2026-11), its first and last day,
    the most recent first within each kind."""
    this_month = _this_month()
    periods: dict[str, tuple[date, date]] = {}
    for back in range(1, YEARS_BACK + 1):
        year = this_month.year - back
        periods[str(year)] = (date(year, 1, 1), date(year, 12, 31))
    quarter_start = date(this_month.year, 3 * ((this_month.month - 1) // 3) + 1, 1)
    for _back in range(QUARTERS_BACK):
        last = quarter_start - timedelta(days=1)
        quarter_start = date(last.year, last.month - 2, 1)
        periods[f"{last.year}-Q{(last.month - 1) // 3 + 1}"] = (quarter_start, last)
    month_start = this_month
    for _back in range(MONTHS_BACK):
        last = month_start - timedelta(days=1)
        month_start = last.replace(day=1)
        periods[f"{last:%Y-%m}"] = (month_start, last)
    return periods


def period_label(code: str, first: date, last: date) -> str:
    """A calendar period in words: "2025", "T3 2026 (juillet à septembre)", "novembre 2026"."""
    if "-Q" in code:
        return _("Q%(number)s %(year)s (%(first)s to %(last)s)") % {
            "number": code[-1],
            "year": first.year,
            "first": _month_name(first.month),
            "last": _month_name(last.month),
        }
    if len(code) == 4:
        return code
    return date_format(first, "YEAR_MONTH_FORMAT")


def default_calendar_period() -> str:
    """The last quarter that has ended."""
    return next(code for code in calendar_periods() if "-Q" in code)


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

    start = DayField(label=_("From"), widget=day_input())
    end = DayField(label=_("To"), widget=day_input())

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
    """The research extract's period for readers of no record (evaluators:
    core/perturbation.py): whole months that have ended (two extracts a day apart, or of
    a month under way taken on two days, would show the contacts between them)."""

    start = MonthField(label=_("From"), last=False)
    end = MonthField(label=_("To"), last=True)

    def clean(self):
        data = super().clean()
        end = data.get("end")
        if end and end >= _this_month():
            raise forms.ValidationError(
                _("Choose months that have ended: the current month is still under way.")
            )
        return data


class CalendarScopeForm(ScopeForm):
    """The dashboard's choices for readers of perturbed figures: one calendar month,
    quarter or year that has ended (`calendar_periods`), and what to narrow to."""

    start = None
    end = None
    period = forms.ChoiceField(
        label=_("Period"),
        error_messages={
            "invalid_choice": _(
                "Choose, from the list, a calendar month, quarter or year that has ended."
            )
        },
    )

    field_order = ["period", "territory", "team", "organization"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = calendar_periods()
        groups: dict[str, list] = {_("Years"): [], _("Quarters"): [], _("Months"): []}
        for code, (first, last) in self.periods.items():
            kind = _("Quarters") if "-Q" in code else _("Years") if len(code) == 4 else _("Months")
            groups[kind].append((code, period_label(code, first, last)))
        self.fields["period"].choices = list(groups.items())

    def clean(self):
        data = super().clean()
        code = data.get("period")
        if code in self.periods:
            data["start"], data["end"] = self.periods[code]
        return data
