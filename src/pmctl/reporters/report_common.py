"""Wording shared by the report's renderers for people (table, markdown)."""

from __future__ import annotations

from collections.abc import Sequence

from pmctl.metrics.compute import Report
from pmctl.metrics.rates import Rates
from pmctl.reporters.humanize import count

METRIC_NAMES = {
    "time_to_detect": "time to detect",
    "time_to_communicate": "time to communicate",
    "time_to_mitigate": "time to mitigate",
    "rollback_frequency": "rollback frequency",
    "change_failure_rate": "change failure rate",
    "slo_breach_share": "SLO-breach share",
    "by_severity": "per-severity rows",
    "overdue_postmortems": "overdue postmortems",
    "window": "every window",
}


def listed(names: Sequence[str], keep: int, latest: bool = True) -> str:
    """Up to `keep` names (the last ones when `latest`), then how many more."""
    if len(names) <= keep:
        return ", ".join(names)
    shown = names[-keep:] if latest else names[:keep]
    more = f"{len(names) - keep} more"
    return f"{more}, " + ", ".join(shown) if latest else ", ".join(shown) + f", {more}"


def window_title(report: Report) -> tuple[str, str]:
    """A title naming the window, and a line saying how to read it."""
    window = report.window
    return (
        f"Incident report {window.since} to {window.until}",
        f"{window.label} · days in {report.timezone} · as of {report.today} · "
        f"{count(len(report.figures.incidents), 'incident')} started in the window",
    )


def change_failure_basis(rates: Rates) -> str:
    if rates.months_without_deployments:
        months = ", ".join(rates.months_without_deployments)
        return (
            f"no deployment count for {months} (pmctl.yaml `deployments`); "
            "not estimated"
        )
    if not rates.deployments:
        return "no deployments counted in the window"
    return (
        f"{count(rates.change_induced, 'change-induced incident')} / "
        f"{rates.deployments} deployments"
    )


def excluded_by_incident(report: Report) -> dict[tuple[str, str], list[str]]:
    """(incident, reason) -> the metrics it was left out of, for one line each."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for exclusion in report.data_quality:
        name = METRIC_NAMES.get(exclusion.metric, exclusion.metric)
        grouped.setdefault((exclusion.incident, exclusion.reason), []).append(name)
    return grouped
