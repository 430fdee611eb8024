"""Who reaches what: every URL and API route, for anonymous visitors and every role, with
two regions and two partner organizations, against the written matrix below
(docs/permissions.md in prose). A route missing from the matrix fails the test.

For each role the test asks every route about the objects of its own region and
organization (allowed or refused as written), then about the OTHER region's and the OTHER
organization's objects (always refused: 403 or 404, and nothing written)."""

import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.directory.services.taxonomy import need_domain_term_id
from proxima.teams.services import standard_team
from tests.factories import OrganizationFactory, UserFactory, make_service

pytestmark = pytest.mark.django_db

EVERYONE = "everyone"
SIGNED_IN = frozenset(Role.values)
ADMINISTRATORS = frozenset({Role.ADMIN})
PRIVACY = frozenset({Role.PRIVACY_OFFICER})
FRONT_LINE = frozenset({Role.WORKER_811, Role.CLSC_WORKER, Role.SOCIAL_PRESCRIBER, Role.TEAM_LEAD})
# Network staff who read people's files in their region.
RECORD_READERS = FRONT_LINE | {Role.COORDINATOR}
PARTNERS = frozenset({Role.PARTNER_ADMIN, Role.PARTNER_WORKER})
PARTNER_EDITORS = frozenset({Role.PARTNER_ADMIN, Role.ADMIN})
# Who says what the categories of an imported directory mean.
MAPPERS = frozenset({Role.COORDINATOR, Role.ADMIN})
REFERRAL_USERS = RECORD_READERS | PARTNERS
# The region's referral (811 team → the partner organization, about a person of the
# region): its two sides act on it; the coordinator and record readers read it.
REFERRAL_READERS = RECORD_READERS | PARTNERS
REFERRAL_SIDES = frozenset({Role.WORKER_811}) | PARTNERS
TARGET_SIDE = PARTNERS
# Coverage of services per territory of the region (counts, no personal information).
COVERAGE_VIEWERS = frozenset({Role.COORDINATOR, Role.TEAM_LEAD, Role.EVALUATOR})
# Partnership agreements: the region's network staff and evaluators read its registry, the
# partner organizations the agreements they are party to (the world's agreement has the
# organization as a party); the region's coordinators keep it.
AGREEMENT_READERS = RECORD_READERS | {Role.EVALUATOR} | PARTNERS
AGREEMENT_EDITORS = frozenset({Role.COORDINATOR})
# Indicators: aggregate figures of the region (coordinators, team leads, evaluators) or of
# one's own organization (partners); tests/indicators/test_views.py asks for another
# region's territory, team or organization.
INDICATOR_VIEWERS = frozenset({Role.COORDINATOR, Role.TEAM_LEAD, Role.EVALUATOR}) | PARTNERS
# Casework: CLSC workers, prescribers and team leads keep a caseload; the coordinator reads
# the region's cases. The world's case is of the social consultation team, and every
# caseload keeper signed in is one of its workers (`signed_in_client`); the coaching answer
# is for the interprofessional team's members only (tests/casework/test_views.py).
CASE_KEEPERS = frozenset({Role.CLSC_WORKER, Role.SOCIAL_PRESCRIBER, Role.TEAM_LEAD})
CASE_READERS = CASE_KEEPERS | {Role.COORDINATOR}
COACHING_ANSWERERS = frozenset()
# Group interventions: CLSC workers, prescribers and team leads run the groups of their
# teams (every one signed in is of the social consultation team, whose group the world's
# is); the coordinator reads the region's. Collective projects (counts, no personal
# information): read by the region's staff who run groups or oversee and by evaluators,
# recorded by coordinators, team leads and CLSC workers.
GROUP_RUNNERS = frozenset({Role.CLSC_WORKER, Role.SOCIAL_PRESCRIBER, Role.TEAM_LEAD})
GROUP_READERS = GROUP_RUNNERS | {Role.COORDINATOR}
PROJECT_READERS = GROUP_READERS | {Role.EVALUATOR}
PROJECT_EDITORS = frozenset({Role.COORDINATOR, Role.TEAM_LEAD, Role.CLSC_WORKER})
# Mobile outreach: CLSC workers, prescribers and team leads record contacts (the form, the
# phone's queue); the coordinator reads the region's. The service worker and the manifest
# hold no information (anyone).
OUTREACH_RECORDERS = frozenset({Role.CLSC_WORKER, Role.SOCIAL_PRESCRIBER, Role.TEAM_LEAD})
OUTREACH_READERS = OUTREACH_RECORDERS | {Role.COORDINATOR}
# The de-identified research extract of the region (audited).
EXTRACTORS = frozenset({Role.COORDINATOR, Role.EVALUATOR})
# Emergency psychosocial mode: the region's responders (front-line staff, coordinators) read
# its events and register affected people; coordinators and team leads declare, activate
# and close them; the follow-ups are recorded by the event's team (the world's event is of
# the social consultation team, of which every front-line role signed in but 811 is a
# member), its lead and the declarers.
EMERGENCY_RESPONDERS = RECORD_READERS
EMERGENCY_DECLARERS = frozenset({Role.COORDINATOR, Role.TEAM_LEAD})
EMERGENCY_FOLLOW_UP = frozenset(
    {Role.CLSC_WORKER, Role.SOCIAL_PRESCRIBER, Role.TEAM_LEAD, Role.COORDINATOR}
)

