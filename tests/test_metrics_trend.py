"""The month-by-month trend: which months, counts by severity, median TTM."""

from __future__ import annotations

from datetime import date

from pmctl.metrics.compute import compute_report
from pmctl.metrics.trend import trend_months
from pmctl.metrics.window import choose_window, month_window
from report_helpers import incident, inputs

TODAY = date(2026, 12, 1)


def test_quarters_get_a_trend_of_their_months_single_months_none() -> None:
    assert trend_months(choose_window(TODAY, quarter="2026-Q3"), None) == [
        "2026-07",
        "2026-08",
        "2026-09",
    ]
    assert trend_months(month_window("2026-11"), None) == []


def test_trend_n_is_the_n_months_up_to_the_window_end() -> None:
    assert trend_months(month_window("2026-02"), 4) == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]


def test_trend_counts_by_severity_and_takes_the_median_time_to_mitigate() -> None:
    datas = [
        incident(1, "2026-10-05T09:00:00Z", severity="SEV1", mitigate=600),
        incident(2, "2026-10-06T09:00:00Z", severity="SEV3", mitigate=1200),
        incident(3, "2026-11-05T09:00:00Z", severity="SEV3", mitigate=3000),
        incident(4, "2026-09-05T09:00:00Z", severity="SEV2", mitigate=None),
    ]

    found = compute_report(inputs(datas), month_window("2026-11"), 3).trend

    assert [(m.month, m.incidents) for m in found] == [
        ("2026-09", 1),
        ("2026-10", 2),
        ("2026-11", 1),
    ]
    assert found[1].by_severity == {"SEV1": 1, "SEV2": 0, "SEV3": 1, "SEV4": 0}
    assert [m.time_to_mitigate_median_s for m in found] == [None, 900, 3000]
