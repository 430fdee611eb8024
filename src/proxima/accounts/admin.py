"""Accounts on the administrator's site. An authenticator's secret is never shown there
(django-otp's own admin pages, which show and edit it, are removed): an administrator who
must help someone who lost their phone resets the account's two-factor authentication,
and its owner sets up a new app at the next sign-in."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from proxima.accounts.services import audit, two_factor
from proxima.core.audit import record_audit_event
from proxima.core.models import User

# Not on the admin site: authenticator secrets (django-otp), what people typed as a
# username when signing in failed, a mistyped password among them (django-axes: the
# audit log keeps none), and the task queue's internals.
for hidden in (TOTPDevice, StaticDevice, AccessAttempt, AccessFailureLog, AccessLog, DBTaskResult):
    if admin.site.is_registered(hidden):
        admin.site.unregister(hidden)


@admin.register(User)
class ProximaUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "organization", "is_active")
    list_filter = ("role", "region", "is_active")
    fieldsets = UserAdmin.fieldsets + (
        (
            _("Proxima"),
            {"fields": ("role", "organization", "region", "preferred_language", "work_phone")},
        ),
    )
    autocomplete_fields = ("organization",)
    actions = ["reset_two_factor"]
    # What an administrator may not change on their own account: no one grants
    # themselves a role that reads people's files (a colleague must, and it is audited).
    OWN_FIELDS_LOCKED = (
        "role",
        "region",
        "organization",
        "is_active",
        "is_staff",
        "is_superuser",
        "groups",
        "user_permissions",
    )

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.pk == request.user.pk:
            return (*fields, *self.OWN_FIELDS_LOCKED)
        return fields

    def save_model(self, request, obj, form, change):
        before = audit.watched(User.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        audit.account_saved(request.user, obj, before)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            audit.account_password_set(request.user, User.objects.get(pk=id))
        return response

    def delete_model(self, request, obj):
        record_audit_event(request.user, "delete_account", obj)
        super().delete_model(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one account at a time, each audited
        return actions

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
