"""The de-identified research extract: one row per contact of a region over a period,
under pseudonyms, k-anonymous (issue 12).

- People and contacts appear under keyed pseudonyms (HMAC-SHA256 with a key kept outside
  the database, `extract_key`): the same for one key, unlinkable to anything without it.
- Nothing names or dates anyone: no name, birth date, postal code, free text (the reason,
  notes) nor internal id; an age band at the contact instead of the birth date, the month
  (or coarser) instead of the day, the territory holding the postal area's centre instead
  of the postal code.
- The quasi-identifiers (age band, territory, month, language) are generalized, one step
  of one ladder at a time, until at most 2% of the rows sit in a combination of values
  shared by fewer than k people; those rows are then left out. A person's several
  contacts count once in a combination (distinct pseudonyms), an anonymous contact as one
  person. `Extract.report` says what was generalized and left out.

The other columns (needs, risks, referrals...) are not generalized: k-anonymity protects
against finding someone's rows, not against what every row of a combination shares.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import re
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from proxima.core.audit import SYSTEM, record_audit_event
from proxima.core.errors import InputError, year_range_message
from proxima.core.formats import csv_text
from proxima.core.models import Region
from proxima.core.roles import EXPORT_RESEARCH_EXTRACT, in_region
from proxima.directory.services import geo
from proxima.indicators.services import Scope
from proxima.intake.models import Channel, Priority, RiskKind
from proxima.intake.services import episodes
from proxima.matching.services import BARRIERS
from proxima.people.services.consent import age_at
from proxima.people.services.records import kept_records
from proxima.referrals.lifecycle import TERMINAL, was_accepted
from proxima.referrals.services import access
from proxima.territories.models import TerritoryLevel
from proxima.territories.services import assign_points, current_territories, lineage

MINIMUM_KEY_LENGTH = 32
KEY_FILE_NAME = ".proxima-extract-key"
PSEUDONYM_LENGTH = 16  # hexadecimal digits: 64 bits
DEFAULT_K = 5
MINIMUM_K, MAXIMUM_K = 2, 1000
SUPPRESS_AT_MOST = 0.02  # the share of rows that may be left out instead of generalizing
UNKNOWN = "unknown"
ANY = "*"
YES, NO = "yes", "no"


class ExtractError(InputError):
    """An extract that cannot be made (its key, its period, its k), field by field."""


# --- the key -----------------------------------------------------------------------------


def extract_key() -> bytes:
    """The pseudonyms' key, from outside the database: PROXIMA_EXTRACT_KEY, or the file
    PROXIMA_EXTRACT_KEY_FILE names; outside production, one generated once for this
    working directory and kept (readable by its owner only), as SECRET_KEY is."""
    if settings.PROXIMA_EXTRACT_KEY:
        return checked_key(settings.PROXIMA_EXTRACT_KEY)
    path = settings.PROXIMA_EXTRACT_KEY_FILE
    if path:
        try:
            return checked_key(Path(path).read_text(encoding="utf-8").strip())
        except (OSError, UnicodeDecodeError):
            raise ExtractError(
                {
                    "key": _("The research extract's key file %(path)s cannot be read.")
                    % {"path": path}
                }
            ) from None
    if settings.PRODUCTION:
        raise ExtractError(
            {
                "key": _(
                    "Set the research extract's key outside the database: PROXIMA_EXTRACT_KEY, "
                    "or PROXIMA_EXTRACT_KEY_FILE naming a file that holds it."
                )
            }
        )
    return checked_key(_kept_key(Path.cwd() / KEY_FILE_NAME))


def checked_key(value: str | bytes) -> bytes:
    """The key as bytes, refused when short, made of a few characters repeated, or
    SECRET_KEY itself (which signs sessions: it must not also make pseudonyms)."""
    key = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    if len(key) < MINIMUM_KEY_LENGTH or len(set(key)) < 5:
        raise ExtractError(
            {
                "key": _(
                    "The research extract's key must be at least %(length)d characters "
                    "long, not a few repeated."
                )
                % {"length": MINIMUM_KEY_LENGTH}
            }
        )
    if hmac.compare_digest(key, settings.SECRET_KEY.encode("utf-8")):
        raise ExtractError({"key": _("The research extract's key must not be the SECRET_KEY.")})
    return key


def _kept_key(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip() or _new_key(path)
    except FileNotFoundError:
        return _new_key(path)


def _new_key(path: Path) -> str:
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(key)
    return key


def pseudonym(key: bytes, kind: str, identifier) -> str:
    """The keyed pseudonym of a person or a contact: HMAC-SHA256 of "kind:id",
    hexadecimal, cut to 16 digits."""
    message = f"{kind}:{identifier}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]


def key_id(key: bytes) -> str:
    """A short fingerprint of an extract's pseudonym key (not the key): the audit log and
    the report name the extract by it."""
    return hmac.new(key, b"proxima research extract key id", hashlib.sha256).hexdigest()[:8]


# --- the quasi-identifiers' ladders ------------------------------------------------------------

# Each ladder's levels, finest first; the greedy search tries them in this order on ties.
LADDERS: dict[str, tuple[str, ...]] = {
    "territory": ("clsc", "local_network", "region", "all"),
    "month": ("month", "quarter", "year"),
    "age_band": ("band", "wide_band", "all"),
    "language": ("language", "french_english_other", "all"),
}
QUASI_IDENTIFIERS = tuple(LADDERS)

QUASI_IDENTIFIER_LABELS = {
    "territory": gettext_lazy("territory"),
    "month": gettext_lazy("date of the contact"),
    "age_band": gettext_lazy("age"),
    "language": gettext_lazy("language"),
}
LEVEL_LABELS = {
    ("territory", "clsc"): gettext_lazy("CLSC territory"),
    ("territory", "local_network"): gettext_lazy("local network (RLS)"),
    ("territory", "region"): gettext_lazy("region"),
    ("month", "month"): gettext_lazy("month"),
    ("month", "quarter"): gettext_lazy("quarter"),
    ("month", "year"): gettext_lazy("year"),
    ("age_band", "band"): gettext_lazy("age band (0-11, 12-17, 18-24, then by 10 years, 75+)"),
    ("age_band", "wide_band"): gettext_lazy("wide age band (0-17, 18-34, 35-64, 65+)"),
    ("language", "language"): gettext_lazy("language"),
    ("language", "french_english_other"): gettext_lazy("French, English or other"),
}
REMOVED_LABEL = gettext_lazy("removed (*)")

AGE_BANDS = [
    (0, 11),
    (12, 17),
    (18, 24),
    (25, 34),
    (35, 44),
    (45, 54),
    (55, 64),
    (65, 74),
    (75, None),
]
WIDE_AGE_BANDS = [(0, 17), (18, 34), (35, 64), (65, None)]


def age_band(age: int | None, bands: list[tuple[int, int | None]] = AGE_BANDS) -> str:
    """ "25-34", "75+", or "unknown" (no birth date, or one after the contact)."""
    if age is None or age < 0:
        return UNKNOWN
    for low, high in bands:
        if high is None:
            return f"{low}+"
        if age <= high:
            return f"{low}-{high}"
    return UNKNOWN


_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_CODE = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")


def language_code(value: str) -> str:
    """An ISO 639 code ("fr-CA" → "fr"); anything else as "unknown" (never free text)."""
    base = re.split(r"[-_]", (value or "").strip().lower())[0]
    return base if _LANGUAGE.match(base) else UNKNOWN


def _codes(values, allowed=None) -> str:
    """Codes joined with ";" in order; anything that is not a code (free text) left out."""
    found = {str(v) for v in values or [] if isinstance(v, str) and _CODE.match(v)}
    if allowed is not None:
        found &= set(allowed)
    return ";".join(sorted(found))


# --- the extract --------------------------------------------------------------------------

HEADER = [
    "person",
    "contact",
    "age_band",
    "territory",
    "month",
    "language",
    "channel",
    "priority",
    "escalated",
    "risks",
    "needs",
    "barriers",
    "strengths",
    "referrals",
    "referral_accepted",
    "loop_closed",
    "first_appointment_days",
]
COLUMN_DESCRIPTIONS = {
    "person": gettext_lazy("the person's pseudonym (empty for an anonymous contact)"),
    "contact": gettext_lazy("the contact's pseudonym"),
    "age_band": gettext_lazy("age at the contact, in a band"),
    "territory": gettext_lazy(
        "code of the territory holding the centre of the person's postal area "
        "(a coarser territory's code where no finer one holds it)"
    ),
    "month": gettext_lazy("when the contact started: month (YYYY-MM), quarter or year"),
    "language": gettext_lazy("language of the contact (ISO 639)"),
    "channel": gettext_lazy("the door the contact came through"),
    "priority": gettext_lazy("the priority set at intake"),
    "escalated": gettext_lazy("whether a screening raised a risk (written yes or no)"),
    "risks": gettext_lazy("the risks raised"),
    "needs": gettext_lazy("the need domains of the latest needs screening"),
    "barriers": gettext_lazy("the barriers the person named"),
    "strengths": gettext_lazy("the protective factors of the latest needs screening"),
    "referrals": gettext_lazy("referrals made from the contact"),
    "referral_accepted": gettext_lazy("whether one of them was accepted (empty: none made)"),
    "loop_closed": gettext_lazy("whether the loop of one of them is closed (empty: none made)"),
    "first_appointment_days": gettext_lazy(
        "days from the contact to the first appointment a referral gave"
    ),
}
assert list(COLUMN_DESCRIPTIONS) == HEADER  # noqa: S101 (a module invariant)


@dataclass
class Extract:
    """The extract's rows under `header` and the report of what was generalized."""

    header: list[str]
    rows: list[list]
    report: dict = field(default_factory=dict)

    def report_lines(self, language: str | None = None) -> list[str]:
        """The report in words, in the given language (else the active one)."""
        if language:
            with translation.override(language):
                return _report_lines(self.report)
        return _report_lines(self.report)


