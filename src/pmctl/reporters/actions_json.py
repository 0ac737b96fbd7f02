"""`actions --format json`: the listing as one object on one line."""

from __future__ import annotations

from typing import TextIO

from pmctl.jsontext import dumps
from pmctl.metrics.followup import ActionListing
from pmctl.metrics.serialize import action_to_dict, teams_to_dicts


def render(listing: ActionListing, out: TextIO) -> None:
    items = listing.items
    document = {
        "today": listing.today.isoformat(),
        "count": len(items),
        "open": sum(i.is_open for i in items),
        "overdue": sum(i.overdue for i in items),
        "stale": len(listing.stale),
        "stale_after_days": listing.stale_after_days,
        "actions": [action_to_dict(item) for item in items],
        "teams_over_cap": teams_to_dicts(listing.teams_over_cap),
        "history": {"used": listing.history_note is None, "note": listing.history_note},
    }
    out.write(dumps(document) + "\n")