# route name -> who gets an answer other than 401/403/404/login.
MATRIX: dict[str, object] = {
    "set_language": EVERYONE,
    "home": EVERYONE,  # a redirect to each role's home page, the directory for the public
    "favicon": EVERYONE,  # an empty answer (pages say they have no icon)
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
    "accounts:login": EVERYONE,
    "accounts:logout": EVERYONE,
    "accounts:verify": SIGNED_IN,
    "accounts:setup": SIGNED_IN,
    "accounts:account": SIGNED_IN,
    "accounts:recovery_codes": SIGNED_IN,
    "accounts:password_change": SIGNED_IN,
    "accounts:password_change_done": SIGNED_IN,
    "accounts:password_reset": EVERYONE,
    "accounts:password_reset_done": EVERYONE,
    "accounts:password_reset_confirm": EVERYONE,  # the page says when the link is not valid
    "accounts:password_reset_complete": EVERYONE,
    # The public is sent to Proxima's own sign-in (SIGN_IN_REDIRECTS), the administrator
    # to the administration, anyone else signed in is told it is not for them.
    "admin_login": ADMINISTRATORS,
    "directory:search": EVERYONE,
    "directory:service": EVERYONE,
    "directory:partner_home": PARTNER_EDITORS,
    "directory:partner_edit": PARTNER_EDITORS,
    "directory:taxonomies": MAPPERS,
    "directory:taxonomy_terms": MAPPERS,
    "directory:confirm_mapping": MAPPERS,
    "directory:reject_mapping": MAPPERS,
    "directory:add_mapping": MAPPERS,
    "admin": ADMINISTRATORS,
    "people:search": RECORD_READERS,
    "people:person": RECORD_READERS,
    "intake:home": RECORD_READERS,
    "intake:new_call": RECORD_READERS,
    "intake:call": RECORD_READERS,
    "intake:draft": RECORD_READERS,
    "intake:summary": RECORD_READERS,
    "intake:send_summary": RECORD_READERS,
    "referrals:inbox": REFERRAL_USERS,
    "referrals:new": REFERRAL_USERS,
    "referrals:detail": REFERRAL_READERS,
    "referrals:fhir": REFERRAL_READERS,
    "referrals:notifications": SIGNED_IN,
    "referrals:mark_all_read": SIGNED_IN,
    "referrals:notification_settings": SIGNED_IN,
    "prescriptions:new": RECORD_READERS,
    "prescriptions:activities": RECORD_READERS,
    "prescriptions:detail": RECORD_READERS,
    "prescriptions:print": RECORD_READERS,
    "prescriptions:measure": RECORD_READERS,
    "coverage:map": COVERAGE_VIEWERS,
    "coverage:territory": COVERAGE_VIEWERS,
    "coverage:csv": COVERAGE_VIEWERS,
    "indicators:dashboard": INDICATOR_VIEWERS,
    "indicators:print": INDICATOR_VIEWERS,
    "indicators:csv": INDICATOR_VIEWERS,
    "indicators:xlsx": INDICATOR_VIEWERS,
    "indicators:extract": EXTRACTORS,
    "indicators:download_extract": EXTRACTORS,
    "agreements:inventory": AGREEMENT_READERS,
    "agreements:csv": AGREEMENT_READERS,
    "agreements:xlsx": AGREEMENT_READERS,
    "agreements:detail": AGREEMENT_READERS,
    "agreements:new": AGREEMENT_EDITORS,
    "agreements:edit": AGREEMENT_EDITORS,
    "agreements:status": AGREEMENT_EDITORS,
    "agreements:meeting": AGREEMENT_EDITORS,
    "agreements:indicator": AGREEMENT_EDITORS,
    "agreements:training": AGREEMENT_EDITORS,
    "agreements:attach": AGREEMENT_EDITORS,
    "agreements:document": AGREEMENT_READERS,
    "agreements:remove_document": AGREEMENT_EDITORS,
    "agreements:party": AGREEMENT_EDITORS,
    "casework:caseload": CASE_READERS,
    "casework:coaching_inbox": CASE_READERS,
    "casework:open": CASE_KEEPERS,
    "casework:case": CASE_READERS,
    "casework:plan": CASE_KEEPERS,
    "casework:action": CASE_KEEPERS,
    "casework:action_done": CASE_KEEPERS,
    "casework:co_worker": CASE_KEEPERS,
    "casework:note": CASE_KEEPERS,
    "casework:change_note": CASE_KEEPERS,
    "casework:discard_note": CASE_KEEPERS,
    "casework:sign_note": CASE_KEEPERS,
    "casework:addendum": CASE_KEEPERS,
    "casework:coaching": CASE_KEEPERS,
    "casework:answer": COACHING_ANSWERERS,
    "casework:close": CASE_KEEPERS,
    "groups:activities": GROUP_READERS,
    "groups:new_activity": GROUP_RUNNERS,
    "groups:register": GROUP_RUNNERS,
    "groups:activity": GROUP_READERS,
    "groups:status": GROUP_RUNNERS,
    "groups:session": GROUP_RUNNERS,
    "groups:withdraw": GROUP_RUNNERS,
    "groups:attendance": GROUP_RUNNERS,
    "groups:projects": PROJECT_READERS,
    "groups:new_project": PROJECT_EDITORS,
    "groups:project": PROJECT_READERS,
    "groups:project_activity": PROJECT_EDITORS,
    "emergency:events": EMERGENCY_RESPONDERS,
    "emergency:declare": EMERGENCY_DECLARERS,
    "emergency:tasks": EMERGENCY_RESPONDERS,
    "emergency:event": EMERGENCY_RESPONDERS,
    "emergency:activate": EMERGENCY_DECLARERS,
    "emergency:schedule": EMERGENCY_DECLARERS,
    "emergency:close": EMERGENCY_DECLARERS,
    "emergency:register": EMERGENCY_RESPONDERS,
    "emergency:person": EMERGENCY_RESPONDERS,
    "emergency:follow_up": EMERGENCY_FOLLOW_UP,
    "emergency:link_contact": EMERGENCY_RESPONDERS,
    "outreach:app": OUTREACH_RECORDERS,
    "outreach:record": OUTREACH_RECORDERS,
    "outreach:sync": OUTREACH_RECORDERS,
    "outreach:contacts": OUTREACH_READERS,
    "outreach:service_worker": EVERYONE,
    "outreach:manifest": EVERYONE,
    "privacy:log": PRIVACY,
    "privacy:search": PRIVACY,
    "privacy:access_report": PRIVACY,
    "privacy:access_report_csv": PRIVACY,
    "privacy:export": PRIVACY,
    "privacy:export_json": PRIVACY,
    "api:list_referrals": REFERRAL_USERS,
    "api:create_referral": REFERRAL_USERS,
    "api:import_fhir": REFERRAL_USERS,
    "api:get_referral": REFERRAL_READERS,
    "api:export_fhir": REFERRAL_READERS,
    "api:send_referral": REFERRAL_SIDES,
    "api:change_status": REFERRAL_SIDES,
    "api:post_message": REFERRAL_SIDES,
    "api:pass_on": TARGET_SIDE,
    "api:list_notifications": SIGNED_IN,
    "api:create_person": RECORD_READERS,
    "api:search_people": RECORD_READERS,
    "api:read_person": RECORD_READERS,
    "api:update_person": RECORD_READERS,
    "api:read_household": RECORD_READERS,
    "api:link_relative": RECORD_READERS,
    "api:merge_person": RECORD_READERS,
    "api:list_consents": RECORD_READERS,
    "api:record_consent": RECORD_READERS,
    "api:withdraw_consent": RECORD_READERS,
    "api:can_share": RECORD_READERS,
    "api:open_contact": RECORD_READERS,
    "api:get_contact": RECORD_READERS,
    "api:record_screening": RECORD_READERS,
    "api:record_action": RECORD_READERS,
    "api:set_priority": RECORD_READERS,
    "api:orient": RECORD_READERS,
    "api:close_contact": RECORD_READERS,
    "api:match_needs": RECORD_READERS,
}
CASEWORK_WRITES = {
    "casework:plan",
    "casework:action",
    "casework:action_done",
    "casework:co_worker",
    "casework:note",
    "casework:change_note",
    "casework:discard_note",
    "casework:sign_note",
    "casework:addendum",
    "casework:coaching",
    "casework:answer",
    "casework:close",
}
GROUP_WRITES = {
    "groups:status",
    "groups:session",
    "groups:withdraw",
    "groups:attendance",
    "groups:project_activity",
}
EMERGENCY_WRITES = {
    "emergency:activate",
    "emergency:schedule",
    "emergency:register",
    "emergency:follow_up",
    "emergency:link_contact",
}
POST_ONLY = (
    CASEWORK_WRITES
    | GROUP_WRITES
    | EMERGENCY_WRITES
    | {
        "outreach:record",
        "outreach:sync",
        "indicators:download_extract",
        "agreements:status",
        "agreements:meeting",
        "agreements:indicator",
        "agreements:training",
        "agreements:attach",
        "agreements:remove_document",
        "agreements:party",
        "directory:confirm_mapping",
        "directory:reject_mapping",
        "directory:add_mapping",
        "accounts:logout",
        "accounts:recovery_codes",
        "referrals:notification_settings",
        "referrals:mark_all_read",
        "intake:new_call",
        "intake:draft",
        "intake:send_summary",
        "set_language",
        "api:import_fhir",
        "api:create_referral",
        "api:send_referral",
        "api:change_status",
        "api:post_message",
        "api:pass_on",
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
)
PATCH = {"api:update_person": {"phone": "418 555-0101"}}
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
        "version": 2,
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
}
QUERIES = {
    "prescriptions:activities": "?q=alimentaire",
    "api:can_share": "?category=needs&team=info_social",
    "api:search_people": "?q=roy",
    "privacy:search": "?q=roy&reason=demande+de+la+personne",
    "privacy:access_report": "?reason=demande+de+la+personne",
    "privacy:access_report_csv": "?reason=demande+de+la+personne",
    "privacy:export": "?reason=demande+de+la+personne",
    "privacy:export_json": "?reason=demande+de+la+personne",
}
# A permitted caller may still get a 4xx about the state of things or its input (409:
# actions missing before closing; 400: a status its side may not set), never 401/403/404.
INPUT_CHECKED = (
    set(BODIES)
    | set(PATCH)
    | {"api:close_contact", "api:link_relative", "api:merge_person", "referrals:new"}
    | {"prescriptions:new", "accounts:password_reset_confirm"}
    # An empty form or queue: 400 with the reasons.
    | {"outreach:record", "outreach:sync"}
    # The case's state decides too (closed, a note signed or someone else's): 400.
    | CASEWORK_WRITES
    | {"casework:open"}
    # The group's state decides too (a session to come, a participant withdrawn): 400.
    | GROUP_WRITES
    | {"groups:register"}
    # The event's state decides too (activated already, a follow-up recorded): 400.
    | EMERGENCY_WRITES
)
REFUSED = (401, 403, 404, 405)
# Routes whose whole job is to send people to the sign-in page.
SIGN_IN_REDIRECTS = {"admin_login"}
# Administrators maintain the whole directory, every organization's services included.
OTHER_OBJECT_EXCEPTIONS = {("directory:partner_edit", Role.ADMIN)}


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


