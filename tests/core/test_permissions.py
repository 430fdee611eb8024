"""Who reaches what: every URL and API route, for every role and for anonymous visitors,
against the written matrix below. A new route fails this test until it is added here."""

import json

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from proxima.core.roles import Role
from tests.factories import OrganizationFactory, UserFactory, make_service

pytestmark = pytest.mark.django_db

EVERYONE = "everyone"  # anonymous visitors and every role
ANONYMOUS = "anonymous"
PARTNER_EDITORS = {Role.PARTNER_EDITOR, Role.ADMIN}
ADMINISTRATORS = {Role.ADMIN}
# Network staff of the person's region (administrators manage accounts, not files).
RECORD_READERS = {Role.COORDINATOR, Role.WORKER_811, Role.CLSC_WORKER, Role.SOCIAL_PRESCRIBER}

# Who sends and receives referrals: network staff and partner organization staff.
REFERRAL_USERS = RECORD_READERS | {Role.PARTNER_EDITOR}
SIGNED_IN = set(Role.values)
# A referral from an 811 worker to the partner's organization: the receiving partner
# and the region's coordinator read it; other workers (not of the sending team) do not.
REFERRAL_READERS = {Role.PARTNER_EDITOR, Role.COORDINATOR}
# Of those, only the receiving partner acts on it (the coordinator oversees).
REFERRAL_ACTORS = {Role.PARTNER_EDITOR}
# The audit log, a person's access report and export: privacy officers of the region.
PRIVACY_OFFICERS = {Role.PRIVACY_OFFICER}

