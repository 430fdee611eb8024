"""Perturbation of the figures shown to those who read no record (evaluators).

Suppression (suppression.py) hides small cells within one table. It cannot stop a reader
from comparing two tables: two periods a day apart, or a territory and its
neighbourhood, may differ by one person, and their difference would then show that
person's row exactly. For readers who are not already allowed to read the records (the
capability `indicators.exact_figures` says who is), every count shown from 5 up is moved
by a small, fixed amount (−2 to +2; never below 5, zero stays zero), and a mean's sum by
up to two spreads of its values, so that:

- the same true figure always shows the same number (the amount comes from a keyed hash
  of the cell and its true value, never from chance): asking again, or asking another
  way, never averages the noise away;
- a difference between two tables is the true difference plus the difference of two
  such amounts, so it no longer tells whether one person is in a row, nor their score;
- a share is computed from the two perturbed counts, never from the true ones (an exact
  ratio would give the true counts back);
- which rows are hidden is decided on the true counts, before any noise.

The key is derived from SECRET_KEY (with its own purpose), so the amounts cannot be
recomputed from the code alone. Combined with whole months only for these readers
(forms.py), no two tables they can ask for differ by a day. Rows then need not add up to
their total exactly: the page says so.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from django.utils.crypto import salted_hmac

from proxima.indicators.suppression import MINIMUM

# The amount for each of 16 equally likely hash values: mean 0, variance 1.5, and the
# true figure kept only one time in four.
_AMOUNTS = (-2, -2, -1, -1, -1, -1, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2)
_PURPOSE = "proxima.indicators.perturbation"


def amount(cell: Sequence, value) -> int:
    """The fixed amount for this cell holding this true value."""
    message = "\x1f".join(str(part) for part in (*cell, value))
    return _AMOUNTS[salted_hmac(_PURPOSE, message, algorithm="sha256").digest()[0] % 16]


class Exact:
    """Figures as they are (coordinators, team leads, partners)."""

    perturbed = False

    def count(self, value: int, cell: Sequence) -> int:
        return value

    def mean(self, values: Sequence[float], cell: Sequence) -> float:
        return statistics.fmean(values)


class Perturbed(Exact):
    """Figures with fixed noise (evaluators)."""

    perturbed = True

    def count(self, value: int, cell: Sequence) -> int:
        if value < MINIMUM:
            return value  # zero stays zero; 1 to 4 are hidden anyway
        return max(MINIMUM, value + amount(cell, value))

    def mean(self, values: Sequence[float], cell: Sequence) -> float:
        """The mean with its sum moved by up to two spreads of the values (the spread
        rounded to a tenth, at least 1): one value more or less cannot be read back."""
        total = sum(values)
        spread = max(1.0, round(statistics.pstdev(values), 1)) if len(values) > 1 else 1.0
        moved = total + amount((*cell, "sum"), (len(values), round(total, 4))) * spread
        return moved / len(values)


EXACT = Exact()
PERTURBED = Perturbed()
