"""Roles and the written permission matrix: which role may do what.

Default deny: a capability is granted only to the roles listed for it in
`PERMISSION_MATRIX`, the single source of truth. Views, API routes, services and commands
ask `has_capability(user, CAPABILITY)`; no code compares a role itself. Which rows a user
sees is the other half, one `visible_to(user)` per domain (people, contacts, referrals,
prescriptions, cases, groups, outreach, emergencies), built on these capabilities and on the user's region, organization and team.
`docs/permissions.md` is this matrix in prose; tests walk it for every route and role.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    COORDINATOR = "coordinator", _("Regional coordinator")
    TEAM_LEAD = "team_lead", _("Team lead")
    WORKER_811 = "worker_811", _("811 Info-Social worker")
    CLSC_WORKER = "clsc_worker", _("Proximity worker (CLSC)")
    SOCIAL_PRESCRIBER = "social_prescriber", _("Social prescriber")
    PARTNER_ADMIN = "partner_admin", _("Partner organization administrator")
    PARTNER_WORKER = "partner_worker", _("Partner organization worker")
    EVALUATOR = "evaluator", _("Evaluator")


# Directory.
VIEW_CONFIDENTIAL_LOCATIONS = "directory.view_confidential_locations"
EDIT_OWN_ORGANIZATION_SERVICES = "directory.edit_own_organization_services"
EDIT_ANY_SERVICE = "directory.edit_any_service"
# Reviewing which need domains the terms of imported taxonomies mean.
MAP_TAXONOMY_TERMS = "directory.map_taxonomy_terms"
# Accounts and the Django admin.
ADMIN_SITE = "core.admin_site"
# People's records, contacts (intake) and social prescriptions: within the user's region.
READ_PERSONAL_RECORDS = "people.read_personal_records"
TAKE_CONTACTS = "intake.take_contacts"
PRESCRIBE = "prescriptions.prescribe"
# Referrals.
SEND_REFERRALS = "referrals.send"
RECEIVE_FOR_ORGANIZATION = "referrals.receive_for_organization"
WORK_IN_TEAM_INBOX = "referrals.work_in_team_inbox"
OVERSEE_REGION_REFERRALS = "referrals.oversee_region"
# Coverage and duplication of services per territory (counts, no personal information).
VIEW_COVERAGE = "coverage.view"
# The de-identified research extract of a region's contacts (pseudonyms, age bands,
# months, territories generalized to k-anonymity; no name, date of birth nor free text).
EXPORT_RESEARCH_EXTRACT = "indicators.research_extract"
# Partnership agreements and joint training: the region's registry (partners read the
# agreements they are party to, whatever their role's other rights).
VIEW_AGREEMENTS = "agreements.view"
EDIT_AGREEMENTS = "agreements.edit"
# Indicators: the region's dashboard of aggregate figures (small cells suppressed);
# partners see their own organization's figures only.
VIEW_INDICATORS = "indicators.view"
# Indicators shown exact, over any days: to those who read the records they count anyway
# (the region's staff, a partner its own referrals). Others (evaluators) get figures
# slightly perturbed, over calendar periods that have ended, so that no difference of two
# tells one person.
EXACT_INDICATORS = "indicators.exact_figures"
# Casework (the follow-up of a person by the CLSC teams): keeping a caseload (the cases
# one works on, their team's cases read); reading the region's cases (oversight, no writing).
KEEP_CASELOAD = "casework.keep_caseload"
# A team lead adds workers to the cases of their team.
ASSIGN_TEAM_CASES = "casework.assign_in_team"
OVERSEE_REGION_CASES = "casework.oversee_region"
# Group interventions (registrations and attendance are personal information): running
# the groups of one's teams (creating them, registering the region's people, recording
# attendance); reading the region's groups (oversight, no writing).
RUN_GROUPS = "groups.run_groups"
OVERSEE_REGION_GROUPS = "groups.oversee_region"
# Collective projects on the region's territories (counts only, no personal information):
# reading them, and recording them.
VIEW_COLLECTIVE_PROJECTS = "groups.view_collective_projects"
EDIT_COLLECTIVE_PROJECTS = "groups.collective_projects"
# Mobile outreach (contacts met in the street, often anonymous, recorded on a phone that
# may be offline): recording one's own; reading the region's (oversight, no writing).
RECORD_OUTREACH = "outreach.record"
OVERSEE_REGION_OUTREACH = "outreach.oversee_region"
# Emergency psychosocial mode (a disaster's affected people and their follow-ups):
# declaring, activating and closing an event of the region; responding to it (registering
# affected people, psychological first aid, the follow-up calls of one's teams).
DECLARE_EMERGENCY = "emergency.declare"
RESPOND_EMERGENCY = "emergency.respond"
# Privacy: the audit log, a person's access report and everything held on a person.
READ_AUDIT_LOG = "audit.read_log"
PERSON_ACCESS_REPORT = "audit.person_access_report"
EXPORT_PERSON_RECORD = "people.export_record"

# Front-line staff of the network (811, CLSC proximity teams, social prescribing).
FRONT_LINE = {Role.WORKER_811, Role.CLSC_WORKER, Role.SOCIAL_PRESCRIBER, Role.TEAM_LEAD}
# Staff who read people's files in their region (administrators manage accounts and
# data, not files; privacy officers read the log about files, not the files).
RECORD_READERS = FRONT_LINE | {Role.COORDINATOR}
PARTNERS = {Role.PARTNER_ADMIN, Role.PARTNER_WORKER}

PERMISSION_MATRIX: dict[str, frozenset[str]] = {
    VIEW_CONFIDENTIAL_LOCATIONS: frozenset(RECORD_READERS | {Role.ADMIN}),
    EDIT_OWN_ORGANIZATION_SERVICES: frozenset({Role.PARTNER_ADMIN, Role.ADMIN}),
    EDIT_ANY_SERVICE: frozenset({Role.ADMIN}),
    MAP_TAXONOMY_TERMS: frozenset({Role.COORDINATOR, Role.ADMIN}),
    ADMIN_SITE: frozenset({Role.ADMIN}),
    READ_PERSONAL_RECORDS: frozenset(RECORD_READERS),
    TAKE_CONTACTS: frozenset(RECORD_READERS),
    PRESCRIBE: frozenset(RECORD_READERS),
    SEND_REFERRALS: frozenset(RECORD_READERS | PARTNERS),
    RECEIVE_FOR_ORGANIZATION: frozenset(PARTNERS),
    WORK_IN_TEAM_INBOX: frozenset(FRONT_LINE),
    OVERSEE_REGION_REFERRALS: frozenset({Role.COORDINATOR}),
    VIEW_COVERAGE: frozenset({Role.COORDINATOR, Role.TEAM_LEAD, Role.EVALUATOR}),
    EXPORT_RESEARCH_EXTRACT: frozenset({Role.COORDINATOR, Role.EVALUATOR}),
    VIEW_AGREEMENTS: frozenset(RECORD_READERS | {Role.EVALUATOR}),
    EDIT_AGREEMENTS: frozenset({Role.COORDINATOR}),
    VIEW_INDICATORS: frozenset({Role.COORDINATOR, Role.TEAM_LEAD, Role.EVALUATOR} | PARTNERS),
    EXACT_INDICATORS: frozenset({Role.COORDINATOR, Role.TEAM_LEAD} | PARTNERS),
    KEEP_CASELOAD: frozenset({Role.CLSC_WORKER, Role.SOCIAL_PRESCRIBER, Role.TEAM_LEAD}),
    ASSIGN_TEAM_CASES: frozenset({Role.TEAM_LEAD}),
    OVERSEE_REGION_CASES: frozenset({Role.COORDINATOR}),
    RUN_GROUPS: frozenset({Role.CLSC_WORKER, Role.SOCIAL_PRESCRIBER, Role.TEAM_LEAD}),
    OVERSEE_REGION_GROUPS: frozenset({Role.COORDINATOR}),
    VIEW_COLLECTIVE_PROJECTS: frozenset(
        {
            Role.COORDINATOR,
            Role.TEAM_LEAD,
            Role.CLSC_WORKER,
            Role.SOCIAL_PRESCRIBER,
            Role.EVALUATOR,
        }
    ),
    EDIT_COLLECTIVE_PROJECTS: frozenset({Role.COORDINATOR, Role.TEAM_LEAD, Role.CLSC_WORKER}),
    RECORD_OUTREACH: frozenset({Role.CLSC_WORKER, Role.SOCIAL_PRESCRIBER, Role.TEAM_LEAD}),
    OVERSEE_REGION_OUTREACH: frozenset({Role.COORDINATOR}),
    DECLARE_EMERGENCY: frozenset({Role.COORDINATOR, Role.TEAM_LEAD}),
    RESPOND_EMERGENCY: frozenset(RECORD_READERS),
    READ_AUDIT_LOG: frozenset({Role.PRIVACY_OFFICER}),
    PERSON_ACCESS_REPORT: frozenset({Role.PRIVACY_OFFICER}),
    EXPORT_PERSON_RECORD: frozenset({Role.PRIVACY_OFFICER}),
}


# Where each role lands after signing in: its work (a URL name; each page's own
# capability check still applies). The contact list for 811; the inbox for CLSC teams,
# prescribers and partners; the coordinator's region referrals; the log for the privacy
# officer; the indicators for the evaluator.
HOME_OF_ROLE: dict[str, str] = {
    Role.ADMIN: "admin:index",
    Role.PRIVACY_OFFICER: "privacy:log",
    Role.COORDINATOR: "referrals:inbox",
    Role.TEAM_LEAD: "referrals:inbox",
    Role.WORKER_811: "intake:home",
    Role.CLSC_WORKER: "referrals:inbox",
    Role.SOCIAL_PRESCRIBER: "referrals:inbox",
    Role.PARTNER_ADMIN: "referrals:inbox",
    Role.PARTNER_WORKER: "referrals:inbox",
    Role.EVALUATOR: "indicators:dashboard",
}


def home_of(user) -> str:
    """The URL name of the user's home page (the public directory for anyone else)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return "directory:search"
    if user.role in RECORD_READERS and user.region_id is None:
        return "directory:search"  # staff not yet attached to a region: their work waits
    if user.role in PARTNERS and user.organization_id is None:
        return "directory:search"
    return HOME_OF_ROLE.get(user.role, "directory:search")


