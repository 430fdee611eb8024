"""Everything held on a person, for the person (Law 25 s. 27, PHIPA s. 52): read once, then
shown as a printable page or given as a JSON document whose keys are documented in
docs/privacy.md (format "proxima.person-export", version 1; a new key may be added, none is
renamed or removed within a version).

"The person" is their record and the records merged into it. Codes (a channel, a status,
a category) are exported as codes, stable across languages; the page shows them in words.
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from proxima.core.audit import record_audit_event
from proxima.core.roles import EXPORT_PERSON_RECORD
from proxima.intake.models import CallDraft, ContactEpisode, Escalation
from proxima.outcomes.models import Measurement
from proxima.people.models import Consent, HouseholdLink, Person
from proxima.prescriptions.models import Goal, Prescription
from proxima.privacy.services.people import clean_reason, require_person, subject_ids
from proxima.privacy.services.report import AccessLine, access_line, entries_about, related_ids
from proxima.referrals.models import Referral

FORMAT = "proxima.person-export"
VERSION = 1


@dataclass
class PersonRecord:
    """What Proxima holds on a person, as read for the export."""

    person: Person
    merged: list[Person]
    household: list[HouseholdLink]
    consents: list[Consent]
    contacts: list[ContactEpisode]
    drafts: list[CallDraft]
    referrals: list[Referral]
    prescriptions: list[Prescription]
    measurements: list[Measurement]  # those taken outside a prescription
    access: list[AccessLine]


def collect(person: Person) -> PersonRecord:
    """Read everything held on the person (no audit: `export_person` writes it)."""
    ids = subject_ids(person)
    related = related_ids(person)
    contacts = (
        ContactEpisode.objects.filter(person__in=ids)
        .select_related("taken_by")
        .prefetch_related(
            "screenings__questionnaire",
            "screenings__recorded_by",
            Prefetch(
                "escalations",
                Escalation.objects.prefetch_related("actions__recorded_by").order_by("raised_at"),
            ),
            "orientations__service",
            "orientations__team",
            "orientations__decided_by",
        )
        .order_by("started_at")
    )
    referrals = (
        Referral.objects.filter(pk__in=related.referrals)
        .select_related(
            "requester",
            "requester_team",
            "requester_organization",
            "service",
            "target_organization",
            "target_team",
            "parent",
        )
        .prefetch_related("events__actor", "messages__author")
        .order_by("created_at")
    )
    measurements = Measurement.objects.select_related("instrument", "taken_by")
    prescriptions = (
        Prescription.objects.filter(person__in=ids)
        .select_related("prescriber", "link_worker")
        .prefetch_related(
            Prefetch("goals", Goal.objects.prefetch_related("ratings__rated_by")),
            "activities__service",
            "supports__activity__service",
            "follow_ups",
            Prefetch("measurements", measurements.filter(person__in=ids)),
        )
        .order_by("created_at")
    )
    return PersonRecord(
        person=person,
        merged=list(Person.objects.filter(pk__in=ids).exclude(pk=person.pk)),
        household=list(
            HouseholdLink.objects.filter(person__in=ids)
            .select_related("relative")
            .order_by("relationship", "relative__family_name")
        ),
        consents=list(
            Consent.objects.filter(person__in=ids)
            .select_related("recipient_organization", "recipient_team", "guardian", "recorded_by")
            .order_by("given_at")
        ),
        contacts=list(contacts),
        drafts=list(CallDraft.objects.filter(episode__person__in=ids).select_related("user")),
        referrals=list(referrals),
        prescriptions=list(prescriptions),
        measurements=list(
            measurements.filter(Q(person__in=ids), prescription__isnull=True).order_by("taken_at")
        ),
        access=[access_line(event) for event in entries_about(related)],
    )


@transaction.atomic
def export_person(person: Person, *, by, reason: str, as_document: bool = False) -> PersonRecord:
    """Everything held on the person, for a privacy officer of their region; the export
    is written to the audit log first, so it appears in its own access report."""
    require_person(by, person, EXPORT_PERSON_RECORD)
    reason = clean_reason(reason)
    record_audit_event(
        by,
        "export_person",
        person,
        reason=reason,
        detail={"format": "json" if as_document else "page"},
    )
    return collect(person)


def _staff(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.get_full_name() or user.username}


def _named(obj, name: str = "localized_name") -> dict | None:
    return None if obj is None else {"id": str(obj.pk), "name": getattr(obj, name)}


def _team(team) -> dict | None:
    return None if team is None else {"code": team.code, "name": team.localized_name}


def _person_ref(person: Person | None) -> dict | None:
    if person is None:
        return None
    return {
        "id": str(person.pk),
        "given_name": person.given_name,
        "family_name": person.family_name,
    }


def _measurement(m: Measurement) -> dict:
    return {
        "id": m.pk,
        "instrument": {"code": m.instrument.code, "version": m.instrument.version},
        "occasion": m.occasion,
        "answers": m.answers,
        "raw_score": m.raw_score,
        "score": m.score,
        "band": m.band,
        "alerts": m.alerts,
        "taken_at": m.taken_at,
        "taken_by": _staff(m.taken_by),
        "prescription": str(m.prescription_id) if m.prescription_id else None,
    }


def _contact(c: ContactEpisode) -> dict:
    return {
        "id": str(c.pk),
        "channel": c.channel,
        "started_at": c.started_at,
        "taken_by": _staff(c.taken_by),
        "reason": c.reason,
        "language": c.language,
        "priority": c.priority,
        "priority_due_at": c.priority_due_at,
        "closed_at": c.closed_at,
        "screenings": [
            {
                "id": s.pk,
                "questionnaire": {"code": s.questionnaire.code, "version": s.questionnaire.version},
                "answers": s.answers,
                "outcome": s.outcome,
                "recorded_at": s.recorded_at,
                "recorded_by": _staff(s.recorded_by),
            }
            for s in c.screenings.all()
        ],
        "escalations": [
            {
                "id": e.pk,
                "kind": e.kind,
                "level": e.level,
                "required_actions": e.required_actions,
                "mandatory_actions": e.mandatory_actions,
                "raised_at": e.raised_at,
                "actions": [
                    {
                        "action": a.action,
                        "taken_at": a.taken_at,
                        "note": a.note,
                        "recorded_by": _staff(a.recorded_by),
                    }
                    for a in e.actions.all()
                ],
            }
            for e in c.escalations.all()
        ],
        "orientations": [
            {
                "kind": o.kind,
                "team": _team(o.team),
                "service": _named(o.service),
                "note": o.note,
                "decided_at": o.decided_at,
                "decided_by": _staff(o.decided_by),
            }
            for o in c.orientations.all()
        ],
    }


def _referral(r: Referral) -> dict:
    return {
        "id": str(r.pk),
        "status": r.status,
        "need_domain": r.need_domain,
        "request_text": r.request_text,
        "priority": r.priority,
        "anonymous": r.anonymous,
        "contact": str(r.episode_id) if r.episode_id else None,
        "passed_on_from": str(r.parent_id) if r.parent_id else None,
        "requester": _staff(r.requester),
        "requester_team": _team(r.requester_team),
        "requester_organization": _named(r.requester_organization),
        "external_requester": r.external_requester,
        "service": _named(r.service),
        "target_organization": _named(r.target_organization),
        "target_team": _team(r.target_team),
        "created_at": r.created_at,
        "requested_at": r.requested_at,
        "responded_at": r.responded_at,
        "closed_at": r.closed_at,
        "first_appointment_at": r.first_appointment_at,
        "reject_reason": r.reject_reason,
        "outcome": r.outcome,
        "outcome_note": r.outcome_note,
        "external_id": r.external_id,
        "external_resources": r.external_resources,
        "events": [
            {
                "at": e.at,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "side": e.side,
                "actor": _staff(e.actor),
                "reason": e.reason,
                "note": e.note,
            }
            for e in r.events.all()
        ],
        "messages": [
            {
                "at": m.at,
                "side": m.side,
                "category": m.category,
                "author": _staff(m.author),
                "body": m.body,
            }
            for m in r.messages.all()
        ],
    }


def _prescription(p: Prescription) -> dict:
    return {
        "id": str(p.pk),
        "status": p.status,
        "what_matters": p.what_matters,
        "co_produced_with": p.co_produced_with,
        "made_with": [f"{m.given_name} {m.family_name}" for m in p.made_with.all()],
        "created_at": p.created_at,
        "ended_at": p.ended_at,
        "prescriber": _staff(p.prescriber),
        "link_worker": _staff(p.link_worker),
        "goals": [
            {
                "text": g.text,
                "ratings": [
                    {"rating": r.rating, "rated_at": r.rated_at, "rated_by": _staff(r.rated_by)}
                    for r in g.ratings.all()
                ],
            }
            for g in p.goals.all()
        ],
        "activities": [
            {
                "service": _named(a.service),
                "status": a.status,
                "note": a.note,
                "referral": str(a.referral_id) if a.referral_id else None,
            }
            for a in p.activities.all()
        ],
        "supports": [
            {
                "kind": s.kind,
                "detail": s.detail,
                "arranged": s.arranged,
                "activity_service": _named(s.activity.service) if s.activity_id else None,
            }
            for s in p.supports.all()
        ],
        "follow_ups": [
            {"due_on": f.due_on, "done_at": f.done_at, "note": f.note} for f in p.follow_ups.all()
        ],
        "measurements": [_measurement(m) for m in p.measurements.all()],
    }


def as_document(record: PersonRecord, *, by, reason: str) -> dict[str, Any]:
    """The machine-readable export (see docs/privacy.md for every key)."""
    person = record.person
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": timezone.now(),
        "generated_by": {**_staff(by), "role": by.role},
        "reason": reason,
        "person": {
            "id": str(person.pk),
            "region": {"code": person.region.code, "name": person.region.name},
            "given_name": person.given_name,
            "family_name": person.family_name,
            "preferred_name": person.preferred_name,
            "pronouns": person.pronouns,
            "birth_date": person.birth_date,
            "language": person.language,
            "needs_interpreter": person.needs_interpreter,
            "phone": person.phone,
            "email": person.email,
            "postal_code": person.postal_code,
            "created_at": person.created_at,
            "updated_at": person.updated_at,
            "merged_records": [
                {"id": str(m.pk), "given_name": m.given_name, "family_name": m.family_name}
                for m in record.merged
            ],
        },
        "household": [
            {"relationship": link.relationship, "relative": _person_ref(link.relative)}
            for link in record.household
        ],
        "consents": [
            {
                "id": c.pk,
                "categories": c.categories,
                "recipient_organization": _named(c.recipient_organization),
                "recipient_team": _team(c.recipient_team),
                "purpose": c.purpose,
                "method": c.method,
                "given_by": _person_ref(c.guardian),
                "given_at": c.given_at,
                "expires_at": c.expires_at,
                "recorded_by": _staff(c.recorded_by),
                "withdrawn_at": c.withdrawn_at,
                "withdrawal_reason": c.withdrawal_reason,
            }
            for c in record.consents
        ],
        "contacts": [_contact(c) for c in record.contacts],
        "contact_drafts": [
            {
                "contact": str(d.episode_id),
                "saved_at": d.saved_at,
                "by": _staff(d.user),
                "data": d.data,
            }
            for d in record.drafts
        ],
        "referrals": [_referral(r) for r in record.referrals],
        "prescriptions": [_prescription(p) for p in record.prescriptions],
        "measurements": [_measurement(m) for m in record.measurements],
        "access_report": [
            {
                "at": line.at,
                "action": line.action,
                "who": line.who,
                "role": line.role,
                "organization": line.organization,
                "team": line.team,
                "what": line.what,
                "why": line.why,
            }
            for line in record.access
        ],
    }
