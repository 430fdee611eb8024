from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from proxima.intake.services.questionnaires import (
    QUESTIONNAIRE_DIR,
    ScreeningInputError,
    load_questionnaires,
)


class Command(BaseCommand):
    help = "Load questionnaire definitions (JSON, versioned) not yet in the database."

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", type=Path, default=QUESTIONNAIRE_DIR)

    def handle(self, folder: Path, **options):
        try:
            created = load_questionnaires(folder)
        except ScreeningInputError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"{created} questionnaire version(s) loaded."))
