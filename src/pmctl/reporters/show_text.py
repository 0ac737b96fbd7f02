"""`pmctl show`: one record as a header panel and tables, for people.

Every value comes from a record, so every cell is a `Text`, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from pmctl.console import make_console
from pmctl.reporters.humanize import duration
from pmctl.show import RecordView

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow"}


def render(view: RecordView, out: TextIO) -> None:
    console = make_console(out)
    console.print(header(view))
    for table in (_timeline(view), _factors(view), _actions(view), _links(view)):
        if table is not None:
            console.print(table)
    console.print(_problems(view))


def header(view: RecordView) -> Panel:
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    for label, value in view.facts:
        if value:
            facts.add_row(Text(label), Text(value))

    parts: list[RenderableType] = [facts]
    if view.spans:
        worded = ", ".join(s.template.format(duration(s.seconds)) for s in view.spans)
        parts.append(Text(f"\n{worded[:1].upper()}{worded[1:]}.", style="cyan"))
    title = Text(f"{view.record.id or '?'}  {view.title}", style="bold")
    return Panel(
        Group(*parts),
        title=title,
        title_align="left",
        subtitle=Text(f"{view.record.kind} · {view.record.path}"),
        subtitle_align="right",
    )


def offset(seconds: int | None) -> str:
    """Time since impact began: `+7m`, `-6m` (before it), `+0s`."""
    if seconds is None:
        return ""
    return ("-" if seconds < 0 else "+") + duration(abs(seconds))


def _timeline(view: RecordView) -> Table | None:
    rows = [
        (
            Text(offset(entry.offset), style="cyan"),
            Text(entry.at, style="dim"),
            Text(entry.kind),
            Text(entry.text),
            Text(entry.by),
        )
        for entry in view.timeline
    ]
    return _table(
        "Timeline", ("Since start", "At", "Kind", "What happened", "By"), rows
    )


def _factors(view: RecordView) -> Table | None:
    rows = [
        (Text(category, style="bold"), Text(description))
        for category, description in view.factors
    ]
    return _table("Contributing factors", ("Category", "Description"), rows)


def _actions(view: RecordView) -> Table | None:
    rows = []
    for row in view.actions:
        status = Text(row.status)
        if row.overdue:
            status.append(" overdue", style="bold red")
        rows.append(
            (
                Text(row.id, style="bold"),
                status,
                Text(row.title),
                Text(row.owner),
                Text(row.team),
                Text(row.due),
                Text(row.systemic),
                Text(row.closed_on),
                Text(row.tracker),
            )
        )
    columns = ("ID", "Status", "Title", "Owner", "Team", "Due", "Systemic")
    return _table("Action items", (*columns, "Closed", "Tracker"), rows)


def _links(view: RecordView) -> Table | None:
    rows = [
        (Text(kind), Text(title), Text(url, overflow="fold"))
        for kind, title, url in view.links
    ]
    return _table("Links", ("Kind", "Title", "URL"), rows)


def _problems(view: RecordView) -> RenderableType:
    rows = [
        (
            Text(str(problem.line or "-"), style="dim"),
            Text(problem.severity, style=_SEVERITY_STYLE[problem.severity]),
            Text(problem.field or "-", style="cyan"),
            Text(problem.message),
            Text(problem.rule, style="dim"),
        )
        for problem in view.problems
    ]
    table = _table("Problems", ("Line", "Severity", "Field", "Message", "Rule"), rows)
    if table is None:
        return Text("✓ validate finds no problems in this record", style="green")
    return table


def _table(
    title: str, columns: tuple[str, ...], rows: Sequence[tuple[Text, ...]]
) -> Table | None:
    """A table of the rows, without the columns that are empty in every row."""
    if not rows:
        return None
    kept = [i for i in range(len(columns)) if any(row[i].plain for row in rows)]
    table = Table(title=Text(title, style="bold"), title_justify="left")
    for index in kept:
        table.add_column(columns[index])
    for row in rows:
        table.add_row(*(row[index] for index in kept))
    return table
