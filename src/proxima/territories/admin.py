from django.contrib import admin

from proxima.territories.models import Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    """Names, population and dates are corrected here; outlines come by import
    (`proxima import-territories`), checked there."""

    list_display = ("code", "name_fr", "level", "parent", "population", "valid_until")
    list_filter = ("level",)
    search_fields = ("code", "name_fr", "name_en")
    readonly_fields = (
        "geometry",
        "min_latitude",
        "max_latitude",
        "min_longitude",
        "max_longitude",
        "region",
        "updated_at",
    )
