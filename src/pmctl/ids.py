"""Record ids: their shape, and the next free one for a kind and year."""

from __future__ import annotations

import re
from collections.abc import Iterable

ID_PATTERN = re.compile(r"^(INC|PM|EX)-(\d{4})-(\d{4,})$")
_IN_NAME = re.compile(r"(?:^|/)((?:INC|PM|EX)-\d{4}-\d{4,})(?=[-.]|$)")


def next_free_id(prefix: str, year: int, taken: Iterable[str]) -> str:
    """One more than the highest number used for `prefix` in `year`."""
    highest = 0
    for record_id in taken:
        match = ID_PATTERN.match(record_id)
        if match and match.group(1) == prefix and int(match.group(2)) == year:
            highest = max(highest, int(match.group(3)))
    return f"{prefix}-{year}-{highest + 1:04d}"


def id_in_path(path: str) -> str | None:
    """The record id a file name starts with, if any."""
    match = _IN_NAME.search(path)
    return match.group(1) if match else None
