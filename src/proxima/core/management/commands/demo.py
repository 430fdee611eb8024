from django.core.management.base import BaseCommand

from proxima.accounts.demo import DEMO_REGION, create_demo_accounts
from proxima.core.roles import RECEIVE_FOR_ORGANIZATION, roles_with
from proxima.directory.models import Organization
from proxima.directory.services.demo_territory import load_demo_territory
from proxima.intake.services.questionnaires import load_questionnaires


class Command(BaseCommand):
    help = "Load the demo territory (directory) and one demo account per role; prints the logins."

    def handle(self, **options):
        from proxima.territories.demo import load_demo_territories

        load_demo_territories()  # first: the directory's service areas are its neighbourhoods
        counts = load_demo_territory()
        load_questionnaires()
        from proxima.outcomes.services.instruments import load_instruments

        load_instruments()
        partner = (
            Organization.objects.filter(is_demo=True, name__startswith="Comptoir alimentaire")
            .order_by("name")
            .first()
        )
        accounts = create_demo_accounts(partner.id if partner else None)
        from proxima.referrals.services.demo import load_demo_referrals

        referrals = load_demo_referrals(partner.id if partner else None)
        from proxima.agreements.demo import load_demo_agreements

        agreements = load_demo_agreements(partner.id if partner else None)
        from proxima.prescriptions.services.demo import load_demo_prescriptions

        prescriptions = load_demo_prescriptions()
        from proxima.casework.demo import load_demo_caseload

        cases = load_demo_caseload()
        from proxima.groups.demo import load_demo_groups

        groups, projects = load_demo_groups()
        from proxima.emergency.demo import load_demo_emergency

        emergencies = load_demo_emergency()
        from proxima.outreach.demo import load_demo_outreach

        outreach = load_demo_outreach()
        from proxima.core.models import Region
        from proxima.indicators.demo import load_demo_history

        # Last: a past year of activity around the scenes above, for the indicators.
        history = load_demo_history(Region.objects.get(code=DEMO_REGION[0]))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo territory: {counts['organizations']} organizations, {counts['services']} services."
            )
        )
        if referrals:
            self.stdout.write(f"Demo referrals: {referrals}, in every state (fictional people).")
        if agreements:
            self.stdout.write(
                f"Demo partnership agreements: {agreements} (in force, due for review, expired, draft)."
            )
        if prescriptions:
            self.stdout.write(
                f"Demo social prescriptions: {prescriptions} (active, completed, stopped)."
            )
        if cases:
            self.stdout.write(
                f"Demo caseload of « clsc »: {cases} cases (plans, next actions, notes, "
                "coaching, one closed)."
            )
        if groups or projects:
            self.stdout.write(
                f"Demo groups: {groups} parenting group facilitated by « clsc » (8 registered, "
                f"2 waiting, attendance of 2 sessions); {projects} collective project."
            )
        if outreach:
            self.stdout.write(
                f"Demo outreach of « proximite »: {outreach} contacts of the last two weeks, "
                "most sent from the phone's queue after a round without network."
            )
        if emergencies:
            self.stdout.write(
                "Demo emergency: a flood five months ago, closed with its report "
                "(12 people in 5 households, their follow-ups mostly done)."
            )
        if history:
            self.stdout.write(
                f"Demo history: {history} contacts over the past year, with their referrals "
                "and prescriptions (fictional people), for the indicators."
            )
        self.stdout.write(
            "Demo accounts. Sign in with the password, then the one-time code of an "
            "authenticator app holding the secret shown (or: proxima demo-code USERNAME):"
        )
        for login in accounts:
            extra = (
                f" — works for « {partner.name} »"
                if login.role in roles_with(RECEIVE_FOR_ORGANIZATION) and partner
                else ""
            )
            secret = login.authenticator_secret or "(sets up its authenticator at first sign-in)"
            self.stdout.write(
                f"  {login.username:<16} {login.role:<18} password {login.password:<18} "
                f"secret {secret}{extra}"
            )