# route name -> who gets a 2xx answer (others: 403, or a redirect to a login page).
MATRIX: dict[str, object] = {
    "set_language": EVERYONE,
    "api:openapi-json": EVERYONE,
    "api:openapi-view": EVERYONE,
    "api_home": EVERYONE,
    "api:api-root": EVERYONE,  # shadowed by api_home (a redirect to the docs)
    "api:api_meta": EVERYONE,
    "api:list_services": EVERYONE,
    "api:get_service": EVERYONE,
    "api:list_organizations": EVERYONE,
    "api:get_organization": EVERYONE,
    "api:list_service_at_locations": EVERYONE,
    "api:get_service_at_location": EVERYONE,
    "api:list_taxonomies": EVERYONE,
    "api:get_taxonomy": EVERYONE,
    "api:list_taxonomy_terms": EVERYONE,
    "api:get_taxonomy_term": EVERYONE,
    "core:login": EVERYONE,
    "core:logout": EVERYONE,
    "directory:search": EVERYONE,
    "directory:service": EVERYONE,
    "directory:partner_home": PARTNER_EDITORS,
    "directory:partner_edit": PARTNER_EDITORS,
    "admin": ADMINISTRATORS,
    "people:search": RECORD_READERS,
    "people:person": RECORD_READERS,
    "intake:home": RECORD_READERS,
    "referrals:inbox": REFERRAL_USERS,
    "prescriptions:new": RECORD_READERS,
    "prescriptions:activities": RECORD_READERS,
    "prescriptions:detail": RECORD_READERS,
    "prescriptions:print": RECORD_READERS,
    "prescriptions:measure": RECORD_READERS,
    "referrals:new": REFERRAL_USERS,
    "referrals:detail": REFERRAL_READERS,
    "referrals:notifications": SIGNED_IN,
    "referrals:mark_all_read": SIGNED_IN,
    "referrals:notification_settings": SIGNED_IN,
    "api:list_referrals": REFERRAL_USERS,
    "api:create_referral": REFERRAL_USERS,
    "api:get_referral": REFERRAL_READERS,
    "api:send_referral": REFERRAL_ACTORS,
    "api:change_status": REFERRAL_ACTORS,
    "api:post_message": REFERRAL_ACTORS,
    "api:pass_on": REFERRAL_ACTORS,
    "api:list_notifications": SIGNED_IN,
    "referrals:fhir": REFERRAL_READERS,
    "api:export_fhir": REFERRAL_READERS,
    "api:import_fhir": REFERRAL_USERS,
    "intake:new_call": RECORD_READERS,
    "intake:call": RECORD_READERS,
    "intake:draft": RECORD_READERS,
    "api:create_person": RECORD_READERS,
    "api:search_people": RECORD_READERS,
    "api:update_person": RECORD_READERS,
    "api:read_household": RECORD_READERS,
    "api:link_relative": RECORD_READERS,
    "api:merge_person": RECORD_READERS,
    "api:list_consents": RECORD_READERS,
    "api:withdraw_consent": RECORD_READERS,
    "api:read_person": RECORD_READERS,
    "api:record_consent": RECORD_READERS,
    "api:can_share": RECORD_READERS,
    "api:open_contact": RECORD_READERS,
    "api:get_contact": RECORD_READERS,
    "api:record_screening": RECORD_READERS,
    "api:record_action": RECORD_READERS,
    "api:set_priority": RECORD_READERS,
    "api:orient": RECORD_READERS,
    "api:close_contact": RECORD_READERS,
    "api:match_needs": RECORD_READERS,
    "privacy:log": PRIVACY_OFFICERS,
    "privacy:search": PRIVACY_OFFICERS,
    "privacy:access_report": PRIVACY_OFFICERS,
    "privacy:access_report_csv": PRIVACY_OFFICERS,
    "privacy:export": PRIVACY_OFFICERS,
    "privacy:export_json": PRIVACY_OFFICERS,
}
POST_ONLY = {
    "core:logout",
    "referrals:notification_settings",
    "api:import_fhir",
    "api:create_referral",
    "api:send_referral",
    "api:change_status",
    "api:post_message",
    "api:pass_on",
    "referrals:mark_all_read",
    "intake:new_call",
    "intake:draft",
    "set_language",
    "api:create_person",
    "api:link_relative",
    "api:merge_person",
    "api:withdraw_consent",
    "api:record_consent",
    "api:open_contact",
    "api:record_screening",
    "api:record_action",
    "api:set_priority",
    "api:orient",
    "api:close_contact",
    "api:match_needs",
}
# Valid requests, so that the permission check decides (not input validation).
BODIES = {
    "api:create_person": {"given_name": "Ana", "family_name": "Roy", "confirmed_new": True},
    "api:record_consent": {
        "categories": ["needs"],
        "purpose": "Référence",
        "method": "verbal",
        "recipient_team": "info_social",
    },
    "api:open_contact": {"channel": "phone_811", "reason": "Appel"},
    "api:record_screening": {
        "questionnaire": "cssrs-screen",
        "answers": {"q1": False, "q2": False, "q6": False},
    },
    "api:record_action": {"action": "crisis_intervention"},
    "api:set_priority": {"priority": "2w"},
    "api:orient": {"kind": "information"},
    "api:match_needs": {"needs": {"food": {"severity": 1}}},
    "api:withdraw_consent": {"reason": "changed their mind"},
    "api:create_referral": {
        "need_domain": "food",
        "request_text": "Dépannage",
        "priority": "72h",
        "target_team": "social_consultation",
        "anonymous": True,
    },
    "api:send_referral": {"version": 1},
    "api:change_status": {
        "status": "accepted",
        "version": 1,
        "first_appointment_at": "2026-12-01T09:00:00-05:00",
    },
    "api:post_message": {"body": "Rendez-vous confirmé."},
    "api:import_fhir": {"resourceType": "Bundle", "type": "collection", "entry": []},
    "api:pass_on": {
        "need_domain": "food",
        "request_text": "Suivi",
        "priority": "2w",
        "target_team": "social_consultation",
    },
    "api:link_relative": {},  # built per test (see body_of)
    "api:merge_person": {},
}
QUERIES = {
    "prescriptions:activities": "?q=alimentaire",
    "api:can_share": "?category=needs&team=info_social",
    "api:search_people": "?q=roy",
}
PATCH = {"api:update_person": {"phone": "418 555-0101"}}
# A permitted caller may still get a 4xx about the state of things (409: actions
# missing before closing; 400: an action that does not answer this risk), never 401/403.
INPUT_CHECKED = set(BODIES) | set(QUERIES) | set(PATCH) | {"api:close_contact"}


