"""Reporting windows: whole calendar days in the configured time zone.

A window is a closed range of dates; an incident belongs to it when the date of
its `started_at`, seen in the configured time zone, lies in the range.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from pmctl.errors import UsageError
from pmctl.timeparse import flag_date

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
# The years a report may look at. A report also needs the window before its
# own and whole months around it, which Python's dates cannot hold near year 1
# or 9999; no incident record lies outside these years anyway.
_YEARS = range(1900, 3000)


@dataclass(frozen=True)
class Window:
    """The days a report covers; `until` is inclusive."""

    since: date
    until: date
    label: str

    def contains(self, day: date) -> bool:
        return self.since <= day <= self.until

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    def months(self) -> list[str]:
        """Every calendar month (`YYYY-MM`) the window touches, in order."""
        return month_range(_month_of(self.since), _month_of(self.until))

    @property
    def is_quarter(self) -> bool:
        return bool(_QUARTER.match(self.label))

    def previous(self) -> Window:
        """The window of the same kind and length just before this one."""
        if _MONTH.match(self.label):
            return _month(self.since.replace(day=1) - timedelta(days=1))
        if self.is_quarter:
            start = self.since.replace(day=1) - timedelta(days=1)
            return quarter_window(start.year, (start.month - 1) // 3 + 1)
        until = self.since - timedelta(days=1)
        since = until - timedelta(days=self.days - 1)
        return Window(since, until, f"{since.isoformat()}..{until.isoformat()}")


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    """The calendar date of an instant in the given time zone."""
    return moment.astimezone(zone).date()


def month_window(month: str) -> Window:
    """The window of `--month YYYY-MM`."""
    found = _MONTH.match(month)
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise UsageError(f"--month `{month}` is not a month; expected YYYY-MM")

    _check_year("--month", month, int(found.group(1)))
    return _month(date(int(found.group(1)), int(found.group(2)), 1))


def quarter_window(year: int, quarter: int) -> Window:
    since = date(year, 3 * quarter - 2, 1)
    until = _month_end(date(year, 3 * quarter, 1))
    return Window(since, until, f"{year}-Q{quarter}")


def last_full_month(today: date) -> Window:
    """The calendar month before the one `today` lies in."""
    return _month(today.replace(day=1) - timedelta(days=1))


def choose_window(
    today: date,
    month: str | None = None,
    quarter: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Window:
    """The window the flags ask for; the last full month when none is given."""
    _check_year("--today", today.isoformat(), today.year)
    given = [
        flag
        for flag, value in (("--month", month), ("--quarter", quarter))
        if value is not None
    ]
    if since is not None or until is not None:
        given.append("--since/--until")
    if len(given) > 1:
        raise UsageError(
            f"{' and '.join(given)} both choose the window; pass only one of "
            "--month, --quarter or --since/--until"
        )

    if month is not None:
        return month_window(month)
    if quarter is not None:
        return _parse_quarter(quarter)
    if since is not None or until is not None:
        return _range(since, until, today)
    return last_full_month(today)


def resolve_today(value: str | None, zone: ZoneInfo) -> date:
    """`--today`/PMCTL_TODAY when given (for tests and back-dated reports)."""
    if value is None:
        return datetime.now(zone).date()
    return flag_date("--today", value)


def month_range(first: str, last: str) -> list[str]:
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def add_months(month: str, count: int) -> str:
    year, number = int(month[:4]), int(month[5:7])
    index = year * 12 + number - 1 + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _parse_quarter(text: str) -> Window:
    found = _QUARTER.match(text)
    if not found:
        raise UsageError(f"--quarter `{text}` is not a quarter; expected YYYY-QN")

    _check_year("--quarter", text, int(found.group(1)))
    return quarter_window(int(found.group(1)), int(found.group(2)))


def _range(since: str | None, until: str | None, today: date) -> Window:
    if since is None:
        raise UsageError("--until needs --since: pass the window's first day too")

    first = _flag_day("--since", since)
    last = today if until is None else _flag_day("--until", until)
    if last < first:
        raise UsageError(
            f"--until {last.isoformat()} is before --since {first.isoformat()}; "
            "the window would be empty"
        )
    return Window(first, last, f"{first.isoformat()}..{last.isoformat()}")


def _flag_day(flag: str, value: str) -> date:
    day = flag_date(flag, value)
    _check_year(flag, value, day.year)
    return day


def _check_year(flag: str, value: str, year: int) -> None:
    if year not in _YEARS:
        raise UsageError(
            f"{flag} `{value}` is out of range; reports cover the years "
            f"{_YEARS[0]} to {_YEARS[-1]}"
        )


def _month(day: date) -> Window:
    """The calendar month `day` lies in."""
    since = day.replace(day=1)
    return Window(since, _month_end(since), _month_of(since))


def _month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _month_end(first: date) -> date:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)
