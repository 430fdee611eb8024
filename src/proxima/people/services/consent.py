"""Consent to share: recorded, withdrawn, and asked before anything is shared."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from proxima.core.audit import record_audit_event
from proxima.core.errors import moment_out_of_range
from proxima.directory.models import Organization
from proxima.people.models import (
    GUARDIAN_RELATIONSHIPS,
    Consent,
    ConsentMethod,
    HouseholdLink,
    InformationCategory,
    Person,
)
from proxima.people.services.records import PersonInputError, require_access
from proxima.teams.models import Team
from proxima.teams.services import team_named

# In Quebec a young person of 14 or more consents alone to the care they need;
# under 14, a parent or guardian consents.
AGE_OF_CONSENT = 14
PURPOSE_LENGTH = 500


@dataclass(frozen=True)
class ConsentInput:
    categories: list[str]
    purpose: str
    method: str
    recipient_organization: Organization | None = None
    recipient_team: str = ""
    guardian: Person | None = None
    given_at: datetime | None = None
    expires_at: datetime | None = None


def age_on(person: Person, moment: datetime) -> int | None:
    day = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return age_at(person.birth_date, day)


def age_at(born: date | None, day: date) -> int | None:
    """Whole years from a birth date to a day (None without a birth date)."""
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _check(person: Person, data: ConsentInput, now: datetime) -> dict[str, str]:
    errors: dict[str, str] = {}
    unknown = set(data.categories) - set(InformationCategory.values)
    if not data.categories:
        errors["categories"] = _("Choose what information may be shared.")
    elif unknown:
        errors["categories"] = _("Unknown information category: %s.") % ", ".join(sorted(unknown))
    if not data.purpose.strip():
        errors["purpose"] = _("Say for what purpose.")
    elif len(data.purpose) > PURPOSE_LENGTH:
        errors["purpose"] = _("At most %d characters.") % PURPOSE_LENGTH
    if data.method not in ConsentMethod.values:
        errors["method"] = _("Say how consent was obtained.")
    if data.recipient_organization is None and not data.recipient_team:
        errors["recipient"] = _("Say with whom the information may be shared.")
    elif data.recipient_organization is not None and data.recipient_team:
        # One consent, one recipient: what may go to whom is then never ambiguous.
        errors["recipient"] = _("Name one recipient: an organization or a team, not both.")
    if data.recipient_team and team_named(person.region_id, data.recipient_team) is None:
        errors["recipient"] = _("Unknown team.")
    for field, moment in (("given_at", data.given_at), ("expires_at", data.expires_at)):
        if problem := moment_out_of_range(moment):
            errors[field] = problem
    if "given_at" in errors or "expires_at" in errors:
        return errors  # what follows moves these dates to local time
    given_at = data.given_at or now
    if given_at > now:
        errors["given_at"] = _("Consent cannot be given in the future.")
    if data.expires_at is not None and data.expires_at <= given_at:
        errors["expires_at"] = _("The end of validity must come after the consent.")
    age = age_on(person, given_at)
    if age is not None and age < AGE_OF_CONSENT:
        if data.method != ConsentMethod.GUARDIAN or data.guardian is None:
            errors["guardian"] = (
                _("This person is under %d: a parent or guardian must give consent.")
                % AGE_OF_CONSENT
            )
        elif not HouseholdLink.objects.filter(
            person=person, relative=data.guardian, relationship__in=GUARDIAN_RELATIONSHIPS
        ).exists():
            errors["guardian"] = _("The consent giver is not a parent or guardian of this person.")
    elif data.method == ConsentMethod.GUARDIAN and data.guardian is None:
        errors["guardian"] = _("Say which parent or guardian gave consent.")
    return errors


@transaction.atomic
def record_consent(person: Person, data: ConsentInput, *, by) -> Consent:
    """Record a consent after checking it; raises PersonInputError with every problem."""
    require_access(by, person)
    now = timezone.now()
    errors = _check(person, data, now)
    if errors:
        raise PersonInputError(errors)
    consent = Consent.objects.create(
        person=person,
        categories=sorted(set(data.categories)),
        recipient_organization=data.recipient_organization,
        recipient_team=team_named(person.region_id, data.recipient_team),
        purpose=data.purpose.strip(),
        method=data.method,
        guardian=data.guardian,
        given_at=data.given_at or now,
        expires_at=data.expires_at,
        recorded_by=by,
    )
    record_audit_event(by, "record_consent", person, detail={"consent": consent.pk})
    return consent


@transaction.atomic
def withdraw_consent(consent: Consent, *, by, reason: str = "") -> Consent:
    """From now on, nothing more is shared under this consent."""
    require_access(by, consent.person)
    if len(reason.strip()) > PURPOSE_LENGTH:
        raise PersonInputError({"reason": _("At most %d characters.") % PURPOSE_LENGTH})
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.withdrawal_reason = reason.strip()
        consent.save(update_fields=["withdrawn_at", "withdrawal_reason"])
        record_audit_event(by, "withdraw_consent", consent.person, detail={"consent": consent.pk})
    return consent


def list_consents(person: Person, *, by, reason: str) -> list[Consent]:
    """The person's consents, current and past; the read is written to the audit log."""
    require_access(by, person)
    consents = list(
        person.consents.select_related("recipient_organization", "recipient_team", "guardian")
    )
    record_audit_event(by, "read_consents", person, reason=reason)
    return consents


def can_share(
    person: Person,
    info_category: str,
    recipient: Organization | Team | str,
    *,
    at: datetime | None = None,
) -> bool:
    """May this category of the person's information go to this organization or team (a
    team, or its code in the person's region) now? Only a current, unwithdrawn consent
    says yes."""
    return info_category in categories_shared_with(person, recipient, at=at)


def categories_shared_with(
    person: Person, recipient: Organization | Team | str, *, at: datetime | None = None
) -> set[str]:
    """Every category of the person's information that may go to this organization or
    internal team now (one query, where asking `can_share` per category takes one each)."""
    moment = at or timezone.now()
    while person.merged_into_id is not None:
        person = person.merged_into
    consents = Consent.objects.filter(
        person=person, withdrawn_at__isnull=True, given_at__lte=moment
    ).exclude(expires_at__lte=moment)
    if isinstance(recipient, Organization):
        consents = consents.filter(recipient_organization=recipient)
    elif isinstance(recipient, Team):
        consents = consents.filter(recipient_team=recipient)
    else:
        consents = consents.filter(
            recipient_team__code=recipient, recipient_team__region_id=person.region_id
        )
    return {
        category
        for categories in consents.values_list("categories", flat=True)
        for category in categories
    }