def _region_objects(region, organization, suffix: str) -> dict:
    """One of everything in a region: a person with a relative, a duplicate and a consent,
    a contact with an escalation, a referral from its 811 team to the organization (sent),
    a prescription; the organization's service."""
    from shapely.geometry import box

    from proxima.agreements.models import Agreement
    from proxima.directory.models import TaxonomyTerm
    from proxima.intake.models import ContactEpisode, Escalation, Screening
    from proxima.intake.services.questionnaires import questionnaire
    from proxima.people.models import Person
    from proxima.prescriptions.models import Prescription
    from proxima.referrals.models import Referral
    from proxima.territories.services import save_territory

    service = make_service(f"Dépannage alimentaire {suffix}", domain="food", point=(46.8, -71.2))
    service.organization = organization
    service.save()
    # The region's outline and one neighbourhood (the coverage pages).
    whole, _ = save_territory("region", region.code, region.name, box(-72, 46, -70, 48))
    neighbourhood, _ = save_territory(
        "neighbourhood",
        f"quartier-{suffix}",
        "Quartier",
        box(-71.3, 46.7, -71.1, 46.9),
        parent=whole,
    )
    person, relative, duplicate = (
        Person.objects.create(region=region, given_name=given, family_name="Roy", name_key=key)
        for given, key in (("Léa", "roy lea"), ("Marc", "roy marc"), ("Lea", "roy lea"))
    )
    consent = person.consents.create(
        categories=["needs", "identity"],
        recipient_organization=organization,
        purpose="Référence",
        method="verbal",
        given_at="2026-11-01T10:00Z",
    )
    author = UserFactory(role=Role.WORKER_811, region=region, team="info_social")
    contact = ContactEpisode.objects.create(
        region=region, channel="phone_811", started_at="2026-11-24T10:00Z", taken_by=author
    )
    screening = Screening.objects.create(
        episode=contact, questionnaire=questionnaire("cssrs-screen"), answers={}, recorded_by=author
    )
    escalation = Escalation.objects.create(
        episode=contact,
        screening=screening,
        kind="suicide",
        level="high",
        required_actions=["crisis_intervention"],
    )
    referral = Referral.objects.create(
        region=region,
        person=person,
        need_domain="food",
        request_text="Dépannage",
        priority="72h",
        requester=author,
        requester_team=standard_team(region, "info_social"),
        service=service,
        target_organization=organization,
        status="requested",
        version=2,
    )
    prescription = Prescription.objects.create(
        region=region,
        person=person,
        prescriber=author,
        link_worker=author,
        co_produced_with="la personne",
        what_matters="Bouger",
    )
    sal = service.service_at_locations.get()
    term = TaxonomyTerm.objects.first()
    mapping = _imported_category(suffix, service)
    agreement = Agreement.objects.create(
        region=region,
        title_fr=f"Corridor {suffix}",
        kind="referral_corridor",
        status="active",
        starts_on="2026-01-01",
    )
    agreement.parties.create()  # the region's establishment
    agreement.parties.create(organization=organization)
    document = agreement.documents.create(
        kind="signed",
        file_name="entente.pdf",
        media_type="application/pdf",
        size=8,
        sha256="0" * 64,
        content=b"%PDF-1.7",
    )
    case = _case_of(region, person, author)
    group = _group_of(region, person, neighbourhood, organization)
    emergency = _emergency_of(region, author)
    person_routes = (
        "people:person",
        "api:update_person",
        "api:read_household",
        "api:link_relative",
        "api:merge_person",
        "api:list_consents",
        "api:read_person",
        "api:record_consent",
        "api:can_share",
        "privacy:access_report",
        "privacy:access_report_csv",
        "privacy:export",
        "privacy:export_json",
    )
    referral_routes = (
        "referrals:detail",
        "referrals:fhir",
        "api:get_referral",
        "api:send_referral",
        "api:change_status",
        "api:post_message",
        "api:pass_on",
        "api:export_fhir",
    )
    contact_routes = (
        "api:get_contact",
        "api:record_screening",
        "api:set_priority",
        "api:orient",
        "api:close_contact",
        "intake:call",
        "intake:draft",
        "intake:summary",
        "intake:send_summary",
    )
    prescription_routes = ("prescriptions:detail", "prescriptions:print")
    return {
        **{name: [person.pk] for name in person_routes},
        **{name: [referral.pk] for name in referral_routes},
        **{name: [contact.pk] for name in contact_routes},
        **{name: [prescription.pk] for name in prescription_routes},
        "prescriptions:measure": [prescription.pk, "k10"],
        "coverage:territory": [f"quartier-{suffix}"],
        **{
            name: [agreement.pk]
            for name in (
                "agreements:detail",
                "agreements:edit",
                "agreements:status",
                "agreements:meeting",
                "agreements:indicator",
                "agreements:training",
                "agreements:attach",
            )
        },
        "agreements:document": [agreement.pk, document.pk],
        "agreements:remove_document": [agreement.pk, document.pk],
        "agreements:party": [agreement.pk, agreement.parties.first().pk],
        **{name: [case["case"].pk] for name in CASE_ROUTES},
        "casework:open": [],
        "casework:action_done": [case["case"].pk, case["action"].pk],
        "casework:change_note": [case["case"].pk, case["draft"].pk],
        "casework:discard_note": [case["case"].pk, case["draft"].pk],
        "casework:sign_note": [case["case"].pk, case["draft"].pk],
        "casework:addendum": [case["case"].pk, case["signed"].pk],
        "casework:answer": [case["case"].pk, case["coaching"].pk],
        "case": case["case"],
        **{
            name: [group["activity"].pk]
            for name in ("groups:activity", "groups:status", "groups:session")
        },
        "groups:register": [],
        "groups:withdraw": [group["activity"].pk, group["registration"].pk],
        "groups:attendance": [group["activity"].pk, group["session"].pk],
        "groups:project": [group["project"].pk],
        "groups:project_activity": [group["project"].pk],
        **{
            name: [emergency["event"].pk]
            for name in (
                "emergency:event",
                "emergency:activate",
                "emergency:schedule",
                "emergency:close",
                "emergency:register",
            )
        },
        "emergency:person": [emergency["event"].pk, emergency["affected"].pk],
        "emergency:follow_up": [emergency["event"].pk, emergency["follow_up"].pk],
        "emergency:link_contact": [emergency["event"].pk, contact.pk],
        "api:withdraw_consent": [person.pk, consent.pk],
        "api:record_action": [escalation.pk],
        "directory:partner_edit": [service.id],
        "directory:taxonomy_terms": [mapping.term.taxonomy_id],
        "directory:confirm_mapping": [mapping.pk],
        "directory:reject_mapping": [mapping.pk],
        "directory:add_mapping": [mapping.term_id],
        "api:get_service": [service.id],
        "api:get_organization": [organization.id],
        "api:get_service_at_location": [sal.id],
        "api:get_taxonomy": [term.taxonomy_id],
        "api:get_taxonomy_term": [term.id],
        "directory:service": [service.id],
        "person": person,
        "relative": relative,
        "duplicate": duplicate,
    }


