"""The registry's forms: a new agreement (with its parties), a change of status, a
follow-up meeting, an indicator, a joint training session. Django forms: each error is
said in the reader's language, next to its field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from proxima.agreements.models import (
    DOCUMENT_MAX_BYTES,
    TEXT_LENGTH,
    AgreementKind,
    AgreementStatus,
    DocumentKind,
    IndicatorKind,
)
from proxima.core.forms import LARGEST_ID, day_input, filtered_list
from proxima.core.uploads import FileRefused, allowed_extensions, check_document, describe_accepted
from proxima.directory.models import Organization
from proxima.directory.services.taxonomy import first_level_domains
from proxima.teams.models import Team
from proxima.territories.models import Territory
from proxima.territories.services import territory_ids_within

DATE = day_input()


class RecordsField(forms.ModelMultipleChoiceField):
    """Several records by id; an id that is not a whole number the database can hold is
    an invalid choice like any other (not a database error). A box above the list keeps
    the options holding what is typed (core/proxima.js)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.SelectMultiple(attrs=filtered_list(size=8)))
        super().__init__(*args, **kwargs)

    def _check_values(self, value):
        if self.queryset.model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField"):
            for pk in value:
                text = str(pk)
                if not text.isascii() or not text.isdigit() or int(text) > LARGEST_ID:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": text[:40]},
                    )
        return super()._check_values(value)


class TerritoriesField(RecordsField):
    def label_from_instance(self, territory):
        return territory.name_and_level


class AgreementForm(forms.Form):
    # Editing: the version read (someone else's change in between is refused).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    purpose = forms.CharField(
        label=_("Purpose"), max_length=TEXT_LENGTH, required=False, widget=forms.Textarea
    )
    need_domains = forms.MultipleChoiceField(
        label=_("Needs covered"), required=False, widget=forms.CheckboxSelectMultiple
    )
    establishment = forms.BooleanField(
        label=_("The region's establishment (CISSS / CIUSSS) is a party"), required=False
    )
    teams = RecordsField(
        label=_("Teams that are parties"), queryset=Team.objects.none(), required=False
    )
    organizations = RecordsField(
        label=_("Community organizations that are parties"),
        queryset=Organization.objects.none(),
        required=False,
    )
    territories = TerritoriesField(
        label=_("Territories covered"), queryset=Territory.objects.none(), required=False
    )
    how_to_refer = forms.CharField(
        label=_("How to refer"), max_length=TEXT_LENGTH, required=False, widget=forms.Textarea
    )
    access_hours = forms.CharField(label=_("Hours"), max_length=300, required=False)
    access_contact = forms.CharField(label=_("Contact"), max_length=300, required=False)
    direct_transfer = forms.BooleanField(
        label=_("The 811 may transfer a call directly"), required=False
    )
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DATE)
    starts_on = forms.DateField(label=_("In force from"), required=False, widget=DATE)
    review_on = forms.DateField(label=_("Review due on"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE)

    def __init__(self, *args, region, domain_labels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need_domains"].choices = [
            (code, domain_labels.get(code, code)) for code in first_level_domains()
        ]
        self.fields["teams"].queryset = Team.objects.filter(region=region, active=True)
        self.fields["organizations"].queryset = Organization.objects.order_by("name")
        self.fields["territories"].queryset = Territory.objects.filter(
            pk__in=territory_ids_within(region)
        ).order_by("name_fr")

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end must come after the start."))
        review = data.get("review_on")
        if review and starts and review < starts:
            self.add_error("review_on", _("The review comes after the start."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=AgreementStatus.choices)
    note = forms.CharField(label=_("Why"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    attendees = forms.CharField(label=_("Attendees"), max_length=500, required=False)
    notes = forms.CharField(
        label=_("Notes"), max_length=TEXT_LENGTH, required=False, widget=forms.Textarea
    )
    decisions = forms.CharField(
        label=_("Decisions"), max_length=TEXT_LENGTH, required=False, widget=forms.Textarea
    )


class IndicatorForm(forms.Form):
    kind = forms.ChoiceField(label=_("Indicator"), choices=IndicatorKind.choices)
    label = forms.CharField(label=_("In words"), max_length=200, required=False)
    # localize: "12,5" in French, "12.5" in English.
    target = forms.DecimalField(
        label=_("Target"),
        max_digits=10,
        decimal_places=2,
        required=False,
        min_value=0,
        localize=True,
    )
    reported_value = forms.DecimalField(
        label=_("Reported figure"),
        max_digits=12,
        decimal_places=2,
        required=False,
        min_value=0,
        localize=True,
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == IndicatorKind.OTHER and not (data.get("label") or "").strip():
            self.add_error("label", _("Say in words what the parties watch."))
        return data


class TrainingForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=300)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    trainers = forms.CharField(label=_("Trainers"), max_length=500, required=False)
    organizations = RecordsField(
        label=_("Organizations that took part"),
        queryset=Organization.objects.none(),
        required=False,
    )
    attendees = forms.IntegerField(label=_("People who attended"), min_value=0, max_value=100_000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = Organization.objects.order_by("name")


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"))  # its name is kept shortened (core.uploads)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = describe_accepted(DOCUMENT_MAX_BYTES)
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{e}" for e in allowed_extensions())

    def clean_file(self):
        try:
            return check_document(self.cleaned_data["file"], max_bytes=DOCUMENT_MAX_BYTES)
        except FileRefused as refusal:
            raise forms.ValidationError(str(refusal)) from refusal


class PartyTermsForm(forms.Form):
    role = forms.CharField(label=_("Role"), max_length=300, required=False)
    commitments = forms.CharField(
        label=_("Commitments"),
        max_length=TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
