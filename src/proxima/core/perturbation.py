"""Perturbation of aggregate figures shown to those who read no record (evaluators).

Suppression (suppression.py) hides small cells within one table. It cannot stop a reader
from comparing two tables: two periods a day apart, or a territory and its
neighbourhood, may differ by one person, and their difference would then show that
person's row exactly. For readers who are not already allowed to read the records (the
capability `indicators.exact_figures` says who is), every count shown from 5 up is moved
by a small, fixed amount (−2 to +2; never below 5, zero stays zero), a mean's sum by up
to two spreads of its values and its interval widened, as in the cell-key method of the
Australian Bureau of Statistics:

- each record (a contact, a referral, a person, a prescription) has a secret key computed
  from its id (`record_key`, `keys_of`); a figure's cell is the kind
  of record and the sum of its records' keys, so the same records always show the same
  number, however they are asked for (a territory's row or the total narrowed to it, a
  team that holds all of them, a month or the quarter it alone fills): asking again or
  another way never averages the noise away;
- a difference between two tables is the true difference plus the difference of two
  such amounts, so it no longer tells whether one person is in a row, nor their score;
- a share is computed from the two perturbed counts, never from the true ones (an exact
  ratio would give the true counts back);
- which rows are hidden is decided on the true counts, before any noise.

The keys and the amounts derive from SECRET_KEY (with their own purpose), so they cannot
be recomputed from the code alone. These readers also choose among calendar periods that
have ended only (indicators/forms.py), so that no overlapping periods can be differenced
and averaged. Rows then need not add up to their total exactly: the page says so.
"""

from __future__ import annotations

import statistics
import uuid
from collections.abc import Callable, Iterable, Sequence

from django.utils.crypto import salted_hmac

from proxima.core.roles import EXACT_INDICATORS, has_capability
from proxima.core.suppression import MINIMUM

# The amount for each of 16 equally likely hash values: mean 0, variance 1.5, and the
# true figure kept only one time in four.
_AMOUNTS = (-2, -2, -1, -1, -1, -1, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2)
_PURPOSE = "proxima.indicators.perturbation"
PRIME = 2_147_483_647  # 2**31 - 1: record keys are below it; sums are taken modulo it


def _coefficients() -> tuple[int, int]:
    """The secret (a, b) of the record keys: key(id) = (id × a + b) mod PRIME."""
    digest = salted_hmac(_PURPOSE + ".records", "coefficients", algorithm="sha256").digest()
    a = int.from_bytes(digest[:8], "big") % (PRIME - 1) + 1
    return a, int.from_bytes(digest[8:16], "big") % PRIME


def keys_of(ids: Iterable) -> int:
    """The sum of these records' keys, modulo PRIME (a cell's key)."""
    key = record_key()
    return sum(key(i) for i in ids) % PRIME


def record_key() -> Callable[[object], int]:
    """The key of a record from its id, a UUID (its first 60 bits) or a number (for many
    records: the secret read once). Computed here, never by the database: the same key
    on SQLite and PostgreSQL, whatever they store a UUID as."""
    a, b = _coefficients()

    def key(record_id) -> int:
        if isinstance(record_id, int):
            number = record_id
        elif isinstance(record_id, uuid.UUID):
            number = record_id.int >> 68
        else:
            number = uuid.UUID(str(record_id)).int >> 68
        return (number * a + b) % PRIME

    return key


def _digest(cell: Sequence, value) -> bytes:
    message = "\x1f".join(str(part) for part in (*cell, value))
    return salted_hmac(_PURPOSE, message, algorithm="sha256").digest()


def amount(cell: Sequence, value) -> int:
    """The fixed amount for this cell holding this true value."""
    return _AMOUNTS[_digest(cell, value)[0] % 16]


def fraction(cell: Sequence, value) -> float:
    """A fixed number from 0 to 1 for this cell and value, continuous (2**-32 steps)."""
    return int.from_bytes(_digest(cell, value)[4:8], "big") / 2**32


class Exact:
    """Figures as they are (coordinators, team leads, partners)."""

    perturbed = False

    def count(self, value: int, cell: Sequence) -> int:
        return value

    def interval(
        self, values: Sequence[float], exact: tuple[float, float, float], cell: Sequence
    ) -> tuple[float, float, float]:
        """A mean with its 95% interval (`exact`: as computed from `values`)."""
        return exact


class Perturbed(Exact):
    """Figures with fixed noise (evaluators). A cell is (kind of record, sum of the
    records' keys), as the callers build it."""

    perturbed = True

    def count(self, value: int, cell: Sequence) -> int:
        if value < MINIMUM:
            return value  # zero stays zero; 1 to 4 are hidden anyway
        return max(MINIMUM, value + amount(cell, value))

    def interval(
        self, values: Sequence[float], exact: tuple[float, float, float], cell: Sequence
    ) -> tuple[float, float, float]:
        """The mean with its sum moved by a fixed amount anywhere from minus to plus two
        spreads of the values (the spread rounded to a tenth, at least 1; any amount in
        between, so that no whole-number sum can be told apart), and its interval
        widened by a fixed 0 to 25 % (never narrower; an exact width would give back the
        values' exact variance, and with it, from two groups a person apart, that
        person's score): one value more or less cannot be read back."""
        mean, low, high = exact
        key = (len(values), round(sum(values), 4), round(high - low, 6))
        spread = max(1.0, round(statistics.pstdev(values), 1)) if len(values) > 1 else 1.0
        moved = mean + (4 * fraction((*cell, "sum"), key) - 2) * spread / len(values)
        half = (high - low) / 2 * (1 + 0.25 * fraction((*cell, "width"), key))
        return moved, moved - half, moved + half


EXACT = Exact()
PERTURBED = Perturbed()


def whole_months_only(user) -> bool:
    """The user reads no record (an evaluator): their figures (indicators, coverage)
    are perturbed and their periods calendar periods that have ended, so that comparing
    two tells no one's row."""
    return not has_capability(user, EXACT_INDICATORS)


def noise_for(user) -> Exact:
    """How aggregate figures are shown to this user: exact, or perturbed."""
    return PERTURBED if whole_months_only(user) else EXACT
