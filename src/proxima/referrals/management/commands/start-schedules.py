from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django_tasks_db.models import DBTaskResult

from proxima.referrals import tasks

PERIODIC = (tasks.sweep_overdue, tasks.send_daily_digests)


def periodic_tasks() -> list:
    """The referral tasks above, then every other app's `tasks.PERIODIC` (privacy's)."""
    found = list(PERIODIC)
    for app in apps.get_app_configs():
        if not app.name.startswith("proxima.") or app.name == "proxima.referrals":
            continue
        try:
            module = import_module(f"{app.name}.tasks")
        except ModuleNotFoundError as error:
            if error.name != f"{app.name}.tasks":
                raise
            continue
        found += getattr(module, "PERIODIC", ())
    return found


class Command(BaseCommand):
    help = "Queue the periodic tasks (referral sweep and digest, privacy's nightly jobs) if not queued."

    def handle(self, **options):
        for periodic in periodic_tasks():
            pending = DBTaskResult.objects.filter(
                task_path=periodic.module_path, status__in=["READY", "RUNNING"]
            )
            if pending.exists():
                self.stdout.write(f"{periodic.name}: already queued")
            else:
                periodic.enqueue()
                self.stdout.write(self.style.SUCCESS(f"{periodic.name}: queued"))
