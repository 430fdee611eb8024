from pathlib import Path

from django.core.management.base import BaseCommand

from proxima.directory.services.indexing import reindex_services
from proxima.directory.services.taxonomy import import_open_eligibility, load_need_domains


class Command(BaseCommand):
    help = "Load Proxima's need-domain taxonomy; optionally the Open Eligibility CSV too."

    def add_arguments(self, parser):
        parser.add_argument(
            "--open-eligibility", type=Path, help="taxonomy.csv of Open Eligibility"
        )

    def handle(self, open_eligibility: Path | None = None, **options):
        count = load_need_domains()
        self.stdout.write(f"Need domains: {count} terms")
        if open_eligibility:
            self.stdout.write(
                f"Open Eligibility: {import_open_eligibility(open_eligibility)} terms"
            )
        reindex_services()
