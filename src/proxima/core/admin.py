"""The administrator's site: the network's setup (regions; directory and intake settings
in their apps; accounts in proxima.accounts). Never people's files, and never the audit
log: that is the privacy officer's, read through proxima.privacy, each reading audited."""

from django.contrib import admin

from proxima.core.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")