def route_names() -> list[str]:
    names = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    names.append("admin")
                    continue
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                names.append(namespace + (pattern.name or str(pattern.pattern)))

    walk(get_resolver().url_patterns)
    return names


def test_every_route_is_in_the_matrix():
    assert sorted(set(route_names())) == sorted(MATRIX)


@pytest.fixture
def records(need_domains):
    organization = OrganizationFactory()
    service = make_service("Dépannage alimentaire", domain="food", point=(46.8, -71.2))
    service.organization = organization
    service.save()
    sal = service.service_at_locations.get()
    from proxima.directory.models import TaxonomyTerm

    term = TaxonomyTerm.objects.first()
    from proxima.core.models import Region
    from proxima.people.models import Person

    region = Region.objects.create(code="03", name="Capitale-Nationale")
    person, relative, duplicate = (
        Person.objects.create(region=region, given_name=given, family_name="Roy", name_key=key)
        for given, key in (("Léa", "roy lea"), ("Marc", "roy marc"), ("Lea", "roy lea"))
    )
    consent = person.consents.create(
        categories=["needs"],
        recipient_team="info_social",
        purpose="Référence",
        method="verbal",
        given_at="2026-11-01T10:00Z",
    )
    from proxima.intake.models import ContactEpisode, Escalation, Screening
    from proxima.intake.services.questionnaires import load_questionnaires, questionnaire

    load_questionnaires()
    staff = UserFactory(role=Role.WORKER_811, region=region)
    contact = ContactEpisode.objects.create(
        region=region, channel="phone_811", started_at="2026-11-24T10:00Z", taken_by=staff
    )
    screening = Screening.objects.create(
        episode=contact, questionnaire=questionnaire("cssrs-screen"), answers={}, recorded_by=staff
    )
    escalation = Escalation.objects.create(
        episode=contact, screening=screening, kind="suicide", level="high", required_actions=[]
    )
    from proxima.referrals.models import Referral

    referral = Referral.objects.create(
        region=region,
        need_domain="food",
        request_text="Dépannage",
        priority="72h",
        requester=UserFactory(role=Role.WORKER_811, region=region, team="info_social"),
        requester_team="info_social",
        service=service,
        target_organization=organization,
        status="requested",
        anonymous=True,
    )
    from proxima.outcomes.services.instruments import load_instruments
    from proxima.prescriptions.models import Prescription

    load_instruments()
    prescription = Prescription.objects.create(
        region=region,
        person=person,
        prescriber=staff,
        link_worker=staff,
        co_produced_with="la personne",
        what_matters="Bouger",
    )
    return {
        "region": region,
        "person": person,
        "prescriptions:detail": [prescription.pk],
        "prescriptions:print": [prescription.pk],
        "prescriptions:measure": [prescription.pk, "k10"],
        "referrals:detail": [referral.pk],
        **{
            name: [referral.pk]
            for name in (
                "api:get_referral",
                "api:send_referral",
                "api:change_status",
                "api:post_message",
                "api:pass_on",
                "api:export_fhir",
                "referrals:fhir",
            )
        },
        "people:person": [person.pk],
        **{
            name: [person.pk]
            for name in (
                "privacy:access_report",
                "privacy:access_report_csv",
                "privacy:export",
                "privacy:export_json",
            )
        },
        "api:update_person": [person.pk],
        "api:read_household": [person.pk],
        "api:link_relative": [person.pk],
        "api:merge_person": [person.pk],
        "api:list_consents": [person.pk],
        "api:withdraw_consent": [person.pk, consent.pk],
        "relative": relative,
        "duplicate": duplicate,
        "api:read_person": [person.pk],
        "api:record_consent": [person.pk],
        "api:can_share": [person.pk],
        "api:get_contact": [contact.pk],
        "api:record_screening": [contact.pk],
        "api:set_priority": [contact.pk],
        "api:orient": [contact.pk],
        "api:close_contact": [contact.pk],
        "api:record_action": [escalation.pk],
        "intake:call": [contact.pk],
        "intake:draft": [contact.pk],
        "api:get_service": [service.id],
        "api:get_organization": [organization.id],
        "api:get_service_at_location": [sal.id],
        "api:get_taxonomy": [term.taxonomy_id],
        "api:get_taxonomy_term": [term.id],
        "directory:service": [service.id],
        "directory:partner_edit": [service.id],
        "organization": organization,
    }