@dataclass
class _Record:
    identity: str  # whom the row is about, for counting people: a person or the contact
    values: dict[str, tuple[str, ...]]  # per quasi-identifier, its value at each level
    cells: list  # the other cells in the header's order: person, contact, channel...


def build_extract(
    region_id: int,
    start: date,
    end: date,
    *,
    key: bytes,
    k: int = DEFAULT_K,
    suppress_at_most: float = SUPPRESS_AT_MOST,
    salt: bytes | None = None,
) -> Extract:
    """One row per contact of the region started in the period (both days included),
    pseudonymous, generalized until k-anonymous, with the report of what was done.

    The pseudonyms are keyed by the key and by a random salt drawn for this extract
    (`salt` only for tests): within it a person's contacts share one pseudonym; across
    two extracts none can be joined, so that two overlapping extracts (a period and the
    same one a day shorter) cannot be lined up row by row to undo the generalization."""
    key = hmac.new(
        checked_key(key),
        b"proxima extract " + (salt if salt is not None else secrets.token_bytes(16)),
        hashlib.sha256,
    ).digest()
    _check_request(start, end, k)
    region = Region.objects.filter(pk=region_id).first()
    if region is None:
        raise ExtractError({"region": _("Unknown region.")})
    scope = Scope(region.pk, start, end)
    records = _records(scope, key)
    levels, steps = _generalize(records, k, suppress_at_most)
    classes = _classes(records, levels)
    kept = [r for r in records if len(classes[_key(r, levels)]) >= k]
    rows = []
    for record in kept:
        qi = {name: record.values[name][levels[name]] for name in QUASI_IDENTIFIERS}
        person, contact, *rest = record.cells
        rows.append(
            [person, contact, qi["age_band"], qi["territory"], qi["month"], qi["language"], *rest]
        )
    month, contact = HEADER.index("month"), HEADER.index("contact")
    rows.sort(key=lambda row: (row[month], row[contact]))  # not the order they came in
    sizes = [len(people) for people in classes.values() if len(people) >= k]
    report = {
        "region": region.code,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "k": k,
        "quasi_identifiers": list(QUASI_IDENTIFIERS),
        "levels": {name: LADDERS[name][levels[name]] for name in QUASI_IDENTIFIERS},
        "steps": steps,
        "suppress_at_most": suppress_at_most,
        "rows_in": len(records),
        "rows_out": len(rows),
        "rows_suppressed": len(records) - len(rows),
        "people": len({r.identity for r in kept}),
        "classes": len(sizes),
        "smallest_class": min(sizes) if sizes else None,
        "key_id": key_id(key),
    }
    return Extract(list(HEADER), rows, report)


