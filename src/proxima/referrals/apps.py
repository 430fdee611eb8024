from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "proxima.referrals"
    verbose_name = _("Referrals")
    default_auto_field = "django.db.models.BigAutoField"
