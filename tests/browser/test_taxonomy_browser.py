"""A coordinator reviews an imported directory's categories in Chromium: the proposal is
shown with its reason, confirming it takes the term out of the queue, and a search then
says the need came from the confirmed category."""

import json
import uuid

import pytest
from playwright.sync_api import expect

from proxima.core.roles import Role
from proxima.directory.services.hsds_import import import_hsds
from proxima.directory.services.search_backends import backend
from proxima.directory.services.taxonomy import load_need_domains
from tests.browser.conftest import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "secret-pass-123"
TAXONOMY = "7d3c1f0a-5b2e-4c8d-9e1f-2a3b4c5d6e7f"


def uid(name: str) -> str:
    return str(uuid.uuid5(uuid.UUID(TAXONOMY), name))


@pytest.fixture
def imported(tmp_path):
    backend().clear()
    load_need_domains()
    category = {
        "id": uid("term"),
        "code": "RR-01",
        "name": "Sécurité alimentaire",
        "description": "Paniers et dépannage alimentaire",
        "taxonomy_detail": {"id": TAXONOMY, "name": "Répertoire régional", "description": ""},
    }
    service = {
        "id": uid("service"),
        "name": "Le Grenier du quartier",
        "description": "Distribution chaque jeudi.",
        "status": "active",
        "attributes": [
            {"id": uid("attribute"), "taxonomy_term_id": category["id"], "taxonomy_term": category}
        ],
    }
    path = tmp_path / "services.json"
    path.write_text(json.dumps([service]), encoding="utf-8")
    import_hsds(path)
    return UserFactory(username="coordo", role=Role.COORDINATOR)


def test_a_coordinator_confirms_a_proposed_mapping(page, live_server, imported):
    sign_in(page, live_server.url, imported, PASSWORD, "/taxonomies/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Catégories des répertoires importés")
    page.get_by_role("link", name="Répertoire régional").click()
    term = page.locator("section.card", has_text="Sécurité alimentaire")
    expect(term).to_contain_text("Dépannage alimentaire")
    expect(term).to_contain_text("Proposé")
    term.get_by_role("button", name="Confirmer").first.click()
    expect(page.locator("body")).to_contain_text("désigne maintenant")
    expect(page.locator("body")).to_contain_text("Toutes les catégories ont été revues.")
    page.get_by_role("link", name="Afficher toutes les catégories").click()
    expect(page.locator("section.card", has_text="Sécurité alimentaire")).to_contain_text(
        "Confirmé"
    )
    page.goto(f"{live_server.url}/?q=plus+rien+dans+le+frigo")
    result = page.locator("body")
    expect(result).to_contain_text("Le Grenier du quartier")
    expect(result).to_contain_text("sa catégorie « Sécurité alimentaire », confirmée")