def _check_request(start: date, end: date, k: int) -> None:
    errors = {}
    for name, day in (("start", start), ("end", end)):
        if not isinstance(day, date):
            errors[name] = _("Give a date.")
        elif not 1900 <= day.year <= 2199:
            errors[name] = year_range_message()
    if not errors and start > end:
        errors["end"] = _("The period ends before it starts.")
    if isinstance(k, bool) or not isinstance(k, int) or not MINIMUM_K <= k <= MAXIMUM_K:
        errors["k"] = _("k is a whole number from %(low)d to %(high)d.") % {
            "low": MINIMUM_K,
            "high": MAXIMUM_K,
        }
    if errors:
        raise ExtractError(errors)


def _records(scope: Scope, key: bytes) -> list[_Record]:
    """Each contact of the scope with its quasi-identifiers' ladders and its other cells."""
    contacts = episodes.contacts_between(scope.region_id, scope.since, scope.until)
    ids = contacts.order_by().values("pk")
    people = kept_records(contacts.filter(person__isnull=False).order_by().values("person_id"))
    places = _territory_ladders({p.postal_code for p in people.values()}, on=scope.end)
    outcomes = episodes.latest_needs_outcomes(ids)
    risks: dict = defaultdict(set)
    for episode_id, kind in episodes.escalations_of(ids).values_list("episode_id", "kind"):
        risks[episode_id].add(kind)
    referrals: dict = defaultdict(list)
    for row in access.made_from(ids).iterator(chunk_size=5000):
        referrals[row["episode_id"]].append(row)
    first_appointment = {row["episode_id"]: row["first"] for row in access.first_appointments(ids)}
    zone = ZoneInfo(settings.TIME_ZONE)
    records = []
    for contact in (
        contacts.order_by("started_at", "pk")
        .values("pk", "person_id", "started_at", "language", "channel", "priority", "barriers")
        .iterator(chunk_size=5000)
    ):
        day = contact["started_at"].astimezone(zone).date()
        person = people.get(contact["person_id"])
        # An anonymous contact is one person of its own, of unknown age and place.
        identity, person_pseudonym, age, place = f"contact:{contact['pk']}", "", None, None
        if person is not None:
            identity = f"person:{person.id}"
            person_pseudonym = pseudonym(key, "person", person.id)
            age = age_at(person.birth_date, day)
            place = places.get(_fsa(person.postal_code))
        language = language_code(contact["language"])
        outcome = outcomes.get(contact["pk"]) or {}
        made = referrals.get(contact["pk"], [])
        first = first_appointment.get(contact["pk"])
        values = {
            "territory": (*(place or (UNKNOWN,) * 3), ANY),
            "month": (f"{day:%Y-%m}", f"{day.year}-Q{(day.month - 1) // 3 + 1}", str(day.year)),
            "age_band": (age_band(age), age_band(age, WIDE_AGE_BANDS), ANY),
            "language": (language, language if language in ("fr", "en", UNKNOWN) else "other", ANY),
        }
        cells = [
            person_pseudonym,
            pseudonym(key, "contact", contact["pk"]),
            contact["channel"] if contact["channel"] in Channel.values else "",
            contact["priority"] if contact["priority"] in Priority.values else "",
            YES if risks.get(contact["pk"]) else NO,
            _codes(risks.get(contact["pk"]), RiskKind.values),
            _codes(list((outcome.get("needs") or {}) if isinstance(outcome, dict) else [])),
            _codes(contact["barriers"], BARRIERS),
            _codes(outcome.get("strengths") if isinstance(outcome, dict) else []),
            len(made),
            _yes_no(made, any(was_accepted(r["status"], r["responded_at"]) for r in made)),
            _yes_no(made, any(r["status"] in TERMINAL and r["closed_at"] for r in made)),
            None
            if first is None
            else max(0, math.floor((first - contact["started_at"]).total_seconds() / 86400)),
        ]
        records.append(_Record(identity, values, cells))
    return records


