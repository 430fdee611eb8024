from django.contrib import admin

from proxima.directory import models as m


class PhoneInline(admin.TabularInline):
    model = m.Phone
    fk_name = "service"
    extra = 0
    fields = ("id", "number", "extension", "type", "description")


class ScheduleInline(admin.TabularInline):
    model = m.Schedule
    fk_name = "service"
    extra = 0
    fields = (
        "id",
        "freq",
        "byday",
        "opens_at",
        "closes_at",
        "valid_from",
        "valid_to",
        "description",
    )


class ServiceAtLocationInline(admin.TabularInline):
    model = m.ServiceAtLocation
    fk_name = "service"
    extra = 0
    autocomplete_fields = ("location",)


@admin.register(m.Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "website", "is_demo")
    search_fields = ("name", "alternate_name", "id")
    list_filter = ("is_demo",)


@admin.register(m.Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "status", "capacity_status", "last_verified_at")
    list_filter = ("status", "capacity_status", "delivers_online", "is_free", "is_demo")
    search_fields = ("name", "alternate_name", "id", "organization__name")
    autocomplete_fields = ("organization", "program")
    raw_id_fields = ("last_verified_by",)
    inlines = [ServiceAtLocationInline, PhoneInline, ScheduleInline]


@admin.register(m.Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "location_type", "is_confidential")
    list_filter = ("location_type", "is_confidential")
    search_fields = ("name", "id")
    autocomplete_fields = ("organization",)


@admin.register(m.Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "organization")
    search_fields = ("name", "id")
    autocomplete_fields = ("organization",)


@admin.register(m.Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "uri")
    search_fields = ("name",)


class LexiconInline(admin.TabularInline):
    model = m.NeedLexiconEntry
    extra = 1


@admin.register(m.TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "taxonomy", "parent_id")
    search_fields = ("name", "code", "id")
    filter_horizontal = ("equivalent_terms",)
    inlines = [LexiconInline]


for model in (m.Address, m.Attribute, m.CostOption, m.ServiceArea, m.Language, m.Accessibility):
    admin.site.register(model)
