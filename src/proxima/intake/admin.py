"""Administration of intake settings: target delays per region, questionnaire versions.

Contacts and screenings are deliberately not here: they are read on the contact screen,
where every read is audited."""

from django.contrib import admin

from proxima.intake.models import PriorityTarget, Questionnaire


@admin.register(PriorityTarget)
class PriorityTargetAdmin(admin.ModelAdmin):
    list_display = ("region", "priority", "target_hours")
    list_filter = ("region",)


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    """Read-only: a new version comes from a definition file (proxima load-questionnaires),
    so answers always keep the exact questions they answered."""

    list_display = ("code", "version", "kind", "is_active")
    list_filter = ("kind", "is_active")
    readonly_fields = ("code", "version", "kind", "title", "definition")
    fields = ("code", "version", "kind", "title", "definition", "is_active")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
