"""Action items: ids, age, overdue, stale (due date or git), follow-through."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pmctl.metrics.compute import compute_report
from pmctl.metrics.followup import ActionItem, list_actions
from pmctl.metrics.window import month_window
from report_helpers import action, exercise, inputs, postmortem

PM_PATH = "postmortems/2026/PM-2026-0042-record.md"


def items(
    *actions: dict[str, Any],
    today: str = "2026-12-01",
    changed: str | None = None,
    **config: Any,
) -> dict[str, ActionItem]:
    data = postmortem(42, [1], ["capacity", "testing-gap"], actions=list(actions))
    last = {PM_PATH: datetime.fromisoformat(changed)} if changed else {}
    listing = list_actions(inputs([data], today=today, last_changed=last, **config))
    return {item.id: item for item in listing.items}


def test_actions_are_named_by_record_and_local_id() -> None:
    found = items(action("A1", "2026-12-10"))

    assert list(found) == ["PM-2026-0042/A1"]
    assert found["PM-2026-0042/A1"].path == PM_PATH


def test_an_open_action_past_its_due_date_is_overdue_and_stale() -> None:
    found = items(action("A1", "2026-11-20"), action("A2", "2026-12-01"))

    late, due_today = found["PM-2026-0042/A1"], found["PM-2026-0042/A2"]
    assert late.overdue_days == 11
    assert late.stale_reasons == ("past due by 11 days",)
    assert due_today.overdue_days is None
    assert not due_today.stale


def test_untouched_for_stale_after_days_is_stale_one_day_less_is_not() -> None:
    # Last changed 1 November (UTC); 30 days later is 1 December.
    changed = "2026-11-01T10:00:00+00:00"

    on_the_day = items(action("A1", "2027-01-31"), changed=changed)["PM-2026-0042/A1"]
    day_before = items(action("A1", "2027-01-31"), changed=changed, today="2026-11-30")[
        "PM-2026-0042/A1"
    ]

    assert on_the_day.stale_reasons == (
        "untouched for 30 days (last changed 2026-11-01)",
    )
    assert not day_before.stale


def test_untouched_days_use_the_configured_time_zone() -> None:
    # 02:00 UTC on 2 November is still 1 November in New York.
    found = items(
        action("A1", "2027-01-31"),
        changed="2026-11-02T02:00:00+00:00",
        timezone="America/New_York",
    )["PM-2026-0042/A1"]

    assert found.last_changed == date(2026, 11, 1)
    assert found.stale


def test_closed_actions_are_never_stale() -> None:
    done = action("A1", "2026-10-01", "done", closed_on="2026-10-05")
    dropped = action("A2", "2026-10-01", "wont-do", closed_on="2026-10-05")

    found = items(done, dropped, changed="2026-01-01T00:00:00+00:00")

    assert not any(item.stale or item.overdue for item in found.values())


def test_age_counts_from_the_review_or_the_exercise_day() -> None:
    found = items(action("A1", "2026-12-10"))["PM-2026-0042/A1"]
    drill = exercise(
        7, "2026-11-21", "dependency-outage", actions=[action("A1", "2026-12-10")]
    )
    [from_drill] = list_actions(inputs([drill])).items

    assert found.raised_on == date(2026, 11, 10)  # reviewed_on of the postmortem
    assert found.age_days == 21
    assert from_drill.id == "EX-2026-0007/A1"
    assert from_drill.age_days == 10


def test_listing_is_sorted_most_overdue_first_then_by_due_date() -> None:
    found = items(
        action("A1", "2026-12-20"),
        action("A2", "2026-11-01"),
        action("A3", "2026-10-01", "done", closed_on="2026-10-01"),
        action("A4", "2026-11-25"),
        action("A5", "2026-12-05"),
    )

    assert [i.split("/")[1] for i in found] == ["A2", "A4", "A5", "A1", "A3"]


def test_filters_combine() -> None:
    data = postmortem(
        42,
        [1],
        ["capacity", "testing-gap"],
        actions=[
            action("A1", "2026-11-01", owner="Grace Hopper", team="edge"),
            action("A2", "2026-11-01", owner="grace hopper", team="payments"),
            action("A3", "2026-12-20", owner="Grace Hopper", team="payments"),
            action("A4", "2026-11-01", "done", closed_on="2026-11-01"),
        ],
    )
    chosen = list_actions(
        inputs([data]), overdue=True, teams=["payments"], owners=["GRACE HOPPER"]
    )

    assert [i.id for i in chosen.items] == ["PM-2026-0042/A2"]
    by_status = list_actions(inputs([data]), statuses=["done"])
    assert [i.id for i in by_status.items] == ["PM-2026-0042/A4"]


def test_teams_over_the_cap_count_open_and_in_progress() -> None:
    data = postmortem(
        42,
        [1],
        ["capacity", "testing-gap"],
        actions=[
            action("A1", "2027-01-01"),
            action("A2", "2027-01-01", "in-progress"),
            action("A3", "2027-01-01"),
            action("A4", "2027-01-01", "done", closed_on="2026-11-01"),
            action("A5", "2027-01-01", team="edge"),
        ],
    )

    listing = list_actions(inputs([data], max_open_per_team=2))

    assert [(t.team, t.open, t.cap) for t in listing.teams_over_cap] == [
        ("payments", 3, 2)
    ]
    assert list_actions(inputs([data], max_open_per_team=3)).teams_over_cap == []


def test_closed_on_time_share_counts_done_in_the_window_and_leaves_out_wont_do() -> (
    None
):
    data = postmortem(
        42,
        [1],
        ["capacity", "testing-gap"],
        actions=[
            action("A1", "2026-11-10", "done", closed_on="2026-11-10"),  # on time
            action("A2", "2026-11-10", "done", closed_on="2026-11-11"),  # late
            action("A3", "2026-11-30", "done", closed_on="2026-11-02"),  # on time
            action("A4", "2026-11-10", "wont-do", closed_on="2026-11-20"),
            action("A5", "2026-10-10", "done", closed_on="2026-10-30"),  # October
            action("A6", "2026-11-20"),  # open and overdue
        ],
    )

    follow = compute_report(inputs([data]), month_window("2026-11")).actions

    assert (follow.done, follow.done_on_time, follow.wont_do) == (3, 2, 1)
    assert follow.closed_on_time_share == 0.6667
    assert (follow.open, follow.overdue, follow.stale) == (1, 1, 1)


def test_closed_on_time_share_is_null_when_nothing_was_done() -> None:
    follow = compute_report(inputs([]), month_window("2026-11")).actions

    assert follow.closed_on_time_share is None


def test_actions_of_malformed_records_do_not_crash_the_listing() -> None:
    broken = postmortem(42, [1], ["capacity"], actions=["not a mapping", {"due": 5}])

    [item] = list_actions(inputs([broken])).items

    assert item.id == "PM-2026-0042/#2"
    assert item.due is None and item.status == ""
