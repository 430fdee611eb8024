"""The network's indicators, one function each, on top of the other domains.

Each function takes a `Scope` (a region, a period, and optionally a territory, a team or an
organization) and returns a `Result`: headline figures and a table, already protected
(core/suppression.py: no count from 1 to 4 is shown, nor one that could be recomputed). The
dashboard, its CSV/XLSX exports, its print view and the agreements' pages call these same
functions, so a figure is computed one way everywhere. The domains are read through their
services (counts and aggregates only: no person is ever shown here, so nothing is
audited as a read of personal information). What each counts, in words: definitions.py.
"""

from __future__ import annotations

import functools
import statistics
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    When,
    Window,
)
from django.db.models.functions import Cast, ExtractHour, Lag, Substr, Upper
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from proxima.agreements import services as agreements
from proxima.agreements.models import IndicatorKind
from proxima.core import suppression
from proxima.core.formats import time_span
from proxima.core.moments import start_of_day
from proxima.core.perturbation import (
    EXACT,
    PERTURBED,
    PRIME,
    Exact,
    keys_of,
    record_key,
)
from proxima.directory.services import geo
from proxima.indicators.definitions import BY_CODE, DEFINITIONS, Definition
from proxima.intake.models import Channel, Priority, RiskKind
from proxima.intake.services import episodes
from proxima.matching.services import BARRIERS
from proxima.prescriptions.models import PrescriptionStatus
from proxima.prescriptions.services import plans
from proxima.referrals.lifecycle import TERMINAL, RejectReason, Status
from proxima.referrals.models import hours_to_answer
from proxima.referrals.services import access
from proxima.teams.services import member_ids
from proxima.territories.models import LEVEL_ORDER, Territory, TerritoryLevel
from proxima.territories.services import (
    assign_points,
    current_territories,
    descendant_ids,
    outline_of,
    territories_of_region,
)

UNKNOWN = "unknown"


# --- what a result is ---------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """One figure as shown: `number` is None when hidden (`hidden`) or not computable."""

    number: float | int | date | None
    unit: str  # count, percent, hours, days, score, per_1000, date, reported
    hidden: bool = False
    low: float | None = None  # a 95% confidence interval, for means
    high: float | None = None


@dataclass
class Line:
    key: str
    label: str
    values: list[Value]


@dataclass
class Result:
    definition: Definition
    headline: list[tuple[str, Value]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # the table's header, first the rows'
    lines: list[Line] = field(default_factory=list)
    chart: bool = True  # a bar chart of the lines' first value
    applicable: bool = True
    reason: str = ""


@dataclass(frozen=True)
class Scope:
    """Whose figures: a region over a period (both days included), narrowed to the
    people of a territory, to a team's work or to an organization's referrals."""

    region_id: int
    start: date
    end: date
    territory: Territory | None = None
    team: object | None = None  # teams.Team
    organization: object | None = None  # directory.Organization
    # For readers of no record (evaluators): figures perturbed (core/perturbation.py).
    perturbed: bool = False

    @property
    def noise(self) -> Exact:
        """How its figures are shown: exact, or perturbed (each cell named by its
        records' keys, which are only computed then)."""
        return PERTURBED if self.perturbed else EXACT

    @property
    def since(self) -> datetime:
        return start_of_day(self.start)

    @property
    def until(self) -> datetime:
        return start_of_day(self.end + timedelta(days=1))


# Within one dashboard, what several indicators read alike, read once (`_shared`).
_SHARED: ContextVar[dict | None] = ContextVar("indicators_shared", default=None)


def _shared(key: tuple, compute):
    """`compute()`, once per key within a dashboard (`dashboard` opens the memo); an
    indicator asked alone computes afresh, so nothing outlives a request."""
    memo = _SHARED.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def count_value(count: int, noise: Exact = EXACT, cell: tuple = ()) -> Value:
    """A count as shown: hidden from 1 to 4, perturbed for some readers (`cell` names
    what it counts, the same wherever the same figure is shown)."""
    shown = suppression.protect_count(count)
    if shown is None:
        return Value(None, "count", hidden=count != 0)
    return Value(noise.count(shown, cell), "count")


def share_of(part: int, whole: int) -> float:
    """`part` of `whole` as a percentage, rounded to a tenth (at most 100: perturbed
    counts may cross)."""
    return round(min(100.0, 100.0 * part / whole), 1)


def part_value(
    part: int,
    whole: int,
    noise: Exact = EXACT,
    part_cell: tuple = (),
    whole_cell: tuple = (),
) -> Value:
    """A part of a whole as a percentage (hidden by the part-of-a-whole rule), of the
    counts as shown."""
    if whole == 0:
        return Value(None, "percent")
    if not suppression.protect_part(part, whole):
        return Value(None, "percent", hidden=True)
    return Value(share_of(noise.count(part, part_cell), noise.count(whole, whole_cell)), "percent")


def _part_count(part: int, whole: int, noise: Exact = EXACT, cell: tuple = ()) -> Value:
    """The count of a part shown under the same rule as its percentage."""
    if part == 0:
        return Value(0, "count")
    if not suppression.protect_part(part, whole):
        return Value(None, "count", hidden=True)
    return Value(noise.count(part, cell), "count")


def _median_value(values: list[float], unit: str) -> Value:
    if not values:
        return Value(None, unit)
    if len(values) < suppression.MINIMUM:
        return Value(None, unit, hidden=True)
    return Value(round(statistics.median(values), 1), unit)


def _distribution(
    definition: Definition,
    counts: dict[str, int],
    labels: dict[str, str],
    total: int,
    *,
    first_column: str,
    chart: bool = True,
    noise: Exact = EXACT,
    cells: dict[str, tuple] | None = None,
    total_cell: tuple = (),
) -> Result:
    """A distribution of a total over labelled rows (every label shown, even at 0),
    with counts and shares, protected with the total (which rows to hide is decided on
    the true counts; the shown ones are then perturbed for some readers, each row by
    its cell in `cells`, the total by `total_cell`)."""
    full = {key: counts.get(key, 0) for key in labels}
    shown = suppression.protect_distribution(full, total)
    total_value = count_value(total, noise, total_cell)
    lines = []
    for key, label in labels.items():
        number = shown[key]
        hidden = number is None
        if not hidden:
            number = noise.count(number, (cells or {}).get(key, ()))
        share = (
            Value(None, "percent", hidden=True)
            if hidden or total_value.number is None
            else Value(share_of(number, total_value.number) if total else None, "percent")
        )
        lines.append(Line(key, label, [Value(number, "count", hidden=hidden), share]))
    if total_value.number is None:
        lines = [
            Line(line.key, line.label, [_hidden_like(v) for v in line.values]) for line in lines
        ]
    return Result(
        definition,
        headline=[(_("Total"), total_value)],
        columns=[first_column, _("Number"), _("Share")],
        lines=lines,
        chart=chart,
    )


def _hidden_like(value: Value) -> Value:
    if value.number in (None, 0) and not value.hidden:
        return value if value.number is None else Value(None, value.unit, hidden=True)
    return Value(None, value.unit, hidden=True)


def _not_applicable(definition: Definition, reason: str) -> Result:
    return Result(definition, applicable=False, reason=reason, chart=False)


# --- what each scope narrows ----------------------------------------------------------------


@lru_cache(maxsize=256)
def _fsas_in(territory_id: int, updated_at) -> tuple[str, ...]:
    """The postal areas (FSA) whose centre lies in the territory."""
    import shapely

    territory = Territory.objects.get(pk=territory_id)
    outline = outline_of(territory)
    minx, miny, maxx, maxy = outline.bounds
    found = []
    for fsa, (latitude, longitude, _city) in geo.fsa_points().items():
        inside_box = miny <= latitude <= maxy and minx <= longitude <= maxx
        if inside_box and outline.covers(shapely.Point(longitude, latitude)):
            found.append(fsa)
    return tuple(sorted(found))


def _with_fsa(rows: QuerySet, person_field: str = "person") -> QuerySet:
    return rows.annotate(fsa=Substr(Upper(f"{person_field}__postal_code"), 1, 3))


def _in_territory(rows: QuerySet, scope: Scope, person_field: str = "person") -> QuerySet:
    if scope.territory is None:
        return rows
    fsas = _fsas_in(scope.territory.pk, scope.territory.updated_at)
    return _with_fsa(rows, person_field).filter(fsa__in=fsas)


def contacts(scope: Scope) -> QuerySet | None:
    """The contacts the scope counts; None for an organization (contacts are the
    network's doors: an organization's figures are its referrals)."""
    if scope.organization is not None:
        return None
    rows = episodes.contacts_between(scope.region_id, scope.since, scope.until)
    if scope.team is not None:
        rows = rows.filter(taken_by_id__in=member_ids(scope.team))
    return _in_territory(rows, scope)


def referrals(scope: Scope) -> QuerySet:
    """The referrals sent in the scope: by or to its team, by or to its organization."""
    rows = access.sent_between(scope.region_id, scope.since, scope.until)
    if scope.team is not None:
        rows = rows.filter(Q(requester_team=scope.team) | Q(target_team=scope.team))
    if scope.organization is not None:
        rows = rows.filter(
            Q(target_organization=scope.organization) | Q(requester_organization=scope.organization)
        )
    return _in_territory(rows, scope)


def prescriptions(scope: Scope) -> QuerySet | None:
    """The prescriptions started in the scope (by its team's members); None for an
    organization."""
    if scope.organization is not None:
        return None
    rows = plans.started_between(scope.region_id, scope.since, scope.until)
    if scope.team is not None:
        members = member_ids(scope.team)
        rows = rows.filter(Q(prescriber_id__in=members) | Q(link_worker_id__in=members))
    return _in_territory(rows, scope)


_FOR_ORGANIZATION = gettext_lazy(
    "Not counted for an organization: contacts and prescriptions are the network's."
)


def _of_the_network(code: str):
    """An indicator of the network's contacts or prescriptions: for an organization's
    scope, said not counted (its figures are its referrals)."""

    def decorate(indicator):
        @functools.wraps(indicator)
        def counted(scope: Scope) -> Result:
            if scope.organization is not None:
                return _not_applicable(BY_CODE[code], str(_FOR_ORGANIZATION))
            return indicator(scope)

        return counted

    return decorate


# --- records' keys (perturbed figures) ---------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """How many records, and the sum of their keys (computed only for perturbed figures:
    0 otherwise): a cell is the kind of record and that sum, so the same records show the
    same number however they are asked for (core/perturbation.py)."""

    n: int = 0
    key: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.n + other.n, (self.key + other.key) % PRIME)

    def cell(self, kind: str) -> tuple:
        return (kind, self.key)


def _tallied(ids, scope: Scope) -> Tally:
    """The tally of these records' ids."""
    ids = list(ids)
    return Tally(len(ids), keys_of(ids) if scope.perturbed else 0)


