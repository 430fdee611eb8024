"""The audit log's filters, read from the query string."""

from django import forms
from django.utils.translation import gettext_lazy as _

from proxima.core.errors import moment_out_of_range
from proxima.privacy import labels


class LogFilterForm(forms.Form):
    actor = forms.CharField(label=_("Who"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("What"), required=False)
    object_type = forms.ChoiceField(label=_("On"), required=False)
    person = forms.UUIDField(label=_("Record number"), required=False)
    since = forms.DateField(label=_("From"), required=False)
    until = forms.DateField(label=_("To"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("all"))]
        self.fields["action"].choices = everything + labels.action_choices()
        self.fields["object_type"].choices = everything + labels.object_type_choices()

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        for name, day in (("since", since), ("until", until)):
            if problem := moment_out_of_range(day):
                self.add_error(name, problem)
                cleaned[name] = None
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the period comes before its start."))
        return cleaned
