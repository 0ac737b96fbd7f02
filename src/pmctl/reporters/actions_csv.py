"""`actions --format csv`: one row per action item; empty cells for no value."""

from __future__ import annotations

import csv
from typing import TextIO

from pmctl.metrics.followup import ActionListing
from pmctl.metrics.serialize import action_to_dict

COLUMNS = [
    "id",
    "title",
    "owner",
    "team",
    "due",
    "status",
    "systemic",
    "closed_on",
    "age_days",
    "overdue_days",
    "last_changed",
    "stale",
    "stale_reasons",
    "path",
]


def render(listing: ActionListing, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for item in listing.items:
        found = action_to_dict(item)
        found["stale_reasons"] = "; ".join(found["stale_reasons"])
        writer.writerow([_cell(found[column]) for column in COLUMNS])


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return value
