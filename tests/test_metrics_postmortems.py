"""Postmortems overdue by severity policy (SEV2: 10 days by default)."""

from __future__ import annotations

from typing import Any

from pmctl.metrics.compute import compute_report
from pmctl.metrics.postmortems import OverduePostmortem
from pmctl.metrics.window import month_window
from report_helpers import incident, inputs, postmortem

NOVEMBER = month_window("2026-11")


def overdue(
    *datas: dict[str, Any], today: str = "2026-12-01", **config: Any
) -> list[OverduePostmortem]:
    return compute_report(
        inputs(datas, today=today, **config), NOVEMBER
    ).overdue_postmortems


def sev2(number: int = 1, **changes: Any) -> dict[str, Any]:
    # Resolved at 10:00 UTC on 3 November: a postmortem is due by 13 November.
    return incident(number, "2026-11-03T09:00:00Z", **changes)


def test_published_on_the_due_date_is_on_time() -> None:
    assert (
        overdue(
            sev2(),
            postmortem(1, [1], ["capacity", "testing-gap"], reviewed_on="2026-11-13"),
        )
        == []
    )


def test_published_a_day_late_is_overdue_as_late() -> None:
    [item] = overdue(
        sev2(),
        postmortem(1, [1], ["capacity", "testing-gap"], reviewed_on="2026-11-14"),
    )

    assert (item.incident, item.state, item.days_late) == ("INC-2026-0001", "late", 1)
    assert str(item.due) == "2026-11-13"
    assert item.postmortem == "PM-2026-0001"


def test_missing_counts_only_once_the_due_date_has_passed() -> None:
    assert overdue(sev2(), today="2026-11-13") == []

    [item] = overdue(sev2(), today="2026-11-14")
    assert (item.state, item.days_late, item.postmortem) == ("missing", 1, None)


def test_an_unpublished_postmortem_does_not_settle_the_debt() -> None:
    draft = postmortem(1, [1], ["capacity", "testing-gap"], status="in-review")
    draft.pop("reviewed_on")

    [item] = overdue(sev2(), draft)

    assert (item.state, item.postmortem, item.postmortem_status) == (
        "missing",
        "PM-2026-0001",
        "in-review",
    )


def test_severities_without_a_due_policy_owe_nothing() -> None:
    assert overdue(sev2(severity="SEV4")) == []


def test_unresolved_incidents_owe_nothing_yet() -> None:
    found = sev2(status="mitigated")
    found.pop("resolved_at")

    assert overdue(found) == []


def test_the_due_date_counts_from_resolved_at_in_the_configured_zone() -> None:
    # Resolved at 23:30 on 3 November in New York: 4 November in UTC.
    late_evening = sev2()
    late_evening["resolved_at"] = "2026-11-03T23:30:00-05:00"
    published = postmortem(
        1, [1], ["capacity", "testing-gap"], reviewed_on="2026-11-14"
    )

    assert overdue(late_evening, published) == []
    [item] = overdue(late_evening, published, timezone="America/New_York")
    assert str(item.due) == "2026-11-13"


def test_earlier_incidents_are_listed_only_while_still_missing() -> None:
    october_missing = incident(1, "2026-10-03T09:00:00Z")
    october_late = incident(2, "2026-10-04T09:00:00Z")
    late = postmortem(2, [2], ["capacity", "testing-gap"], reviewed_on="2026-10-30")

    found = overdue(october_missing, october_late, late)

    assert [(i.incident, i.state) for i in found] == [("INC-2026-0001", "missing")]
