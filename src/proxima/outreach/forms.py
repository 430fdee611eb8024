"""The outreach contact form: the page's (without its script) and each contact a phone's
queue sends read the same way, every error in the reader's language next to its field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from proxima.outreach.models import (
    MAX_PEOPLE,
    NOTE_LENGTH,
    ORIENTATION_NOTE_LENGTH,
    PLACE_LENGTH,
    AgeBand,
    Help,
    Orientation,
)
from proxima.outreach.services import ContactInput
from proxima.territories.forms import TerritoryField


class EventField(forms.ModelChoiceField):
    def label_from_instance(self, event):
        return event.title


class OutreachForm(forms.Form):
    id = forms.UUIDField(widget=forms.HiddenInput)
    # The moment the worker recorded it (the phone's clock); empty: now.
    met_at = forms.DateTimeField(label=_("Met at"), required=False, widget=forms.HiddenInput)
    event = EventField(
        label=_("Emergency"), queryset=None, required=False, empty_label=_("Not about an emergency")
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=PLACE_LENGTH,
        help_text=_("A street corner, a park, a shelter… never an address of a person."),
    )
    territory = TerritoryField(label=_("Territory"), queryset=None, required=False)
    people_count = forms.IntegerField(
        label=_("People met"), min_value=1, max_value=MAX_PEOPLE, initial=1
    )
    age_band = forms.ChoiceField(
        label=_("Approximate age"),
        choices=AgeBand.choices,
        initial=AgeBand.UNKNOWN,
        widget=forms.RadioSelect,
    )
    need_domains = forms.MultipleChoiceField(
        label=_("Needs seen"), required=False, widget=forms.CheckboxSelectMultiple
    )
    help_given = forms.MultipleChoiceField(
        label=_("Help given"),
        choices=Help.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    orientation = forms.ChoiceField(
        label=_("Orientation"),
        choices=Orientation.choices,
        initial=Orientation.NONE,
        widget=forms.RadioSelect,
    )
    orientation_note = forms.CharField(
        label=_("Orientation, details"),
        max_length=ORIENTATION_NOTE_LENGTH,
        required=False,
        help_text=_("Which resource or team, an appointment made…"),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("No name: what was seen and done."),
    )

    def __init__(self, *args, territories, events, domain_labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories
        # What the script says when the place is left empty (the form is not sent).
        self.fields["place"].widget.attrs["data-required"] = _("Say where the contact took place.")
        self.fields["event"].queryset = events
        self.fields["need_domains"].choices = sorted(
            domain_labels.items(), key=lambda pair: str(pair[1])
        )

    def contact_input(self, *, now, was_queued: bool) -> ContactInput:
        data = self.cleaned_data
        return ContactInput(
            id=data["id"],
            met_at=data["met_at"] or now,
            place=data["place"],
            territory=data["territory"],
            people_count=data["people_count"],
            age_band=data["age_band"],
            need_domains=list(data["need_domains"]),
            help_given=list(data["help_given"]),
            orientation=data["orientation"],
            orientation_note=data["orientation_note"],
            note=data["note"],
            event=data["event"],
            was_queued=was_queued,
        )
