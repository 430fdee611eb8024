from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from proxima.directory.services.synthetic import generate_synthetic_services


class Command(BaseCommand):
    help = "Generate N synthetic (demo-flagged) services for benchmarks, then index them."

    def add_arguments(self, parser):
        parser.add_argument("--services", type=int, required=True, help="How many services.")
        parser.add_argument(
            "--seed", type=int, default=42, help="Random seed (same seed, same data)."
        )

    def handle(self, **options):
        count = options["services"]
        if count < 1:
            raise CommandError("--services must be a positive number")
        with tqdm(total=count, desc="Synthetic services", unit=" services") as bar:
            counts = generate_synthetic_services(
                count, seed=options["seed"], on_progress=bar.update
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['services']} synthetic services in {counts['organizations']} organizations."
            )
        )
