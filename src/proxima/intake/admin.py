"""Administration of intake settings: target delays per region, questionnaire versions.

Contacts and screenings are deliberately not here: they are read on the contact screen,
where every read is audited."""

import json

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from proxima.intake.models import PriorityTarget, Questionnaire
from proxima.intake.services.questionnaires import (
    ScreeningInputError,
    publish_version,
    validate_definition,
)


@admin.register(PriorityTarget)
class PriorityTargetAdmin(admin.ModelAdmin):
    list_display = ("region", "priority", "target_hours")
    list_filter = ("region",)


class NewVersionForm(forms.ModelForm):
    """A whole definition as JSON (prefilled with the latest version of `?from=<code>`);
    it is checked like a definition file and saved as the next version."""

    definition = forms.JSONField(
        label=gettext_lazy("definition (JSON)"),
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false"}),
    )

    class Meta:
        model = Questionnaire
        fields = ("definition",)

    def clean_definition(self):
        definition = self.cleaned_data["definition"]
        try:
            validate_definition(definition)
        except ScreeningInputError as error:
            raise forms.ValidationError(
                [f"{field}: {message}" for field, message in error.errors.items()]
            ) from error
        return definition


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    """A saved version is never edited (answers keep the exact questions they answered):
    adding one publishes the next version, from a copy of the latest."""

    list_display = ("code", "version", "kind", "is_active", "new_version")
    list_filter = ("kind", "is_active")
    readonly_fields = ("code", "version", "kind", "title", "definition")
    fields = ("code", "version", "kind", "title", "definition", "is_active")

    @admin.display(description=gettext_lazy("new version"))
    def new_version(self, obj: Questionnaire):
        url = reverse("admin:intake_questionnaire_add") + "?" + urlencode({"from": obj.code})
        return format_html('<a href="{}">{}</a>', url, _("Publish a new version from this one"))

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            return NewVersionForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return ("definition",) if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def get_changeform_initial_data(self, request):
        code = request.GET.get("from", "")
        latest = Questionnaire.objects.filter(code=code).order_by("-version").first()
        if latest is None:
            return {}
        return {"definition": json.dumps(latest.definition, ensure_ascii=False, indent=2)}

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        published = publish_version(form.cleaned_data["definition"])
        obj.pk = published.pk
        obj.code, obj.version = published.code, published.version
        self.message_user(
            request, _("Published as version %(version)s.") % {"version": published.version}
        )

    def has_delete_permission(self, request, obj=None):
        return False