CASE_ROUTES = (
    "casework:case",
    "casework:plan",
    "casework:action",
    "casework:co_worker",
    "casework:note",
    "casework:coaching",
    "casework:close",
)


def _case_of(region, person, author) -> dict:
    """A case of the social consultation team (its worker a CLSC worker of the region),
    with a draft and a signed note, a next action and a coaching request."""
    from django.utils import timezone

    from proxima.casework.models import Case, CaseWorker, CoachingRequest, ProgressNote

    now = timezone.now()
    caseworker = UserFactory(role=Role.CLSC_WORKER, region=region, team="social_consultation")
    case = Case.objects.create(
        region=region,
        person=person,
        team=standard_team(region, "social_consultation"),
        plan="Soutien",
        opened_at=now,
        opened_by=caseworker,
    )
    CaseWorker.objects.create(
        case=case, user=caseworker, role="lead", since=now, added_by=caseworker
    )
    note = {
        "case": case,
        "intervention_type": "support",
        "duration_minutes": 30,
        "place": "phone",
        "text": "Appel",
        "happened_on": "2026-11-20",
        "written_at": now,
        "updated_at": now,
        "written_by": caseworker,
    }
    return {
        "case": case,
        "draft": ProgressNote.objects.create(**note),
        "signed": ProgressNote.objects.create(**note, signed_at=now, signed_by=caseworker),
        "action": case.next_actions.create(
            text="Rappeler", due_on="2026-12-01", created_by=caseworker
        ),
        "coaching": CoachingRequest.objects.create(
            case=case,
            team=standard_team(region, "interprofessional"),
            question="Comment faire?",
            asked_at=now,
            asked_by=caseworker,
        ),
    }


