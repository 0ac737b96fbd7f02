"""Repeat incidents and recurring categories, at the edges of window_days."""

from __future__ import annotations

from typing import Any

from pmctl.metrics.compute import Report, compute_report
from pmctl.metrics.window import month_window
from report_helpers import incident, inputs, postmortem

NOVEMBER = month_window("2026-11")


def report(*datas: dict[str, Any], **config: Any) -> Report:
    return compute_report(inputs(datas, **config), NOVEMBER)


def test_a_category_at_exactly_the_threshold_within_window_days_recurs() -> None:
    # Three incidents; the first and last exactly 90 days apart, the last in
    # November. Their postmortems all name `capacity`.
    datas = [
        incident(1, "2026-08-10T12:00:00Z"),
        incident(2, "2026-09-20T12:00:00Z"),
        incident(3, "2026-11-08T12:00:00Z"),
        postmortem(1, [1], ["capacity", "testing-gap"]),
        postmortem(2, [2], ["capacity", "monitoring-gap"]),
        postmortem(3, [3], ["capacity", "runbook-gap"]),
    ]

    found = report(*datas)

    assert [(c.category, c.incidents) for c in found.recurring] == [
        ("capacity", ("INC-2026-0001", "INC-2026-0002", "INC-2026-0003"))
    ]


def test_one_second_beyond_window_days_does_not_recur() -> None:
    datas = [
        incident(1, "2026-08-10T11:59:59Z"),
        incident(2, "2026-09-20T12:00:00Z"),
        incident(3, "2026-11-08T12:00:00Z"),
        postmortem(1, [1, 2, 3], ["capacity", "testing-gap"]),
    ]

    assert report(*datas).recurring == []


def test_below_the_threshold_does_not_recur() -> None:
    datas = [
        incident(2, "2026-09-20T12:00:00Z"),
        incident(3, "2026-11-08T12:00:00Z"),
        postmortem(1, [2, 3], ["capacity", "testing-gap"]),
    ]

    assert report(*datas).recurring == []
    assert report(*datas, recurrence_threshold=2).recurring != []


def test_the_latest_incident_must_be_in_the_window() -> None:
    datas = [
        incident(1, "2026-09-01T12:00:00Z"),
        incident(2, "2026-09-20T12:00:00Z"),
        incident(3, "2026-10-08T12:00:00Z"),
        postmortem(1, [1, 2, 3], ["capacity", "testing-gap"]),
    ]

    assert report(*datas).recurring == []


def test_a_repeat_shares_a_category_with_one_at_most_window_days_earlier() -> None:
    datas = [
        incident(1, "2026-08-10T12:00:00Z"),  # exactly 90 days before INC-0003
        incident(2, "2026-08-01T12:00:00Z"),  # 99 days before: too early
        incident(3, "2026-11-08T12:00:00Z"),
        incident(4, "2026-11-09T12:00:00Z"),  # shares nothing
        postmortem(1, [1], ["capacity", "testing-gap"]),
        postmortem(2, [2], ["configuration", "testing-gap"]),
        # A draft still names the categories of the incidents it lists.
        postmortem(3, [3], ["capacity", "configuration"], status="draft"),
        postmortem(4, [4], ["runbook-gap", "communication"]),
    ]

    found = report(*datas)

    assert [r.incident for r in found.repeats] == ["INC-2026-0003"]
    [repeat] = found.repeats
    assert repeat.categories == ("capacity",)
    assert repeat.earlier == ("INC-2026-0001",)


def test_an_incident_is_not_a_repeat_of_itself_or_of_a_later_one() -> None:
    datas = [
        incident(1, "2026-11-08T12:00:00Z"),
        incident(2, "2026-11-20T12:00:00Z"),
        postmortem(1, [1, 2], ["capacity", "testing-gap"]),
    ]

    assert [r.incident for r in report(*datas).repeats] == ["INC-2026-0002"]


def test_repeat_details_name_the_latest_earlier_incident_per_category() -> None:
    datas = [
        incident(1, "2026-10-01T12:00:00Z"),
        incident(2, "2026-10-10T12:00:00Z"),
        incident(3, "2026-10-20T12:00:00Z"),
        incident(4, "2026-11-08T12:00:00Z"),
        postmortem(1, [1, 2], ["capacity", "testing-gap"]),
        postmortem(2, [3], ["configuration", "testing-gap"]),
        postmortem(3, [4], ["capacity", "configuration"]),
    ]

    [repeat] = report(*datas).repeats

    # capacity: INC-0002 is the latest before INC-0004; configuration: INC-0003.
    assert repeat.categories == ("capacity", "configuration")
    assert repeat.earlier == ("INC-2026-0002", "INC-2026-0003")
