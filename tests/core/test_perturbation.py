"""Perturbation of the figures of readers of no record: fixed for a cell and its true
value, small, unbiased, and such that the difference of two figures no longer tells
one person (core/perturbation.py)."""

import random
import statistics
import uuid

from django.test import override_settings

from proxima.core.perturbation import EXACT, PERTURBED, PRIME, amount, keys_of
from proxima.core.suppression import MINIMUM
from proxima.indicators.services import mean_with_interval


def test_exact_readers_get_the_true_figures():
    assert [EXACT.count(n, ("contacts",)) for n in (0, 3, 5, 1234)] == [0, 3, 5, 1234]
    exact = mean_with_interval([1.0, 2.0, 6.0])
    assert EXACT.interval([1.0, 2.0, 6.0], exact, ("wellbeing_change", "k10")) == exact


def test_a_count_moves_by_two_at_most_never_below_five_and_zero_stays_zero():
    for n in range(0, 3000):
        shown = PERTURBED.count(n, ("contacts_by_hour", "03"))
        if n < MINIMUM:
            assert shown == n  # zero stays zero; 1 to 4 are hidden before this
        else:
            assert abs(shown - n) <= 2 and shown >= MINIMUM


def test_the_same_cell_and_value_always_show_the_same_number():
    first = [PERTURBED.count(n, ("priority_mix", "urgent")) for n in range(5, 500)]
    again = [PERTURBED.count(n, ("priority_mix", "urgent")) for n in range(5, 500)]
    assert first == again  # asking again cannot average the noise away


def test_the_noise_is_unbiased_and_differs_between_cells():
    moved = [PERTURBED.count(n, ("contacts_by_channel", "phone")) - n for n in range(10, 10010)]
    assert abs(statistics.fmean(moved)) < 0.1
    assert 1.2 < statistics.pvariance(moved) < 1.8  # the table's variance is 1.5
    assert 0.2 < moved.count(0) / len(moved) < 0.3  # the true figure one time in four
    other = [PERTURBED.count(n, ("contacts_by_channel", "walk_in")) - n for n in range(10, 10010)]
    assert sum(a != b for a, b in zip(moved, other, strict=True)) > len(moved) / 2


def test_a_difference_of_two_figures_no_longer_tells_one_person():
    # Two tables that differ by one person in a row: the shown difference is 1 in about
    # one case in five, and anything from -3 to 5 otherwise.
    differences = [
        PERTURBED.count(n + 1, ("escalations", "suicide"))
        - PERTURBED.count(n, ("escalations", "suicide"))
        for n in range(5, 5005)
    ]
    assert differences.count(1) / len(differences) < 0.3
    assert set(differences) >= {-3, -2, -1, 0, 1, 2, 3, 4, 5}
    # And a row that did not change shows the same, so no row is pinned by a change alone
    # more than by its value: the same value in the same cell is the same figure.
    assert PERTURBED.count(40, ("escalations", "suicide")) == PERTURBED.count(
        40, ("escalations", "suicide")
    )


def _shown(values):
    return PERTURBED.interval(values, mean_with_interval(values), ("wellbeing_change", "k10"))


def test_a_mean_no_longer_gives_back_one_persons_score():
    # n·mean shown, minus the same for the group without one person, was that person's
    # change exactly; perturbed, it is off by a continuous amount (whole-number sums
    # cannot be told apart), and the interval's width no longer gives the exact variance.
    chance = random.Random(7)
    errors = []
    for _ in range(300):
        group = [chance.randint(-15, 15) for _ in range(chance.randint(5, 40))]
        person = chance.randint(-15, 15)
        with_them = group + [person]
        mean, low, high = _shown(with_them)
        exact_mean, exact_low, exact_high = mean_with_interval(with_them)
        got = len(with_them) * mean - len(group) * _shown(group)[0]
        errors.append(abs(got - person))
        # The sum moved by at most two spreads; the interval around the moved mean,
        # never narrower than the exact one and at most a quarter wider.
        spread = max(1.0, round(statistics.pstdev(with_them), 1))
        assert abs(mean - exact_mean) <= 2 * spread / len(with_them) + 1e-9
        assert abs((low + high) / 2 - mean) < 1e-9
        width, exact_width = high - low, exact_high - exact_low
        assert exact_width - 1e-9 <= width <= 1.25 * exact_width + 1e-9
        # The shown sum is not a whole number: the true one cannot be picked among them.
        assert abs(mean * len(with_them) - round(mean * len(with_them))) > 1e-6
    assert sum(error < 0.5 for error in errors) < 300 * 0.2
    assert statistics.median(errors) > 1.0
    # And the same values always show the same figures.
    assert _shown([1.0, 4.0, 2.0, 8.0, 5.0]) == _shown([1.0, 4.0, 2.0, 8.0, 5.0])


def test_a_cell_is_named_by_its_records_keys_whatever_the_id_looks_like():
    # Records' ids are UUIDs (PostgreSQL gives UUID objects, SQLite hex text) or numbers:
    # one key each, however written.
    ids = [uuid.uuid4() for _ in range(7)]
    assert keys_of(ids) == keys_of(str(i) for i in ids) == keys_of(i.hex for i in ids)
    # The same records, however gathered, give the same key; one record more, another.
    assert keys_of(ids) == keys_of(reversed(ids))
    assert keys_of(ids) != keys_of(ids[:-1]) and 0 <= keys_of(ids) < PRIME
    assert keys_of([12]) == keys_of([12]) != keys_of([13])
    # Their keys look random: spread over the whole range.
    single = sorted(keys_of([uuid.uuid4()]) for _ in range(2000))
    assert single[0] < PRIME / 100 and single[-1] > PRIME * 0.99


def test_the_amounts_depend_on_a_secret_key():
    cells = [(("contacts",), n) for n in range(5, 205)]
    with override_settings(SECRET_KEY="a" * 50):
        one = [amount(cell, n) for cell, n in cells]
    with override_settings(SECRET_KEY="b" * 50):
        other = [amount(cell, n) for cell, n in cells]
    assert one != other  # not recomputable from the code alone
