"""Small-cell suppression: no figure lets anyone count fewer than five people, shown or
recomputed from what is shown."""

import pytest

from proxima.core.suppression import (
    is_small,
    protect_count,
    protect_distribution,
    protect_part,
)


@pytest.mark.parametrize(
    ("count", "small"),
    [(None, False), (-1, False), (0, False), (1, True), (4, True), (5, False), (250, False)],
)
def test_a_count_from_one_to_four_is_small_and_zero_is_not(count, small):
    assert is_small(count) is small


def test_a_single_count_is_hidden_from_one_to_four_and_zero_is_shown():
    assert [protect_count(n) for n in (0, 1, 2, 3, 4, 5, 6)] == [0, None, None, None, None, 5, 6]


def test_without_a_total_only_the_small_cells_are_hidden():
    counts = {"a": 1, "b": 2, "c": 3, "d": 4, "e": 0, "f": 5}
    assert protect_distribution(counts, None) == {
        "a": None,
        "b": None,
        "c": None,
        "d": None,
        "e": 0,
        "f": 5,
    }
    # One small cell and no total: nothing to subtract from, nothing more hidden.
    assert protect_distribution({"a": 3, "b": 10}, None) == {"a": None, "b": 10}


def test_nothing_is_hidden_when_every_cell_is_zero_or_five_and_more():
    assert protect_distribution({"a": 5, "b": 0, "c": 9}, 14) == {"a": 5, "b": 0, "c": 9}


def test_one_hidden_cell_beside_a_total_forces_the_next_smallest_to_be_hidden():
    # 20 - 10 - 7 = 3: "a" alone hidden could be recomputed; "c" (7 < 10) goes too.
    assert protect_distribution({"a": 3, "b": 10, "c": 7}, 20) == {
        "a": None,
        "b": 10,
        "c": None,
    }


def test_two_hidden_cells_need_no_more():
    # 17 - 10 = 7 = a + b: neither can be told apart.
    assert protect_distribution({"a": 3, "b": 4, "c": 10}, 17) == {"a": None, "b": None, "c": 10}


def test_zero_is_never_the_second_cell_hidden_and_ties_go_by_key():
    # A zero hides no one and hiding it protects nothing: the 8 goes.
    assert protect_distribution({"a": 3, "b": 0, "c": 8}, 11) == {"a": None, "b": 0, "c": None}
    # Two cells of 6: the first by key ("b") is hidden.
    assert protect_distribution({"a": 3, "c": 6, "b": 6}, 15) == {"a": None, "c": 6, "b": None}


def test_the_unseen_remainder_of_the_total_counts_as_a_cell():
    # Rows for 17 of 20: the 3 not accounted for would be read as 20 - 10 - 7 unless one
    # more row is hidden; the smallest (7) goes.
    assert protect_distribution({"a": 10, "b": 7}, 20) == {"a": 10, "b": None}
    # A small remainder (3) and a small row (2): two hidden cells, but their sum (5)
    # tells each is 4 at most (a shown row is never below 1): the 10 goes too.
    assert protect_distribution({"a": 2, "b": 10}, 15) == {"a": None, "b": None}
    # No remainder: one small row forces a second one.
    assert protect_distribution({"a": 3, "b": 10}, 13) == {"a": None, "b": None}
    # A remainder of 7 is an unseen cell: 3 + 7 = 10 over two cells pins neither.
    assert protect_distribution({"a": 3, "b": 10}, 20) == {"a": None, "b": 10}


def test_with_nothing_above_zero_left_to_hide_the_zeros_are_hidden_too():
    # Shown, the zero would tell that "a" holds the whole total.
    assert protect_distribution({"a": 3, "b": 0}, 3) == {"a": None, "b": None}


def test_hidden_cells_are_never_pinned_by_their_sum():
    # The outsider's case: 10 contacts over 10 hours, one each, the other hours 0. The
    # ten hidden cells sum to 10 = their number: each is 1. With the zeros hidden too,
    # none can be told.
    hours = {f"{h:02d}": (1 if h < 10 else 0) for h in range(24)}
    assert set(protect_distribution(hours, 10).values()) == {None}
    # 27 = 13 + 12 + 1 + 1: the two 1s hidden sum to 2 (each is 1); the 12 goes too:
    # 1 + 1 + 12 = 14 over three cells, each possibly 5 or more.
    bands = {"0-1": 1, "2-7": 13, "8-30": 12, "31+": 1}
    assert protect_distribution(bands, 27) == {"0-1": None, "2-7": 13, "8-30": None, "31+": None}
    # Two hidden cells of 3 and 4 beside a 10: 7 >= 2 + 4, either may be 5 or more.
    assert protect_distribution({"a": 3, "b": 4, "c": 10}, 17) == {"a": None, "b": None, "c": 10}


def test_the_counts_given_are_not_changed():
    counts = {"a": 3, "b": 10, "c": 7}
    protect_distribution(counts, 20)
    assert counts == {"a": 3, "b": 10, "c": 7}


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (5, 10, True),
        (0, 10, True),  # no one: nothing to protect
        (10, 10, True),  # all: the rest is no one
        (3, 10, False),  # the part is small
        (6, 10, False),  # the rest (4) is small
        (5, 5, True),
        (0, 5, True),
        (0, 4, False),  # the whole itself is small
        (4, 4, False),
        (0, 0, False),
    ],
)
def test_a_part_of_a_whole_is_shown_only_when_part_rest_and_whole_are_safe(part, whole, shown):
    assert protect_part(part, whole) is shown
