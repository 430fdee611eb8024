"""What the agreements tests share: two regions, a food bank, an agreement in force."""

from datetime import date

import pytest

from proxima.agreements.models import Agreement
from proxima.core.models import Region
from tests.factories import OrganizationFactory


@pytest.fixture
def region():
    return Region.objects.create(code="03", name="Capitale-Nationale")


@pytest.fixture
def elsewhere():
    return Region.objects.create(code="07", name="Outaouais")


@pytest.fixture
def food_bank():
    return OrganizationFactory(name="Comptoir alimentaire")


@pytest.fixture
def agreement(region, food_bank):
    made = Agreement.objects.create(
        region=region,
        title_fr="Corridor 811 – dépannage alimentaire",
        title_en="811 – food aid corridor",
        kind="referral_corridor",
        status="active",
        need_domains=["food"],
        how_to_refer="Référence Proxima ; en urgence, téléphoner avant 15 h.",
        access_hours="Lundi au vendredi, 9 h à 16 h",
        access_contact="418 555-0142",
        starts_on=date(2026, 1, 1),
        review_on=date(2027, 6, 1),
    )
    made.parties.create(role="établissement")
    made.parties.create(organization=food_bank, role="service receveur")
    return made