def _yes_no(referrals: list, answer: bool) -> str:
    if not referrals:
        return ""
    return YES if answer else NO


def _fsa(postal_code: str) -> str:
    code = geo.normalize_postal_code(postal_code or "")
    return code[:3] if code else ""


def _territory_ladders(postal_codes: set[str], *, on: date) -> dict[str, tuple[str, str, str]]:
    """Per postal area (FSA), the codes of the CLSC territory, local network and region
    holding its centre; a level where none holds it takes the next coarser one's code,
    "unknown" where no territory does."""
    points = geo.fsa_points()
    fsas = sorted({f for f in map(_fsa, postal_codes) if f in points})
    levels = [TerritoryLevel.CLSC, TerritoryLevel.LOCAL_NETWORK, TerritoryLevel.REGION]
    held: dict[str, int] = {}
    for level in levels:  # the finest territory holding each point
        pending = [f for f in fsas if f not in held]
        assigned = assign_points([points[f][:2] for f in pending], level=level, on=on)
        held.update((f, pk) for f, pk in zip(pending, assigned, strict=True) if pk is not None)
    lines = lineage(on)
    named = {
        pk: (level, code)
        for pk, level, code in current_territories(on).values_list("pk", "level", "code")
    }
    ladders = {}
    for fsa, pk in held.items():
        codes = dict(named[t] for t in lines.get(pk, [pk]) if t in named)
        region = codes.get(TerritoryLevel.REGION, UNKNOWN)
        network = codes.get(TerritoryLevel.LOCAL_NETWORK, region)
        ladders[fsa] = (codes.get(TerritoryLevel.CLSC, network), network, region)
    return ladders


