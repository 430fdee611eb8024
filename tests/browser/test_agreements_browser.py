"""The agreements registry in a real browser: a coordinator records an agreement, finding
a partner in a long list by typing part of its name, then attaches its signed text."""

import re

import pytest
from playwright.sync_api import expect

from proxima.agreements.models import Agreement, Document
from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.directory.services.search_backends import backend
from proxima.directory.services.taxonomy import load_need_domains
from tests.browser.conftest import sign_in
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture
def coordinator():
    backend().clear()
    load_need_domains()
    for n in range(40):
        OrganizationFactory(name=f"Organisme communautaire {n:02d}")
    OrganizationFactory(name="Centre de prévention du suicide de Québec")
    region = Region.objects.create(code="03", name="Capitale-Nationale")
    return UserFactory(role=Role.COORDINATOR, region=region, username="coordo")


def test_record_an_agreement_with_a_partner_found_by_typing_and_attach_its_text(
    page, coordinator, tmp_path
):
    sign_in(page, page.base_url, coordinator, "secret-pass-123", "/agreements/new/")
    page.get_by_label("Titre (français)").fill("Corridor 811 – prévention du suicide")
    page.get_by_label(re.compile(r"^Type\W*$")).select_option(label="corridor de référence")
    organizations = page.get_by_label("Organismes communautaires parties à l’entente")
    # The box of that list (the teams' list has its own).
    narrow = page.get_by_role("searchbox", name="Tapez pour restreindre la liste").and_(
        page.locator("[aria-controls=agreement-organizations]")
    )
    narrow.fill("prevention")  # without the accent: still found
    visible = organizations.locator("option:not([hidden])")
    expect(visible).to_have_count(1)
    expect(visible).to_have_text("Centre de prévention du suicide de Québec")
    organizations.select_option(label="Centre de prévention du suicide de Québec")
    page.get_by_label(
        "L’établissement de la région (CISSS / CIUSSS) est partie à l’entente"
    ).check()
    page.get_by_role("button", name="Inscrire comme brouillon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Corridor 811 – prévention du suicide"
    )
    agreement = Agreement.objects.get()
    assert [str(p) for p in agreement.parties.all() if p.organization_id] == [
        "Centre de prévention du suicide de Québec"
    ]
    signed = tmp_path / "entente signée.pdf"
    signed.write_bytes(PDF)
    page.get_by_label("Type de document").select_option(label="entente signée")
    page.get_by_label(re.compile(r"^Fichier\W*$")).set_input_files(str(signed))
    page.get_by_role("button", name="Joindre le document").click()
    expect(page.get_by_role("status")).to_contain_text("Document joint.")
    link = page.get_by_role("link", name="entente signée.pdf")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "entente signée.pdf"
    assert Document.objects.get().content == PDF
