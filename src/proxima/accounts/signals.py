"""Sign-ins, failures, lockouts and sign-outs go to the audit log (Django's and axes'
signals: one place, whatever view or backend did the work)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from proxima.accounts.services import audit


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit.password_accepted(user, request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit.login_failed(credentials.get("username", ""), request)


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    audit.locked_out(username or "", request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.logged_out(user, request, reason=getattr(request, "logout_reason", ""))
