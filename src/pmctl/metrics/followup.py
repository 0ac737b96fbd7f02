"""Action items of postmortems and exercises: age, overdue, stale, team load.

An action is open while its status is `open` or `in-progress`. It is overdue
when open and its `due` date has passed (today is after it). It is stale when
open and either overdue or its record has not changed in git for
`actions.stale_after_days` days or more.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from pmctl.config import Config
from pmctl.errors import UsageError
from pmctl.metrics.inputs import Inputs
from pmctl.metrics.stats import share
from pmctl.metrics.window import Window, local_date
from pmctl.records.model import ACTION_STATUSES, OPEN_STATUSES, Record
from pmctl.timeparse import parse_date, parse_timestamp


# Not frozen: a report makes one for every action of every record, and a
# frozen dataclass takes twice as long to build (~30 ms for 20,000 of them).
@dataclass(slots=True)
class ActionItem:
    """One follow-up, referred to as `PM-2026-0042/A1`."""

    id: str
    record: str
    path: str
    title: str
    owner: str
    team: str
    due: date | None
    status: str
    systemic: bool | None
    closed_on: date | None
    raised_on: date | None
    age_days: int | None
    overdue_days: int | None
    last_changed: date | None
    stale_reasons: tuple[str, ...]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def overdue(self) -> bool:
        return self.overdue_days is not None

    @property
    def stale(self) -> bool:
        return bool(self.stale_reasons)

    @property
    def on_time(self) -> bool:
        """Done, and closed on or before its due date."""
        return (
            self.status == "done"
            and self.closed_on is not None
            and self.due is not None
            and self.closed_on <= self.due
        )


@dataclass(frozen=True)
class TeamLoad:
    team: str
    open: int
    cap: int


@dataclass(frozen=True)
class FollowThrough:
    """Open, overdue and stale as of today; closing on time within the window.

    `closed_on_time_share` is the share of actions done (closed_on in the
    window) that were closed on or before their due date. `wont-do` actions
    are counted apart and left out of that share: dropping an action is a
    decision, not a late delivery.
    """

    open: int
    overdue: int
    stale: int
    done: int
    done_on_time: int
    wont_do: int
    closed_on_time_share: float | None
    teams_over_cap: list[TeamLoad]


def collect_actions(
    records: Iterable[Record],
    config: Config,
    today: date,
    last_changed: Mapping[str, datetime],
) -> list[ActionItem]:
    """Every action item of every postmortem and exercise."""
    zone = ZoneInfo(config.timezone)
    items = []
    for record in records:
        if record.kind not in ("postmortem", "exercise"):
            continue
        changed = last_changed.get(record.path)
        changed_on = local_date(changed, zone) if changed else None
        raised_on = _raised_on(record, zone)
        for index, action in record.actions():
            items.append(
                _item(record, index, action, raised_on, changed_on, today, config)
            )
    return items


def follow_through(
    items: Sequence[ActionItem], cap: int, window: Window
) -> FollowThrough:
    closed = [
        i for i in items if i.closed_on is not None and window.contains(i.closed_on)
    ]
    done = [i for i in closed if i.status == "done"]
    on_time = sum(i.on_time for i in done)
    return FollowThrough(
        open=sum(i.is_open for i in items),
        overdue=sum(i.overdue for i in items),
        stale=sum(i.stale for i in items),
        done=len(done),
        done_on_time=on_time,
        wont_do=sum(i.status == "wont-do" for i in closed),
        closed_on_time_share=share(on_time, len(done)),
        teams_over_cap=teams_over_cap(items, cap),
    )


def teams_over_cap(items: Iterable[ActionItem], cap: int) -> list[TeamLoad]:
    """Teams with more open actions than `actions.max_open_per_team`."""
    load = Counter(i.team for i in items if i.is_open)
    over = [TeamLoad(team, count, cap) for team, count in load.items() if count > cap]
    return sorted(over, key=lambda t: (-t.open, t.team))


def sort_actions(items: Iterable[ActionItem]) -> list[ActionItem]:
    """Open ones first, the most overdue first, then by due date and id."""
    return sorted(
        items,
        key=lambda i: (
            not i.is_open,
            -(i.overdue_days or 0),
            i.due or date.max,
            i.id,
        ),
    )


def filter_actions(
    items: Iterable[ActionItem],
    stale: bool = False,
    overdue: bool = False,
    teams: Sequence[str] = (),
    owners: Sequence[str] = (),
    statuses: Sequence[str] = (),
) -> list[ActionItem]:
    """The items matching every filter given; owners match case-insensitively."""
    wanted_owners = {owner.casefold() for owner in owners}
    return [
        item
        for item in items
        if (not stale or item.stale)
        and (not overdue or item.overdue)
        and (not teams or item.team in teams)
        and (not wanted_owners or item.owner.casefold() in wanted_owners)
        and (not statuses or item.status in statuses)
    ]


def _item(
    record: Record,
    index: int,
    action: dict[str, Any],
    raised_on: date | None,
    changed_on: date | None,
    today: date,
    config: Config,
) -> ActionItem:
    status = _text(action.get("status"))
    due = parse_date(action.get("due"))
    is_open = status in OPEN_STATUSES
    overdue_days = (today - due).days if is_open and due and today > due else None

    reasons = []
    if overdue_days is not None:
        reasons.append(f"past due by {_days(overdue_days)}")
    untouched = (today - changed_on).days if changed_on else None
    if is_open and untouched is not None and untouched >= config.stale_after_days:
        reasons.append(f"untouched for {_days(untouched)} (last changed {changed_on})")

    local_id = _text(action.get("id")) or f"#{index + 1}"
    systemic = action.get("systemic")
    return ActionItem(
        id=f"{record.id or record.path}/{local_id}",
        record=record.id or record.path,
        path=record.path,
        title=_text(action.get("title")),
        owner=_text(action.get("owner")),
        team=_text(action.get("team")),
        due=due,
        status=status,
        systemic=systemic if isinstance(systemic, bool) else None,
        closed_on=parse_date(action.get("closed_on")),
        raised_on=raised_on,
        age_days=(today - raised_on).days if raised_on else None,
        overdue_days=overdue_days,
        last_changed=changed_on,
        stale_reasons=tuple(reasons),
    )


def _raised_on(record: Record, zone: ZoneInfo) -> date | None:
    """When a record's actions were raised: the exercise's day; for a
    postmortem its review day, else the day of its last timeline entry."""
    data = record.data
    if record.kind == "exercise":
        return parse_date(data.get("held_on"))

    reviewed = parse_date(data.get("reviewed_on"))
    if reviewed is not None:
        return reviewed
    timeline = data.get("timeline")
    moments = [
        moment
        for entry in (timeline if isinstance(timeline, list) else [])
        if isinstance(entry, dict) and (moment := parse_timestamp(entry.get("at")))
    ]
    return local_date(max(moments), zone) if moments else None


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class ActionListing:
    """What `pmctl actions` shows: the chosen items, sorted, and team load."""

    items: list[ActionItem]
    teams_over_cap: list[TeamLoad]
    today: date
    stale_after_days: int
    history_note: str | None = None

    @property
    def stale(self) -> list[ActionItem]:
        return [item for item in self.items if item.stale]


def check_statuses(statuses: Sequence[str]) -> None:
    unknown = [status for status in statuses if status not in ACTION_STATUSES]
    if unknown:
        raise UsageError(
            f"--status `{unknown[0]}` is not an action status; "
            f"expected one of {', '.join(ACTION_STATUSES)}"
        )


def list_actions(
    inputs: Inputs,
    stale: bool = False,
    overdue: bool = False,
    teams: Sequence[str] = (),
    owners: Sequence[str] = (),
    statuses: Sequence[str] = (),
) -> ActionListing:
    """Every action item matching the filters, most overdue first.

    Team load counts every open action of a team, whatever the other filters;
    `teams` narrows which teams are listed.
    """
    check_statuses(statuses)
    items = collect_actions(
        inputs.records, inputs.config, inputs.today, inputs.last_changed
    )
    chosen = filter_actions(items, stale, overdue, teams, owners, statuses)
    load = teams_over_cap(items, inputs.config.max_open_per_team)
    return ActionListing(
        items=sort_actions(chosen),
        teams_over_cap=[t for t in load if not teams or t.team in teams],
        today=inputs.today,
        stale_after_days=inputs.config.stale_after_days,
        history_note=inputs.history_note,
    )
