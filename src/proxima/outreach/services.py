"""Mobile outreach: who records and reads outreach contacts, and the one action that
stores one (from the page or from a phone's queue).

One row-level rule (`visible_to`), in the user's region only: a worker reads the contacts
they recorded and those of their teams; the region's overseers (coordinators) read them
all, without writing. Every list read is audited (`read_outreach`), every contact stored
too (`record_outreach`).

Idempotent by the contact's id, which the phone makes: the same contact sent again (a
queue replayed after a lost answer) is found, not stored twice; another contact under an
id already used (another worker's, or other content) is a conflict, and nothing is
written.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from proxima.core.audit import record_audit_event
from proxima.core.errors import InputError, is_blank, moment_out_of_range
from proxima.core.roles import OVERSEE_REGION_OUTREACH, RECORD_OUTREACH, in_region
from proxima.directory.services.taxonomy import first_level_domains
from proxima.emergency.models import Event
from proxima.emergency.services import active_events
from proxima.intake.models import Channel
from proxima.intake.services.episodes import close_episode, open_episode
from proxima.outreach.models import (
    MAX_AGE_DAYS,
    MAX_PEOPLE,
    NOTE_LENGTH,
    ORIENTATION_NOTE_LENGTH,
    PLACE_LENGTH,
    AgeBand,
    Help,
    Orientation,
    OutreachContact,
)
from proxima.teams.models import Team, TeamKind
from proxima.teams.services import team_ids_of, teams_of
from proxima.territories.models import Territory
from proxima.territories.services import territory_ids_within

# At most this many contacts listed on a page, and sent in one batch by a phone.
LISTED = 200
BATCH = 50


class OutreachInputError(InputError):
    """What cannot be stored for this contact, field by field (nothing written)."""


class OutreachConflict(Exception):
    """The id is already used by another contact (nothing written)."""


# --- who records and reads ----------------------------------------------------------------


def records_outreach(user) -> bool:
    """A worker who records outreach contacts, attached to a region."""
    return in_region(user, RECORD_OUTREACH, getattr(user, "region_id", None))


def oversees_outreach(user) -> bool:
    return in_region(user, OVERSEE_REGION_OUTREACH, getattr(user, "region_id", None))


def can_read_outreach(user) -> bool:
    """Those who may open the list of contacts at all (others: 403)."""
    return records_outreach(user) or oversees_outreach(user)


def require_recorder(user) -> None:
    if not records_outreach(user):
        raise PermissionDenied(_("You do not record outreach contacts."))


def visible_to(user) -> QuerySet[OutreachContact]:
    """The contacts this user may read: the one row-level rule of the domain."""
    if oversees_outreach(user):
        return OutreachContact.objects.filter(region_id=user.region_id)
    if not records_outreach(user):
        return OutreachContact.objects.none()
    return OutreachContact.objects.filter(region_id=user.region_id).filter(
        Q(recorded_by=user) | Q(team_id__in=team_ids_of(user))
    )


def contacts_for(user) -> dict:
    """The contacts the user may read, the latest first (at most LISTED), audited."""
    contacts = list(
        visible_to(user).select_related("recorded_by", "territory", "team", "event")[:LISTED]
    )
    record_audit_event(user, "read_outreach", None, detail={"contacts": len(contacts)})
    return {"contacts": contacts, "cut": len(contacts) == LISTED}


def outreach_team(user) -> Team | None:
    """The team a contact is recorded for: the user's mobile outreach team in the region,
    else their first team there."""
    teams = list(teams_of(user).filter(region_id=user.region_id))
    mobile = [team for team in teams if team.kind == TeamKind.MOBILE_OUTREACH]
    return (mobile or teams or [None])[0]


def events_for_outreach(user) -> QuerySet[Event]:
    """The region's active emergencies, offered as the contact's context."""
    if not records_outreach(user):
        return Event.objects.none()
    return active_events(user.region_id)


def events_of_region(region_id) -> QuerySet[Event]:
    """Any emergency of the region: a contact kept on a phone may be sent after its
    emergency was closed (whether it was under way then is checked when it is stored)."""
    return Event.objects.filter(region_id=region_id)


# --- recording ----------------------------------------------------------------------------


@dataclass
class ContactInput:
    id: uuid.UUID
    met_at: datetime
    place: str
    territory: Territory | None = None
    people_count: int = 1
    age_band: str = AgeBand.UNKNOWN
    need_domains: list[str] = field(default_factory=list)
    help_given: list[str] = field(default_factory=list)
    orientation: str = Orientation.NONE
    orientation_note: str = ""
    note: str = ""
    event: Event | None = None
    was_queued: bool = False
    # How far the phone's clock is behind the server's (negative: ahead), measured when it
    # sent the contact: added to `met_at` (a replay, measured again, is still the same).
    clock_offset: timedelta = timedelta(0)

    @property
    def moment(self) -> datetime:
        """When the contact took place, by the server's clock."""
        return self.met_at + self.clock_offset


