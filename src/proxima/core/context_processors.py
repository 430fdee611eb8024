from django.core.cache import cache

from proxima.core.roles import (
    ADMIN_SITE,
    EDIT_ANY_SERVICE,
    EDIT_OWN_ORGANIZATION_SERVICES,
    READ_AUDIT_LOG,
    READ_PERSONAL_RECORDS,
    has_capability,
)


def navigation(request):
    """What the header shows: the partner space, the admin, and the demo banner."""
    user = request.user
    is_demo = cache.get("proxima:has-demo-data")
    if is_demo is None:
        from proxima.directory.models import Organization

        is_demo = Organization.objects.filter(is_demo=True).exists()
        cache.set("proxima:has-demo-data", is_demo, 60)
    nav_referrals = unread = 0
    if getattr(user, "is_authenticated", False):
        from proxima.referrals.models import Notification
        from proxima.referrals.services.access import can_use_referrals

        nav_referrals = can_use_referrals(user)
        if nav_referrals:
            unread = Notification.objects.filter(user=user, read_at=None).count()
    return {
        "nav_referrals": nav_referrals,
        "unread_notices": unread,
        "nav_partner": has_capability(user, EDIT_OWN_ORGANIZATION_SERVICES)
        or has_capability(user, EDIT_ANY_SERVICE),
        "nav_admin": has_capability(user, ADMIN_SITE),
        "nav_intake": has_capability(user, READ_PERSONAL_RECORDS),
        "nav_privacy": has_capability(user, READ_AUDIT_LOG),
        "demo_data": is_demo,
    }
