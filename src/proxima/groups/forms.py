"""Group and collective intervention forms: each error said in the reader's language,
next to its field. The rules themselves (who, capacity, waiting list, attendance) are
the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from proxima.core.forms import DayField, RecordField, blank_first, day_input, plain_id
from proxima.directory.services.taxonomy import first_level_domains
from proxima.groups.models import (
    MAX_AGE,
    MAX_CAPACITY,
    MAX_CITIZENS,
    MAX_SESSION_MINUTES,
    MIN_AGE,
    MIN_CAPACITY,
    MIN_SESSION_MINUTES,
    PLACE_LENGTH,
    TEXT_LENGTH,
    TITLE_LENGTH,
    ActivityStatus,
    Presence,
    ProjectStatus,
    Theme,
)
from proxima.groups.services import ActivityInput, ProjectInput
from proxima.teams.forms import TeamField
from proxima.territories.forms import TerritoryField

DATE = day_input()


class RecordsField(forms.ModelMultipleChoiceField):
    """Several records by id, malformed ids refused as invalid choices."""

    def _check_values(self, value):
        for one in value or []:
            if not isinstance(one, str) or "\x00" in one or len(one) > 250:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": "…"},
                )
        return super()._check_values(value)


class UsersField(RecordsField):
    def clean(self, value):
        if any(not plain_id(one) for one in value or []):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": "…"}
            )
        return super().clean(value)

    def label_from_instance(self, user):
        return user.get_full_name() or user.username


def _domain_choices(labels: dict[str, str]) -> list:
    return [(code, labels.get(code, code)) for code in first_level_domains()]


class ActivityForm(forms.Form):
    team = TeamField(label=_("Team running it"), queryset=None)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=TITLE_LENGTH)
    title_en = forms.CharField(label=_("Title (English)"), max_length=TITLE_LENGTH, required=False)
    theme = forms.ChoiceField(label=_("Theme"), choices=blank_first(Theme.choices))
    description = forms.CharField(
        label=_("Description"),
        max_length=TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=MIN_CAPACITY, max_value=MAX_CAPACITY)
    min_age = forms.IntegerField(
        label=_("Minimum age"), min_value=MIN_AGE, max_value=MAX_AGE, required=False
    )
    max_age = forms.IntegerField(
        label=_("Maximum age"), min_value=MIN_AGE, max_value=MAX_AGE, required=False
    )
    territory = TerritoryField(label=_("Territory"), queryset=None, required=False)
    need_domains = forms.MultipleChoiceField(
        label=_("Needs addressed"), required=False, widget=forms.CheckboxSelectMultiple
    )
    facilitators = UsersField(label=_("Other facilitators"), queryset=None, required=False)

    def __init__(self, *args, teams, territories, facilitators, domain_labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if len(teams) == 1:
            self.fields["team"].initial = teams[0].pk
        self.fields["territory"].queryset = territories
        self.fields["facilitators"].queryset = facilitators
        self.fields["need_domains"].choices = _domain_choices(domain_labels)

    def clean(self):
        data = super().clean()
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", _("The maximum age cannot be below the minimum age."))
        return data

    def activity_input(self) -> ActivityInput:
        data = self.cleaned_data
        return ActivityInput(
            team=data["team"],
            title_fr=data["title_fr"],
            title_en=data["title_en"],
            theme=data["theme"],
            description=data["description"],
            capacity=data["capacity"],
            min_age=data["min_age"],
            max_age=data["max_age"],
            territory=data["territory"],
            need_domains=list(data["need_domains"]),
            facilitators=list(data["facilitators"]),
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=MIN_SESSION_MINUTES,
        max_value=MAX_SESSION_MINUTES,
        initial=120,
    )
    place = forms.CharField(label=_("Place"), max_length=PLACE_LENGTH, required=False)

    def clean_starts_at(self):
        from proxima.core.errors import moment_out_of_range

        value = self.cleaned_data["starts_at"]
        if problem := moment_out_of_range(value):
            raise forms.ValidationError(problem)
        return value


class RegisterForm(forms.Form):
    activity = RecordField(label=_("Group activity"), queryset=None)

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities
        self.fields["activity"].label_from_instance = lambda activity: activity.title


class AttendanceForm(forms.Form):
    """One choice per registered participant (`r<registration id>`); those left empty
    are not recorded."""

    def __init__(self, *args, registrations, recorded: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for registration in registrations:
            mark = recorded.get(registration.pk)
            self.fields[f"r{registration.pk}"] = forms.ChoiceField(
                label=str(registration.person),
                choices=blank_first(Presence.choices),
                required=False,
                initial=mark.presence if mark else "",
            )

    def marks(self) -> dict[int, str]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items() if value}


class ProjectForm(forms.Form):
    territory = TerritoryField(label=_("Territory"), queryset=None)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=TITLE_LENGTH)
    title_en = forms.CharField(label=_("Title (English)"), max_length=TITLE_LENGTH, required=False)
    issue = forms.CharField(
        label=_("Issue addressed"), max_length=TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    need_domains = forms.MultipleChoiceField(
        label=_("Needs addressed"), required=False, widget=forms.CheckboxSelectMultiple
    )
    partners = RecordsField(label=_("Partner organizations"), queryset=None, required=False)
    citizens_involved = forms.IntegerField(
        label=_("Citizens involved (how many)"), min_value=0, max_value=MAX_CITIZENS, initial=0
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ProjectStatus.choices, initial=ProjectStatus.PLANNED
    )
    started_on = DayField(label=_("Started on"), required=False, widget=DATE)
    ended_on = DayField(label=_("Ended on"), required=False, widget=DATE)
    results = forms.CharField(
        label=_("Results"),
        max_length=TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, territories, organizations, domain_labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories
        self.fields["partners"].queryset = organizations
        self.fields["need_domains"].choices = _domain_choices(domain_labels)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("started_on"), data.get("ended_on")
        if starts and ends and ends < starts:
            self.add_error("ended_on", _("The end must come after the start."))
        return data

    def project_input(self) -> ProjectInput:
        data = self.cleaned_data
        return ProjectInput(
            territory=data["territory"],
            title_fr=data["title_fr"],
            title_en=data["title_en"],
            issue=data["issue"],
            need_domains=list(data["need_domains"]),
            partners=list(data["partners"]),
            citizens_involved=data["citizens_involved"],
            status=data["status"],
            started_on=data["started_on"],
            ended_on=data["ended_on"],
            results=data["results"],
        )


class ProjectActivityForm(forms.Form):
    held_on = DayField(label=_("Date"), widget=DATE)
    description = forms.CharField(
        label=_("What was done"),
        max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    participants = forms.IntegerField(
        label=_("Participants (how many)"), min_value=0, max_value=MAX_CITIZENS, initial=0
    )
