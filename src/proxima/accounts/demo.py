"""Core actions: demo accounts."""

from dataclasses import dataclass

from django.db import transaction

from proxima.core.models import Region, User
from proxima.core.roles import RECEIVE_FOR_ORGANIZATION, Role, roles_with

DEMO_PASSWORD = "proxima-demo"
DEMO_REGION = ("03", "Capitale-Nationale")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    first_name: str
    last_name: str
    team: str = ""


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
        "prescripteur", Role.SOCIAL_PRESCRIBER, "Jo", "Prescriptrice sociale", "social_prescribing"
    ),
    DemoAccount("partenaire", Role.PARTNER_ADMIN, "Maxime", "Administrateur partenaire"),
    DemoAccount("benevole", Role.PARTNER_WORKER, "Rosalie", "Intervenante partenaire"),
    DemoAccount("evaluation", Role.EVALUATOR, "Noa", "Évaluatrice"),
]


@transaction.atomic
def create_demo_accounts(partner_organization_id: str | None) -> list[DemoAccount]:
    """One account per role, all with the demo password, in the demo region; the partner
    edits one organization."""
    region, _ = Region.objects.get_or_create(code=DEMO_REGION[0], defaults={"name": DEMO_REGION[1]})
    for account in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=account.username)
        user.role = account.role
        user.first_name, user.last_name = account.first_name, account.last_name
        user.email = f"{account.username}@demo.proxima.example"
        user.organization_id = (
            partner_organization_id
            if account.role in roles_with(RECEIVE_FOR_ORGANIZATION)
            else None
        )
        user.region = region
        user.team = account.team
        user.set_password(DEMO_PASSWORD)
        user.save()
    return DEMO_ACCOUNTS
