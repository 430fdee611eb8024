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
        # Every index row was rewritten: without fresh statistics PostgreSQL plans
        # searches as if the table were still the old one; its VACUUM also clears the
        # rows' first versions (the indexer writes a row, then its vector), as
        # autovacuum would later (VACUUM runs outside a transaction only).
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        analyze = "VACUUM ANALYZE" if vacuum else "ANALYZE"
        with connection.cursor() as cursor:
            cursor.execute(f"{analyze} directory_searchdocument")
            cursor.execute(f"{analyze} directory_searchpoint")
        self.stdout.write(self.style.SUCCESS(f"{written} services indexed"))
