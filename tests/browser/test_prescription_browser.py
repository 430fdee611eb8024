"""A social prescription co-produced in the browser (activity found through the HTMX
picker), then printed for the family."""

from datetime import date

import pytest
from playwright.sync_api import expect

from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.directory.services.search_backends import backend
from proxima.directory.services.taxonomy import load_need_domains
from proxima.outcomes.services.instruments import load_instruments
from proxima.people.services.records import PersonInput, create_person
from proxima.prescriptions.models import Prescription
from tests.browser.conftest import sign_in
from tests.factories import UserFactory, make_service

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "secret-pass-123"


@pytest.fixture
def family():
    backend().clear()
    load_need_domains()
    load_instruments()
    region = Region.objects.create(code="03", name="Capitale-Nationale")
    make_service(
        "Orchestre des jeunes du quartier",
        "Cours de musique gratuits après l’école",
        domain="arts",
        point=(46.8139, -71.2247),
        address={"address_1": "12, rue du Parvis", "city": "Québec", "postal_code": "G1K 3B2"},
    )
    make_service("Club de soccer récréatif", "Soccer pour les 6 à 12 ans", domain="sports")
    prescriber = UserFactory(username="prescripteur", role=Role.SOCIAL_PRESCRIBER, region=region)
    child = create_person(PersonInput("Ousmane", "Diallo", date(2015, 9, 10)), by=prescriber)
    return prescriber, child


def test_create_and_print_a_prescription(page, family):
    prescriber, child = family
    sign_in(page, page.base_url, prescriber, PASSWORD, f"/people/{child.pk}/")
    page.get_by_role("link", name="Coproduire une prescription sociale").click()

    page.get_by_label("Ousmane Diallo (la personne)").check()  # made with: his record
    page.get_by_label("Autres personnes").fill("son enseignante")
    page.get_by_label("Ce qui compte pour eux (leurs mots)").fill(
        "Jouer du violon comme son cousin"
    )
    page.get_by_label("Objectif 1").fill("Aller à la musique deux fois par semaine")
    page.get_by_label("Trouver une activité dans le répertoire").fill("musique")
    page.get_by_label("Orchestre des jeunes du quartier").check()  # from the HTMX picker
    # A second search replaces the results, not the activity chosen from the first.
    page.get_by_label("Trouver une activité dans le répertoire").fill("soccer")
    page.get_by_label("Club de soccer récréatif").check()
    chosen = page.locator("#activity-chosen")
    expect(chosen.get_by_label("Orchestre des jeunes du quartier")).to_be_checked()
    expect(chosen.get_by_label("Club de soccer récréatif")).to_be_checked()
    page.locator("#support_0_kind").select_option("equipment")
    page.locator("#support_0_detail").fill("Prêt d’un violon")
    page.get_by_role("button", name="Enregistrer la prescription").click()
    expect(page.get_by_role("status")).to_contain_text("Prescription enregistrée")

    with page.expect_popup() as popup:
        page.get_by_role("link", name="Imprimer (français)").click()
    printed = popup.value
    expect(printed.get_by_role("heading", level=1)).to_have_text("Ma prescription sociale")
    expect(printed.locator("body")).to_contain_text("Orchestre des jeunes du quartier")
    expect(printed.locator("body")).to_contain_text("12, rue du Parvis")
    expect(printed.locator("body")).to_contain_text("Prêt d’un violon")
    printed.get_by_role("link", name="English").click()
    expect(printed.get_by_role("heading", level=1)).to_have_text("My social prescription")
    printed.close()
    assert Prescription.objects.get().activities.count() == 2