# --- k-anonymity ------------------------------------------------------------------------


def _key(record: _Record, levels: dict[str, int]) -> tuple:
    return tuple(record.values[name][levels[name]] for name in QUASI_IDENTIFIERS)


def _classes(records: list[_Record], levels: dict[str, int]) -> dict[tuple, set]:
    """The equivalence classes at these levels: each combination's distinct people."""
    classes: dict[tuple, set] = defaultdict(set)
    for record in records:
        classes[_key(record, levels)].add(record.identity)
    return classes


def _violations(records: list[_Record], levels: dict[str, int], k: int) -> tuple[int, int]:
    """The rows in combinations of fewer than k people, and the people these combinations
    lack (how far from k they are: merging two small ones brings them closer)."""
    classes = _classes(records, levels)
    rows = Counter(_key(r, levels) for r in records)
    small = [
        (combination, len(people)) for combination, people in classes.items() if len(people) < k
    ]
    return sum(rows[c] for c, _size in small), sum(k - size for _c, size in small)


def _generalize(
    records: list[_Record], k: int, suppress_at_most: float
) -> tuple[dict[str, int], list[str]]:
    """Greedy and deterministic: while more rows than allowed sit in combinations of fewer
    than k people, take the one step (one quasi-identifier one level up) that leaves the
    fewest such rows, then the fewest people lacking, then the first in LADDERS' order;
    the language is removed only when that does strictly better than any other step."""
    levels = dict.fromkeys(QUASI_IDENTIFIERS, 0)
    steps: list[str] = []
    allowed = math.floor(suppress_at_most * len(records))
    violating, _lacking = _violations(records, levels, k)
    while violating > allowed:
        best = None
        for order, name in enumerate(QUASI_IDENTIFIERS):
            if levels[name] + 1 >= len(LADDERS[name]):
                continue
            trial = {**levels, name: levels[name] + 1}
            removes_language = name == "language" and trial[name] == len(LADDERS[name]) - 1
            rows, lacking = _violations(records, trial, k)
            rank = (rows, removes_language, lacking, order)
            if best is None or rank < best[0]:
                best = (rank, name)
        if best is None:
            break  # every ladder at its top: the rest is left out
        (violating, *_rest), name = best
        levels[name] += 1
        steps.append(f"{name}:{LADDERS[name][levels[name]]}")
    return levels, steps