def _group_of(region, person, territory, organization) -> dict:
    """A parenting group of the social consultation team with a session held and the
    person registered; a collective project on the neighbourhood with the organization
    as a partner."""
    from datetime import timedelta

    from django.utils import timezone

    from proxima.groups.models import CollectiveProject, GroupActivity

    facilitator = UserFactory(role=Role.CLSC_WORKER, region=region, team="social_consultation")
    activity = GroupActivity.objects.create(
        region=region,
        team=standard_team(region, "social_consultation"),
        title_fr="Groupe de parents",
        theme="parenting",
        capacity=8,
        status="running",
        created_by=facilitator,
    )
    activity.facilitators.add(facilitator)
    now = timezone.now()
    session = activity.sessions.create(starts_at=now - timedelta(days=1), duration_minutes=90)
    registration = activity.registrations.create(
        person=person, status="registered", registered_at=now, registered_by=facilitator
    )
    project = CollectiveProject.objects.create(
        region=region,
        territory=territory,
        title_fr="Sécurité alimentaire",
        issue="Pas d’épicerie",
        need_domains=["food"],
        citizens_involved=40,
        created_by=facilitator,
    )
    project.partners.add(organization)
    return {
        "activity": activity,
        "session": session,
        "registration": registration,
        "project": project,
    }


