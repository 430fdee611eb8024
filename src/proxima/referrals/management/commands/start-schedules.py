from django.core.management.base import BaseCommand
from django_tasks_db.models import DBTaskResult

from proxima.referrals import tasks

PERIODIC = (tasks.sweep_overdue, tasks.send_daily_digests)


class Command(BaseCommand):
    help = "Queue the periodic referral tasks (overdue sweep, daily digest) if not queued."

    def handle(self, **options):
        for periodic in PERIODIC:
            pending = DBTaskResult.objects.filter(
                task_path=periodic.module_path, status__in=["READY", "RUNNING"]
            )
            if pending.exists():
                self.stdout.write(f"{periodic.name}: already queued")
            else:
                periodic.enqueue()
                self.stdout.write(self.style.SUCCESS(f"{periodic.name}: queued"))
