"""Postmortems owed by severity policy and not published in time.

An incident owes a published postmortem by `resolved_at` (its date in the
configured time zone) plus its severity's `postmortem_due_days`, that day
included. A published postmortem counts from its `reviewed_on` date; one
published without a `reviewed_on` (which `validate` rejects) is taken as on
time, since its date is unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pmctl.config import SeverityPolicy
from pmctl.metrics.incidents import Exclusion, Incident, missing_reason
from pmctl.metrics.window import Window, local_date
from pmctl.records.model import Record
from pmctl.timeparse import parse_date

OverdueState = Literal["missing", "late"]


@dataclass(frozen=True)
class Postmortem:
    id: str
    status: str | None
    reviewed_on: date | None


@dataclass(frozen=True)
class OverduePostmortem:
    """An incident whose postmortem was not published by its due date."""

    incident: str
    severity: str
    resolved_on: date
    due: date
    state: OverdueState
    days_late: int
    postmortem: str | None
    postmortem_status: str | None


def postmortems_by_incident(records: Iterable[Record]) -> dict[str, list[Postmortem]]:
    found: dict[str, list[Postmortem]] = {}
    for record in records:
        listed = record.data.get("incidents")
        if record.kind != "postmortem" or not isinstance(listed, list):
            continue

        status = record.data.get("status")
        postmortem = Postmortem(
            record.id or record.path,
            status if isinstance(status, str) else None,
            parse_date(record.data.get("reviewed_on")),
        )
        for incident in listed:
            if isinstance(incident, str):
                found.setdefault(incident, []).append(postmortem)
    return found


def overdue_postmortems(
    incidents: Sequence[Incident],
    postmortems: dict[str, list[Postmortem]],
    policies: dict[str, SeverityPolicy],
    window: Window,
    today: date,
    zone: ZoneInfo,
) -> tuple[list[OverduePostmortem], list[Exclusion]]:
    """Overdue postmortems of incidents started up to the window's end.

    Incidents in the window are reported when their postmortem is still
    missing after the due date or was published late. Earlier incidents are
    reported only while still missing: that debt is still open today.
    """
    overdue: list[OverduePostmortem] = []
    exclusions: list[Exclusion] = []
    for incident in incidents:
        started = incident.started_at
        policy = policies.get(incident.severity or "")
        days = policy.postmortem_due_days if policy else None
        if started is None or days is None or incident.status != "resolved":
            continue
        started_on = local_date(started, zone)
        if started_on > window.until:
            continue
        if incident.resolved_at is None:
            exclusions.append(
                Exclusion(
                    incident.id,
                    incident.path,
                    "overdue_postmortems",
                    missing_reason(incident, "resolved_at"),
                )
            )
            continue

        resolved_on = local_date(incident.resolved_at, zone)
        found = _judge(
            incident, resolved_on, days, postmortems.get(incident.id, []), today
        )
        if found and (found.state == "missing" or window.contains(started_on)):
            overdue.append(found)

    overdue.sort(key=lambda item: (-item.days_late, item.incident))
    return overdue, exclusions


def _judge(
    incident: Incident,
    resolved_on: date,
    days: int,
    postmortems: list[Postmortem],
    today: date,
) -> OverduePostmortem | None:
    due = resolved_on + timedelta(days=days)
    published = [p for p in postmortems if p.status == "published"]
    if any(p.reviewed_on is None or p.reviewed_on <= due for p in published):
        return None

    first: Postmortem | None
    if published:
        first = min(published, key=lambda p: (p.reviewed_on or due, p.id))
        late = (first.reviewed_on or due) - due
        state: OverdueState = "late"
    elif today > due:
        first, late, state = next(iter(postmortems), None), today - due, "missing"
    else:
        return None

    return OverduePostmortem(
        incident.id,
        incident.severity or "",
        resolved_on,
        due,
        state,
        late.days,
        first.id if first else None,
        first.status if first else None,
    )
