"""Person records: create (with duplicate detection), read (audited), household, merge."""

from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from proxima.core.audit import record_audit_event
from proxima.core.errors import InputError, moment_out_of_range
from proxima.core.roles import is_network_staff
from proxima.core.shortcuts import get_from_request
from proxima.directory.services import geo
from proxima.directory.services.text import fold
from proxima.people.models import (
    INVERSE_RELATIONSHIP,
    NAME_LENGTH,
    HouseholdLink,
    Person,
    Relationship,
)

OLDEST_BIRTH_YEAR = 1900
DUPLICATE_THRESHOLD = 0.82


class PersonInputError(InputError):
    """Input that cannot be saved; `errors` maps field names to messages for the user."""


@dataclass(frozen=True)
class PersonInput:
    given_name: str
    family_name: str
    birth_date: date | None = None
    preferred_name: str = ""
    pronouns: str = ""
    language: str = "fr"
    needs_interpreter: bool = False
    phone: str = ""
    email: str = ""
    postal_code: str = ""


@dataclass
class DuplicateCandidate:
    person: Person
    score: float
    reasons: list[str] = field(default_factory=list)


class PossibleDuplicates(Exception):
    """Records that may be the same person; create again with `confirmed_new=True`."""

    def __init__(self, candidates: list[DuplicateCandidate]):
        super().__init__(f"{len(candidates)} possible duplicate(s)")
        self.candidates = candidates


def name_key(given_name: str, family_name: str) -> str:
    """Folded "family given" with single spaces and no hyphens: "Côté-Roy, Élise" → "cote roy elise"."""
    text = f"{family_name} {given_name}".replace("-", " ").replace("'", " ")
    return " ".join(fold(text).split())


def visible_to(user) -> QuerySet[Person]:
    """Every record this user may read: the one row-level rule of the domain. Network
    staff who read personal records (not administrators), in their own region."""
    if not is_network_staff(user):
        return Person.objects.none()
    return Person.objects.filter(region_id=user.region_id)


def can_access_person(user, person: Person) -> bool:
    """The same rule as `visible_to`, for a record already in hand."""
    return is_network_staff(user, person.region_id)


def require_access(user, person: Person) -> None:
    if not can_access_person(user, person):
        raise PermissionDenied(_("You may not read this person's record."))


def require_reader(user) -> None:
    """403 for those who may read no record at all."""
    if not is_network_staff(user):
        raise PermissionDenied(_("You may not read person records."))


def person_for(user, person_id) -> Person:
    """The record named in a request, if this user may read it: 403 for those who read no
    records, 404 for a record of another region, a missing one or a malformed id (so
    that nobody learns which ids exist elsewhere). Not audited: the action that uses it
    writes the audit line."""
    require_reader(user)
    return get_from_request(visible_to(user), person_id)


def current_person_for(user, person_id) -> Person:
    """As `person_for`, a record merged into another leading to the one kept: a link or a
    bookmark to the absorbed record must not add a referral or a plan to it."""
    person = person_for(user, person_id)
    while person.merged_into_id is not None:
        person = person.merged_into
    require_access(user, person)
    return person


def note_person_shown(user, person: Person, *, reason: str) -> None:
    """A form shows this person's name to the user (a new referral, a new prescription):
    written to the person's access log."""
    require_access(user, person)
    record_audit_event(user, "show_person_name", person, reason=reason)


