"""axe-core on the pages of each role's day (conftest's `page` fixture checks every page
visited, at desktop and phone width, when the test ends): the directory, a service, the
contacts, a contact, people, a record, the inbox, a referral, a new referral, the
notifications, a prescription and its print, the privacy officer's log and search, the
taxonomy review, the account, the API docs, the sign-in and the error pages."""

import pytest

from proxima.agreements.models import Agreement
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
    from proxima.agreements.demo import load_demo_agreements

    load_demo_agreements(None, region_code=network["coordinator"].region.code)
    agreement = Agreement.objects.filter(status="active").first()
    for path in (
        "/agreements/",
        f"/agreements/{agreement.pk}/",
        "/agreements/new/",
        "/indicators/",
        "/indicators/print/",
    ):
        page.goto(base + path)
    page.context.clear_cookies()
    sign_in(page, base, network["privacy"], PASSWORD, "/home/")
    page.goto(base + "/privacy/")
    page.goto(base + "/privacy/people/?q=cote")


def test_the_api_docs_with_every_operation_and_schema_open(page, network):
    """Swagger UI draws the docs after load, and most of it only when an operation or a
    schema is opened: axe runs on the drawn page, everything open, and on the keyboard's
    way through it (no link inside a button, the operations' lists of values named)."""
    from tests.browser.accessibility import violations_of, wait_until_drawn

    page.goto(page.base_url + "/api/docs")
    wait_until_drawn(page)
    operations = page.locator(".opblock-summary-control")
    assert operations.count() >= 20  # the HSDS, intake, people and referrals routes
    assert page.locator(".opblock-summary-control a[href]").count() == 0
    # Opening a section navigates nowhere: the clicks do not wait for a navigation (under
    # load, one waited 10 s for "scheduled navigations" and failed a CI run).
    for index in range(operations.count()):
        operations.nth(index).click(no_wait_after=True)
    # Each schema's own "Expand all" (a toggle: the nested ones are left alone, a second
    # click would fold them again): its properties and their constraints.
    schemas = page.locator(
        '.models article[data-json-schema-level="0"] > .json-schema-2020-12-head'
        " > .json-schema-2020-12-expand-deep-button"
    )
    assert schemas.count() >= 20
    for index in range(schemas.count()):
        schemas.nth(index).click(no_wait_after=True)
    page.wait_for_selector("#swagger-ui .json-schema-2020-12__constraint")
    page.wait_for_selector("#swagger-ui .parameters-container select")
    page.wait_for_selector("#swagger-ui [role=region][aria-label^='Responses']")
    assert page.locator("#swagger-ui tr[data-param-name] select:not([aria-label])").count() == 0
    problems = violations_of(page)
    assert problems == [], "\n".join(f"{v['id']}: {v['nodes']}" for v in problems)


def test_the_caseload_and_group_pages_of_a_clsc_worker(page, network):
    from datetime import timedelta

    from django.utils import timezone

    from proxima.casework import services as casework
    from proxima.groups import services as groups
    from proxima.teams.services import standard_team
    from tests.casework.conftest import note_input
    from tests.groups.conftest import activity_input

    region, person = network["worker"].region, network["person"]
    worker = UserFactory(
        username="clsc-axe", role=Role.CLSC_WORKER, region=region, team="social_consultation"
    )
    team = standard_team(region, "social_consultation")
    case = casework.open_case(person, by=worker, team=team, plan="Soutenir la famille")
    casework.add_next_action(case, "Appeler l’école", timezone.localdate(), by=worker)
    note = casework.write_note(case, note_input(), by=worker)
    casework.sign_note(note, by=worker)
    casework.add_addendum(note, "Précision", by=worker)
    casework.write_note(case, note_input(), by=worker)  # a draft, with its forms
    activity = groups.create_activity(activity_input(region), by=worker)
    groups.add_session(activity, timezone.now() - timedelta(days=1), 90, "CLSC", by=worker)
    groups.register(activity, person, by=worker)
    base = page.base_url
    sign_in(page, base, worker, PASSWORD, "/home/")
    for path in (
        "/casework/",
        f"/casework/{case.pk}/",
        f"/casework/{case.pk}/close/",
        "/casework/coaching/",
        f"/casework/new/?person={person.pk}",
        f"/people/{person.pk}/",
        "/groups/",
        f"/groups/{activity.pk}/",
        "/groups/new/",
        f"/groups/register/?person={person.pk}",
        "/groups/projects/",
        "/groups/projects/new/",
    ):
        page.goto(base + path)
    page.goto(f"{base}/casework/{case.pk}/")
    assert page.locator("h1").inner_text().startswith("Suivi")  # signed in, the case shown


def test_the_emergency_and_outreach_pages_of_a_team_lead(page, network):
    from datetime import date

    from proxima.emergency import services as emergency
    from proxima.emergency.services import AffectedInput
    from proxima.outreach import services as outreach
    from proxima.teams.services import standard_team
    from tests.emergency.conftest import event_input
    from tests.outreach.conftest import contact_input

    region, person = network["worker"].region, network["person"]
    lead = UserFactory(
        username="chef-axe", role=Role.TEAM_LEAD, region=region, team="mobile_outreach"
    )
    team = standard_team(region, "mobile_outreach")
    event = emergency.declare_event(
        event_input(region, lead, team, occurred_on=date.today()), by=lead
    )
    event = emergency.activate_event(event, by=lead)
    affected = emergency.register_affected_person(
        event, AffectedInput(given_name="Léa", family_name="Roy", first_aid_given=True), by=lead
    )
    outreach.record_contact(contact_input(event=event), by=lead)
    declared = emergency.declare_event(event_input(region, lead, team, title="Incendie"), by=lead)
    base = page.base_url
    sign_in(page, base, lead, PASSWORD, "/home/")
    for path in (
        "/emergency/",
        "/emergency/declare/",
        "/emergency/tasks/",
        f"/emergency/{event.pk}/",
        f"/emergency/{event.pk}/close/",
        f"/emergency/{event.pk}/people/{affected.pk}/",
        f"/emergency/{declared.pk}/",
        f"/people/{person.pk}/",
        "/outreach/",
        "/outreach/contacts/",
    ):
        page.goto(base + path)
    page.goto(f"{base}/emergency/{event.pk}/")
    assert "Crue de la rivière" in page.locator("h1").inner_text()
