from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergencyConfig(AppConfig):
    name = "proxima.emergency"
    label = "emergency"
    verbose_name = _("Emergency psychosocial mode")