def url_of(name: str, records: dict) -> str:
    if name == "admin":
        return "/admin/directory/service/"
    if name == "prescriptions:new":
        return reverse(name) + f"?person={records['person'].pk}"
    return reverse(name, args=records.get(name, [])) + QUERIES.get(name, "")


def body_of(name: str, records: dict) -> dict:
    if name == "api:link_relative":
        return {"relative_id": str(records["relative"].pk), "relationship": "sibling"}
    if name == "api:merge_person":
        return {"duplicate_id": str(records["duplicate"].pk), "reason": "same person"}
    return BODIES.get(name, {})


def allowed(rule, role) -> bool:
    if rule == EVERYONE:
        return True
    return role is not None and role in rule


@pytest.mark.parametrize("role", [None, *Role.values])
def test_each_route_answers_each_role_as_written(records, role):
    client = Client()
    if role is not None:
        # The partner editor belongs to the organization whose service is edited.
        organization = records["organization"] if role == Role.PARTNER_EDITOR else None
        client.force_login(
            UserFactory(role=role, organization=organization, region=records["region"])
        )
    problems = []
    # Posting to logout signs the client out: it goes last.
    for name, rule in sorted(MATRIX.items(), key=lambda item: item[0] == "core:logout"):
        url = url_of(name, records)
        if name in PATCH:
            body = json.dumps(PATCH[name])
            response = client.patch(url, body, content_type="application/json")
        elif name in POST_ONLY:
            body = json.dumps(body_of(name, records))
            response = client.post(url, body, content_type="application/json")
        else:
            response = client.get(url)
        status = response.status_code
        if allowed(rule, role) and name in INPUT_CHECKED:
            ok = status < 500 and status not in (401, 403)
        elif allowed(rule, role):
            ok = status < 400 and not (status == 302 and "login" in response.get("Location", ""))
        else:
            ok = status in (401, 403) or (status == 302 and "login" in response.get("Location", ""))
        if not ok:
            problems.append(f"{name} {url} → {status}")
    assert not problems, f"role {role}: {problems}"


@pytest.mark.parametrize(
    ("route", "field"),
    [
        ("people:person", "consent"),
        ("people:person", "relative"),
        ("intake:call", "person"),
        ("intake:call", "escalation"),
    ],
)
def test_a_malformed_id_in_a_form_is_a_404_not_a_500(records, route, field):
    client = Client()
    client.force_login(UserFactory(role=Role.WORKER_811, region=records["region"]))
    action = {
        "consent": "withdraw",
        "relative": "link_relative",
        "person": "link_person",
        "escalation": "escalation_action",
    }[field]
    url = reverse(route, args=records[route])
    for value in ("not-a-number", "12abc", "00000000-0000-0000-0000-00000000000Z"):
        response = client.post(url, {"action": action, field: value, "relationship": "parent"})
        assert response.status_code == 404, (field, value, response.status_code)