def has_capability(user, capability: str) -> bool:
    """True when the user's role grants the capability (anonymous users have none)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role in PERMISSION_MATRIX[capability]


def capabilities_of(role: str) -> set[str]:
    """Every capability a role holds (for the matrix page and the docs)."""
    return {name for name, roles in PERMISSION_MATRIX.items() if role in roles}


def is_network_staff(user, region_id=None) -> bool:
    """Network staff who read personal records, attached to a region: theirs, or the one
    given (the person's, the contact's, the referral's)."""
    return (
        has_capability(user, READ_PERSONAL_RECORDS)
        and user.region_id is not None
        and (region_id is None or user.region_id == region_id)
    )


def in_region(user, capability: str, region_id) -> bool:
    """The user holds the capability and works in that region."""
    return (
        has_capability(user, capability)
        and user.region_id is not None
        and region_id is not None
        and user.region_id == region_id
    )


def roles_with(capability: str) -> frozenset[str]:
    """The roles holding a capability (for queries such as "who receives for this
    organization")."""
    return PERMISSION_MATRIX[capability]


def matrix_table() -> str:
    """The matrix as a Markdown table (roles across, capabilities down), as printed in
    docs/permissions.md; a test keeps the two the same."""
    roles = list(Role)
    header = "| capability | " + " | ".join(f"`{role.value}`" for role in roles) + " |"
    rule = "|---|" + "---|" * len(roles)
    rows = [
        f"| `{capability}` | "
        + " | ".join("yes" if role in granted else "" for role in roles)
        + " |"
        for capability, granted in PERMISSION_MATRIX.items()
    ]
    return "\n".join([header, rule, *rows])
