"""Small-cell suppression: no figure shown lets anyone count fewer than five people.

Primary suppression hides every count from 1 to 4 (zero is shown: it tells of no one).
Complementary suppression hides more, so that a hidden count cannot be recomputed from
what is shown: in a distribution whose total is shown, cells are hidden until the hidden
ones are two or more and their sum leaves each possibly 5 or more (a shown zero tells
that a hidden cell holds at least one), zeros too when nothing else is left; a part of a whole (accepted of sent) is hidden when the part or what
remains of the whole is from 1 to 4. A rate, a median or a mean computed on fewer than
five people is hidden with its count.
"""

MINIMUM = 5


def is_small(count: int | None) -> bool:
    """A count that would show from 1 to 4 people or events."""
    return count is not None and 0 < count < MINIMUM


def protect_distribution(counts: dict, total: int | None) -> dict:
    """The counts with those to hide as None; `total` is shown with them (None: no
    total). Beside a shown total, the hidden cells must not be recomputable: a shown 0
    tells a reader that a hidden cell holds at least one, so hidden cells (the part of the
    total the rows do not account for counting as one) are added, smallest first, until
    there are two or more whose sum leaves each of them possibly 5 or more (sum ≥ number
    of hidden cells + 4); when no count above 0 is left to hide, the zeros are hidden too
    (a hidden cell may then be empty: none is pinned)."""
    shown = {key: (None if is_small(count) else count) for key, count in counts.items()}
    if total is None:
        return shown
    rest = max(0, total - sum(counts.values()))
    while True:
        hidden = [key for key, value in shown.items() if value is None]
        cells = len(hidden) + (1 if rest else 0)
        held = sum(counts[key] for key in hidden) + rest
        if cells == 0 or any(counts[key] == 0 for key in hidden):
            return shown
        if cells >= 2 and held >= cells + MINIMUM - 1:
            return shown
        candidates = sorted(
            (value, str(key)) for key, value in shown.items() if value is not None and value > 0
        )
        if candidates:
            smallest = candidates[0][1]
            shown[next(k for k in shown if str(k) == smallest)] = None
            continue
        zeros = [key for key, value in shown.items() if value == 0]
        if not zeros:
            return shown  # every row hidden: only the total is read
        for key in zeros:
            shown[key] = None


def protect_part(part: int, whole: int) -> bool:
    """Whether a part of a whole (accepted of sent, completed of started) may be shown:
    the whole is at least five, and neither the part nor the rest is from 1 to 4."""
    return whole >= MINIMUM and not is_small(part) and not is_small(whole - part)


def protect_count(count: int) -> int | None:
    """A single count as shown (None: hidden)."""
    return None if is_small(count) else count
