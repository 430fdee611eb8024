"""Writing to the audit log: every read of personal or confidential data, every change."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from proxima.core import audit_chain
from proxima.core.models import AuditEvent
from proxima.core.roles import Role


class SystemActor:
    """Proxima itself (a scheduled task, a command run by an operator): not a user."""

    is_authenticated = False
    role = "system"
    region_id = None


SYSTEM = SystemActor()


def record_audit_event(
    actor: Any,
    action: str,
    obj: Any = None,
    *,
    object_type: str = "",
    object_id: str = "",
    reason: str = "",
    detail: dict | None = None,
    region_id: int | None = None,
) -> AuditEvent:
    """Append one audit line, chained to the one before; `actor` may be anonymous or
    SYSTEM (both stored as null, with the role "anonymous" or "system"). The line belongs
    to the object's region (a person, a contact, a referral), else to the one given (an
    action on a whole region), else to the actor's."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    authenticated = getattr(actor, "is_authenticated", False)
    region_id = getattr(obj, "region_id", None) or region_id
    if region_id is None and authenticated:
        region_id = getattr(actor, "region_id", None)
    role = actor.role if authenticated else ("system" if actor is SYSTEM else "anonymous")
    event = AuditEvent(
        actor=actor if authenticated else None,
        actor_role=role,
        action=action,
        object_type=object_type,
        object_id=object_id,
        region_id=region_id,
        reason=reason[:250],
        detail=detail or {},
    )
    return audit_chain.append(event)


