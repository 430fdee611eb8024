"""Casework forms: each error said in the reader's language, next to its field. The rules
themselves (who, when, what a closed case or a signed note allows) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from proxima.casework.models import (
    MAX_DURATION_MINUTES,
    MIN_DURATION_MINUTES,
    SHORT_TEXT_LENGTH,
    TEXT_LENGTH,
    ClosingReason,
    InterventionType,
    Orientation,
    Place,
    WorkerRole,
)
from proxima.casework.services import NoteInput
from proxima.core.forms import DayField, RecordField, UserField, blank_first, day_input

DATE = day_input()


class OpenCaseForm(forms.Form):
    team = RecordField(label=_("Team"), queryset=None, required=False)
    plan = forms.CharField(
        label=_("Intervention plan"),
        max_length=TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if len(teams) == 1:  # the worker's one team: their teammates see the case
            self.fields["team"].initial = teams[0].pk


class PlanForm(forms.Form):
    plan = forms.CharField(
        label=_("Intervention plan"),
        max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class NextActionForm(forms.Form):
    text = forms.CharField(label=_("What to do"), max_length=SHORT_TEXT_LENGTH)
    due_on = DayField(label=_("Due on"), widget=DATE)


class NoteForm(forms.Form):
    intervention_type = forms.ChoiceField(
        label=_("Intervention type"), choices=blank_first(InterventionType.choices)
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=MIN_DURATION_MINUTES,
        max_value=MAX_DURATION_MINUTES,
    )
    place = forms.ChoiceField(label=_("Place"), choices=blank_first(Place.choices))
    happened_on = DayField(label=_("Date of the intervention"), widget=DATE)
    text = forms.CharField(
        label=_("Note"), max_length=TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 6})
    )

    def note_input(self) -> NoteInput:
        data = self.cleaned_data
        return NoteInput(
            intervention_type=data["intervention_type"],
            duration_minutes=data["duration_minutes"],
            place=data["place"],
            happened_on=data["happened_on"],
            text=data["text"],
        )


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Addendum"), max_length=TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class CoWorkerForm(forms.Form):
    worker = UserField(label=_("Worker"), queryset=None)
    role = forms.ChoiceField(
        label=_("Role on the case"),
        choices=WorkerRole.choices,
        initial=WorkerRole.CO_INTERVENER,
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers


class CoachingForm(forms.Form):
    team = RecordField(label=_("Asked of"), queryset=None)
    question = forms.CharField(
        label=_("Question"), max_length=TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if len(teams) == 1:
            self.fields["team"].initial = teams[0].pk


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )


class CloseForm(forms.Form):
    closing_reason = forms.ChoiceField(
        label=_("Closing reason"), choices=blank_first(ClosingReason.choices)
    )
    orientation = forms.ChoiceField(
        label=_("Orientation"), choices=blank_first(Orientation.choices)
    )
    closing_note = forms.CharField(
        label=_("Closing summary"),
        max_length=TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
