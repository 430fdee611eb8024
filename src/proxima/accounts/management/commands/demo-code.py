from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from proxima.accounts.demo import is_demo_account
from proxima.accounts.services.two_factor import current_code
from proxima.core.models import User


class Command(BaseCommand):
    help = "The one-time code a demo account's authenticator shows now (demo accounts only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None or not is_demo_account(user):
            raise CommandError(f"{username} is not one of the demo's accounts.")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has not set up an authenticator yet.")
        self.stdout.write(current_code(device))