def clean_person_input(data: PersonInput) -> PersonInput:
    """The input, trimmed and checked; raises PersonInputError listing every problem."""
    errors: dict[str, str] = {}
    given, family = data.given_name.strip(), data.family_name.strip()
    if not given:
        errors["given_name"] = _("The given name is required.")
    if not family:
        errors["family_name"] = _("The family name is required.")
    limits = {
        "given_name": NAME_LENGTH,
        "family_name": NAME_LENGTH,
        "preferred_name": NAME_LENGTH,
        "pronouns": 40,
        "language": 16,
        "phone": 40,
        "email": 254,
    }
    for name, limit in limits.items():  # refused, never cut: nothing is half-saved
        if len((getattr(data, name) or "").strip()) > limit:
            errors[name] = _("At most %d characters.") % limit
    email = data.email.strip()
    if email and ("@" not in email or " " in email or email.startswith("@")):
        errors["email"] = _("This is not an email address.")
    today = timezone.localdate()
    if data.birth_date is not None:
        if data.birth_date > today:
            errors["birth_date"] = _("The birth date cannot be in the future.")
        elif data.birth_date.year < OLDEST_BIRTH_YEAR:
            errors["birth_date"] = _("The birth date is too far in the past.")
    postal_code = data.postal_code.strip()
    if postal_code:
        normalized = geo.normalize_postal_code(postal_code)
        if normalized is None:
            errors["postal_code"] = _("This is not a Canadian postal code (e.g. K1L 8C4).")
        else:
            postal_code = normalized
    if errors:
        raise PersonInputError(errors)
    return PersonInput(
        given_name=given,
        family_name=family,
        birth_date=data.birth_date,
        preferred_name=data.preferred_name.strip(),
        pronouns=data.pronouns.strip(),
        language=(data.language or "fr").strip(),
        needs_interpreter=data.needs_interpreter,
        phone=data.phone.strip(),
        email=email,
        postal_code=postal_code,
    )


def _birth_dates_close(a: date | None, b: date | None) -> bool:
    """Same date, or day and month swapped (a common entry error)."""
    if a is None or b is None:
        return False
    return a == b or (a.year == b.year and a.month == b.day and a.day == b.month)


def find_possible_duplicates(data: PersonInput, region_id: int) -> list[DuplicateCandidate]:
    """Active records of the region that may be the same person: accent- and
    case-insensitive fuzzy names (given and family swapped too), same birth date
    (or day and month swapped); best first."""
    key = name_key(data.given_name, data.family_name)
    swapped = name_key(data.family_name, data.given_name)
    first_letters = {key[:1], swapped[:1]} - {""}
    nearby = Q(name_key__in=[key, swapped])
    if data.birth_date:
        swapped_date = None
        if data.birth_date.day <= 12:
            swapped_date = data.birth_date.replace(
                month=data.birth_date.day, day=data.birth_date.month
            )
        nearby |= Q(birth_date__in=[d for d in (data.birth_date, swapped_date) if d])
    for letter in first_letters:
        nearby |= Q(name_key__startswith=letter, birth_date__isnull=True)
    candidates = []
    people = Person.objects.filter(nearby, region_id=region_id, merged_into__isnull=True)
    for person in people[:500]:
        score = max(
            SequenceMatcher(None, key, person.name_key).ratio(),
            SequenceMatcher(None, swapped, person.name_key).ratio(),
        )
        reasons = []
        if _birth_dates_close(person.birth_date, data.birth_date):
            score = min(1.0, score + 0.1)
            reasons.append(_("same birth date"))
        elif person.birth_date and data.birth_date:
            score -= 0.3  # different known birth dates: most likely two people
        if score >= DUPLICATE_THRESHOLD:
            reasons.insert(0, _("similar name"))
            candidates.append(DuplicateCandidate(person, round(score, 2), reasons))
    return sorted(candidates, key=lambda c: -c.score)


def create_person(
    data: PersonInput, *, by, region_id: int | None = None, confirmed_new: bool = False
) -> Person:
    """Create a record in the worker's region; raises PossibleDuplicates first unless the
    worker confirmed it is a new person. The possible duplicates are shown to the worker:
    each is audited as a search result is (written before the refusal, which rolls
    nothing of it back)."""
    region_id = region_id or by.region_id
    if not is_network_staff(by, region_id):
        raise PermissionDenied(_("You may not create records in this region."))
    data = clean_person_input(data)
    if not confirmed_new:
        candidates = find_possible_duplicates(data, region_id)
        if candidates:
            with transaction.atomic():
                for candidate in candidates:
                    record_audit_event(
                        by, "list_person", candidate.person, reason="possible duplicate"
                    )
            raise PossibleDuplicates(candidates)
    return _create_person(data, by=by, region_id=region_id)