# How each action reads in an access log (tests/core/test_audit.py checks that every
# action written has its words here).
ACTION_LABELS = {
    "create_person": _("created the record"),
    "read_person": _("read the record"),
    "update_person": _("corrected the record"),
    "list_person": _("saw the record in a search result"),
    "show_person_name": _("saw the person's name (on a form, or on a relative's file)"),
    "read_household": _("read the household"),
    "link_household": _("linked a household member"),
    "merge_person": _("merged records"),
    "record_consent": _("recorded a consent"),
    "read_consents": _("read the consents"),
    "withdraw_consent": _("recorded a consent withdrawal"),
    "read_contact": _("read a contact"),
    "send_contact_summary": _("sent a contact's summary to the person"),
    # Contacts (intake).
    "open_contact": _("opened a contact"),
    "link_contact_person": _("linked a contact to the record"),
    "set_priority": _("set the priority of a contact"),
    "record_screening": _("recorded a screening"),
    "escalation": _("a screening raised a risk"),
    "escalation_action": _("recorded an action taken for a risk"),
    "record_orientation": _("recorded where the contact leads"),
    "close_contact": _("closed a contact"),
    # Referrals.
    "create_referral": _("created a referral"),
    "read_referral": _("read a referral"),
    "read_person_via_referral": _("read the record through a referral"),
    "referral_status": _("changed the status of a referral"),
    "referral_message": _("wrote a message on a referral"),
    "export_fhir": _("exported a referral (FHIR)"),
    "import_fhir": _("imported referrals (FHIR)"),
    # Social prescriptions and outcome measures.
    "create_prescription": _("created a social prescription"),
    "read_prescription": _("read a social prescription"),
    "follow_up_prescription": _("recorded a follow-up of a social prescription"),
    "record_measure": _("recorded an outcome measure"),
    # Casework (the follow-up of a person).
    "open_case": _("opened a case (follow-up)"),
    "read_case": _("read a case"),
    "list_case": _("saw the person's case in a list"),
    "change_case_plan": _("changed the intervention plan of a case"),
    "add_case_action": _("added a next action to a case"),
    "complete_case_action": _("marked a next action of a case done"),
    "add_case_worker": _("added a worker to a case"),
    "write_case_note": _("wrote a progress note"),
    "change_case_note": _("changed a draft progress note"),
    "discard_case_note": _("discarded a draft progress note"),
    "sign_case_note": _("signed a progress note"),
    "add_note_addendum": _("added an addendum to a signed progress note"),
    "request_coaching": _("asked the interprofessional team for coaching on a case"),
    "answer_coaching": _("answered a coaching request"),
    "close_case": _("closed a case"),
    # Group and collective interventions.
    "create_group_activity": _("created a group activity"),
    "change_group_status": _("changed the status of a group activity"),
    "add_group_session": _("added a session to a group activity"),
    "register_in_group": _("registered the person in a group activity"),
    "waitlist_in_group": _("put the person on a group's waiting list"),
    "withdraw_from_group": _("withdrew the person from a group activity"),
    "promote_from_waitlist": _("gave the person a place in a group (from the waiting list)"),
    "record_group_attendance": _("recorded the person's attendance at a group session"),
    "change_group_attendance": _("corrected the person's attendance at a group session"),
    "list_group_participant": _("saw the person in a group's list of participants"),
    "record_outreach": _("recorded an outreach contact"),
    "read_outreach": _("read the list of outreach contacts"),
    "create_collective_project": _("recorded a collective project"),
    "add_project_activity": _("added an activity to a collective project"),
    # Emergency psychosocial mode.
    "declare_emergency": _("declared an emergency event"),
    "activate_emergency": _("activated an emergency event"),
    "change_emergency_schedule": _("changed the follow-up schedule of an emergency event"),
    "close_emergency": _("closed an emergency event with its report"),
    "register_affected_person": _("registered the person as affected by an emergency"),
    "register_emergency_household": _("registered a household affected by an emergency"),
    "read_affected_person": _("read the person's emergency registration and follow-ups"),
    "list_affected_person": _("saw the person in a list of people affected by an emergency"),
    "record_emergency_follow_up": _("recorded an emergency follow-up of the person"),
    "link_contact_to_emergency": _("linked a contact to an emergency event"),
    # Directory.
    "update_service": _("updated a service"),
    "set_capacity_status": _("changed the capacity of a service"),
    "replace_hours": _("changed the opening hours of a service"),
    "verify_service": _("confirmed a service's information"),
    "read_confidential_location": _("read a confidential address"),
    "export_confidential_locations": _("exported the confidential addresses"),
    # Accounts: signing in and out, the second factor.
    "login_password": _("signed in with the password"),
    "login_second_factor": _("confirmed the sign-in with the second factor"),
    "second_factor_failed": _("gave a wrong second-factor code"),
    "login_failed": _("failed to sign in"),
    "login_locked_out": _("was locked out after repeated failures"),
    "logout": _("signed out"),
    "enrol_second_factor": _("set up the second factor"),
    "new_recovery_codes": _("got new recovery codes"),
    "reset_second_factor": _("reset the second factor of an account"),
    "create_account": _("created an account"),
    "change_account": _("changed an account's role, region, organization or status"),
    "create_agreement": _("recorded a partnership agreement"),
    "change_agreement": _("changed a partnership agreement"),
    "change_agreement_status": _("changed the status of a partnership agreement"),
    "record_agreement_meeting": _("recorded a follow-up meeting of an agreement"),
    "add_agreement_indicator": _("added an indicator to an agreement"),
    "record_training_session": _("recorded a joint training session"),
    "set_agreement_party_terms": _("wrote a party's role and commitments in an agreement"),
    "attach_agreement_document": _("attached a document to an agreement"),
    "remove_agreement_document": _("removed a document from an agreement"),
    "set_territories_served": _("changed the territories a service serves"),
    "change_team_members": _("changed who works in a team (and so whose inbox it is)"),
    "set_account_password": _("set an account's password"),
    "delete_account": _("deleted an account"),
    # Privacy: the audit log and the person's rights.
    "verify_audit": _("verified the audit log's chain"),
    "read_audit_log": _("read the audit log"),
    "search_people_for_privacy": _("searched records for a privacy request"),
    "read_access_report": _("read the access report"),
    "download_access_report": _("downloaded the access report"),
    "export_person": _("exported everything held on the person"),
    "apply_retention": _("applied the retention rules"),
    # Indicators.
    "research_extract": _("exported the region's de-identified research extract"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


# Who acted, when it was not a signed-in user.
ACTOR_ROLE_LABELS = {"system": _("Proxima (automatic)"), "anonymous": _("not signed in")}


def actor_role_label(role: str) -> str:
    """The role recorded on an audit line, in the reader's language."""
    if role in Role.values:
        return str(Role(role).label)
    return str(ACTOR_ROLE_LABELS.get(role, role))


# The reasons the application itself writes, shown in the reader's language; a reason a
# person typed is shown as typed.
REASON_LABELS = {
    "api": _("through the API"),
    "contact screen": _("contact screen"),
    "household": _("household"),
    "intake": _("intake"),
    "matching": _("matching resources"),
    "person page": _("person page"),
    "person search": _("person search"),
    "service page": _("service page"),
    "fhir": _("FHIR interchange"),
    "prescription page": _("prescription page"),
    "printed": _("printed for the person"),
    "oversight": _("regional oversight"),
    "person file": _("access to the person's file"),
    "possible duplicate": _("possible duplicate of a new record"),
    "new prescription": _("new social prescription"),
    "new referral": _("new referral"),
    "referral": _("a referral of a relative"),
    "case page": _("case page"),
    "caseload": _("caseload"),
    "coaching": _("coaching requests"),
    "closing": _("closing a case"),
    "new case": _("new case"),
    "emergency page": _("emergency event page"),
    "tasks": _("follow-up tasks"),
}


def reason_label(reason: str) -> str:
    return str(REASON_LABELS.get(reason, reason))


def check_audit_chain(*, by: Any = SYSTEM) -> audit_chain.ChainReport:
    """Verify the whole chain and write the result as an audit line of its own: a
    checkpoint (the head verified) that the next check, and the privacy officer's page,
    start from."""
    report = audit_chain.verify_chain()
    detail = {
        "ok": report.ok,
        "entries": report.entries,
        "last_sequence": report.last_sequence,
        "last_hash": report.last_hash,
    }
    if not report.ok:
        detail.update(broken_at=report.broken_at, problem=report.problem)
    record_audit_event(by, "verify_audit", object_type="core.auditevent", detail=detail)
    return report
