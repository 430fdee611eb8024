"""Emergency mode forms: each error said in the reader's language, next to its field. The
rules themselves (who, when, the schedule's bounds) are the services'."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from proxima.core.forms import DayField, RecordField, UserField, blank_first, day_input
from proxima.directory.services.taxonomy import first_level_domains
from proxima.emergency.models import (
    HOUSEHOLD_LENGTH,
    MAX_HOUSEHOLD_SIZE,
    NAME_LENGTH,
    NOTE_LENGTH,
    PHONE_LENGTH,
    PLACE_LENGTH,
    RECORDED_STATUSES,
    REPORT_LENGTH,
    TITLE_LENGTH,
    AgeBand,
    EventKind,
    Orientation,
)
from proxima.emergency.services import AffectedInput, EventInput, offset_label
from proxima.teams.forms import TeamField
from proxima.territories.forms import TerritoryField

# The units a schedule is written in, in French or English (a month is 30 days).
UNITS = {
    **dict.fromkeys(("", "h", "hr", "hrs", "heure", "heures", "hour", "hours"), 1),
    **dict.fromkeys(("d", "j", "day", "days", "jour", "jours"), 24),
    **dict.fromkeys(("w", "wk", "sem", "week", "weeks", "semaine", "semaines"), 7 * 24),
    **dict.fromkeys(("m", "mo", "month", "months", "mois"), 30 * 24),
}
TERM = re.compile(r"^\+?\s*([0-9]{1,5})\s*([a-z]*)\.?$")


def parse_schedule(text: str) -> list[int]:
    """ "72 h, 2 weeks, 1 month, 6 months" (or "72h; 2 sem; 1 mois; 6 mois") in hours;
    ValidationError for a term it cannot read. The bounds are the service's."""
    terms = [term.strip().lower() for term in re.split(r"[,;\n]", text or "") if term.strip()]
    hours = []
    for term in terms:
        found = TERM.match(term) if term.isascii() else None
        if found is None or found.group(2) not in UNITS:
            raise forms.ValidationError(
                _("“%(term)s” is not a delay: write a number and a unit, as 72 h or 2 weeks."),
                params={"term": term[:20]},
            )
        hours.append(int(found.group(1)) * UNITS[found.group(2)])
    return hours


def schedule_text(offsets) -> str:
    return ", ".join(offset_label(hours) for hours in offsets)


class ScheduleField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Follow-up schedule"),
            max_length=200,
            help_text=_(
                "Delays after each person's registration, separated by commas: hours (h), "
                "days (d), weeks (w) or months (m, 30 days). For example: 72 h, 2 weeks, "
                "1 month, 6 months."
            ),
            **kwargs,
        )

    def clean(self, value):
        return parse_schedule(super().clean(value))


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of event"), choices=blank_first(EventKind.choices))
    title = forms.CharField(label=_("Title"), max_length=TITLE_LENGTH)
    place = forms.CharField(label=_("Place"), max_length=PLACE_LENGTH)
    territory = TerritoryField(label=_("Territory"), queryset=None, required=False)
    occurred_on = DayField(label=_("Date of the event"), widget=day_input())
    lead = UserField(label=_("Lead"), queryset=None)
    team = TeamField(label=_("Team making the follow-up calls"), queryset=None)
    schedule = ScheduleField()

    def __init__(self, *args, territories, leads, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories
        self.fields["lead"].queryset = leads
        self.fields["team"].queryset = teams

    def event_input(self) -> EventInput:
        data = self.cleaned_data
        return EventInput(
            kind=data["kind"],
            title=data["title"],
            place=data["place"],
            occurred_on=data["occurred_on"],
            lead=data["lead"],
            team=data["team"],
            territory=data["territory"],
            follow_up_offsets_hours=data["schedule"],
        )


class ScheduleForm(forms.Form):
    schedule = ScheduleField()


class CloseForm(forms.Form):
    report = forms.CharField(
        label=_("Closing report"),
        max_length=REPORT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "What happened, the response given, what worked and what did not, what "
            "remains to be done (the follow-ups planned keep running)."
        ),
    )


class AffectedForm(forms.Form):
    """Registration on the spot: a given name is enough; the rest helps the follow-ups."""

    given_name = forms.CharField(label=_("Given name"), max_length=NAME_LENGTH)
    family_name = forms.CharField(label=_("Family name"), max_length=NAME_LENGTH, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=PHONE_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    age_band = forms.ChoiceField(label=_("Age"), choices=AgeBand.choices, initial=AgeBand.UNKNOWN)
    household = RecordField(
        label=_("Household"),
        queryset=None,
        required=False,
        empty_label=_("— a new household, or none —"),
    )
    household_label = forms.CharField(
        label=_("New household (address or family name)"),
        max_length=HOUSEHOLD_LENGTH,
        required=False,
    )
    household_size = forms.IntegerField(
        label=_("People in the new household"),
        min_value=1,
        max_value=MAX_HOUSEHOLD_SIZE,
        required=False,
    )
    need_domains = forms.MultipleChoiceField(
        label=_("Needs"), required=False, widget=forms.CheckboxSelectMultiple
    )
    first_aid_given = forms.BooleanField(label=_("Psychological first aid given"), required=False)
    first_aid_notes = forms.CharField(
        label=_("Notes on the first aid"),
        max_length=NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, households, domain_labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.fields["household"].label_from_instance = lambda household: household.label
        self.fields["need_domains"].choices = [
            (code, domain_labels.get(code, code)) for code in first_level_domains()
        ]

    def affected_input(self, person=None) -> AffectedInput:
        data = self.cleaned_data
        return AffectedInput(
            given_name=data["given_name"],
            family_name=data["family_name"],
            phone=data["phone"],
            age_band=data["age_band"],
            need_domains=list(data["need_domains"]),
            first_aid_given=data["first_aid_given"],
            first_aid_notes=data["first_aid_notes"],
            household=data["household"],
            household_label=data["household_label"],
            household_size=data["household_size"],
            person=person,
        )


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Result"),
        choices=blank_first([(status.value, status.label) for status in RECORDED_STATUSES]),
    )
    orientation = forms.ChoiceField(
        label=_("Orientation"), choices=Orientation.choices, initial=Orientation.NONE
    )
    note = forms.CharField(
        label=_("Notes"),
        max_length=NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