def _emergency_of(region, author) -> dict:
    """An active flood followed up by the social consultation team, led by a team lead of
    the region, with a person registered (and so their follow-ups)."""
    from datetime import date

    from proxima.emergency import services
    from proxima.emergency.services import AffectedInput, EventInput

    lead = UserFactory(role=Role.TEAM_LEAD, region=region, team="social_consultation")
    event = services.declare_event(
        EventInput(
            kind="flood",
            title="Crue",
            place="Rue des Saules",
            occurred_on=date(2026, 11, 30),
            lead=lead,
            team=standard_team(region, "social_consultation"),
        ),
        by=lead,
    )
    services.activate_event(event, by=lead)
    affected = services.register_affected_person(
        event, AffectedInput(given_name="Nathalie", family_name="Tremblay"), by=author
    )
    return {
        "event": event,
        "affected": affected,
        "follow_up": affected.follow_ups.get(sequence=1),
    }


def _imported_category(suffix: str, service):
    """A category of an imported directory carried by the service, proposed as food aid."""
    from proxima.directory.models import Attribute, Taxonomy, TaxonomyTerm, TermMapping

    taxonomy = Taxonomy.objects.create(id=f"taxonomy-{suffix}", name=f"Répertoire {suffix}")
    category = TaxonomyTerm.objects.create(
        id=f"category-{suffix}", name="Sécurité alimentaire", taxonomy_id=taxonomy.id
    )
    Attribute.objects.create(
        hsds_id=f"attribute-{suffix}", link_id=service.id, taxonomy_term=category
    )
    return TermMapping.objects.get_or_create(term=category, need_id=need_domain_term_id("food"))[0]


@pytest.fixture
def world(need_domains):
    """Two regions and two partner organizations, each with one of everything."""
    from proxima.intake.services.questionnaires import load_questionnaires
    from proxima.outcomes.services.instruments import load_instruments

    load_questionnaires()
    load_instruments()
    here = Region.objects.create(code="03", name="Capitale-Nationale")
    elsewhere = Region.objects.create(code="07", name="Outaouais")
    ours, theirs = OrganizationFactory(), OrganizationFactory()
    return {
        "region": here,
        "organization": ours,
        "own": _region_objects(here, ours, "ici"),
        "other": _region_objects(elsewhere, theirs, "ailleurs"),
    }


# Objects the public may see whichever region they belong to (the directory), and the
# categories of imported directories, shared by every region (docs/permissions.md).
PUBLIC_OBJECTS = {
    "directory:taxonomy_terms",
    "directory:confirm_mapping",
    "directory:reject_mapping",
    "directory:add_mapping",
    "api:get_service",
    "api:get_organization",
    "api:get_service_at_location",
    "api:get_taxonomy",
    "api:get_taxonomy_term",
    "directory:service",
}


def url_of(name: str, objects: dict) -> str:
    if name == "admin":
        return "/admin/directory/service/"
    if name in ("prescriptions:new", "casework:open", "groups:register"):
        return reverse(name) + f"?person={objects['person'].pk}"
    if name == "accounts:password_reset_confirm":
        return reverse(name, args=["MQ", "set-password"])
    return reverse(name, args=objects.get(name, [])) + QUERIES.get(name, "")


def body_of(name: str, objects: dict) -> dict:
    if name == "api:link_relative":
        return {"relative_id": str(objects["relative"].pk), "relationship": "sibling"}
    if name == "api:merge_person":
        return {"duplicate_id": str(objects["duplicate"].pk), "reason": "same person"}
    return BODIES.get(name, {})


