"""Summary statistics exactly as the record format defines them."""

from __future__ import annotations

from collections.abc import Sequence


def median(values: Sequence[int]) -> int | None:
    """The middle value; for an even count the mean of the two middle values,
    rounded down to whole seconds. None when there are no values."""
    if not values:
        return None

    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) // 2


def p90(values: Sequence[int]) -> int | None:
    """Nearest-rank 90th percentile: the value at rank ceil(0.9 n), 1-based."""
    if not values:
        return None

    ordered = sorted(values)
    rank = -(-9 * len(ordered) // 10)
    return ordered[rank - 1]


def share(part: int, whole: int) -> float | None:
    """A fraction from 0 to 1 rounded to four places; None without a whole."""
    if whole <= 0:
        return None
    return round(part / whole, 4)
