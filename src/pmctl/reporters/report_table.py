"""`report --format table`: the report as Rich tables, for people."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from pmctl.console import make_console
from pmctl.metrics.compute import Report, WindowFigures
from pmctl.metrics.incidents import DURATIONS, SeverityRow
from pmctl.reporters.actions_table import over_cap
from pmctl.reporters.humanize import MISSING, bar, count, day, duration, percent
from pmctl.reporters.report_common import (
    change_failure_basis,
    excluded_by_incident,
    listed,
    window_title,
)

# Lists for people stay short; the JSON output has everything.
ROWS_SHOWN = 10
LISTED = 5
_BAR = 12
_SHORT = {
    "time_to_detect": "Detect",
    "time_to_communicate": "Communicate",
    "time_to_mitigate": "Mitigate",
}


def render(report: Report, out: TextIO) -> None:
    console = make_console(out)
    for part in _parts(report):
        console.print(part)
        console.print()


def _parts(report: Report) -> Iterator[RenderableType]:
    title, detail = window_title(report)
    yield Group(Rule(Text(title, style="bold"), align="left"), Text(detail, "dim"))
    yield _response_times(report.figures)
    yield _rates(report)
    yield from _recurrence(report)
    yield _postmortems(report)
    yield from _actions(report)
    yield _exercises(report)
    if report.trend:
        yield _trend(report)
    if report.data_quality or report.unreadable:
        yield _data_quality(report)


def _response_times(figures: WindowFigures) -> Table:
    table = _titled(
        "Response times (median / p90)", "* fewer than 3 incidents: low confidence"
    )
    table.add_column("Severity")
    table.add_column("Incidents", justify="right")
    for metric in DURATIONS:
        table.add_column(_SHORT[metric], justify="right", no_wrap=True)

    rows = list(figures.by_severity.values())
    for index, row in enumerate([*rows, figures.overall]):
        table.add_row(*_severity_cells(row), end_section=index == len(rows) - 1)
    return table


def _severity_cells(row: SeverityRow) -> list[Text]:
    style = "dim" if row.low_confidence else ""
    mark = " *" if row.low_confidence else "  "
    cells = [Text(row.name, style="bold"), Text(f"{row.count}{mark}", style=style)]
    for metric in DURATIONS:
        figure = row.figures[metric]
        text = (
            MISSING
            if figure.median_s is None
            else f"{duration(figure.median_s)} / {duration(figure.p90_s)}"
        )
        cells.append(Text(text, style=style))
    return cells


def _rates(report: Report) -> Table:
    now, before = report.figures.rates, report.previous.rates
    table = _titled(
        "Across the window",
        f"Previous: the window before, {report.previous.window.label}",
    )
    table.add_column("Figure", no_wrap=True)
    table.add_column("Value", justify="right")
    table.add_column("Previous", justify="right")
    table.add_column("Based on")
    table.add_row(
        "Rollback frequency",
        percent(now.rollback_frequency),
        percent(before.rollback_frequency),
        f"{now.rollbacks} rollbacks of {count(now.mitigated, 'mitigated incident')}",
    )
    table.add_row(
        "Change failure rate",
        percent(now.change_failure_rate),
        percent(before.change_failure_rate),
        change_failure_basis(now),
    )
    table.add_row(
        "SLO-breach share",
        percent(now.slo_breach_share),
        percent(before.slo_breach_share),
        f"{now.slo_breached} of {count(now.slo_known, 'incident')} customer-facing "
        "with an SLO breached",
    )
    table.add_row(
        "Incidents",
        str(len(report.figures.incidents)),
        str(len(report.previous.incidents)),
        "started in the window",
    )
    return table


def _recurrence(report: Report) -> Iterator[RenderableType]:
    if not report.recurring:
        yield Text("Recurring categories: none", style="green")
    else:
        table = _titled("Recurring contributing-factor categories")
        table.add_column("Category", style="bold")
        table.add_column("Count", justify="right")
        table.add_column("Incidents (latest)")
        for found in report.recurring:
            table.add_row(
                Text(found.category),
                str(len(found.incidents)),
                Text(listed(found.incidents, LISTED)),
            )
        yield table

    if not report.repeats:
        yield Text("Repeat incidents: none", style="green")
        return
    shown = report.repeats[-ROWS_SHOWN:]
    hidden = len(report.repeats) - len(shown)
    table = _titled(
        f"Repeat incidents ({len(report.repeats)})",
        f"and {hidden} earlier: --format json lists all" if hidden else None,
    )
    table.add_column("Incident", style="bold")
    table.add_column("Shared categories")
    table.add_column("Latest earlier incident per category")
    for repeat in shown:
        table.add_row(
            Text(repeat.incident),
            Text(", ".join(repeat.categories)),
            Text(", ".join(repeat.earlier)),
        )
    yield table


def _postmortems(report: Report) -> RenderableType:
    if not report.overdue_postmortems:
        return Text("Overdue postmortems: none", style="green")

    hidden = len(report.overdue_postmortems) - ROWS_SHOWN
    table = _titled(
        f"Overdue postmortems ({len(report.overdue_postmortems)})",
        f"and {hidden} more: --format json lists all" if hidden > 0 else None,
    )
    for name in ("Incident", "Severity", "Due", "State", "Late by"):
        table.add_column(name, no_wrap=True)
    table.add_column("Postmortem")
    for item in report.overdue_postmortems[:ROWS_SHOWN]:
        state = "missing" if item.state == "missing" else "published late"
        postmortem = (
            f"{item.postmortem} ({item.postmortem_status})" if item.postmortem else "—"
        )
        table.add_row(
            Text(item.incident, style="bold"),
            Text(item.severity),
            day(item.due),
            Text(state, style="red" if item.state == "missing" else "yellow"),
            count(item.days_late, "day"),
            Text(postmortem),
        )
    return table


def _actions(report: Report) -> Iterator[RenderableType]:
    actions = report.actions
    summary = Text("Action follow-through: ", style="bold")
    summary.append(
        f"{actions.open} open · {actions.overdue} overdue · {actions.stale} stale · "
        f"{percent(actions.closed_on_time_share)} closed on time "
        f"({actions.done_on_time} of {actions.done} done in the window"
        f"{f'; {actions.wont_do} dropped as wont-do' if actions.wont_do else ''})",
        style="",
    )
    yield summary

    if actions.teams_over_cap:
        yield over_cap(actions.teams_over_cap)

    if report.stale_actions:
        yield _stale_table(report)


def _stale_table(report: Report) -> Table:
    shown = report.stale_actions[:ROWS_SHOWN]
    hidden = len(report.stale_actions) - len(shown)
    table = _titled(
        "Stale actions", f"and {hidden} more: pmctl actions --stale" if hidden else None
    )
    for name in ("Action", "Owner", "Team", "Due", "Why stale"):
        table.add_column(name)
    for item in shown:
        table.add_row(
            Text(item.id, style="bold"),
            Text(item.owner),
            Text(item.team),
            day(item.due),
            Text("; ".join(item.stale_reasons)),
        )
    return table


def _exercises(report: Report) -> Table:
    table = _titled("Exercises per scenario")
    for name in ("Scenario", "Last exercise", "Held on", "Next due"):
        table.add_column(name)
    table.add_column("Status")
    for status in report.exercises:
        table.add_row(
            Text(status.scenario, style="bold"),
            Text(status.last or MISSING),
            day(status.held_on),
            day(status.due),
            Text("overdue", style="red") if status.overdue else Text("ok", "green"),
        )
    return table


def _trend(report: Report) -> Table:
    months = report.trend
    largest = max(month.incidents for month in months)
    slowest = max((m.time_to_mitigate_median_s or 0) for m in months)
    table = _titled("Trend by month")
    table.add_column("Month", style="bold", no_wrap=True)
    table.add_column("Incidents", no_wrap=True)
    for name in months[0].by_severity:
        table.add_column(name, justify="right")
    table.add_column("Mitigate (median)", no_wrap=True)
    for month in months:
        median = month.time_to_mitigate_median_s
        table.add_row(
            month.month,
            Text(f"{month.incidents:>3} {bar(month.incidents, largest, _BAR)}"),
            *(str(n) for n in month.by_severity.values()),
            Text(f"{duration(median):>7} {bar(median, slowest, _BAR)}"),
        )
    return table


def _data_quality(report: Report) -> Table:
    table = _titled(
        "Data quality: left out of figures",
        "counted in the window, left out of the figures named",
    )
    table.add_column("Record", style="bold")
    table.add_column("Why")
    table.add_column("Left out of")
    rows = [
        (incident, reason, ", ".join(metrics))
        for (incident, reason), metrics in excluded_by_incident(report).items()
    ]
    rows.extend((p.path, p.message, "every figure") for p in report.unreadable)
    for row in rows[:ROWS_SHOWN]:
        table.add_row(*(Text(cell) for cell in row))
    if len(rows) > ROWS_SHOWN:
        table.add_row(Text(f"and {len(rows) - ROWS_SHOWN} more"), "", "")
    return table


def _titled(title: str, caption: str | None = None) -> Table:
    """A table with its title, and its caption if any, on the left."""
    return Table(
        title=title, title_justify="left", caption=caption, caption_justify="left"
    )
