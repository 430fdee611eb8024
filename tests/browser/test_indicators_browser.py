"""The indicators dashboard in a real browser: a coordinator reads the region's figures,
narrows them to one team with the form, sees the figures change and the table under the
chart follow, then opens the print view."""

import re
from datetime import UTC, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.referrals.models import Referral
from proxima.teams.services import standard_team
from tests.browser.conftest import sign_in
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def coordinator():
    region = Region.objects.create(code="03", name="Capitale-Nationale")
    food_bank = OrganizationFactory(name="Banque alimentaire")
    worker = UserFactory(role=Role.WORKER_811, region=region, team="info_social")
    info_social = standard_team(region, "info_social")
    clsc = standard_team(region, "social_consultation")
    start = timezone.now() - timedelta(days=40)
    # 20 referrals: 10 sent by the 811 team (6 accepted), 10 by the CLSC team (5 accepted).
    for index in range(20):
        sent = start.astimezone(UTC) + timedelta(days=index)
        accepted = index < 6 or index >= 15
        Referral.objects.create(
            region=region,
            anonymous=True,
            need_domain="food",
            request_text="Panier",
            priority="72h",
            requester=worker,
            requester_team=info_social if index < 10 else clsc,
            target_organization=food_bank,
            status="accepted" if accepted else "rejected",
            reject_reason="" if accepted else "full",
            requested_at=sent,
            responded_at=sent + timedelta(hours=12),
        )
    return UserFactory(role=Role.COORDINATOR, region=region, username="coordo")


def _figure(page, article: str, label: str):
    return (
        page.locator(f"#{article} dl.figures div")
        .filter(has=page.get_by_text(label, exact=True))
        .locator("dd")
    )


def test_narrow_the_dashboard_to_a_team_and_print_it(page, coordinator):
    sign_in(page, page.base_url, coordinator, "secret-pass-123", "/indicators/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicateurs")
    expect(_figure(page, "referrals_sent", "Envoyées")).to_have_text("20")
    expect(_figure(page, "referrals_sent", "Part acceptée")).to_have_text("55,0\u00a0%")
    page.get_by_label("Équipe").select_option(label="811 Info-Social")
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(re.compile(r"team=\d+"))
    # The 811 team's 10: 6 accepted, 4 declined (a cell under 5: the declines by reason
    # are suppressed, and the acceptance share with them).
    expect(_figure(page, "referrals_sent", "Envoyées")).to_have_text("10")
    expect(_figure(page, "referrals_sent", "Part acceptée")).to_have_text("masqué")
    table = page.get_by_role("table", name="Refus par motif, et absences : tableau")
    expect(table.get_by_role("row", name=re.compile("aucune place"))).to_contain_text("masqué")
    expect(page.locator("#referrals_sent svg.bar-chart")).to_be_visible()
    page.get_by_role("link", name="Version à imprimer").click()
    expect(page.locator(".site-header")).to_have_count(0)
    expect(_figure(page, "referrals_sent", "Envoyées")).to_have_text("10")
