from proxima.referrals.models import Notification
from proxima.referrals.services.access import can_use_referrals


def referrals_menu(request):
    """The Referrals menu entry and its badge of unread notices."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False) or not can_use_referrals(user):
        return {"nav_referrals": False, "unread_notices": 0}
    unread = Notification.objects.filter(user=user, read_at=None).count()
    return {"nav_referrals": True, "unread_notices": unread}
