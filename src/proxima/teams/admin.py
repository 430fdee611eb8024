from django.contrib import admin

from proxima.core.audit import record_audit_event
from proxima.teams.models import Membership, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)
    readonly_fields = ("since",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    """A team's members decide whose inbox its referrals reach: each change of members is
    written to the audit log, as a change of an account's role or region is."""

    list_display = ("name_fr", "code", "kind", "region", "organization", "territory", "active")
    list_filter = ("kind", "region", "active")
    search_fields = ("code", "name_fr", "name_en")
    autocomplete_fields = ("organization", "territory")
    inlines = (MembershipInline,)

    def save_related(self, request, form, formsets, change):
        team = form.instance
        before = set(team.memberships.values_list("user_id", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(team.memberships.values_list("user_id", flat=True))
        if before != after:
            record_audit_event(
                request.user,
                "change_team_members",
                team,
                detail={
                    "added": sorted(str(pk) for pk in after - before),
                    "removed": sorted(str(pk) for pk in before - after),
                },
            )
