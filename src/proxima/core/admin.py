from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from proxima.core.models import AuditEvent, Region, User


@admin.register(User)
class ProximaUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "organization", "is_active")
    list_filter = ("role", "region", "is_active")
    fieldsets = UserAdmin.fieldsets + (
        (_("Proxima"), {"fields": ("role", "organization", "region", "preferred_language")}),
    )
    autocomplete_fields = ("organization",)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "actor_role", "action", "object_type", "object_id")
    list_filter = ("action", "object_type", "actor_role")
    search_fields = ("object_id", "actor__username")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")
