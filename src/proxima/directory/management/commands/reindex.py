from django.core.management.base import BaseCommand
from django.db import connection
from tqdm import tqdm

from proxima.directory.models import Service
from proxima.directory.services.indexing import reindex_services


class Command(BaseCommand):
    help = "Rebuild the search index of every service, then refresh the planner's statistics."

    def handle(self, **options):
        with tqdm(total=Service.objects.count(), desc="Index", unit=" services") as bar:
            written = reindex_services(on_progress=bar.update)
        with connection.cursor() as cursor:
            # Every index row was rewritten: without fresh statistics PostgreSQL plans
            # searches as if the table were still the old one.
            cursor.execute("ANALYZE directory_searchdocument")
            cursor.execute("ANALYZE directory_searchpoint")
        self.stdout.write(self.style.SUCCESS(f"{written} services indexed"))