@transaction.atomic
def _create_person(data: PersonInput, *, by, region_id: int) -> Person:
    person = Person.objects.create(
        region_id=region_id,
        name_key=name_key(data.given_name, data.family_name),
        created_by=by,
        **data.__dict__,
    )
    record_audit_event(by, "create_person", person, reason="intake")
    return person


@transaction.atomic
def update_person(person: Person, data: PersonInput, *, by) -> Person:
    """Correct or complete a record; the audit line names the fields that changed (not
    their values, which would copy personal information into the log)."""
    require_access(by, person)
    if not person.is_active:
        raise PersonInputError({"person": _("This record was merged into another one.")})
    data = clean_person_input(data)
    changed = [name for name, value in data.__dict__.items() if getattr(person, name) != value]
    if changed:
        for name in changed:
            setattr(person, name, getattr(data, name))
        person.name_key = name_key(person.given_name, person.family_name)
        person.save()
        record_audit_event(by, "update_person", person, detail={"fields": sorted(changed)})
    return person


SEARCH_LIMIT = 25


def search_people(query: str, *, by, birth_date: date | None = None) -> list[Person]:
    """Active records of the worker's region whose folded name contains every word typed
    (accent- and case-insensitive, in any order), or born on `birth_date`; at most
    SEARCH_LIMIT. Each record listed is written to the audit log: being shown in a
    result list is a read of the name and birth date."""
    if not is_network_staff(by):
        raise PermissionDenied(_("You may not search person records."))
    if problem := moment_out_of_range(birth_date):
        raise PersonInputError({"birth_date": problem})
    words = fold(query.replace("-", " ").replace("'", " ")).split()
    if not words and birth_date is None:
        return []
    people = Person.objects.filter(region_id=by.region_id, merged_into__isnull=True)
    for word in words[:6]:
        people = people.filter(name_key__contains=word)
    if birth_date is not None:
        people = people.filter(birth_date=birth_date)
    found = list(people.order_by("family_name", "given_name", "birth_date")[:SEARCH_LIMIT])
    for person in found:
        record_audit_event(by, "list_person", person, reason="person search")
    return found


def read_person(person_id, *, by, reason: str) -> Person:
    """The record, for a reason; the read is written to the audit log. A merged record
    leads to the one it was merged into."""
    require_reader(by)
    person = get_from_request(visible_to(by).select_related("region"), person_id)
    while person.merged_into_id is not None:
        person = person.merged_into
    require_access(by, person)
    record_audit_event(by, "read_person", person, reason=reason)
    return person


@dataclass
class PersonFile:
    """What the person page shows, read once (one audit line)."""

    person: Person
    household: list[HouseholdLink]
    consents: list
    contacts: list
    access_log: list


def person_file(person_id, *, by, reason: str) -> PersonFile:
    """The person's record with household, consents, contacts and who accessed it."""
    from proxima.core.models import AuditEvent

    person = read_person(person_id, by=by, reason=reason)
    access_log = AuditEvent.objects.filter(
        object_type=Person._meta.label_lower, object_id=str(person.pk)
    ).select_related("actor")[:100]
    links = list(person.household_links.select_related("relative").order_by("relationship"))
    note_relatives_shown(by, links)
    return PersonFile(
        person=person,
        household=links,
        consents=list(person.consents.select_related("recipient_organization", "guardian")),
        contacts=list(person.contacts.order_by("-started_at")[:50]),
        access_log=list(access_log),
    )


def household(person: Person, *, by) -> list[HouseholdLink]:
    """The person's household links (relatives), audited as a read of the family."""
    require_access(by, person)
    links = list(person.household_links.select_related("relative").order_by("relationship"))
    record_audit_event(by, "read_household", person, reason="household")
    note_relatives_shown(by, links)
    return links


def note_relatives_shown(by, links: list[HouseholdLink]) -> None:
    """Each relative named on another's file is in their own access log too."""
    for link in links:
        record_audit_event(by, "show_person_name", link.relative, reason="household")