def _digest(data: ContactInput) -> str:
    """What the contact says, as one hash: a replay gives the same."""
    content = {
        "met_at": data.met_at.astimezone(UTC).replace(microsecond=0).isoformat(),
        "place": data.place.strip(),
        "territory": data.territory.pk if data.territory else None,
        "people_count": data.people_count,
        "age_band": data.age_band,
        "need_domains": sorted(data.need_domains),
        "help_given": sorted(data.help_given),
        "orientation": data.orientation,
        "orientation_note": data.orientation_note.strip(),
        "note": data.note.strip(),
        "event": str(data.event.pk) if data.event else None,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _check(data: ContactInput, by) -> dict[str, str]:
    """Every rule the form does not already hold (the service is called by others too)."""
    errors: dict[str, str] = {}
    now = timezone.now()
    if (problem := moment_out_of_range(data.met_at)) or (
        problem := moment_out_of_range(data.moment)
    ):
        errors["met_at"] = problem
    elif data.moment > now + timedelta(minutes=5):
        errors["met_at"] = _("A contact cannot be in the future.")
    elif data.moment < now - timedelta(days=MAX_AGE_DAYS):
        errors["met_at"] = _(
            "This contact is more than %(days)d days old: record it on the region's "
            "paper form and tell your team lead."
        ) % {"days": MAX_AGE_DAYS}
    if is_blank(data.place):
        errors["place"] = _("Say where the contact took place.")
    elif len(data.place) > PLACE_LENGTH:
        errors["place"] = _("At most %d characters.") % PLACE_LENGTH
    if not 1 <= data.people_count <= MAX_PEOPLE:
        errors["people_count"] = _("Between 1 and %d people.") % MAX_PEOPLE
    if data.age_band not in AgeBand.values:
        errors["age_band"] = _("Choose an age from the list.")
    if any(code not in first_level_domains() for code in data.need_domains):
        errors["need_domains"] = _("Choose the needs from the list.")
    if any(code not in Help.values for code in data.help_given):
        errors["help_given"] = _("Choose the help from the list.")
    if data.orientation not in Orientation.values:
        errors["orientation"] = _("Choose an orientation from the list.")
    if len(data.orientation_note) > ORIENTATION_NOTE_LENGTH:
        errors["orientation_note"] = _("At most %d characters.") % ORIENTATION_NOTE_LENGTH
    if len(data.note) > NOTE_LENGTH:
        errors["note"] = _("At most %d characters.") % NOTE_LENGTH
    if data.territory is not None and data.territory.pk not in territory_ids_within(by.region_id):
        errors["territory"] = _("Choose a territory of your region.")
    if data.event is not None:
        event = data.event
        started = event.activated_at
        if event.region_id != by.region_id or started is None:
            errors["event"] = _("Choose an emergency under way in your region.")
        elif "met_at" not in errors and not (
            started - timedelta(hours=1) <= data.moment
            and (event.closed_at is None or data.moment <= event.closed_at)
        ):
            errors["event"] = _("This emergency was not under way when the contact took place.")
    return errors


def record_contact(data: ContactInput, *, by) -> tuple[OutreachContact, bool]:
    """Store an outreach contact, counted as an anonymous contact of the "mobile
    outreach" channel; the same contact sent again is found (False), not stored twice."""
    require_recorder(by)
    if problem := moment_out_of_range(data.met_at):  # no such moment was ever stored
        raise OutreachInputError({"met_at": problem})
    digest = _digest(data)
    # A replay first: stored already, it is answered so whatever its moment says today
    # (the clock's correction is measured again at each send).
    if (found := _replayed(data.id, digest, by)) is not None:
        return found, False
    if errors := _check(data, by):
        raise OutreachInputError(errors)
    try:
        with transaction.atomic():
            contact = _store(data, digest, by)
    except IntegrityError:  # the same id stored meanwhile (two sends at once)
        if (found := _replayed(data.id, digest, by)) is not None:
            return found, False
        raise
    return contact, True


def _replayed(contact_id, digest: str, by) -> OutreachContact | None:
    """The contact already stored under this id when it is the same; a conflict when the
    id holds another (another worker's, or other content)."""
    stored = OutreachContact.objects.filter(pk=contact_id).first()
    if stored is None:
        return None
    if stored.recorded_by_id != by.pk or stored.digest != digest:
        raise OutreachConflict
    return stored


def _store(data: ContactInput, digest: str, by) -> OutreachContact:
    episode = open_episode(
        by=by,
        channel=Channel.MOBILE_OUTREACH,
        reason=data.note.strip(),
        started_at=data.moment,
    )
    close_episode(episode, by=by)
    contact = OutreachContact.objects.create(
        id=data.id,
        region_id=by.region_id,
        recorded_by=by,
        team=outreach_team(by),
        met_at=data.moment,
        was_queued=data.was_queued,
        place=data.place.strip(),
        territory=data.territory,
        people_count=data.people_count,
        age_band=data.age_band,
        need_domains=list(dict.fromkeys(data.need_domains)),
        help_given=list(dict.fromkeys(data.help_given)),
        orientation=data.orientation,
        orientation_note=data.orientation_note.strip(),
        note=data.note.strip(),
        event=data.event,
        episode=episode,
        digest=digest,
    )
    detail = {"event": str(data.event.pk)} if data.event else {}
    record_audit_event(by, "record_outreach", contact, detail=detail)
    return contact
