"""Exercises per configured scenario, and the ones overdue."""

from __future__ import annotations

from datetime import date

from pmctl.metrics.exercises import exercise_status
from report_helpers import exercise, records

SCENARIOS = ("dependency-outage", "data-corruption", "region-failover")


def test_the_latest_exercise_per_scenario_and_when_the_next_is_due() -> None:
    found = exercise_status(
        records(
            exercise(1, "2026-03-01", "dependency-outage"),
            exercise(2, "2026-06-01", "dependency-outage"),
            exercise(3, "2026-01-10", "data-corruption"),
        ),
        SCENARIOS,
        182,
        date(2026, 12, 1),
    )

    by_scenario = {s.scenario: s for s in found}
    outage = by_scenario["dependency-outage"]
    assert (outage.last, str(outage.held_on), str(outage.due)) == (
        "EX-2026-0002",
        "2026-06-01",
        "2026-11-30",
    )
    # Due on 30 November; today is 1 December.
    assert outage.overdue
    assert outage.days_since(date(2026, 12, 1)) == 183
    assert by_scenario["data-corruption"].overdue
    never = by_scenario["region-failover"]
    assert (never.last, never.held_on, never.overdue) == (None, None, True)


def test_an_exercise_due_today_is_not_yet_overdue() -> None:
    [status] = exercise_status(
        records(exercise(1, "2026-06-02", "dependency-outage")),
        ("dependency-outage",),
        182,
        date(2026, 12, 1),
    )

    assert str(status.due) == "2026-12-01"
    assert not status.overdue


def test_planned_exercises_in_the_future_do_not_count() -> None:
    [status] = exercise_status(
        records(exercise(1, "2027-01-15", "dependency-outage")),
        ("dependency-outage",),
        182,
        date(2026, 12, 1),
    )

    assert status.last is None and status.overdue