def fingerprint() -> str:
    """Everything a refused request must leave as it was."""
    from django.apps import apps

    labels = (
        "people.Person",
        "people.Consent",
        "people.HouseholdLink",
        "intake.ContactEpisode",
        "intake.Screening",
        "intake.EscalationAction",
        "intake.Orientation",
        "intake.SummarySent",
        "referrals.Referral",
        "referrals.ReferralEvent",
        "referrals.ReferralMessage",
        "prescriptions.Prescription",
        "directory.Service",
        "directory.TermMapping",
        "directory.ServiceNeed",
        "agreements.Agreement",
        "agreements.Party",
        "agreements.StatusChange",
        "agreements.Meeting",
        "agreements.Indicator",
        "agreements.TrainingSession",
        "agreements.Document",
        "casework.Case",
        "casework.CaseWorker",
        "casework.NextAction",
        "casework.ProgressNote",
        "casework.NoteAddendum",
        "casework.CoachingRequest",
        "groups.GroupActivity",
        "groups.GroupSession",
        "groups.Registration",
        "groups.Attendance",
        "groups.CollectiveProject",
        "groups.ProjectActivity",
        "emergency.Event",
        "emergency.Household",
        "emergency.AffectedPerson",
        "emergency.FollowUp",
        "emergency.EventContact",
    )
    rows = [list(apps.get_model(label).objects.order_by("pk").values()) for label in labels]
    return hashlib.sha256(json.dumps(rows, default=str, sort_keys=True).encode()).hexdigest()


def ask(client: Client, name: str, objects: dict):
    url = url_of(name, objects)
    if name in PATCH:
        return client.patch(url, json.dumps(PATCH[name]), content_type="application/json")
    if name in FORM_POSTS:
        body = FORM_POSTS[name]
        return client.post(url, body() if callable(body) else body)
    if name in POST_ONLY:
        body = json.dumps(body_of(name, objects))
        return client.post(url, body, content_type="application/json")
    return client.get(url)


# Pages that take a form, with what a right answer sends (the factory's password).
FORM_POSTS = {
    "accounts:recovery_codes": {"password": "secret-pass-123"},
    "directory:confirm_mapping": {},
    "directory:reject_mapping": {},
    "directory:add_mapping": {"need": need_domain_term_id("youth")},
    "intake:send_summary": {"channel": "email", "to": "ana@example.org", "consented": "on"},
    "agreements:status": {"status": "under_review", "version": 1, "note": "révision annuelle"},
    "agreements:meeting": {"held_on": "2026-11-20", "notes": "Bilan"},
    "agreements:indicator": {"kind": "referrals_sent"},
    "agreements:training": {"topic": "Crise", "held_on": "2026-11-20", "attendees": "12"},
    "agreements:party": {"role": "receveur", "commitments": "Rappeler en 48 h"},
    "casework:plan": {"plan": "Plan revu"},
    "casework:action": {"text": "Rappeler", "due_on": "2026-12-01"},
    "casework:action_done": {},
    "casework:co_worker": {"worker": "1", "role": "co_intervener"},
    "casework:note": {
        "intervention_type": "support",
        "duration_minutes": "30",
        "place": "phone",
        "happened_on": "2026-11-20",
        "text": "Appel de suivi",
    },
    "casework:change_note": {
        "intervention_type": "support",
        "duration_minutes": "30",
        "place": "phone",
        "happened_on": "2026-11-20",
        "text": "Appel revu",
    },
    "casework:discard_note": {},
    "casework:sign_note": {},
    "casework:addendum": {"text": "Précision"},
    "casework:coaching": {"team": "1", "question": "Comment faire?"},
    "casework:answer": {"answer": "Ainsi."},
    "casework:close": {"closing_reason": "goals_met", "orientation": "none"},
    "groups:status": {"status": "running"},
    "groups:session": {"starts_at": "2026-12-20T18:00", "duration_minutes": "90"},
    "groups:withdraw": {},
    "groups:attendance": {},
    "emergency:activate": {},
    "emergency:schedule": {"schedule": "72 h, 2 semaines"},
    "emergency:register": {"given_name": "Ana", "age_band": "unknown"},
    "emergency:follow_up": {"status": "done_reached", "orientation": "none"},
    "emergency:link_contact": {},
    "groups:project_activity": {
        "held_on": "2026-11-20",
        "description": "Cuisine collective",
        "participants": "12",
    },
    "indicators:download_extract": {"start": "2026-01-01", "end": "2026-11-30"},
    # A new file each time (a file sent is read to its end).
    "agreements:attach": lambda: {
        "kind": "annex",
        "file": SimpleUploadedFile("annexe.pdf", b"%PDF-1.7\n%%EOF\n"),
    },
}


def is_refused(response) -> bool:
    status = response.status_code
    location = response.get("Location", "")
    return status in REFUSED or (status == 302 and ("/login" in location))


def allowed(rule, role) -> bool:
    return rule == EVERYONE or (role is not None and role in rule)


def signed_in_client(role, world) -> Client:
    client = Client()
    if role is not None:
        partner = role in PARTNERS or role == Role.PARTNER_ADMIN
        team = {Role.WORKER_811: "info_social", Role.TEAM_LEAD: "social_consultation"}.get(
            role, "social_consultation" if role in FRONT_LINE else ""
        )
        user = UserFactory(
            role=role,
            organization=world["organization"] if partner else None,
            region=world["region"],
            team=team,
        )
        if role in CASE_KEEPERS:  # one of the workers on the region's case
            from proxima.casework.models import CaseWorker

            CaseWorker.objects.create(
                case=world["own"]["case"],
                user=user,
                role="co_intervener",
                since=world["own"]["case"].opened_at,
                added_by=user,
            )
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", [None, *Role.values])
def test_each_route_answers_each_role_as_written(world, role):
    client = signed_in_client(role, world)
    problems = []
    # Posting to logout signs the client out: it goes last.
    for name, rule in sorted(MATRIX.items(), key=lambda item: item[0] == "accounts:logout"):
        response = ask(client, name, world["own"])
        status = response.status_code
        if name in SIGN_IN_REDIRECTS and role is None:
            ok = status == 302 and "/login/" in response["Location"]
        elif allowed(rule, role) and name in INPUT_CHECKED:
            ok = status < 500 and not is_refused(response)
        elif allowed(rule, role):
            ok = status < 400 and not is_refused(response)
        else:
            ok = is_refused(response)
        if not ok:
            problems.append(f"{name} {url_of(name, world['own'])} → {status}")
    assert not problems, f"role {role}: {problems}"


