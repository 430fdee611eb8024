"""What each side sees of a referral, decided at every read from the person's consents:
withdrawing a consent hides the information at once. The referring side (staff who may
read the record) sees everything; the receiving side sees only the categories the
person consented to share with it; an anonymous request shows no one."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from proxima.core.audit import record_audit_event
from proxima.people.models import HouseholdLink, InformationCategory
from proxima.people.services.consent import can_share, categories_shared_with
from proxima.people.services.records import can_access_person
from proxima.referrals.lifecycle import TERMINAL, Side
from proxima.referrals.models import MESSAGE_LENGTH, Referral, ReferralMessage
from proxima.referrals.services import access, notify
from proxima.referrals.services.workflow import ReferralInputError


@dataclass
class ReferralView:
    """A referral as one user may see it."""

    referral: Referral
    side: str | None
    categories: set[str]
    person: dict = field(default_factory=dict)  # identity fields, when shared
    request_text: str = ""
    needs: dict = field(default_factory=dict)
    risks: list = field(default_factory=list)
    household: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    hidden_messages: int = 0

    @property
    def identified(self) -> bool:
        return InformationCategory.IDENTITY in self.categories


def shared_categories(referral: Referral, user, side: str | None) -> set[str]:
    """The information categories this user (on `side`) may see on this referral, now."""
    if referral.person_id is None:
        return set()
    if side != Side.TARGET and can_access_person(user, referral.person):
        return set(InformationCategory.values)
    if referral.anonymous:
        return set()
    shared = categories_shared_with(referral.person, referral.recipient)
    return {category for category in InformationCategory.values if category in shared}


def _message_visible(message: ReferralMessage, categories: set[str], side) -> bool:
    if message.side == Side.TARGET or side != Side.TARGET:
        return True  # what the receiver wrote, and anything for the referring side
    return message.category in categories or message.referral.person_id is None


def view_referral(referral: Referral, *, by) -> ReferralView:
    """The referral as `by` may see it; the read is audited with the categories shown."""
    access.require_read(by, referral)
    side = access.side_of(by, referral)
    categories = shared_categories(referral, by, side)
    person = referral.person
    result = ReferralView(referral=referral, side=side, categories=categories)
    if person is not None and InformationCategory.IDENTITY in categories:
        result.person = {
            "id": person.pk,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "birth_date": person.birth_date,
            "language": person.language,
            "needs_interpreter": person.needs_interpreter,
            "phone": person.phone,
            "email": person.email,
            "postal_code": person.postal_code,
        }
    if person is None and referral.external_resources:
        # Sent by a clinical system, which shared this much with the receiver.
        from proxima.referrals.services.fhir import imported_patient

        result.person = imported_patient(referral)
    if referral.anonymous or InformationCategory.NEEDS in categories or person is None:
        result.request_text = referral.request_text
    episode = referral.episode
    if episode is not None:
        outcomes = [s.outcome for s in episode.screenings.order_by("recorded_at", "id")]
        if InformationCategory.NEEDS in categories:
            for outcome in outcomes:
                result.needs.update(outcome.get("needs", {}))
        if InformationCategory.RISK in categories:
            result.risks = list(episode.escalations.values("kind", "level"))
    if person is not None and InformationCategory.FAMILY in categories:
        links = list(HouseholdLink.objects.filter(person=person).select_related("relative"))
        result.household = [
            (link.relative.given_name, link.get_relationship_display()) for link in links
        ]
        for link in links:  # each relative named is in their own access log too
            record_audit_event(
                by,
                "show_person_name",
                link.relative,
                reason="referral",
                detail={"referral": str(referral.pk)},
            )
    for message in referral.messages.select_related("author"):
        if _message_visible(message, categories, side):
            result.messages.append(message)
        else:
            result.hidden_messages += 1
    record_audit_event(
        by,
        "read_referral",
        referral,
        reason=_read_reason(referral, by, side),
        detail={"categories": sorted(categories), **_imported(result)},
    )
    if person is not None and categories:
        record_audit_event(
            by, "read_person_via_referral", person, detail={"referral": str(referral.pk)}
        )
    return result


def names_in_list(referrals: list[Referral], *, by) -> dict:
    """For a list of referrals (an inbox): the person's name where `by`'s side may see
    the person's identity (as consented), else None. Each name shown is a read of the
    person's identity: one audit line per name, as a search result is."""
    names = {}
    for referral in referrals:
        names[referral.pk] = None
        if referral.person_id is None:
            continue
        side = access.side_of(by, referral)
        if InformationCategory.IDENTITY not in shared_categories(referral, by, side):
            continue
        person = referral.person
        names[referral.pk] = f"{person.given_name} {person.family_name}"
        record_audit_event(
            by,
            "show_person_name",
            person,
            reason="referral list",
            detail={"referral": str(referral.pk)},
        )
    return names


def _read_reason(referral: Referral, user, side: str | None) -> str:
    """Why this user reads the referral: as one of its sides, as the region's
    coordinator, or because they may read the person's file."""
    if side:
        return str(side)
    if access.oversees_region(user):
        return "oversight"
    return "person file"


def _imported(result: ReferralView) -> dict:
    """For the audit: a clinical system's Patient shown (its identity, as it sent it)."""
    if result.referral.person_id is None and result.person:
        return {"imported_patient": sorted(result.person)}
    return {}


@transaction.atomic
def post_message(
    referral: Referral, body: str, *, by, category: str = InformationCategory.FOLLOW_UP
) -> ReferralMessage:
    """A message on the referral. Sent to the receiving side, it carries information of
    `category`, which the person must have consented to share with that side."""
    side = access.require_side(by, referral)
    errors = {}
    if not body.strip():
        errors["body"] = _("Write the message.")
    elif len(body) > MESSAGE_LENGTH:
        errors["body"] = _("At most %d characters.") % MESSAGE_LENGTH
    if category not in InformationCategory.values:
        errors["category"] = _("Unknown information category.")
    elif (
        side == Side.REQUESTER
        and referral.person_id is not None
        and (referral.anonymous or not can_share(referral.person, category, referral.recipient))
    ):
        errors["category"] = _(
            "The person has not consented to share this information with %(target)s."
        ) % {"target": referral.target_label}
    if referral.status in TERMINAL and referral.status != "completed":
        errors["body"] = _("This referral is closed.")
    if errors:
        raise ReferralInputError(errors)
    message = ReferralMessage.objects.create(
        referral=referral, author=by, side=side, category=category, body=body.strip()
    )
    record_audit_event(by, "referral_message", referral, detail={"category": category})
    users = (
        notify.target_side_users(referral)
        if side == Side.REQUESTER
        else notify.requester_side_users(referral)
    )
    notify.notify(
        users,
        referral,
        "message",
        lambda: _("New message on the referral to %(target)s") % {"target": referral.target_label},
        skip=by,
    )
    return message
