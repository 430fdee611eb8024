"""The demo's accounts: one per role, in the demo region.

Every account but the administrator's shares the published demo password and comes with
its authenticator already set up: its secret (random for each installation) is printed
beside the logins, so a newcomer adds it to an authenticator app, or asks
`proxima demo-code USERNAME` for the current code. The administrator's password is
generated and printed once; it sets up its authenticator at first sign-in.
"""

import secrets
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from proxima.accounts.services import two_factor
from proxima.core.models import Region, User
from proxima.core.roles import RECEIVE_FOR_ORGANIZATION, Role, roles_with
from proxima.teams import services as teams

DEMO_PASSWORD = "proxima-demo"
DEMO_REGION = ("03", "Capitale-Nationale")
DEMO_EMAIL_DOMAIN = "demo.proxima.example"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    first_name: str
    last_name: str
    team: str = ""


@dataclass(frozen=True)
class DemoLogin:
    """What the demo command prints for one account."""

    username: str
    role: str
    password: str
    authenticator_secret: str  # "" when the account sets up its own at first sign-in


DEMO_ACCOUNTS = [
    DemoAccount("admin", Role.ADMIN, "Alex", "Administrateur"),
    DemoAccount("confidentialite", Role.PRIVACY_OFFICER, "Ariane", "Responsable vie privée"),
    DemoAccount("coordo", Role.COORDINATOR, "Camille", "Coordonnatrice"),
    DemoAccount("chefequipe", Role.TEAM_LEAD, "Charlie", "Chef d’équipe", "social_consultation"),
    DemoAccount("info811", Role.WORKER_811, "Sam", "Intervenant 811", "info_social"),
    DemoAccount(
        "clsc", Role.CLSC_WORKER, "Dominique", "Travailleuse sociale", "social_consultation"
    ),
    DemoAccount(
        "proximite", Role.CLSC_WORKER, "Lou", "Intervenant de proximité", "mobile_outreach"
    ),
    DemoAccount(
        "prescripteur", Role.SOCIAL_PRESCRIBER, "Jo", "Prescriptrice sociale", "social_prescribing"
    ),
    DemoAccount("partenaire", Role.PARTNER_ADMIN, "Maxime", "Administrateur partenaire"),
    DemoAccount("benevole", Role.PARTNER_WORKER, "Rosalie", "Intervenante partenaire"),
    DemoAccount("evaluation", Role.EVALUATOR, "Noa", "Évaluatrice"),
]


def is_demo_account(user) -> bool:
    return user.email.endswith(f"@{DEMO_EMAIL_DOMAIN}") and user.username in {
        account.username for account in DEMO_ACCOUNTS
    }


@transaction.atomic
def create_demo_accounts(partner_organization_id: str | None) -> list[DemoLogin]:
    """One account per role in the demo region; the partners work for one organization.
    Refreshing keeps each account's authenticator; the administrator gets a new password."""
    region, _ = Region.objects.get_or_create(code=DEMO_REGION[0], defaults={"name": DEMO_REGION[1]})
    teams.ensure_standard_teams(region)
    logins = []
    for account in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=account.username)
        user.role = account.role
        user.first_name, user.last_name = account.first_name, account.last_name
        user.email = f"{account.username}@{DEMO_EMAIL_DOMAIN}"
        user.organization_id = (
            partner_organization_id
            if account.role in roles_with(RECEIVE_FOR_ORGANIZATION)
            else None
        )
        user.region = region
        # A fictional number (555-01xx is reserved for fiction) for the printed plans.
        user.work_phone = (
            f"418 555-01{10 + DEMO_ACCOUNTS.index(account):02d}" if account.team else ""
        )
        is_admin = account.role == Role.ADMIN
        password = secrets.token_urlsafe(12) if is_admin else DEMO_PASSWORD
        user.set_password(password)
        user.save()
        if account.team:
            teams.join(user, teams.standard_team(region, account.team))
        secret = ""
        if not is_admin:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = two_factor.enrol_with_key(user, secrets.token_hex(20))
            secret = two_factor.secret_of(device)
        logins.append(DemoLogin(account.username, account.role, password, secret))
    return logins