def k_anonymity(header: list[str], rows: list[list]) -> int | None:
    """The smallest number of distinct people sharing a combination of the
    quasi-identifiers in these rows (a row without a person pseudonym is one person),
    None without rows: how a reader of the extract checks it."""
    columns = [header.index(name) for name in QUASI_IDENTIFIERS]
    person, contact = header.index("person"), header.index("contact")
    classes: dict[tuple, set] = defaultdict(set)
    for row in rows:
        who = f"person:{row[person]}" if row[person] else f"contact:{row[contact]}"
        classes[tuple(row[c] for c in columns)].add(who)
    return min((len(people) for people in classes.values()), default=None)


# --- output ---------------------------------------------------------------------------------


def extract_csv(extract: Extract) -> str:
    """The extract as CSV (UTF-8 with a byte-order mark, as every export)."""
    return csv_text(extract.header, extract.rows)


def _level_label(name: str, level: str) -> str:
    return str(LEVEL_LABELS.get((name, level), REMOVED_LABEL))


def _report_lines(report: dict) -> list[str]:
    lines = [
        _("Research extract of region %(region)s, contacts from %(start)s to %(end)s.")
        % {"region": report["region"], "start": report["start"], "end": report["end"]},
        _(
            "k-anonymity: every combination of age, territory, date and language holds at "
            "least %(k)d people (a person's several contacts count once, an anonymous "
            "contact as one person)."
        )
        % {"k": report["k"]},
        _("Contacts: %(rows_in)d; in the extract: %(rows_out)d; left out: %(suppressed)d.")
        % {
            "rows_in": report["rows_in"],
            "rows_out": report["rows_out"],
            "suppressed": report["rows_suppressed"],
        },
    ]
    if report["smallest_class"] is not None:
        lines.append(
            _("Combinations: %(classes)d; the smallest holds %(smallest)d people.")
            % {"classes": report["classes"], "smallest": report["smallest_class"]}
        )
    lines.append(_("Generalized:"))
    for name in report["quasi_identifiers"]:
        level = report["levels"][name]
        finest = LADDERS[name][0]
        state = (
            _("%(level)s (not generalized)") % {"level": _level_label(name, level)}
            if level == finest
            else _("%(finest)s → %(level)s")
            % {"finest": _level_label(name, finest), "level": _level_label(name, level)}
        )
        said = _("%(label)s: %(error)s") % {"label": QUASI_IDENTIFIER_LABELS[name], "error": state}
        lines.append(f"  {said}")
    lines.append(
        _("This extract's pseudonyms: %(key_id)s (they cannot be joined with another extract's).")
        % {"key_id": report["key_id"]}
    )
    return lines


# --- the action ----------------------------------------------------------------------------


@transaction.atomic
def export_extract(
    region_id: int,
    start: date,
    end: date,
    *,
    by,
    key: bytes | None = None,
    k: int = DEFAULT_K,
) -> Extract:
    """The region's research extract, for someone holding the capability in that region
    or for Proxima itself (SYSTEM: the command an administrator runs on the server);
    written to the audit log with what it holds."""
    if by is not SYSTEM and not in_region(by, EXPORT_RESEARCH_EXTRACT, region_id):
        raise PermissionDenied(_("You may not export this region's research extract."))
    extract = build_extract(region_id, start, end, key=extract_key() if key is None else key, k=k)
    report = extract.report
    record_audit_event(
        by,
        "research_extract",
        object_type="core.region",
        object_id=str(region_id),
        region_id=region_id,
        detail={
            name: report[name]
            for name in ("start", "end", "k", "levels", "rows_out", "rows_suppressed", "key_id")
        },
    )
    return extract
