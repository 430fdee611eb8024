import os
import stat
from pathlib import Path

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "proxima.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        connection_created.connect(keep_sqlite_files_private, dispatch_uid="proxima-sqlite-0600")


def keep_sqlite_files_private(sender, connection, **kwargs) -> None:
    """A SQLite database holds people's files: readable by its owner only (0600), like
    the backups, whatever the umask was when it was made (0644 made it readable by every
    account of the machine). Its -wal and -shm files too."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for path in (Path(name), Path(f"{name}-wal"), Path(f"{name}-shm")):
        try:
            info = path.stat()
            if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
                path.chmod(0o600)
        except OSError:
            continue  # not there (yet), or not ours: nothing to do
