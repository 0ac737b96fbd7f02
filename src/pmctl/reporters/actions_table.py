"""`actions --format table`: action items for people, most overdue first.

Narrow terminals get fewer columns (systemic first, then age) and wrap the
title; `--format csv` or `json` always has every field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from rich.table import Table
from rich.text import Text

from pmctl.console import make_console
from pmctl.metrics.followup import ActionItem, ActionListing, TeamLoad
from pmctl.reporters.humanize import MISSING, count, day

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
_MIN_WIDTHS = {"Title": 20, "Stale because": 12}
_STATUS_STYLE = {"open": "bold", "in-progress": "cyan", "done": "green"}


def render(listing: ActionListing, out: TextIO) -> None:
    console = make_console(out)
    shown = [name for name, width in _COLUMNS.items() if console.width >= width]
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

    if listing.teams_over_cap:
        console.print(over_cap(listing.teams_over_cap))
    console.print(_summary(listing))


def over_cap(teams: Sequence[TeamLoad]) -> Text:
    """One line naming the teams over their open-action cap."""
    line = Text("Teams over their open-action cap: ", style="bold")
    line.append(
        ", ".join(f"{t.team} {t.open} open (cap {t.cap})" for t in teams), style="red"
    )
    return line


def _cells(item: ActionItem) -> dict[str, Text]:
    systemic = MISSING if item.systemic is None else "yes" if item.systemic else "no"
    return {
        "Action": Text(item.id, style="bold"),
        "Title": Text(item.title),
        "Owner": Text(item.owner),
        "Team": Text(item.team),
        "Due": Text(day(item.due), style="red" if item.overdue else ""),
        "Status": Text(item.status, style=_STATUS_STYLE.get(item.status, "dim")),
        "Systemic": Text(systemic),
        "Age": Text(MISSING if item.age_days is None else f"{item.age_days}d"),
        "Stale because": Text("; ".join(item.stale_reasons), style="yellow"),
    }


def _summary(listing: ActionListing) -> Text:
    items = listing.items
    stale = len(listing.stale)
    text = Text(
        f"{count(len(items), 'action')} · {sum(i.is_open for i in items)} open · "
        f"{sum(i.overdue for i in items)} overdue · "
    )
    text.append(f"{stale} stale", style="yellow" if stale else "green")
    return text
