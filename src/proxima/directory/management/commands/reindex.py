from django.core.management.base import BaseCommand
from tqdm import tqdm

from proxima.directory.models import Service
from proxima.directory.services.indexing import reindex_services


class Command(BaseCommand):
    help = "Rebuild the search index of every service."

    def handle(self, **options):
        with tqdm(total=Service.objects.count(), desc="Index", unit=" services") as bar:
            written = reindex_services(on_progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"{written} services indexed"))
