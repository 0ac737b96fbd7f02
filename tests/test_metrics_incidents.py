"""Response times per severity: window membership, offsets, nulls, exclusions."""

from __future__ import annotations

from typing import Any

from pmctl.metrics.compute import Report, compute_report
from pmctl.metrics.window import month_window
from report_helpers import incident, inputs

NOVEMBER = month_window("2026-11")


def report(*datas: dict[str, Any], **config: Any) -> Report:
    return compute_report(inputs(datas, **config), NOVEMBER)


def test_timestamps_with_different_offsets_are_compared_as_instants() -> None:
    # 10:00 at -05:00 is 15:00 UTC; detected 15:07 UTC: 7 minutes.
    found = incident(1, "2026-11-03T10:00:00-05:00")
    found["detected_at"] = "2026-11-03T15:07:00Z"
    found["communicated_at"] = "2026-11-03T20:49:00+05:30"  # 15:19 UTC: 12 minutes
    found["mitigated_at"] = "2026-11-03T16:40:00+01:00"  # 15:40 UTC: 40 minutes

    figures = report(found).figures.by_severity["SEV2"].figures

    assert figures["time_to_detect"].median_s == 420
    assert figures["time_to_communicate"].median_s == 720
    assert figures["time_to_mitigate"].median_s == 2400


def test_window_edges_are_calendar_days_in_the_configured_zone() -> None:
    inside_first = incident(1, "2026-11-01T00:00:00Z")
    inside_last = incident(2, "2026-11-30T23:59:59Z")
    before = incident(3, "2026-10-31T23:59:59Z")
    after = incident(4, "2026-12-01T00:00:00Z")
    # 23:30 on 30 November in New York is 04:30 on 1 December in UTC.
    new_york_evening = incident(5, "2026-11-30T23:30:00-05:00")
    # 00:30 on 1 November in Paris is still 31 October in UTC.
    paris_midnight = incident(6, "2026-11-01T00:30:00+01:00")
    datas = (inside_first, inside_last, before, after, new_york_evening, paris_midnight)

    in_utc = {i.id for i in report(*datas).figures.incidents}
    in_new_york = {
        i.id for i in report(*datas, timezone="America/New_York").figures.incidents
    }

    assert in_utc == {"INC-2026-0001", "INC-2026-0002"}
    # New York is behind UTC: 00:00Z on 1 December is 19:00 on 30 November
    # there (in), and 00:00Z on 1 November is still 31 October (out).
    assert in_new_york == {"INC-2026-0002", "INC-2026-0004", "INC-2026-0005"}


def test_even_count_median_and_p90_per_severity() -> None:
    detects = [60, 601, 120, 301]
    datas = [
        incident(n, f"2026-11-{n + 1:02d}T09:00:00Z", detect=d)
        for n, d in enumerate(detects, start=1)
    ]

    row = report(*datas).figures.by_severity["SEV2"]

    assert row.count == 4
    assert not row.low_confidence
    assert row.figures["time_to_detect"].median_s == 210  # (120 + 301) // 2
    assert row.figures["time_to_detect"].p90_s == 601  # rank ceil(3.6) = 4


def test_ten_incidents_p90_is_the_ninth_value_overall() -> None:
    severities = ["SEV1", "SEV2", "SEV3", "SEV4"]
    datas = [
        incident(
            n,
            f"2026-11-{n:02d}T09:00:00Z",
            mitigate=60 * n,
            resolve=60 * n + 60,
            severity=severities[n % 4],
        )
        for n in range(1, 11)
    ]

    overall = report(*datas).figures.overall

    assert overall.count == 10
    assert overall.figures["time_to_mitigate"].median_s == 330  # (300 + 360) // 2
    assert overall.figures["time_to_mitigate"].p90_s == 540


def test_every_configured_severity_appears_with_null_figures_when_empty() -> None:
    figures = report(incident(1, "2026-11-03T09:00:00Z", severity="SEV1")).figures

    assert list(figures.by_severity) == ["SEV1", "SEV2", "SEV3", "SEV4"]
    empty = figures.by_severity["SEV3"]
    assert empty.count == 0
    assert empty.low_confidence
    for figure in empty.figures.values():
        assert (figure.median_s, figure.p90_s, figure.samples) == (None, None, 0)


def test_a_zero_duration_is_a_value_not_missing_data() -> None:
    found = report(incident(1, "2026-11-03T09:00:00Z", detect=0)).figures

    assert found.by_severity["SEV2"].figures["time_to_detect"].median_s == 0


def test_rows_under_three_incidents_are_low_confidence() -> None:
    datas = [incident(n, f"2026-11-0{n}T09:00:00Z") for n in (1, 2, 3)]
    two = report(*datas[:2]).figures.by_severity["SEV2"]
    three = report(*datas).figures.by_severity["SEV2"]

    assert two.low_confidence
    assert not three.low_confidence


def test_incidents_left_out_of_a_figure_are_named_with_the_reason() -> None:
    investigating = incident(
        1,
        "2026-11-03T09:00:00Z",
        communicate=None,
        mitigate=None,
        resolve=None,
        status="investigating",
    )
    out_of_order = incident(2, "2026-11-04T09:00:00Z")
    out_of_order["detected_at"] = "2026-11-04T08:00:00Z"
    result = report(investigating, out_of_order)

    reasons = {(e.incident, e.metric): e.reason for e in result.data_quality}

    assert reasons[("INC-2026-0001", "time_to_communicate")] == "still investigating"
    assert reasons[("INC-2026-0001", "time_to_mitigate")] == "still investigating"
    assert reasons[("INC-2026-0002", "time_to_detect")] == (
        "`detected_at` is before `started_at`"
    )
    overall = result.figures.overall
    assert overall.count == 2
    assert overall.figures["time_to_detect"].samples == 1
    assert overall.figures["time_to_mitigate"].samples == 1


def test_an_incident_without_a_start_is_named_as_unplaced() -> None:
    broken = incident(1, "2026-11-03T09:00:00Z")
    broken["started_at"] = "2026-11-03 09:00"

    result = report(broken)

    assert result.figures.incidents == []
    [exclusion] = [e for e in result.data_quality if e.metric == "window"]
    assert exclusion.incident == "INC-2026-0001"
    assert "`started_at` is not a valid value" in exclusion.reason


def test_an_unconfigured_severity_counts_overall_only() -> None:
    result = report(incident(1, "2026-11-03T09:00:00Z", severity="SEV9"))

    assert result.figures.overall.count == 1
    assert sum(row.count for row in result.figures.by_severity.values()) == 0
    assert any(e.metric == "by_severity" for e in result.data_quality)
