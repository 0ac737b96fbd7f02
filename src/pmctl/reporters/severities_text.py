"""`pmctl severities`: the severity levels as one table, for people."""

from __future__ import annotations

from typing import TextIO

from rich.table import Table
from rich.text import Text

from pmctl.config import SeverityPolicy
from pmctl.console import make_console


def render(policies: list[SeverityPolicy], source: str, out: TextIO) -> None:
    table = Table(
        title=Text(f"Severities, worst first ({source})", style="bold"),
        title_justify="left",
        show_lines=True,
    )
    for column in ("Severity", "Meaning", "Customer impact, e.g.", "On-call"):
        table.add_column(column, no_wrap=column == "Severity")
    for column in ("Updates", "Postmortem"):
        table.add_column(column, no_wrap=True)

    for policy in policies:
        table.add_row(
            Text(policy.name, style="bold"),
            Text(policy.description),
            Text("\n".join(f"• {e}" for e in policy.customer_impact_examples)),
            Text(policy.on_call),
            Text(_cadence(policy)),
            Text(_deadline(policy)),
        )
    make_console(out).print(table)


def _cadence(policy: SeverityPolicy) -> str:
    minutes = policy.status_update_minutes
    every = f"every {minutes} min" if minutes else "no fixed cadence"
    return every + ("\nexec summary" if policy.executive_summary else "")


def _deadline(policy: SeverityPolicy) -> str:
    days = policy.postmortem_due_days
    if days is None:
        return "not required"
    return f"within {days} day{'s' if days != 1 else ''}\nof resolution"
