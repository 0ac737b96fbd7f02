"""`actions --format table`: action items for people, most overdue first.

Narrow terminals get fewer columns (systemic first, then age) and wrap the
title; `--format csv` or `json` always has every field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from pmctl.console import make_console
from pmctl.metrics.followup import ActionItem, ActionListing, TeamLoad
from pmctl.reporters.humanize import MISSING, count, day
from pmctl.terminal import terminal_safe

# Column name -> the narrowest console width that shows it.
_COLUMNS = {
    "Action": 0,
    "Title": 0,
    "Owner": 120,
    "Team": 0,
    "Due": 0,
    "Status": 0,
    "Systemic": 150,
    "Age": 110,
    "Stale because": 0,
}
# Above this many rows the listing is printed as aligned lines, not a table.
_TABLE_ROWS = 500
_LINE_WIDTH_CAP = 60
_MIN_WIDTHS = {"Title": 20, "Stale because": 12}
_STATUS_STYLE = {"open": "bold", "in-progress": "cyan", "done": "green"}


def render(listing: ActionListing, out: TextIO) -> None:
    console = make_console(out)
    shown = [name for name, width in _COLUMNS.items() if console.width >= width]
    if not listing.items:
        console.print(f"No action items as of {listing.today}.")
    elif len(listing.items) > _TABLE_ROWS:
        _render_lines(console, listing, shown)
    else:
        _render_table(console, listing, shown)

    if listing.teams_over_cap:
        console.print(over_cap(listing.teams_over_cap))
    console.print(_summary(listing))


def _render_lines(console: Console, listing: ActionListing, shown: list[str]) -> None:
    """Aligned plain lines: Rich lays out a table row by row, far too slowly
    for the tens of thousands of actions a large organisation lists."""
    rows = []
    for item in listing.items:
        values = _values(item)
        # Record text reaches the terminal unfiltered here, unlike through Rich.
        rows.append([terminal_safe(values[name]) for name in shown])
    widths = [
        min(_LINE_WIDTH_CAP, max(len(name), *(len(row[i]) for row in rows)))
        for i, name in enumerate(shown)
    ]
    console.print(Text(f"Action items as of {listing.today}", style="bold"))
    lines = [_aligned(shown, widths)]
    lines.extend(_aligned(row, widths) for row in rows)
    console.file.write("\n".join(lines) + "\n")


def _aligned(cells: Sequence[str], widths: Sequence[int]) -> str:
    fitted = (
        cell if len(cell) <= width else cell[: width - 1] + "…"
        for cell, width in zip(cells, widths, strict=True)
    )
    return "  ".join(
        cell.ljust(width) for cell, width in zip(fitted, widths, strict=True)
    ).rstrip()


def _render_table(console: Console, listing: ActionListing, shown: list[str]) -> None:
    table = Table(title=f"Action items as of {listing.today}", title_justify="left")
    for name in shown:
        table.add_column(
            name,
            justify="right" if name == "Age" else "left",
            no_wrap=name not in ("Title", "Stale because"),
            min_width=_MIN_WIDTHS.get(name),
        )
    for item in listing.items:
        cells = _cells(item)
        table.add_row(*(cells[name] for name in shown))
    console.print(table)


def over_cap(teams: Sequence[TeamLoad]) -> Text:
    """One line naming the teams over their open-action cap."""
    line = Text("Teams over their open-action cap: ", style="bold")
    line.append(
        ", ".join(f"{t.team} {t.open} open (cap {t.cap})" for t in teams), style="red"
    )
    return line


def _values(item: ActionItem) -> dict[str, str]:
    systemic = MISSING if item.systemic is None else "yes" if item.systemic else "no"
    return {
        "Action": item.id,
        "Title": item.title,
        "Owner": item.owner,
        "Team": item.team,
        "Due": day(item.due),
        "Status": item.status,
        "Systemic": systemic,
        "Age": MISSING if item.age_days is None else f"{item.age_days}d",
        "Stale because": "; ".join(item.stale_reasons),
    }


def _cells(item: ActionItem) -> dict[str, Text]:
    cells = {name: Text(value) for name, value in _values(item).items()}
    cells["Action"].stylize("bold")
    cells["Due"].stylize("red" if item.overdue else "")
    cells["Status"].stylize(_STATUS_STYLE.get(item.status, "dim"))
    cells["Stale because"].stylize("yellow")
    return cells


def _summary(listing: ActionListing) -> Text:
    items = listing.items
    stale = len(listing.stale)
    text = Text(
        f"{count(len(items), 'action')} · {sum(i.is_open for i in items)} open · "
        f"{sum(i.overdue for i in items)} overdue · "
    )
    text.append(f"{stale} stale", style="yellow" if stale else "green")
    return text
