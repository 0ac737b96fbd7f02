"""Record ids: their shape, and the next free one for a kind and year."""

from __future__ import annotations

import re
from collections.abc import Iterable

ID_PATTERN = re.compile(r"^(INC|PM|EX)-(\d{4})-(\d{4,})$")
_IN_NAME = re.compile(r"(?:^|/)((?:INC|PM|EX)-\d{4}-\d{4,})(?=[-.]|$)")


def next_free_id(prefix: str, year: int, taken: Iterable[str]) -> str:
    """One more than the highest number used for `prefix` in `year`."""
    return free_id_after(prefix, year, highest_numbers(taken))


def highest_numbers(taken: Iterable[str]) -> dict[tuple[str, int], int]:
    """The highest number used in each series (prefix and year) of ids."""
    highest: dict[tuple[str, int], int] = {}
    for record_id in taken:
        match = ID_PATTERN.match(record_id)
        if match:
            prefix, year, digits = match.groups()
            series, number = (prefix, int(year)), int(digits)
            if number > highest.get(series, 0):
                highest[series] = number
    return highest


def free_id_after(prefix: str, year: int, highest: dict[tuple[str, int], int]) -> str:
    """The id after the highest one `highest_numbers` found in the series."""
    return f"{prefix}-{year}-{highest.get((prefix, year), 0) + 1:04d}"


def id_in_path(path: str) -> str | None:
    """The record id a file name starts with, if any."""
    match = _IN_NAME.search(path)
    return match.group(1) if match else None
