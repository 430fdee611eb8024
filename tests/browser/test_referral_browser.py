"""A referral's whole loop in a real browser: sent by the 811 worker, accepted by the
partner from the inbox, completed, and seen closed by the referrer."""

from datetime import date

import pytest
from playwright.sync_api import expect

from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.directory.services.search_backends import backend
from proxima.directory.services.taxonomy import load_need_domains
from proxima.intake.services.questionnaires import load_questionnaires
from proxima.people.services.consent import ConsentInput, record_consent
from proxima.people.services.records import PersonInput, create_person
from proxima.referrals.models import Referral
from tests.browser.conftest import sign_in, watch_content_security_policy
from tests.factories import OrganizationFactory, UserFactory, make_service

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "secret-pass-123"


@pytest.fixture
def network():
    backend().clear()
    load_need_domains()
    load_questionnaires()
    region = Region.objects.create(code="03", name="Capitale-Nationale")
    organization = OrganizationFactory(name="Comptoir alimentaire Limoilou")
    service = make_service("Comptoir alimentaire", domain="food", organization=organization)
    worker = UserFactory(
        username="info811", role=Role.WORKER_811, region=region, team="info_social"
    )
    partner = UserFactory(username="partenaire", role=Role.PARTNER_ADMIN, organization=organization)
    person = create_person(PersonInput("Élise", "Côté", date(1988, 3, 14)), by=worker)
    record_consent(
        person,
        ConsentInput(["identity", "needs"], "Référence", "verbal", organization),
        by=worker,
    )
    return worker, partner, person, service


@pytest.fixture
def contexts(browser):
    """Each user's own browser session, closed at the end of the test."""
    opened = []
    yield opened
    for context in opened:
        context.close()
    blocked = [text for context in opened for text in getattr(context, "blocked", [])]
    assert not blocked, f"blocked by the Content-Security-Policy: {blocked}"


def signed_in(contexts, browser, live_server, user, next_url):
    context = browser.new_context(locale="fr-CA", viewport={"width": 1280, "height": 900})
    contexts.append(context)
    context.set_default_timeout(10_000)
    page = context.new_page()
    context.blocked = watch_content_security_policy(page)
    sign_in(page, live_server.url, user, PASSWORD, next_url)
    return page


def test_sent_accepted_completed_and_seen_closed(browser, live_server, network, contexts):
    worker, partner, person, service = network
    referrer = signed_in(
        contexts,
        browser,
        live_server,
        worker,
        f"/referrals/new/%3Fperson%3D{person.pk}%26service%3D{service.pk}",
    )
    expect(referrer.get_by_role("heading", level=1)).to_have_text("Nouvelle référence")
    referrer.get_by_label("Besoin").select_option("food")
    referrer.get_by_label("Ce qui est demandé").fill("Dépannage alimentaire cette semaine")
    referrer.get_by_role("button", name="Envoyer la référence").click()
    expect(referrer.locator("dl.facts")).to_contain_text("demandée")

    receiver = signed_in(contexts, browser, live_server, partner, "/referrals/")
    receiver.set_viewport_size({"width": 390, "height": 844})  # a phone: no sideways scroll
    # Fails (after the timeout) if the page never fits the phone's width.
    receiver.wait_for_function("document.documentElement.scrollWidth <= 390")
    receiver.set_viewport_size({"width": 1280, "height": 900})
    row = receiver.locator("table.referrals tbody tr").first
    expect(row).to_contain_text("Alimentation")
    row.get_by_role("button", name="Accepter").click()  # the appointment is prefilled
    expect(receiver.get_by_role("status")).to_contain_text("acceptée")
    receiver.locator("table.referrals a").first.click()
    expect(receiver.locator("#person-title + p")).to_contain_text("Élise Côté")
    receiver.get_by_role("button", name="Commencer (en cours)").click()
    receiver.get_by_label("Résultat", exact=True).select_option("service_received")
    receiver.get_by_role("button", name="Terminer").click()
    expect(receiver.locator("dl.facts")).to_contain_text("terminée")

    referrer.goto(f"{live_server.url}/referrals/?box=sent&status=all")
    expect(referrer.locator("table.referrals")).to_contain_text("terminée")
    expect(referrer.locator(".badge")).to_be_visible()  # notified without asking
    assert Referral.objects.get().status == "completed"