OBJECT_ROUTES = sorted(name for name in MATRIX if name not in PUBLIC_OBJECTS)


@pytest.mark.parametrize("role", [None, *Role.values])
def test_no_role_reaches_another_regions_or_organizations_objects(world, role):
    """The same routes about the other region's person, contact, escalation, referral and
    prescription, and the other organization's service: refused, nothing written."""
    client = signed_in_client(role, world)
    other = world["other"]
    problems = []
    for name in OBJECT_ROUTES:
        if name not in other or (name, role) in OTHER_OBJECT_EXCEPTIONS:
            continue
        before = fingerprint() if name in POST_ONLY or name in PATCH else None
        response = ask(client, name, other)
        if not is_refused(response):
            problems.append(f"{name} {url_of(name, other)} → {response.status_code}")
        if before is not None and fingerprint() != before:
            problems.append(f"{name} wrote something although refused")
    assert not problems, f"role {role}: {problems}"


@pytest.mark.parametrize("role", [None, *Role.values])
def test_refused_writes_leave_everything_as_it_was(world, role):
    """Every write route a role may not use, on its own region's objects: nothing written."""
    client = signed_in_client(role, world)
    problems = []
    for name, rule in sorted(MATRIX.items()):
        if allowed(rule, role) or not (name in POST_ONLY or name in PATCH):
            continue
        before = fingerprint()
        response = ask(client, name, world["own"])
        if not is_refused(response):
            problems.append(f"{name} → {response.status_code}")
        if fingerprint() != before:
            problems.append(f"{name} wrote something although refused")
    assert not problems, f"role {role}: {problems}"


def test_the_object_level_cases_cover_every_route_that_names_an_object(world):
    """A new route with an id in its path must come with its other-region case."""
    missing = [
        name
        for name in MATRIX
        if "<" in _pattern_of(name)
        and name not in world["other"]
        and name != "admin"
        and name != "accounts:password_reset_confirm"
    ]
    assert not missing, missing


def _pattern_of(name: str) -> str:
    found = {}

    def walk(patterns, namespace="", prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                found[namespace + (pattern.name or "")] = prefix + str(pattern.pattern)

    walk(get_resolver().url_patterns)
    return found.get(name, "")


@pytest.mark.parametrize(
    ("route", "field_name"),
    [
        ("api:open_contact", "person_id"),
        ("api:create_referral", "person_id"),
        ("api:create_referral", "episode_id"),
    ],
)
def test_an_object_of_another_region_named_in_the_body_is_refused_before_any_write(
    world, route, field_name
):
    client = Client()
    client.force_login(
        UserFactory(role=Role.WORKER_811, region=world["region"], team="info_social")
    )
    other = world["other"]
    named = other["api:get_contact"][0] if field_name == "episode_id" else other["person"].pk
    body = {**BODIES[route], field_name: str(named), "anonymous": False}
    before = fingerprint()
    response = client.post(reverse(route), json.dumps(body), content_type="application/json")
    assert response.status_code == 404, response.content
    assert fingerprint() == before


@pytest.mark.parametrize(
    ("route", "field"),
    [
        ("people:person", "consent"),
        ("people:person", "relative"),
        ("intake:call", "person"),
        ("intake:call", "escalation"),
    ],
)
def test_a_malformed_id_in_a_form_is_a_404_not_a_500(world, route, field):
    client = Client()
    client.force_login(UserFactory(role=Role.WORKER_811, region=world["region"]))
    action = {
        "consent": "withdraw",
        "relative": "link_relative",
        "person": "link_person",
        "escalation": "escalation_action",
    }[field]
    url = reverse(route, args=world["own"][route])
    for value in ("not-a-number", "12abc", "00000000-0000-0000-0000-00000000000Z"):
        response = client.post(url, {"action": action, field: value, "relationship": "parent"})
        assert response.status_code == 404, (field, value, response.status_code)


def test_an_escalation_elsewhere_answers_as_a_missing_one(world):
    """An existing escalation of another region and one that does not exist answer alike."""
    client = Client()
    client.force_login(UserFactory(role=Role.WORKER_811, region=world["region"]))
    body = json.dumps(BODIES["api:record_action"])
    [other_id] = world["other"]["api:record_action"]
    elsewhere = client.post(
        f"/api/intake/escalations/{other_id}/actions", body, content_type="application/json"
    )
    missing = client.post(
        "/api/intake/escalations/999999/actions", body, content_type="application/json"
    )
    assert elsewhere.status_code == missing.status_code == 404
    assert elsewhere.json() == missing.json()
