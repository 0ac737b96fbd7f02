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

    parts: list[RenderableType] = [Text(view.title, style="bold"), Text(), facts]
    if view.spans:
        worded = ", ".join(s.template.format(duration(s.seconds)) for s in view.spans)
        parts.append(Text(f"\n{worded[:1].upper()}{worded[1:]}.", style="cyan"))
    title = Text(view.record.id or "?", style="bold")
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
    columns = ("Since start", "At", "Kind", "What happened", "By")
    return _table("Timeline", columns, rows, no_wrap=3)


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
        if row.closed_on:
            status.append(f"\n{row.closed_on}", style="dim")
        owner = Text(row.owner)
        if row.team:
            owner.append(f"\n{row.team}", style="dim")
        title = Text(row.title)
        notes = [
            n for n in ("systemic" if row.systemic == "yes" else "", row.tracker) if n
        ]
        if notes:
            title.append(f"\n{' · '.join(notes)}", style="dim")
        rows.append((Text(row.id, style="bold"), status, Text(row.due), owner, title))
    columns = ("ID", "Status", "Due", "Owner", "Action")
    return _table("Action items", columns, rows, no_wrap=3)


def _links(view: RecordView) -> Table | None:
    rows = [
        (Text(kind), Text(title), Text(url, overflow="fold"))
        for kind, title, url in view.links
    ]
    return _table("Links", ("Kind", "Title", "URL"), rows)


def _problems(view: RecordView) -> RenderableType:
    rows = [
        (
            Text(_where(problem.line, problem.column), style="dim"),
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


def _where(line: int | None, column: int | None) -> str:
    if line is None:
        return "-"
    return f"{line}:{column}" if column else str(line)


def _table(
    title: str,
    columns: tuple[str, ...],
    rows: Sequence[tuple[Text, ...]],
    no_wrap: int = 0,
) -> Table | None:
    """A table of the rows, without the columns that are empty in every row;
    the first `no_wrap` columns (short values: times, ids) are never wrapped."""
    if not rows:
        return None
    kept = [i for i in range(len(columns)) if any(row[i].plain for row in rows)]
    table = Table(title=Text(title, style="bold"), title_justify="left")
    for index in kept:
        table.add_column(columns[index], no_wrap=index < no_wrap)
    for row in rows:
        table.add_row(*(row[index] for index in kept))
    return table
