"""Month by month: incidents per severity and the median time to mitigate.

Trend months are whole calendar months in the configured time zone, whatever
the window's edges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from pmctl.metrics.incidents import Incident, measure
from pmctl.metrics.stats import median
from pmctl.metrics.window import Window, add_months, local_date


@dataclass(frozen=True)
class TrendMonth:
    month: str
    incidents: int
    by_severity: dict[str, int]
    time_to_mitigate_median_s: int | None


def trend_months(window: Window, requested: int | None) -> list[str]:
    """`--trend N`: the N months up to the window's last; by default the
    months of a window longer than one month (a quarter, say); else none."""
    months = window.months()
    if requested is None:
        return months if len(months) > 1 else []

    last = months[-1]
    return [add_months(last, -back) for back in range(requested - 1, -1, -1)]


def trend(
    incidents: Sequence[Incident],
    months: Sequence[str],
    severities: Sequence[str],
    zone: ZoneInfo,
) -> list[TrendMonth]:
    by_month: dict[str, list[Incident]] = {month: [] for month in months}
    for incident in incidents:
        if incident.started_at is None:
            continue
        month = local_date(incident.started_at, zone).isoformat()[:7]
        if month in by_month:
            by_month[month].append(incident)

    result = []
    for month, found in by_month.items():
        counts = {name: 0 for name in severities}
        for incident in found:
            if incident.severity in counts:
                counts[incident.severity] += 1
        durations = [
            d for i in found if isinstance(d := measure(i, "time_to_mitigate"), int)
        ]
        result.append(TrendMonth(month, len(found), counts, median(durations)))
    return result
