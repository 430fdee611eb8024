from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrescriptionsConfig(AppConfig):
    name = "proxima.prescriptions"
    verbose_name = _("Social prescriptions")
    default_auto_field = "django.db.models.BigAutoField"
