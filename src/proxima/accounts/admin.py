"""Accounts on the administrator's site. An authenticator's secret is never shown there
(django-otp's own admin pages, which show and edit it, are removed): an administrator who
must help someone who lost their phone resets the account's two-factor authentication,
and its owner sets up a new app at the next sign-in."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from proxima.accounts.services import two_factor
from proxima.core.models import User

for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


@admin.register(User)
class ProximaUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "organization", "is_active")
    list_filter = ("role", "region", "is_active")
    fieldsets = UserAdmin.fieldsets + (
        (_("Proxima"), {"fields": ("role", "organization", "region", "preferred_language")}),
    )
    autocomplete_fields = ("organization",)
    actions = ["reset_two_factor"]

    @admin.action(description=_("Reset two-factor authentication (a new app at next sign-in)"))
    def reset_two_factor(self, request, queryset):
        count = two_factor.reset(queryset, by=request.user)
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication reset for %d account.",
                "Two-factor authentication reset for %d accounts.",
                count,
            )
            % count,
            messages.SUCCESS,
        )
