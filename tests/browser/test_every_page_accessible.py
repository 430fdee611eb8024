"""axe-core on the pages of each role's day (conftest's `page` fixture checks every page
visited, at desktop and phone width, when the test ends): the directory, a service, the
contacts, a contact, people, a record, the inbox, a referral, a new referral, the
notifications, a prescription and its print, the privacy officer's log and search, the
taxonomy review, the account, the API docs, the sign-in and the error pages."""

import pytest

from proxima.core.roles import Role
from proxima.directory.services.search_backends import backend
from tests.browser.conftest import sign_in
from tests.factories import UserFactory, make_day_network

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "secret-pass-123"


@pytest.fixture
def network():
    backend().clear()  # a transactional flush does not reach the full-text table
    day = make_day_network()
    region = day["worker"].region
    return {
        **day,
        "privacy": UserFactory(username="confidentialite", role=Role.PRIVACY_OFFICER),
        "coordinator": UserFactory(username="coordo", role=Role.COORDINATOR, region=region),
    }


def test_the_public_pages(page, network):
    base = page.base_url
    for path in (
        "/",
        "/?q=banque+alimentaire&postal_code=G1K+3B2",
        f"/services/{network['service'].id}/",
        "/login/",
        "/password/reset/",
        "/api/docs",
        "/services/no-such-service/",  # the 404 page
        "/intake/",  # the sign-in asked
    ):
        page.goto(base + path)


def test_the_811_workers_pages(page, network):
    base = page.base_url
    sign_in(page, base, network["worker"], PASSWORD, "/home/")
    for path in (
        "/intake/",
        f"/intake/calls/{network['episode'].pk}/",
        f"/intake/calls/{network['episode'].pk}/summary/",
        "/people/?q=cote",
        f"/people/{network['person'].pk}/",
        "/referrals/",
        "/referrals/?box=sent",
        f"/referrals/{network['referral'].pk}/",
        f"/referrals/new/?service={network['service'].id}&find=cote",
        "/referrals/notifications/",
        "/account/",
        "/privacy/",  # the 403 page
    ):
        page.goto(base + path)


def test_the_prescribers_the_coordinators_and_the_privacy_officers_pages(page, network):
    base = page.base_url
    prescription = network["prescription"]
    sign_in(page, base, network["prescriber"], PASSWORD, "/home/")
    for path in (
        f"/prescriptions/{prescription.pk}/",
        f"/prescriptions/{prescription.pk}/print/",
        f"/prescriptions/{prescription.pk}/print/?lang=en",
        f"/prescriptions/new/?person={network['person'].pk}",
    ):
        page.goto(base + path)
    page.context.clear_cookies()
    sign_in(page, base, network["coordinator"], PASSWORD, "/home/")
    page.goto(base + "/taxonomies/")
    page.context.clear_cookies()
    sign_in(page, base, network["privacy"], PASSWORD, "/home/")
    page.goto(base + "/privacy/")
    page.goto(base + "/privacy/people/?q=cote")
