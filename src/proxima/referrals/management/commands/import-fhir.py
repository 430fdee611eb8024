import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
        language = (user.preferred_language if user else "") or settings.LANGUAGE_CODE
        with translation.override(language):  # one language: the sending account's
            self.import_as(user, username, path, region, history)

    def import_as(self, user, username: str, path: Path, region: str | None, history: bool):
        if user is None:
            raise CommandError(_("No active account named %s.") % username)
        region_id = None
        if region:
            region_id = Region.objects.filter(code=region).values_list("pk", flat=True).first()
            if region_id is None:
                raise CommandError(_("No region with the code %s.") % region)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError) as error:
            raise CommandError(_("%s: not a readable JSON file.") % path) from error
        try:
            referrals = import_bundle(data, by=user, region_id=region_id, history=history)
        except FhirError as error:
            raise CommandError("; ".join(f"{k}: {v}" for k, v in error.errors.items())) from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        count = len(referrals)
        done = ngettext(
            "Imported %(count)d referral from %(path)s.",
            "Imported %(count)d referrals from %(path)s.",
            count,
        ) % {"count": count, "path": path}
        self.stdout.write(self.style.SUCCESS(done))
