"""Perturbation of the figures of readers of no record: fixed for a cell and its true
value, small, unbiased, and such that the difference of two figures no longer tells
one person (indicators/perturbation.py)."""

import random
import statistics

from django.test import override_settings

from proxima.indicators.perturbation import EXACT, PERTURBED, amount
from proxima.indicators.suppression import MINIMUM


def test_exact_readers_get_the_true_figures():
    assert [EXACT.count(n, ("contacts",)) for n in (0, 3, 5, 1234)] == [0, 3, 5, 1234]
    assert EXACT.mean([1.0, 2.0, 6.0], ("wellbeing_change", "k10")) == 3.0


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


def test_a_mean_no_longer_gives_back_one_persons_score():
    # n·mean shown, minus the same for the group without one person, was that person's
    # change exactly; perturbed, it is not in most cases.
    chance = random.Random(7)
    exact_back = 0
    for _ in range(300):
        group = [chance.randint(-15, 15) for _ in range(chance.randint(5, 40))]
        person = chance.randint(-15, 15)
        with_them = group + [person]
        got = len(with_them) * PERTURBED.mean(with_them, ("wellbeing_change", "k10")) - len(
            group
        ) * PERTURBED.mean(group, ("wellbeing_change", "k10"))
        exact_back += abs(got - person) < 0.5
        # Moved by at most two spreads of the values, divided among them.
        spread = max(1.0, round(statistics.pstdev(with_them), 1))
        assert abs(PERTURBED.mean(with_them, ("w", "k")) - statistics.fmean(with_them)) <= (
            2 * spread / len(with_them) + 1e-9
        )
    assert exact_back < 300 * 0.35


def test_the_amounts_depend_on_a_secret_key():
    cells = [(("contacts",), n) for n in range(5, 205)]
    with override_settings(SECRET_KEY="a" * 50):
        one = [amount(cell, n) for cell, n in cells]
    with override_settings(SECRET_KEY="b" * 50):
        other = [amount(cell, n) for cell, n in cells]
    assert one != other  # not recomputable from the code alone