def _tally(rows: QuerySet, scope: Scope) -> Tally:
    """The tally of these rows: counted by the database, or for perturbed figures their
    ids read and their keys summed here (the same keys on every database)."""
    if not scope.perturbed:
        return Tally(rows.count())
    return _tallied(rows.order_by().values_list("pk", flat=True), scope)


def _tallied_distribution(
    definition: Definition,
    tallies: dict[str, Tally],
    labels: dict[str, str],
    kind: str,
    *,
    first_column: str,
    scope: Scope,
    total: Tally | None = None,
    chart: bool = True,
) -> Result:
    """`_distribution` of tallied rows of one kind of record (the total: their sum)."""
    if total is None:
        total = sum(tallies.values(), Tally())
    return _distribution(
        definition,
        {key: tally.n for key, tally in tallies.items()},
        labels,
        total.n,
        first_column=first_column,
        chart=chart,
        noise=scope.noise,
        cells={key: tally.cell(kind) for key, tally in tallies.items()},
        total_cell=total.cell(kind),
    )


# --- access ----------------------------------------------------------------------------------


@_of_the_network("contacts_by_channel")
def contacts_by_channel(scope: Scope) -> Result:
    """Contacts by the door they came through."""
    definition = BY_CODE["contacts_by_channel"]
    tallies = _counted_by(_contact_counts(scope), 0)
    labels = {value: str(label) for value, label in Channel.choices}
    return _tallied_distribution(
        definition, tallies, labels, "contacts", first_column=_("Channel"), scope=scope
    )


@_of_the_network("contacts_by_hour")
def contacts_by_hour(scope: Scope) -> Result:
    """Contacts by the hour of the day they started, local time (the 24/7 load)."""
    definition = BY_CODE["contacts_by_hour"]
    tallies = {f"{hour:02d}": t for hour, t in _counted_by(_contact_counts(scope), 2).items()}
    labels = {f"{hour:02d}": time_span(hour * 60, (hour + 1) * 60) for hour in range(24)}
    return _tallied_distribution(
        definition, tallies, labels, "contacts", first_column=_("Hour"), scope=scope
    )


def _contact_counts(scope: Scope) -> dict[tuple[str, str, int], Tally]:
    """The scope's contacts counted by channel, priority and local hour started, once per
    dashboard: the distributions by each, and the total, are sums of these."""

    def count() -> dict[tuple[str, str, int], Tally]:
        rows = (
            contacts(scope)
            .order_by()
            .annotate(hour=_local_hour("started_at", scope))
            .values_list("channel", "priority", "hour")
        )
        if not scope.perturbed:
            return {(c, p, h): Tally(n) for c, p, h, n in rows.annotate(n=Count("pk"))}
        # Perturbed: each contact's id read, its key summed here.
        groups: dict[tuple[str, str, int], list] = {}
        for channel, priority, hour, pk in rows.values_list("channel", "priority", "hour", "pk"):
            groups.setdefault((channel, priority, hour), []).append(pk)
        return {group: _tallied(ids, scope) for group, ids in groups.items()}

    return _shared(("contact_counts", scope), count)