@transaction.atomic
def link_household(person: Person, relative: Person, relationship: str, *, by) -> None:
    """Record that `relative` is the person's <relationship>, and the inverse link."""
    require_access(by, person)
    require_access(by, relative)
    if person.pk == relative.pk:
        raise PersonInputError({"relative": _("A person cannot be their own relative.")})
    if relationship not in Relationship.values:
        raise PersonInputError({"relationship": _("Unknown relationship.")})
    HouseholdLink.objects.get_or_create(person=person, relative=relative, relationship=relationship)
    HouseholdLink.objects.get_or_create(
        person=relative, relative=person, relationship=INVERSE_RELATIONSHIP[relationship]
    )
    record_audit_event(
        by,
        "link_household",
        person,
        detail={"relative": str(relative.pk), "relationship": relationship},
    )


@transaction.atomic
def merge_people(keep: Person, duplicate: Person, *, by, reason: str) -> Person:
    """Fold `duplicate` into `keep`: its household links and consents move over; the
    duplicate stays, marked as merged, so every history keeps its meaning."""
    require_access(by, keep)
    require_access(by, duplicate)
    if keep.pk == duplicate.pk or not keep.is_active or not duplicate.is_active:
        raise PersonInputError({"duplicate": _("Only two different active records can be merged.")})
    for link in HouseholdLink.objects.filter(person=duplicate):
        if link.relative_id != keep.pk:
            HouseholdLink.objects.get_or_create(
                person=keep, relative=link.relative, relationship=link.relationship
            )
    for link in HouseholdLink.objects.filter(relative=duplicate):
        if link.person_id != keep.pk:
            HouseholdLink.objects.get_or_create(
                person=link.person, relative=keep, relationship=link.relationship
            )
    HouseholdLink.objects.filter(Q(person=duplicate) | Q(relative=duplicate)).delete()
    duplicate.consents.update(person=keep)
    for field_name in ("birth_date", "phone", "email", "postal_code", "preferred_name", "pronouns"):
        if not getattr(keep, field_name) and getattr(duplicate, field_name):
            setattr(keep, field_name, getattr(duplicate, field_name))
    keep.save()
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into", "updated_at"])
    for person in (keep, duplicate):
        record_audit_event(by, "merge_person", person, reason=reason, detail={"kept": str(keep.pk)})
    return keep


def area_of(person: Person) -> list:
    """The territories around the person's postal code (its postal area's centre: the
    area, not the address), region first; none without a known postal code."""
    from proxima.directory.services import geo
    from proxima.territories.services import territories_at

    point = geo.postal_code_point(person.postal_code or "")
    return territories_at(point.latitude, point.longitude) if point else []


@dataclass(frozen=True)
class KeptRecord:
    """What a de-identified extract reads of a person: the record kept after merges (its
    id), the birth date and the postal code."""

    id: object
    birth_date: date | None
    postal_code: str


def kept_records(person_ids: QuerySet) -> dict:
    """Per person id (a query of ids), the record it was merged into, followed to the end
    (itself when not merged), so that one person counts once: for aggregate figures and
    the de-identified research extract only, never to show a person."""
    fields = ("pk", "merged_into_id", "birth_date", "postal_code")
    asked = Person.objects.filter(pk__in=person_ids).values_list(*fields)
    known = {row[0]: row for row in asked.iterator(chunk_size=5000)}
    firsts = list(known)
    while missing := {
        row[1] for row in known.values() if row[1] is not None and row[1] not in known
    }:
        found = list(Person.objects.filter(pk__in=missing).values_list(*fields))
        if not found:
            break
        known.update((row[0], row) for row in found)
    kept = {}
    for pk in firsts:
        row, seen = known[pk], {pk}
        while row[1] is not None and row[1] in known and row[1] not in seen:
            seen.add(row[1])
            row = known[row[1]]
        kept[pk] = KeptRecord(row[0], row[2], row[3] or "")
    return kept
