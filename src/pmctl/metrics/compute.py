"""One report for one window: every metric of the record format, and more."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from pmctl.config import Config
from pmctl.metrics.exercises import ScenarioStatus, exercise_status
from pmctl.metrics.followup import (
    ActionItem,
    FollowThrough,
    collect_actions,
    follow_through,
    sort_actions,
)
from pmctl.metrics.incidents import (
    Exclusion,
    Incident,
    SeverityRow,
    incidents_of,
    missing_reason,
    response_times,
)
from pmctl.metrics.inputs import Inputs
from pmctl.metrics.postmortems import (
    OverduePostmortem,
    overdue_postmortems,
    postmortems_by_incident,
)
from pmctl.metrics.rates import Rates, compute_rates
from pmctl.metrics.recurrence import (
    RecurringCategory,
    RepeatIncident,
    categories_by_incident,
    category_timeline,
    recurring_categories,
    repeat_incidents,
)
from pmctl.metrics.trend import TrendMonth, trend, trend_months
from pmctl.metrics.window import Window, local_date
from pmctl.problems import Problem


@dataclass(frozen=True)
class WindowFigures:
    """Response times and shares over the incidents started in one window."""

    window: Window
    incidents: list[Incident]
    by_severity: dict[str, SeverityRow]
    overall: SeverityRow
    rates: Rates
    exclusions: list[Exclusion]


@dataclass(frozen=True)
class Report:
    """Everything `pmctl report` shows for one window, as of `today`."""

    window: Window
    today: date
    timezone: str
    figures: WindowFigures
    previous: WindowFigures
    repeats: list[RepeatIncident]
    recurring: list[RecurringCategory]
    overdue_postmortems: list[OverduePostmortem]
    actions: FollowThrough
    stale_actions: list[ActionItem]
    exercises: list[ScenarioStatus]
    trend: list[TrendMonth]
    data_quality: list[Exclusion]
    unreadable: list[Problem]
    history_note: str | None


def compute_report(
    inputs: Inputs, window: Window, trend_request: int | None = None
) -> Report:
    """Every figure for `window`, as of `inputs.today`."""
    config, zone = inputs.config, inputs.zone
    incidents = incidents_of(inputs.records)
    figures = window_figures(incidents, window, config, zone)

    categories = categories_by_incident(inputs.records)
    timeline = category_timeline(incidents, categories)
    recurring = recurring_categories(
        timeline,
        lambda moment: window.contains(local_date(moment, zone)),
        config.recurrence_threshold,
        config.recurrence_window_days,
    )
    overdue, pm_exclusions = overdue_postmortems(
        incidents,
        postmortems_by_incident(inputs.records),
        config.severities,
        window,
        inputs.today,
        zone,
    )

    actions = collect_actions(inputs.records, config, inputs.today, inputs.last_changed)
    unplaced = [
        Exclusion(i.id, i.path, "window", _unplaced_reason(i))
        for i in incidents
        if i.started_at is None
    ]
    return Report(
        window=window,
        today=inputs.today,
        timezone=config.timezone,
        figures=figures,
        previous=window_figures(incidents, window.previous(), config, zone),
        repeats=repeat_incidents(
            figures.incidents, categories, timeline, config.recurrence_window_days
        ),
        recurring=recurring,
        overdue_postmortems=overdue,
        actions=follow_through(actions, config.max_open_per_team, window),
        stale_actions=sort_actions(a for a in actions if a.stale),
        exercises=exercise_status(
            inputs.records, config.scenarios, config.exercise_every_days, inputs.today
        ),
        trend=trend(
            incidents,
            trend_months(window, trend_request),
            list(config.severities),
            zone,
        ),
        data_quality=[*unplaced, *figures.exclusions, *pm_exclusions],
        unreadable=list(inputs.unreadable),
        history_note=inputs.history_note,
    )


def window_figures(
    incidents: Sequence[Incident], window: Window, config: Config, zone: ZoneInfo
) -> WindowFigures:
    chosen = [
        i
        for i in incidents
        if i.started_at is not None and window.contains(local_date(i.started_at, zone))
    ]
    rows, overall, exclusions = response_times(chosen, config.severities)
    rates = compute_rates(chosen, window.months(), config.deployments)
    return WindowFigures(
        window, chosen, rows, overall, rates, [*exclusions, *rates.exclusions]
    )


def _unplaced_reason(incident: Incident) -> str:
    return (
        f"{missing_reason(incident, 'started_at')}; it cannot be placed in any window"
    )
