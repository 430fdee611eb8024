from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "proxima.matching"
    label = "matching"
    verbose_name = _("Matching needs to resources")
