"""Repeat incidents and recurring contributing-factor categories.

An incident's categories are those of every postmortem that lists it, whatever
the postmortem's status: a draft already names what went wrong.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from pmctl.metrics.incidents import Incident
from pmctl.records.model import Record


@dataclass(frozen=True)
class RepeatIncident:
    """An incident in the window sharing a category with a recent earlier one.

    `earlier` holds, for each shared category, the most recent earlier
    incident with it (oldest first, without repeats): enough to follow the
    thread without listing every incident of a busy category.
    """

    incident: str
    categories: tuple[str, ...]
    earlier: tuple[str, ...]


@dataclass(frozen=True)
class RecurringCategory:
    """A category behind `threshold` or more incidents close together in time."""

    category: str
    incidents: tuple[str, ...]


# Per category: (started_at, incident id), sorted by time.
Timeline = dict[str, list[tuple[datetime, str]]]


def categories_by_incident(records: Iterable[Record]) -> dict[str, set[str]]:
    """Incident id -> the contributing-factor categories of its postmortems."""
    found: dict[str, set[str]] = {}
    for record in records:
        if record.kind != "postmortem":
            continue
        listed = record.data.get("incidents")
        factors = record.data.get("contributing_factors")
        if not isinstance(listed, list) or not isinstance(factors, list):
            continue

        categories = {
            factor["category"]
            for factor in factors
            if isinstance(factor, dict) and isinstance(factor.get("category"), str)
        }
        for incident in listed:
            if isinstance(incident, str):
                found.setdefault(incident, set()).update(categories)
    return found


def category_timeline(
    incidents: Iterable[Incident], categories: dict[str, set[str]]
) -> Timeline:
    timeline: Timeline = {}
    for incident in incidents:
        if incident.started_at is None:
            continue
        for category in categories.get(incident.id, ()):
            timeline.setdefault(category, []).append((incident.started_at, incident.id))
    for entries in timeline.values():
        entries.sort()
    return timeline


def repeat_incidents(
    in_window: Sequence[Incident],
    categories: dict[str, set[str]],
    timeline: Timeline,
    window_days: int,
) -> list[RepeatIncident]:
    """Window incidents sharing a category with one started at most
    `window_days` earlier (strictly earlier; the window does not bound it)."""
    span = timedelta(days=window_days)
    repeats = []
    placed = [(i.started_at, i.id, i) for i in in_window if i.started_at is not None]
    for start, _, incident in sorted(placed, key=lambda found: found[:2]):
        shared: set[str] = set()
        latest: set[tuple[datetime, str]] = set()
        for category in sorted(categories.get(incident.id, ())):
            entries = timeline[category]
            low = bisect_left(entries, (start - span,))
            high = bisect_left(entries, (start,))
            for index in range(high - 1, low - 1, -1):
                if entries[index][1] != incident.id:
                    shared.add(category)
                    latest.add(entries[index])
                    break
        if shared:
            earlier = tuple(other for _, other in sorted(latest))
            repeats.append(RepeatIncident(incident.id, tuple(sorted(shared)), earlier))
    return repeats


def recurring_categories(
    timeline: Timeline,
    in_window: Callable[[datetime], bool],
    threshold: int,
    window_days: int,
) -> list[RecurringCategory]:
    """Categories with `threshold` or more incidents started within
    `window_days` of each other, the latest of them in the window.

    Each incident of the category in the window is tried as the latest of such
    a group; the group is every incident started in the `window_days` up to
    it. The incidents reported are the union of the groups that qualify.
    """
    span = timedelta(days=window_days)
    recurring = []
    for category in sorted(timeline):
        entries = timeline[category]
        members: dict[str, datetime] = {}
        for start, _ in entries:
            if not in_window(start):
                continue
            low = bisect_left(entries, (start - span,))
            high = bisect_right(entries, (start, "\U0010ffff"))
            group = entries[low:high]
            if len({incident for _, incident in group}) >= threshold:
                members.update((incident, moment) for moment, incident in group)
        if members:
            ordered = sorted(
                members, key=lambda incident: (members[incident], incident)
            )
            recurring.append(RecurringCategory(category, tuple(ordered)))
    return recurring
