"""Reporting windows: months, quarters, ranges, defaults and conflicts."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from pmctl.errors import UsageError
from pmctl.metrics.window import (
    Window,
    choose_window,
    last_full_month,
    local_date,
    month_window,
    resolve_today,
)

TODAY = date(2026, 12, 3)


def test_a_month_covers_its_first_to_its_last_day() -> None:
    window = choose_window(TODAY, month="2024-02")

    assert (window.since, window.until) == (date(2024, 2, 1), date(2024, 2, 29))
    assert window.months() == ["2024-02"]


def test_a_quarter_covers_three_months() -> None:
    window = choose_window(TODAY, quarter="2026-Q4")

    assert (window.since, window.until) == (date(2026, 10, 1), date(2026, 12, 31))
    assert window.months() == ["2026-10", "2026-11", "2026-12"]
    assert window.is_quarter


def test_until_is_inclusive() -> None:
    window = choose_window(TODAY, since="2026-09-01", until="2026-11-30")

    assert window.contains(date(2026, 11, 30))
    assert window.contains(date(2026, 9, 1))
    assert not window.contains(date(2026, 12, 1))
    assert not window.contains(date(2026, 8, 31))
    assert window.days == 91


def test_since_alone_runs_to_today() -> None:
    window = choose_window(TODAY, since="2026-11-20")

    assert window.until == TODAY


def test_the_default_is_the_last_full_calendar_month() -> None:
    assert choose_window(TODAY) == month_window("2026-11")
    assert last_full_month(date(2027, 1, 1)) == month_window("2026-12")


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({"month": "2026-11", "quarter": "2026-Q4"}, "--month and --quarter"),
        ({"month": "2026-11", "since": "2026-11-01"}, "--month and --since/--until"),
        ({"quarter": "2026-Q4", "until": "2026-11-01"}, "--quarter and --since"),
        ({"until": "2026-11-01"}, "--until needs --since"),
        ({"month": "2026-13"}, "expected YYYY-MM"),
        ({"quarter": "2026-Q5"}, "expected YYYY-QN"),
        ({"since": "2026-11-31"}, "--since `2026-11-31` is not a date"),
        ({"since": "2026-11-05", "until": "2026-11-04"}, "is before --since"),
    ],
)
def test_bad_window_flags_are_usage_errors(flags: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=message) as raised:
        choose_window(TODAY, **flags)

    assert raised.value.exit_code == 2


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({"month": "0000-01"}, "--month `0000-01` is out of range"),
        ({"month": "9999-12"}, "--month `9999-12` is out of range"),
        ({"quarter": "0000-Q1"}, "--quarter `0000-Q1` is out of range"),
        ({"since": "0001-01-01"}, "--since `0001-01-01` is out of range"),
        ({"since": "2026-01-01", "until": "9999-12-31"}, "--until `9999-12-31`"),
    ],
)
def test_years_no_window_can_be_computed_for_are_usage_errors(
    flags: dict[str, str], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        choose_window(TODAY, **flags)


def test_a_pinned_today_out_of_range_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--today `0001-01-01` is out of range"):
        choose_window(date(1, 1, 1))


def test_the_first_year_in_range_has_a_previous_window() -> None:
    assert month_window("1900-01").previous() == Window(
        date(1899, 12, 1), date(1899, 12, 31), "1899-12"
    )
    ranged = choose_window(TODAY, since="1900-01-01", until="2999-12-31")
    assert ranged.previous().until == date(1899, 12, 31)


def test_previous_windows_have_the_same_kind_and_length() -> None:
    assert month_window("2026-01").previous() == month_window("2025-12")
    assert choose_window(TODAY, quarter="2026-Q1").previous() == choose_window(
        TODAY, quarter="2025-Q4"
    )
    ranged = choose_window(TODAY, since="2026-11-11", until="2026-11-20").previous()
    assert ranged == Window(date(2026, 11, 1), date(2026, 11, 10), ranged.label)


def test_months_touched_cross_a_year() -> None:
    window = choose_window(TODAY, since="2026-12-31", until="2027-01-01")

    assert window.months() == ["2026-12", "2027-01"]


def test_local_date_uses_the_time_zone() -> None:
    moment = datetime.fromisoformat("2026-12-01T03:30:00+00:00")

    assert local_date(moment, ZoneInfo("UTC")) == date(2026, 12, 1)
    assert local_date(moment, ZoneInfo("America/New_York")) == date(2026, 11, 30)


def test_today_can_be_pinned_and_must_be_a_date() -> None:
    assert resolve_today("2026-02-28", ZoneInfo("UTC")) == date(2026, 2, 28)
    with pytest.raises(UsageError, match="--today"):
        resolve_today("yesterday", ZoneInfo("UTC"))
