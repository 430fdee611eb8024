from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "proxima.directory"
    label = "directory"
    verbose_name = _("Resource directory")

    def ready(self):
        from proxima.directory import signals  # noqa: F401  (the taxonomy's stamp forgotten)
