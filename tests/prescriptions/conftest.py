from datetime import date

import pytest

from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.outcomes.services.instruments import load_instruments
from proxima.people.services.records import PersonInput, create_person
from tests.factories import UserFactory, make_service


@pytest.fixture
def region(db):
    load_instruments()
    return Region.objects.create(code="03", name="Capitale-Nationale")


@pytest.fixture
def prescriber(region):
    return UserFactory(
        role=Role.SOCIAL_PRESCRIBER, region=region, team="social_prescribing", first_name="Jo"
    )


@pytest.fixture
def family(prescriber):
    return create_person(
        PersonInput("Ousmane", "Diallo", date(2015, 9, 10), language="fr"),
        by=prescriber,
        confirmed_new=True,
    )


@pytest.fixture
def orkidstra(need_domains):
    return make_service(
        "Orchestre des jeunes du quartier",
        "Cours de musique gratuits après l’école",
        domain="arts",
        point=(46.8139, -71.2247),
        address={"address_1": "12, rue du Parvis", "city": "Québec", "postal_code": "G1K 3B2"},
    )


@pytest.fixture
def soccer(need_domains):
    return make_service("Club de soccer récréatif", "Soccer pour les 6 à 12 ans", domain="sports")
