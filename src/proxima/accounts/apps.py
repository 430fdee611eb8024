from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "proxima.accounts"
    verbose_name = _("Accounts and sign-in")

    def ready(self):
        from proxima.accounts import signals  # noqa: F401  (audit of sign-ins)
