"""Tabletop exercises: the last one per configured scenario, and which are due.

A scenario is overdue when its last exercise held on or before today was more
than `exercises.every_days` days ago, or when it has never been exercised.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from pmctl.records.model import Record
from pmctl.timeparse import parse_date


@dataclass(frozen=True)
class ScenarioStatus:
    scenario: str
    last: str | None
    held_on: date | None
    due: date | None
    overdue: bool

    def days_since(self, today: date) -> int | None:
        return (today - self.held_on).days if self.held_on else None


def exercise_status(
    records: Iterable[Record],
    scenarios: Sequence[str],
    every_days: int,
    today: date,
) -> list[ScenarioStatus]:
    latest: dict[str, tuple[date, str]] = {}
    for record in records:
        scenario = record.data.get("scenario")
        held_on = parse_date(record.data.get("held_on"))
        if record.kind != "exercise" or not isinstance(scenario, str):
            continue
        if held_on is None or held_on > today:
            continue
        found = (held_on, record.id or record.path)
        latest[scenario] = max(latest.get(scenario, found), found)

    statuses = []
    for scenario in scenarios:
        if scenario not in latest:
            statuses.append(ScenarioStatus(scenario, None, None, None, True))
            continue
        held_on, exercise = latest[scenario]
        due = held_on + timedelta(days=every_days)
        statuses.append(ScenarioStatus(scenario, exercise, held_on, due, today > due))
    return statuses