def _contacts_total(scope: Scope) -> Tally:
    return sum(_contact_counts(scope).values(), Tally())


def _counted_by(counts: dict[tuple, Tally], position: int) -> dict:
    """Tallies keyed by tuples, added up by the key's part at `position`."""
    found: dict = {}
    for key, tally in counts.items():
        found[key[position]] = found.get(key[position], Tally()) + tally
    return found


def _offsets(since: datetime, until: datetime) -> list[tuple[datetime, int]] | None:
    """The local time's offsets from UTC over [since, until), in minutes, each with the
    moment it starts; None when one is not a whole number of minutes."""
    zone = ZoneInfo(settings.TIME_ZONE)

    def offset(moment: datetime) -> timedelta:
        return moment.astimezone(zone).utcoffset() or timedelta(0)

    found = [(since, offset(since))]
    moment = since
    while moment < until:
        later = min(moment + timedelta(hours=6), until)
        if offset(later) != found[-1][1]:
            early = moment  # the change lies in (early, later]: to the second
            while later - early > timedelta(seconds=1):
                middle = early + (later - early) / 2
                if offset(middle) == found[-1][1]:
                    early = middle
                else:
                    later = middle
            found.append((later, offset(later)))
        moment = later
    if any(delta.total_seconds() % 60 for _moment, delta in found):
        return None
    return [(moment, int(delta.total_seconds() // 60)) for moment, delta in found]


class _SqliteLocalHour(Func):
    """The local hour of a moment of [since, until) on SQLite, in SQL: its UTC hour and
    minute (as Django stores them) shifted by the offset in force then. ExtractHour with a
    time zone calls a Python function per row there."""

    output_field = IntegerField()

    def __init__(self, expression, offsets: list[tuple[datetime, int]]):
        super().__init__(expression)
        self.offsets = offsets

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        cases, case_params = [], []
        for (_start, minutes), (following, _next) in pairwise(self.offsets):
            cases.append(f"WHEN {column} < %s THEN %s")
            case_params += [*params, connection.ops.adapt_datetimefield_value(following), minutes]
        shift = f"CASE {' '.join(cases)} ELSE %s END" if cases else "%s"
        sql = (
            f"((CAST(substr({column}, 12, 2) AS INTEGER) * 60 "
            f"+ CAST(substr({column}, 15, 2) AS INTEGER) + {shift} + 1440) %% 1440) / 60"
        )
        return sql, (*params, *params, *case_params, self.offsets[-1][1])


def _local_hour(field: str, scope: Scope):
    """The local hour a moment of the scope's period fell in, computed by the database."""
    zone = ZoneInfo(settings.TIME_ZONE)
    offsets = _offsets(scope.since, scope.until) if connection.vendor == "sqlite" else None
    if offsets is None:
        return ExtractHour(field, tzinfo=zone)
    return _SqliteLocalHour(F(field), offsets)


class _EpochMicroseconds(Func):
    """A moment as whole microseconds since 1970, exactly, computed by the database (so
    that durations need not read every moment into Python)."""

    output_field = BigIntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC: the seconds from the first
        # 19 characters (SQLite would round a fraction to milliseconds), the microseconds
        # from the six digits after the point.
        value, params = compiler.compile(self.source_expressions[0])
        sql = (
            f"(CAST(strftime('%%s', substr({value}, 1, 19)) AS INTEGER) * 1000000 + CASE "
            f"WHEN length({value}) > 20 THEN CAST(substr({value}, 21, 6) AS INTEGER) ELSE 0 END)"
        )
        return sql, (*params, *params, *params)

    def as_postgresql(self, compiler, connection, **extra_context):
        value, params = compiler.compile(self.source_expressions[0])
        return f"(EXTRACT(EPOCH FROM {value}) * 1000000)::bigint", params

    def as_sql(self, compiler, connection, **extra_context):
        raise NotImplementedError(connection.vendor)


class _DaysBefore(Func):
    """A moment so many days of 24 hours earlier, computed by the database exactly
    (Django's date arithmetic calls a Python function per row on SQLite)."""

    output_field = DateTimeField()

    def __init__(self, expression, days: int):
        super().__init__(expression)
        self.days = int(days)

    def as_sqlite(self, compiler, connection, **extra_context):
        # The stored UTC date moved back, its time of day and fraction kept as written.
        value, params = compiler.compile(self.source_expressions[0])
        sql = f"(date(substr({value}, 1, 10), '-{self.days} days') || substr({value}, 11))"
        return sql, (*params, *params)

    def as_postgresql(self, compiler, connection, **extra_context):
        value, params = compiler.compile(self.source_expressions[0])
        return f"({value} - INTERVAL '{self.days * 24} hours')", params

    def as_sql(self, compiler, connection, **extra_context):
        raise NotImplementedError(connection.vendor)


DELAY_BANDS = [
    ("0-1", gettext_lazy("the same or the next day"), 1),
    ("2-7", gettext_lazy("2 to 7 days"), 7),
    ("8-30", gettext_lazy("8 to 30 days"), 30),
    ("31+", gettext_lazy("more than 30 days"), None),
]


@_of_the_network("access_delay")
def access_delay(scope: Scope) -> Result:
    """Days from a contact's start to the first appointment a service gave it."""
    definition = BY_CODE["access_delay"]
    rows = contacts(scope)
    # The waits in whole microseconds, from the database, divided as
    # timedelta.total_seconds() divides them: the same days as from the moments. The
    # region and period, repeated on the contact joined for its start (`rows` holds no
    # other), let the database start from the period's contacts, not from every referral.
    waits = (
        access.first_appointments(rows.order_by().values("pk"))
        .filter(
            episode__region_id=scope.region_id,
            episode__started_at__gte=scope.since,
            episode__started_at__lt=scope.until,
        )
        .annotate(
            wait=_EpochMicroseconds(F("first")) - _EpochMicroseconds(F("episode__started_at"))
        )
        .values_list("episode_id", "wait")
    )
    days, bands = [], {}
    for contact, wait in waits:
        value = max(0.0, wait / 10**6 / 86400)
        days.append(value)
        key = next(k for k, _label, upper in DELAY_BANDS if upper is None or int(value) <= upper)
        bands.setdefault(key, []).append(contact)
    tallies = {key: _tallied(ids, scope) for key, ids in bands.items()}
    total = sum(tallies.values(), Tally())
    result = _tallied_distribution(
        definition,
        tallies,
        {key: str(label) for key, label, _upper in DELAY_BANDS},
        "contacts",
        first_column=_("Delay"),
        scope=scope,
    )
    result.headline = [
        (
            _("Contacts with a first appointment"),
            count_value(total.n, scope.noise, total.cell("contacts")),
        ),
        (_("Median delay"), _median_value(days, "days")),
    ]
    return result


@_of_the_network("repeat_contacts")
def repeat_contacts(scope: Scope) -> Result:
    """Contacts of a person who had another contact in the 30 days before."""
    definition = BY_CODE["repeat_contacts"]
    rows = contacts(scope)
    linked = rows.filter(person__isnull=False)
    # Every contact of these people from 30 days before the period, each with the one
    # before it (the earlier contact may fall before the period, or outside the scope's
    # team or territory); counted by the database, for the contacts of the scope.
    window = episodes.contacts_between(
        scope.region_id, scope.since - timedelta(days=30), scope.until
    ).filter(person_id__in=linked.values("person_id"))
    previous = Window(Lag("started_at"), partition_by=[F("person_id")], order_by="started_at")
    if scope.team is None and scope.territory is None:
        in_scope = Q(started_at__gte=scope.since)  # the window's contacts of the period
    else:
        in_scope = Exists(linked.filter(pk=OuterRef("pk")))
    found = (
        window.order_by()
        .values("pk")
        .annotate(previous=Case(When(in_scope, then=previous), default=None))
        .filter(previous__gte=_DaysBefore(F("started_at"), 30))
    )
    if scope.perturbed:
        repeats = _tallied(found.values_list("pk", flat=True), scope)
    else:
        repeats = Tally(found.count())
    whole, noise = _tally(linked, scope), scope.noise
    repeat_cell, whole_cell = repeats.cell("contacts"), whole.cell("contacts")
    return Result(
        definition,
        headline=[
            (_("Contacts linked to a person"), count_value(whole.n, noise, whole_cell)),
            (_("Repeat contacts"), _part_count(repeats.n, whole.n, noise, repeat_cell)),
            (_("Share"), part_value(repeats.n, whole.n, noise, repeat_cell, whole_cell)),
        ],
        chart=False,
    )


# --- referrals ---------------------------------------------------------------------------


def referrals_sent(scope: Scope) -> Result:
    """Referrals sent, accepted, the share accepted and the median hours to an answer."""
    rows = referrals(scope)
    return referral_summary(BY_CODE["referrals_sent"], rows, _referral_cells(scope))


def _referral_cells(scope: Scope) -> ReferralCells:
    """The cells of the scope's referrals, counted once per dashboard."""
    return _shared(
        ("referral_cells", scope), lambda: ReferralCells(referrals(scope), noise=scope.noise)
    )


class ReferralCells:
    """The referrals sent, split into disjoint cells (status now; for a declined one, its
    reason; whether it was answered), protected once as one distribution of the total
    sent. Every referral figure shown (the status table, accepted, declined, answered,
    closed, the reasons, no-shows) is a sum of these cells, shown only when it holds
    none or all of the hidden cells: no figure, nor any difference of two figures, then
    isolates a hidden cell (the hidden cells' sum is the total minus what is shown
    anyway). For readers of figures perturbed, each cell also holds the sum of its
    referrals' keys: a figure is perturbed by the referrals it adds up, so the same
    referrals show the same number wherever and however they are asked for."""

    def __init__(self, rows: QuerySet | None = None, *, groups=None, noise: Exact = EXACT):
        """The cells of `rows`, counted by the database, or of `groups` already counted:
        (status, reason, how many, how many answered, the keys of all, of the answered)."""
        self.noise = noise
        self.counts: dict[tuple[str, str, bool], int] = {}
        self.keys: dict[tuple[str, str, bool], int] = {}
        if groups is None:
            # Counted by the columns themselves (a status is never null; an answer is
            # dated), which the referrals' figures index holds: read from the index alone
            # (with the ids too, for perturbed figures).
            if noise.perturbed:
                groups = _referral_groups(rows)
            else:
                counted = (
                    rows.order_by()
                    .values_list("status", "reject_reason")
                    .annotate(n=Count("status"), answered=Count("responded_at"))
                )
                groups = [(*group, 0, 0) for group in counted]
        for status, reason, n, answered, key, answered_key in groups:
            reason = reason if status == Status.REJECTED else ""
            for was_answered, count, keys in (
                (True, answered, answered_key),
                (False, n - answered, key - answered_key),
            ):
                if count:
                    cell = (status, reason, was_answered)
                    self.counts[cell] = self.counts.get(cell, 0) + count
                    self.keys[cell] = (self.keys.get(cell, 0) + keys) % PRIME
        # Every cell a referral can be in, even empty: a zero shown beside hidden cells
        # would tell where they are (suppression.protect_distribution hides zeros too
        # when it must).
        for key in _POSSIBLE_CELLS:
            self.counts.setdefault(key, 0)
        self.sent = sum(self.counts.values())
        shown = suppression.protect_distribution(self.counts, self.sent)
        self.hidden = {key for key, value in shown.items() if value is None}
        self.total_hidden = not suppression.protect_count(self.sent) and self.sent > 0

    def count(self, keep) -> int:
        return sum(n for key, n in self.counts.items() if keep(*key))

    def value(self, keep) -> Value:
        """The sum of the cells `keep(status, reason, answered)` selects, as shown."""
        total = self.count(keep)
        inside = {key for key in self.hidden if keep(*key)}
        if self.total_hidden or (inside and inside != self.hidden):
            return Value(None, "count", hidden=True)
        keys = sum(k for key, k in self.keys.items() if keep(*key)) % PRIME
        return Value(self.noise.count(total, ("referrals", keys)), "count")

    def share(self, part, whole) -> Value:
        """`part` out of `whole` as a percentage, when both are shown."""
        numerator, denominator = self.value(part), self.value(whole)
        if numerator.hidden or denominator.hidden:
            return Value(None, "percent", hidden=True)
        if not denominator.number:
            return Value(None, "percent")
        return Value(share_of(numerator.number, denominator.number), "percent")


_POSSIBLE_CELLS = [
    (Status.REQUESTED, "", False),
    (Status.CANCELLED, "", False),
    (Status.CANCELLED, "", True),
    *((status, "", True) for status in (Status.ACCEPTED, Status.IN_PROGRESS, Status.ON_HOLD)),
    *((status, "", True) for status in (Status.COMPLETED, Status.FAILED)),
    *((Status.REJECTED, reason, True) for reason in RejectReason.values),
]


def _every(status, reason, answered) -> bool:
    return True


def _accepted(status, reason, answered) -> bool:
    return answered and status != Status.REJECTED  # lifecycle.was_accepted


def _declined(status, reason, answered) -> bool:
    return status == Status.REJECTED


def _answered(status, reason, answered) -> bool:
    return _accepted(status, reason, answered) or _declined(status, reason, answered)


def _closed(status, reason, answered) -> bool:
    return status in TERMINAL


def _no_show(status, reason, answered) -> bool:
    return status == Status.FAILED and answered


def _referral_groups(
    rows: QuerySet, hours: list | None = None, *, keyed: bool = True
) -> list[tuple]:
    """Referral groups counted here, each referral read: (status, reason, how many, how
    many answered, the keys of all, of the answered — `keyed`: perturbed figures only,
    0 otherwise); `hours`, when given, receives the answered ones' hours to the answer."""
    answered_of = ExpressionWrapper(Q(responded_at__isnull=False), BooleanField())
    found = rows.order_by().annotate(answered=answered_of)
    if hours is None:
        found = found.values_list("status", "reject_reason", "answered", "pk")
    else:
        hours_of = Cast(hours_to_answer(), FloatField())
        found = found.annotate(hours=hours_of).values_list(
            "status", "reject_reason", "answered", "pk", "hours"
        )
    key_of = record_key() if keyed else lambda _pk: 0
    groups: dict[tuple[str, str], list[int]] = {}
    for status, reason, answered, pk, *hour in found:
        group = groups.setdefault((status, reason), [0, 0, 0, 0])
        key = key_of(pk)
        group[0] += 1
        group[1] += answered
        group[2] += key
        group[3] += key if answered else 0
        if answered and hours is not None:
            hours.append(hour[0])
    return [(*key, *tally) for key, tally in groups.items()]


def referral_figures(
    rows: QuerySet, cells: ReferralCells | None = None, noise: Exact = EXACT
) -> dict[str, Value]:
    """Sent, accepted (`lifecycle.was_accepted`: answered without a refusal), the share
    accepted and the median hours to the answer, of these referrals, protected: the one
    computation for the dashboard and for each agreement's indicators."""
    # The hours as floats from the database (PostgreSQL's interval arithmetic gives
    # decimals), read at once: through a server-side cursor (`iterator`) PostgreSQL plans
    # for the first rows, several times slower for all of them.
    hours_of = Cast(hours_to_answer(), FloatField())
    if cells is None:
        # Each referral's cell and hours in one reading (an agreement's few thousand).
        hours = []
        cells = ReferralCells(
            groups=_referral_groups(rows, hours, keyed=noise.perturbed), noise=noise
        )
    else:
        answered = rows.order_by().filter(responded_at__isnull=False)
        hours = list(answered.annotate(hours=hours_of).values_list("hours", flat=True))
    return {
        "sent": cells.value(_every),
        "accepted": cells.value(_accepted),
        "share_accepted": cells.share(_accepted, _every),
        "median_hours": _median_value(hours, "hours"),
    }


def referral_summary(definition: Definition, rows: QuerySet, cells: ReferralCells) -> Result:
    """The referral figures, with the referrals by their status now (`cells`: these
    referrals' cells)."""
    figures = referral_figures(rows, cells)
    lines = []
    for status, label in Status.choices:
        if status not in _SHOWN_STATUSES:
            continue

        def of_status(s, reason, answered, status=status):
            return s == status

        lines.append(
            Line(status, str(label), [cells.value(of_status), cells.share(of_status, _every)])
        )
    return Result(
        definition,
        headline=[
            (pgettext("figure", "Sent"), figures["sent"]),
            (_("Accepted"), figures["accepted"]),
            (_("Share accepted"), figures["share_accepted"]),
            (_("Median hours to the answer"), figures["median_hours"]),
        ],
        columns=[_("Status now"), _("Number"), _("Share")],
        lines=lines,
    )


_SHOWN_STATUSES = [s for s in Status.values if s not in (Status.DRAFT, Status.ENTERED_IN_ERROR)]


def loop_closure(scope: Scope) -> Result:
    """Referrals whose outcome the referring side knows (a final status)."""
    definition = BY_CODE["loop_closure"]
    cells = _referral_cells(scope)
    return Result(
        definition,
        headline=[
            (pgettext("figure", "Sent"), cells.value(_every)),
            (_("Loop closed"), cells.value(_closed)),
            (_("Closure rate"), cells.share(_closed, _every)),
        ],
        chart=False,
    )


def declines_and_no_shows(scope: Scope) -> Result:
    """Declines by reason; no-shows (accepted, then failed) among the accepted."""
    definition = BY_CODE["declines_and_no_shows"]
    cells = _referral_cells(scope)
    lines = []
    for code, label in RejectReason.choices:

        def of_reason(status, reason, answered, code=code):
            return status == Status.REJECTED and reason == code

        lines.append(
            Line(code, str(label), [cells.value(of_reason), cells.share(of_reason, _declined)])
        )
    return Result(
        definition,
        headline=[
            (pgettext("figure", "Answered"), cells.value(_answered)),
            (_("Declined"), cells.value(_declined)),
            (_("Accepted"), cells.value(_accepted)),
            (_("No-shows"), cells.value(_no_show)),
            (_("No-show rate"), cells.share(_no_show, _accepted)),
        ],
        columns=[_("Reason for declining"), _("Number"), _("Share")],
        lines=lines,
    )


# --- equity ----------------------------------------------------------------------------------


def _people_by_fsa(scope: Scope) -> tuple[dict[str, Tally], Tally]:
    """Different people with a contact, per postal area (FSA), and the total (read once
    per dashboard)."""
    return _shared(("people_by_fsa", scope), lambda: _count_people_by_fsa(scope))


def _count_people_by_fsa(scope: Scope) -> tuple[dict[str, Tally], Tally]:
    linked = _with_fsa(contacts(scope).filter(person__isnull=False)).order_by()
    if scope.perturbed:
        people: dict[str, set] = {}
        for fsa, person in linked.values_list("fsa", "person_id").distinct():
            people.setdefault(fsa, set()).add(person)
        by_fsa = {fsa: _tallied(ids, scope) for fsa, ids in people.items()}
    else:
        counted = linked.values_list("fsa").annotate(n=Count("person_id", distinct=True))
        by_fsa = {fsa: Tally(n) for fsa, n in counted}
    # A person has one postal code, so one area: the areas' people add up.
    return by_fsa, sum(by_fsa.values(), Tally())


def _region_levels(region_id: int) -> dict[str, list[Territory]]:
    """The region's current territories, by level (the region's own row left out)."""
    found: dict[str, list[Territory]] = {}
    for territory in territories_of_region(region_id):
        found.setdefault(territory.level, []).append(territory)
    return found


def reach_level(scope: Scope) -> str | None:
    """The level people are counted at: CLSC territories where the region has them,
    else the finest level it has; within a chosen territory, the next level with
    territories inside it (its own when none lies below: the territory is its one row)."""
    levels = _region_levels(scope.region_id)
    present = [level for level in LEVEL_ORDER if level in levels]
    if scope.territory is not None:
        inside = set(descendant_ids(scope.territory.pk)) - {scope.territory.pk}
        below = [
            level
            for level in present
            if LEVEL_ORDER.index(level) > LEVEL_ORDER.index(scope.territory.level)
            and any(t.pk in inside for t in levels[level])
        ]
        return below[0] if below else scope.territory.level
    if TerritoryLevel.CLSC in present:
        return TerritoryLevel.CLSC
    return present[-1] if present else None


def _fsa_places(fsas: list[str], level: str) -> dict[str, int | None]:
    points = geo.fsa_points()
    known = [fsa for fsa in fsas if fsa in points]
    assigned = assign_points([points[f][:2] for f in known], level=level)
    return dict(zip(known, assigned, strict=True))


@_of_the_network("reach_by_territory")
def reach_by_territory(scope: Scope) -> Result:
    """Different people reached, per territory of the level below the scope, with the
    rate per 1,000 inhabitants."""
    definition = BY_CODE["reach_by_territory"]
    by_fsa, total = _people_by_fsa(scope)
    level = reach_level(scope)
    territories = []
    if level is not None:
        territories = _region_levels(scope.region_id).get(level, [])
        if scope.territory is not None:
            inside = set(descendant_ids(scope.territory.pk))
            territories = [t for t in territories if t.pk in inside]
    places = _fsa_places(list(by_fsa), level) if level else {}
    tallies: dict[str, Tally] = {}
    for fsa, tally in by_fsa.items():
        place = places.get(fsa)
        row = str(place) if place in {t.pk for t in territories} else UNKNOWN
        tallies[row] = tallies.get(row, Tally()) + tally
    labels = {str(t.pk): t.name for t in sorted(territories, key=lambda t: t.code)}
    labels[UNKNOWN] = (
        _("Elsewhere in the territory, or postal code unknown")
        if scope.territory is not None
        else _("Elsewhere or postal code unknown")
    )
    result = _tallied_distribution(
        definition, tallies, labels, "people", first_column=_("Territory"), scope=scope, total=total
    )
    population = {str(t.pk): t.population for t in territories}
    result.columns.append(_("Per 1,000 inhabitants"))
    for line in result.lines:
        people = line.values[0]
        inhabitants = population.get(line.key)
        if people.number is None or not inhabitants:
            rate = Value(None, "per_1000", hidden=people.hidden and bool(inhabitants))
        else:
            rate = Value(round(1000.0 * people.number / inhabitants, 2), "per_1000")
        line.values.append(rate)
    result.headline = [(_("People reached"), result.headline[0][1])]
    return result


@_of_the_network("reach_by_deprivation")
def reach_by_deprivation(scope: Scope) -> Result:
    """Different people reached, by the material deprivation quintile of the smallest
    territory holding their postal area's centre."""
    definition = BY_CODE["reach_by_deprivation"]
    by_fsa, total = _people_by_fsa(scope)
    quintile_of = dict(
        current_territories()
        .filter(material_deprivation__isnull=False)
        .values_list("pk", "material_deprivation")
    )
    fsas = list(by_fsa)
    best: dict[str, int] = {}
    # Finest level first: a neighbourhood's quintile over its CLSC territory's.
    for level in reversed(LEVEL_ORDER):
        for fsa, place in _fsa_places(fsas, level).items():
            if fsa not in best and place in quintile_of:
                best[fsa] = quintile_of[place]
    tallies: dict[str, Tally] = {}
    for fsa, tally in by_fsa.items():
        row = str(best[fsa]) if fsa in best else UNKNOWN
        tallies[row] = tallies.get(row, Tally()) + tally
    labels = {
        "1": _("1 — least deprived"),
        "2": "2",
        "3": "3",
        "4": "4",
        "5": _("5 — most deprived"),
        UNKNOWN: _("Quintile unknown"),
    }
    result = _tallied_distribution(
        definition, tallies, labels, "people", first_column=_("Quintile"), scope=scope, total=total
    )
    result.headline = [(_("People reached"), result.headline[0][1])]
    return result


# --- intake ------------------------------------------------------------------------------------


@_of_the_network("priority_mix")
def priority_mix(scope: Scope) -> Result:
    """Contacts by the priority set at intake."""
    definition = BY_CODE["priority_mix"]
    tallies = {(key or UNKNOWN): t for key, t in _counted_by(_contact_counts(scope), 1).items()}
    labels = {value: str(label) for value, label in Priority.choices}
    labels[UNKNOWN] = _("No priority set")
    return _tallied_distribution(
        definition, tallies, labels, "contacts", first_column=_("Priority"), scope=scope
    )


@_of_the_network("escalations")
def escalations(scope: Scope) -> Result:
    """Contacts with an escalation, and escalations by risk."""
    definition = BY_CODE["escalations"]
    rows = contacts(scope)
    total = _contacts_total(scope)
    raised = list(
        episodes.escalations_of(rows.order_by().values("pk"))
        .order_by()
        .values_list("episode_id", "kind")
    )
    escalated = _tallied({episode for episode, _kind in raised}, scope)
    # Escalations (a contact may have several), each kind's cell named by its contacts:
    # when each contact escalated had one, their total is the contacts escalated.
    of_kind: dict[str, list] = {}
    for episode, kind in raised:
        of_kind.setdefault(kind, []).append(episode)

    def escalations_of(episodes_seen: list) -> Tally:
        return Tally(len(episodes_seen), _tallied(set(episodes_seen), scope).key)

    labels = {value: str(label) for value, label in RiskKind.choices}
    result = _tallied_distribution(
        definition,
        {kind: escalations_of(seen) for kind, seen in of_kind.items()},
        labels,
        "contacts",
        first_column=_("Risk"),
        scope=scope,
        total=escalations_of([episode for episode, _kind in raised]),
    )
    noise, part, whole = scope.noise, escalated.cell("contacts"), total.cell("contacts")
    result.headline = [
        (_("Contacts"), count_value(total.n, noise, whole)),
        (_("Contacts escalated"), _part_count(escalated.n, total.n, noise, part)),
        (_("Share escalated"), part_value(escalated.n, total.n, noise, part, whole)),
    ]
    return result


@_of_the_network("barriers")
def barriers(scope: Scope) -> Result:
    """Contacts where the person named each barrier."""
    definition = BY_CODE["barriers"]
    rows = contacts(scope)
    named_by: dict[str, list] = {}
    named_some = rows.order_by().exclude(barriers=[]).values_list("pk", "barriers")
    for contact, named in named_some:
        for barrier in set(named or []) & set(BARRIERS):
            named_by.setdefault(barrier, []).append(contact)
    labels = {key: str(BARRIER_LABELS[key]) for key in BARRIERS}
    return _several(
        definition,
        {key: _tallied(ids, scope) for key, ids in named_by.items()},
        labels,
        _contacts_total(scope),
        first_column=_("Barrier"),
        scope=scope,
    )


BARRIER_LABELS = {
    "transport": gettext_lazy("transport"),
    "cost": gettext_lazy("cost"),
    "language": gettext_lazy("language"),
    "fear": gettext_lazy("fear or mistrust"),
}


def _several(
    definition: Definition,
    tallies: dict[str, Tally],
    labels: dict,
    total: Tally,
    *,
    first_column: str,
    scope: Scope,
) -> Result:
    """Contacts where one may be in several rows (no total to add up to): each row a
    part of the contacts, protected as such."""
    noise, whole = scope.noise, total.cell("contacts")
    total_value = count_value(total.n, noise, whole)
    lines = []
    for key, label in labels.items():
        part = tallies.get(key, Tally())
        cell = part.cell("contacts")
        lines.append(
            Line(
                key,
                label,
                [
                    _part_count(part.n, total.n, noise, cell),
                    part_value(part.n, total.n, noise, cell, whole),
                ],
            )
        )
    return Result(
        definition,
        headline=[(_("Contacts"), total_value)],
        columns=[first_column, _("Contacts"), _("Share")],
        lines=lines,
    )


@_of_the_network("protective_factors")
def protective_factors(scope: Scope) -> Result:
    """Contacts whose latest needs screening found each strength."""
    definition = BY_CODE["protective_factors"]
    rows = contacts(scope)
    strengths = episodes.latest_needs_outcomes(rows.order_by().values("pk"), "strengths")
    found_in: dict[str, list] = {}
    for contact, found in strengths.items():
        for factor in set(found or []):
            found_in.setdefault(factor, []).append(contact)
    labels = strength_labels()
    for key in found_in:
        labels.setdefault(key, key)
    return _several(
        definition,
        {key: _tallied(ids, scope) for key, ids in found_in.items()},
        labels,
        _tallied(strengths, scope),
        first_column=_("Protective factor"),
        scope=scope,
    )


def strength_labels() -> dict[str, str]:
    """The protective factors the needs questionnaire names, in the reader's language."""
    from django.utils.translation import get_language

    from proxima.intake.services.questionnaires import ScreeningInputError, questionnaire

    language = (get_language() or "fr")[:2]
    try:
        definition = questionnaire("needs-screen").definition
    except ScreeningInputError:  # no questionnaire loaded: nothing to name
        return {}
    labels = {}
    for item in definition.get("items", []):
        if item.get("type") == "strength":
            text = item.get("factor_label") or item.get("text") or {}
            labels[item["factor"]] = text.get(language) or text.get("fr") or item["factor"]
    return labels


# --- prescriptions ---------------------------------------------------------------------


@_of_the_network("prescriptions")
def prescription_uptake(scope: Scope) -> Result:
    """Prescriptions started, adhered to (an activity started or done), completed."""
    definition = BY_CODE["prescriptions"]
    rows = prescriptions(scope)
    started = _tally(rows, scope)
    adhered = _tally(plans.adhered(rows), scope)
    completed = _tally(rows.filter(status=PrescriptionStatus.COMPLETED), scope)
    noise, whole = scope.noise, started.cell("prescriptions")
    lines = []
    for key, label, part in (
        ("adhered", _("Adhered to"), adhered),
        ("completed", _("Completed"), completed),
    ):
        cell = part.cell("prescriptions")
        lines.append(
            Line(
                key,
                label,
                [
                    _part_count(part.n, started.n, noise, cell),
                    part_value(part.n, started.n, noise, cell, whole),
                ],
            )
        )
    return Result(
        definition,
        headline=[(_("Started"), count_value(started.n, noise, whole))],
        columns=[_("Stage"), _("Prescriptions"), _("Share of those started")],
        lines=lines,
    )


# Student's t, two-sided 95%, by degrees of freedom (then 1.96 beyond the table).
_T95 = {
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
    9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120,
    17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064,
    25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045, 30: 2.042, 40: 2.021, 60: 2.000,
    80: 1.990, 100: 1.984, 120: 1.980,
}  # fmt: skip


def t_critical(degrees: int) -> float:
    """Student's t for a two-sided 95% interval (the next smaller tabulated degrees of
    freedom: slightly wider, never narrower)."""
    if degrees > 120:
        return 1.96
    return _T95[max(d for d in _T95 if d <= degrees)]


def mean_with_interval(values: list[float]) -> tuple[float, float, float]:
    """The mean and its 95% confidence interval (Student's t)."""
    mean = statistics.fmean(values)
    if len(values) < 2:
        return mean, mean, mean
    margin = t_critical(len(values) - 1) * statistics.stdev(values) / len(values) ** 0.5
    return mean, mean - margin, mean + margin


@_of_the_network("wellbeing_change")
def wellbeing_change(scope: Scope) -> Result:
    """Per instrument, the mean change from the first to the latest measure of each
    prescription, signed so that positive is better, with its 95% interval."""
    definition = BY_CODE["wellbeing_change"]
    rows = prescriptions(scope)
    from proxima.outcomes.services.measures import measures_of

    series: dict[tuple, list] = {}
    better_up: dict[str, bool] = {}
    for prescription_id, code, higher_is_better, score in measures_of(rows.order_by().values("pk")):
        series.setdefault((code, prescription_id), []).append(Decimal(score))
        better_up[code] = bool(higher_is_better)
    changes: dict[str, list[float]] = {}
    measured: set = set()  # prescriptions measured twice with some instrument, each once
    measured_with: dict[str, list] = {}
    for (code, prescription_id), scores in series.items():
        if len(scores) >= 2:
            measured.add(prescription_id)
            measured_with.setdefault(code, []).append(prescription_id)
            delta = float(scores[-1] - scores[0])
            changes.setdefault(code, []).append(delta if better_up[code] else -delta)
    lines = []
    for code in sorted(changes):
        deltas = changes[code]
        n = len(deltas)
        if n < suppression.MINIMUM:
            lines.append(
                Line(
                    code,
                    _instrument_title(code),
                    [Value(None, "count", hidden=True)] + [Value(None, "score", hidden=True)] * 3,
                )
            )
            continue
        cell = _tallied(measured_with[code], scope).cell("prescriptions")
        mean, low, high = scope.noise.interval(deltas, mean_with_interval(deltas), (*cell, code))
        lines.append(
            Line(
                code,
                _instrument_title(code),
                [
                    Value(scope.noise.count(n, cell), "count"),
                    Value(round(mean, 2), "score"),
                    Value(round(low, 2), "score"),
                    Value(round(high, 2), "score"),
                ],
            )
        )
    return Result(
        definition,
        headline=[
            (
                _("Prescriptions measured twice or more"),
                # Not the sum of the instruments' rows: a prescription measured with two
                # would count twice, and the sum minus a row shown would give back a
                # row hidden.
                # Hidden with any row hidden: minus the rows shown it would bound it.
                Value(None, "count", hidden=True)
                if any(line.values[0].hidden for line in lines)
                else count_value(
                    len(measured), scope.noise, _tallied(measured, scope).cell("prescriptions")
                ),
            )
        ],
        columns=[
            _("Instrument"),
            _("Prescriptions"),
            _("Mean change"),
            _("95% CI low"),
            _("95% CI high"),
        ],
        lines=lines,
        chart=False,
    )


def _instrument_title(code: str) -> str:
    from proxima.outcomes.services.instruments import InstrumentError, instrument, text

    try:
        return text(instrument(code).title)
    except InstrumentError:  # an instrument no longer loaded: its code
        return code


# --- partnerships -----------------------------------------------------------------------


def _agreements(scope: Scope) -> QuerySet:
    return agreements.of_region(
        scope.region_id,
        organization_id=getattr(scope.organization, "pk", None),
        team_id=getattr(scope.team, "pk", None),
    )


def agreements_review(scope: Scope) -> Result:
    """Agreements in force whose review date is past or within the notice period, on the
    period's last day."""
    definition = BY_CODE["agreements_review"]
    in_force = sorted(
        agreements.in_force_on(_agreements(scope), scope.end),
        key=lambda a: (a.review_on is None, a.review_on, a.pk),
    )
    # Due for review on that day: its review date within the notice period (or past).
    due = {
        a.pk
        for a in in_force
        if a.review_on is not None
        and a.review_on <= scope.end + timedelta(days=agreements.REVIEW_NOTICE_DAYS)
    }
    lines = [
        Line(
            str(a.pk),
            a.title,
            [Value(a.review_on, "date"), Value((a.review_on - scope.end).days, "days_left")],
        )
        for a in in_force
        if a.pk in due
    ]
    return Result(
        definition,
        headline=[
            (_("Agreements in force"), Value(len(in_force), "count")),
            (_("Due for review"), Value(len(due), "count")),
        ],
        columns=[_("Agreement"), _("Review on"), _("Days left")],
        lines=lines,
        chart=False,
    )


@dataclass(frozen=True)
class AgreementFigure:
    indicator: object  # agreements.Indicator
    value: Value
    live: bool


def agreement_figures(agreement, noise: Exact = EXACT) -> list[AgreementFigure]:
    """Each of an agreement's indicators with its figure: computed from the referrals
    under it (`referral_summary`, as on the dashboard) where Proxima can, the parties'
    reported figure otherwise. Perturbed (an evaluator's), they count the referrals sent
    before this month only: they change once a month, not with each referral."""
    indicators = list(agreement.indicators.all())
    if not indicators:
        return []
    rows = agreements.referrals_under(agreement)
    if noise.perturbed:
        rows = rows.filter(requested_at__lt=start_of_day(timezone.localdate().replace(day=1)))
    summary = referral_figures(rows, noise=noise)
    live = {
        IndicatorKind.REFERRALS_SENT: summary["sent"],
        IndicatorKind.REFERRALS_ACCEPTED: summary["accepted"],
        IndicatorKind.ACCEPTANCE_RATE: summary["share_accepted"],
        IndicatorKind.MEDIAN_RESPONSE_HOURS: summary["median_hours"],
    }
    result = []
    for indicator in indicators:
        if indicator.kind in live:
            result.append(AgreementFigure(indicator, live[indicator.kind], True))
        else:
            value = indicator.reported_value
            number = float(value) if value is not None else None
            result.append(AgreementFigure(indicator, Value(number, "reported"), False))
    return result


def agreement_indicators(scope: Scope) -> Result:
    """Each agreement in force with its agreed indicators and their figures."""
    definition = BY_CODE["agreement_indicators"]
    lines = []
    for agreement in sorted(
        agreements.in_force_on(_agreements(scope), scope.end), key=lambda a: a.pk
    ):
        for figure in agreement_figures(agreement, scope.noise):
            label = figure.indicator.label or figure.indicator.get_kind_display()
            target = figure.indicator.target
            lines.append(
                Line(
                    f"{agreement.pk}-{figure.indicator.pk}",
                    f"{agreement.title} — {label}",
                    [
                        figure.value,
                        # The target in the figure's unit ("80 %", "72 h").
                        Value(
                            float(target) if target is not None else None,
                            figure.value.unit if figure.live else "reported",
                        ),
                    ],
                )
            )
    return Result(
        definition,
        columns=[_("Agreement and indicator"), _("Figure"), _("Target")],
        lines=lines,
        chart=False,
    )


def training_per_partner(scope: Scope) -> Result:
    """Joint training sessions each organization took part in, in the period."""
    definition = BY_CODE["training_per_partner"]
    sessions = agreements.training_of_region(
        scope.region_id,
        scope.start,
        scope.end,
        organization_id=getattr(scope.organization, "pk", None),
    )
    rows = agreements.training_by_organization(sessions)
    if scope.organization is not None:  # not the other organizations trained with it
        rows = [row for row in rows if row.organization.pk == scope.organization.pk]
    return Result(
        definition,
        headline=[(_("Sessions"), Value(len(sessions), "count"))],
        columns=[_("Organization"), _("Sessions"), _("Last one")],
        lines=[
            Line(
                str(row.organization.pk),
                row.organization.localized_name,
                [Value(row.sessions, "count"), Value(row.last_held_on, "date")],
            )
            for row in rows
        ],
    )


# --- the whole dashboard ----------------------------------------------------------------

INDICATORS = {
    "contacts_by_channel": contacts_by_channel,
    "contacts_by_hour": contacts_by_hour,
    "access_delay": access_delay,
    "repeat_contacts": repeat_contacts,
    "referrals_sent": referrals_sent,
    "loop_closure": loop_closure,
    "declines_and_no_shows": declines_and_no_shows,
    "reach_by_territory": reach_by_territory,
    "reach_by_deprivation": reach_by_deprivation,
    "priority_mix": priority_mix,
    "escalations": escalations,
    "barriers": barriers,
    "protective_factors": protective_factors,
    "prescriptions": prescription_uptake,
    "wellbeing_change": wellbeing_change,
    "agreements_review": agreements_review,
    "agreement_indicators": agreement_indicators,
    "training_per_partner": training_per_partner,
}
assert list(INDICATORS) == [d.code for d in DEFINITIONS]  # noqa: S101 (a module invariant)


def dashboard(scope: Scope) -> list[Result]:
    """Every indicator for the scope, in the definitions' order; what several of them
    read alike (the contacts' and the referrals' counts, the people per postal area) is
    read once."""
    token = _SHARED.set({})
    try:
        return [INDICATORS[definition.code](scope) for definition in DEFINITIONS]
    finally:
        _SHARED.reset(token)
