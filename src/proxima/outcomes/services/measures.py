"""Measurements of a person's well-being, taken at the start and at follow-ups, and the
change between the first and the latest, read in the instrument's own direction."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from proxima.core.audit import record_audit_event
from proxima.outcomes.models import Measurement, Occasion
from proxima.outcomes.services.instruments import InstrumentError, instrument, score
from proxima.people.models import Person
from proxima.people.services.records import require_access


@transaction.atomic
def record_measurement(
    person: Person, code: str, answers: dict, *, by, occasion: str, prescription=None
) -> Measurement:
    require_access(by, person)
    if occasion not in Occasion.values:
        raise InstrumentError({"occasion": _("Say when the measure is taken.")})
    used = instrument(code)
    result = score(used.definition, answers)
    measurement = Measurement.objects.create(
        person=person,
        prescription=prescription,
        instrument=used,
        occasion=occasion,
        answers=answers,
        raw_score=result.raw,
        score=result.score,
        band=result.band,
        alerts=result.alerts,
        taken_by=by,
    )
    record_audit_event(
        by, "record_measure", person, detail={"instrument": used.code, "occasion": occasion}
    )
    return measurement


@dataclass(frozen=True)
class Change:
    code: str
    first: Measurement
    latest: Measurement
    delta: Decimal
    direction: str  # better, worse, stable
    meaningful: bool


def changes(person: Person, *, prescription=None) -> list[Change]:
    """Per instrument, the first and the latest measure and what the change means."""
    measurements = Measurement.objects.filter(person=person).select_related("instrument")
    if prescription is not None:
        measurements = measurements.filter(prescription=prescription)
    by_code: dict[str, list[Measurement]] = {}
    for measurement in measurements:
        by_code.setdefault(measurement.instrument.code, []).append(measurement)
    result = []
    for code, taken in by_code.items():
        if len(taken) < 2:
            continue
        first, latest = taken[0], taken[-1]
        scoring = latest.instrument.definition["scoring"]
        delta = latest.score - first.score
        better = delta > 0 if scoring.get("higher_is_better") else delta < 0
        threshold = Decimal(str(scoring.get("meaningful_change", 0)))
        meaningful = abs(delta) >= threshold > 0
        direction = "stable" if delta == 0 else ("better" if better else "worse")
        result.append(Change(code, first, latest, delta, direction, meaningful))
    return result


def measures_of(prescriptions) -> list[tuple]:
    """(prescription id, instrument code, whether higher is better, score) of every
    measure taken for these prescriptions, oldest first: aggregate figures only."""
    rows = (
        Measurement.objects.filter(prescription__in=prescriptions)
        .order_by("prescription_id", "taken_at", "id")
        .values_list(
            "prescription_id",
            "instrument__code",
            "instrument__definition__scoring__higher_is_better",
            "score",
        )
    )
    return list(rows.iterator(chunk_size=5000))
