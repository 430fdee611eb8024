import json
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from proxima.core.models import Region, User
from proxima.referrals.services.fhir import FhirError, import_bundle


class Command(BaseCommand):
    help = (
        "Import a FHIR R4 Bundle of referral Tasks as the given user (the sending side), all "
        "or nothing. --history keeps each new Task's status as received, to move a network's "
        "past referrals in; without it a new Task must be a request, as through the API."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--as", dest="username", required=True, help="The sending account.")
        parser.add_argument("--region", help="Region code, when the account has none.")
        parser.add_argument("--history", action="store_true")

    def handle(self, path: Path, username: str, region: str | None, history: bool, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active account named {username}.")
        region_id = None
        if region:
            region_id = Region.objects.filter(code=region).values_list("pk", flat=True).first()
            if region_id is None:
                raise CommandError(f"No region with the code {region}.")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise CommandError(f"{path}: not a readable JSON file ({error}).") from error
        try:
            referrals = import_bundle(data, by=user, region_id=region_id, history=history)
        except FhirError as error:
            raise CommandError("; ".join(f"{k}: {v}" for k, v in error.errors.items())) from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Imported {len(referrals)} referral(s) from {path}."))
