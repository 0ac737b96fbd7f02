"""Reports and action items as plain JSON-ready data (cli.md's shapes)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from pmctl.metrics.compute import Report, WindowFigures
from pmctl.metrics.exercises import ScenarioStatus
from pmctl.metrics.followup import ActionItem, FollowThrough, TeamLoad
from pmctl.metrics.incidents import DURATIONS, Exclusion, SeverityRow
from pmctl.metrics.postmortems import OverduePostmortem
from pmctl.metrics.rates import Rates
from pmctl.metrics.trend import TrendMonth
from pmctl.metrics.window import Window


def report_to_dict(report: Report) -> dict[str, Any]:
    """The contract's JSON object (cli.md), plus the extra sections."""
    figures, rates = report.figures, report.figures.rates
    return {
        "window": _window(report.window),
        "incidents": len(figures.incidents),
        "by_severity": {
            name: severity_to_dict(row) for name, row in figures.by_severity.items()
        },
        "overall": severity_to_dict(figures.overall),
        **_shares(rates),
        "repeat_incidents": [r.incident for r in report.repeats],
        "recurring_categories": [
            {"category": c.category, "incidents": list(c.incidents)}
            for c in report.recurring
        ],
        "actions": _follow_through(report.actions),
        "window_label": report.window.label,
        "timezone": report.timezone,
        "today": report.today.isoformat(),
        "counts": _counts(rates),
        "repeat_incident_details": [
            {
                "incident": r.incident,
                "categories": list(r.categories),
                "earlier": list(r.earlier),
            }
            for r in report.repeats
        ],
        "overdue_postmortems": [
            _overdue_postmortem(item) for item in report.overdue_postmortems
        ],
        "stale_actions": [a.id for a in report.stale_actions],
        "exercises": [_scenario(s, report.today) for s in report.exercises],
        "trend": [_trend_month(month) for month in report.trend] or None,
        "previous": _previous(report.previous),
        "data_quality": {
            "excluded": [_exclusion(e) for e in report.data_quality],
            "unreadable": [p.to_dict() for p in report.unreadable],
        },
        "history": {
            "used": report.history_note is None,
            "note": report.history_note,
        },
    }


def severity_to_dict(row: SeverityRow) -> dict[str, Any]:
    found: dict[str, Any] = {"count": row.count, "low_confidence": row.low_confidence}
    for metric in DURATIONS:
        figure = row.figures[metric]
        found[metric] = {
            "median_s": figure.median_s,
            "p90_s": figure.p90_s,
            "samples": figure.samples,
        }
    return found


def action_to_dict(item: ActionItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "record": item.record,
        "path": item.path,
        "title": item.title,
        "owner": item.owner,
        "team": item.team,
        "due": _iso(item.due),
        "status": item.status,
        "systemic": item.systemic,
        "closed_on": _iso(item.closed_on),
        "raised_on": _iso(item.raised_on),
        "age_days": item.age_days,
        "overdue_days": item.overdue_days,
        "last_changed": _iso(item.last_changed),
        "stale": item.stale,
        "stale_reasons": list(item.stale_reasons),
    }


def teams_to_dicts(teams: Sequence[TeamLoad]) -> list[dict[str, Any]]:
    return [{"team": t.team, "open": t.open, "cap": t.cap} for t in teams]


def _window(window: Window) -> dict[str, str]:
    return {"since": window.since.isoformat(), "until": window.until.isoformat()}


def _follow_through(actions: FollowThrough) -> dict[str, Any]:
    return {
        "open": actions.open,
        "overdue": actions.overdue,
        "stale": actions.stale,
        "closed_on_time_share": actions.closed_on_time_share,
        "teams_over_cap": teams_to_dicts(actions.teams_over_cap),
        "done": actions.done,
        "done_on_time": actions.done_on_time,
        "wont_do": actions.wont_do,
    }


def _counts(rates: Rates) -> dict[str, Any]:
    return {
        "mitigated": rates.mitigated,
        "rollbacks": rates.rollbacks,
        "change_induced": rates.change_induced,
        "deployments": rates.deployments,
        "months_without_deployments": list(rates.months_without_deployments),
        "slo_known": rates.slo_known,
        "slo_breached": rates.slo_breached,
    }


def _overdue_postmortem(item: OverduePostmortem) -> dict[str, Any]:
    return {
        "incident": item.incident,
        "severity": item.severity,
        "resolved_on": item.resolved_on.isoformat(),
        "due": item.due.isoformat(),
        "state": item.state,
        "days_late": item.days_late,
        "postmortem": item.postmortem,
        "postmortem_status": item.postmortem_status,
    }


def _scenario(status: ScenarioStatus, today: date) -> dict[str, Any]:
    return {
        "scenario": status.scenario,
        "last": status.last,
        "held_on": _iso(status.held_on),
        "days_since": status.days_since(today),
        "due": _iso(status.due),
        "overdue": status.overdue,
    }


def _trend_month(month: TrendMonth) -> dict[str, Any]:
    return {
        "month": month.month,
        "incidents": month.incidents,
        "by_severity": month.by_severity,
        "time_to_mitigate_median_s": month.time_to_mitigate_median_s,
    }


def _previous(figures: WindowFigures) -> dict[str, Any]:
    return {
        "window": _window(figures.window),
        "incidents": len(figures.incidents),
        "overall": severity_to_dict(figures.overall),
        **_shares(figures.rates),
    }


def _shares(rates: Rates) -> dict[str, float | None]:
    return {
        "rollback_frequency": rates.rollback_frequency,
        "change_failure_rate": rates.change_failure_rate,
        "slo_breach_share": rates.slo_breach_share,
    }


def _exclusion(exclusion: Exclusion) -> dict[str, str]:
    return {
        "incident": exclusion.incident,
        "path": exclusion.path,
        "metric": exclusion.metric,
        "reason": exclusion.reason,
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
