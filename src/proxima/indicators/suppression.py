"""Small-cell suppression: no figure shown lets anyone count fewer than five people.

Primary suppression hides every count from 1 to 4 (zero is shown: it tells of no one).
Complementary suppression hides more, so that a hidden count cannot be recomputed from
what is shown: in a distribution whose total is shown, when only one cell is hidden (the
part of the total the rows do not account for counts as a cell), the next smallest shown
cell is hidden too; a part of a whole (accepted of sent) is hidden when the part or what
remains of the whole is from 1 to 4. A rate, a median or a mean computed on fewer than
five people is hidden with its count.
"""

MINIMUM = 5


def is_small(count: int | None) -> bool:
    """A count that would show from 1 to 4 people or events."""
    return count is not None and 0 < count < MINIMUM


def protect_distribution(counts: dict, total: int | None) -> dict:
    """The counts with those to hide as None; `total` is shown with them (None: no
    total). The rows not adding up to the total leave an unseen cell (the rest), which
    is treated as one more cell."""
    shown = dict(counts)
    for key, count in counts.items():
        if is_small(count):
            shown[key] = None
    if total is None:
        return shown
    rest = total - sum(counts.values())
    hidden = [key for key, value in shown.items() if value is None]
    rest_hidden = is_small(rest)
    # One hidden cell beside a shown total is the total minus the others: hide one more.
    while len(hidden) + (1 if rest_hidden else 0) == 1:
        candidates = sorted(
            (value, str(key)) for key, value in shown.items() if value is not None and value > 0
        )
        if not candidates:
            break
        smallest = candidates[0][1]
        key = next(k for k in shown if str(k) == smallest)
        shown[key] = None
        hidden.append(key)
    return shown


def protect_part(part: int, whole: int) -> bool:
    """Whether a part of a whole (accepted of sent, completed of started) may be shown:
    the whole is at least five, and neither the part nor the rest is from 1 to 4."""
    return whole >= MINIMUM and not is_small(part) and not is_small(whole - part)


def protect_count(count: int) -> int | None:
    """A single count as shown (None: hidden)."""
    return None if is_small(count) else count
