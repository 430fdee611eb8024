from django.contrib import admin

from proxima.agreements.models import Agreement, Party, TrainingSession


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    autocomplete_fields = ("organization", "team")


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    """Corrections by the administrator; coordinators keep their region's registry on its
    own pages (/agreements/), where status changes keep their history."""

    list_display = ("title_fr", "region", "kind", "status", "review_on", "ends_on")
    list_filter = ("region", "kind", "status")
    search_fields = ("title_fr", "title_en")
    readonly_fields = ("status", "version", "created_by", "created_at", "updated_at")
    filter_horizontal = ("territories",)
    autocomplete_fields = ("services",)
    inlines = (PartyInline,)


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ("topic", "region", "held_on", "attendees")
    list_filter = ("region",)
    search_fields = ("topic", "trainers")
