"""`pmctl actions close | reopen | set`: lossless edits of one action item.

Plain functions, registered on the `actions` command group by cli.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import typer

from pmctl.commands.completion import complete_action_refs
from pmctl.commands.options import RootOption, TodayOption

if TYPE_CHECKING:
    from pathlib import Path

    from pmctl.edit import ActionEdit

Status = Literal["open", "in-progress", "done", "wont-do"]

ActionArgument = Annotated[
    str,
    typer.Argument(
        metavar="ID/ACTION",
        help="The action item, e.g. PM-2026-0042/A1.",
        autocompletion=complete_action_refs,
        show_default=False,
    ),
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Print the change as a diff; write nothing.")
]


def close(
    action: ActionArgument,
    on: Annotated[
        str | None,
        typer.Option(
            "--on", metavar="DATE", help="Closing date, YYYY-MM-DD (default: today)."
        ),
    ] = None,
    verified: Annotated[
        bool,
        typer.Option("--verified", help="Record that the fix was checked to work."),
    ] = False,
    wont_do: Annotated[
        bool, typer.Option("--wont-do", help="Close as won't do, not as done.")
    ] = False,
    dry_run: DryRunOption = False,
    root: RootOption = None,
    today: TodayOption = None,
) -> None:
    """Close an action item: status done (or wont-do) and its closing date."""
    from zoneinfo import ZoneInfo

    from pmctl.config import load_config, resolve_root
    from pmctl.edit import plan_close
    from pmctl.metrics.window import resolve_today
    from pmctl.timeparse import flag_date

    config = load_config(resolve_root(root))
    zone = ZoneInfo(config.timezone)
    closed_on = flag_date("--on", on) if on else resolve_today(today, zone)
    edit = plan_close(config, action, closed_on, verified=verified, wont_do=wont_do)
    _finish(config.root, edit, dry_run)


def reopen(
    action: ActionArgument, dry_run: DryRunOption = False, root: RootOption = None
) -> None:
    """Reopen an action item: status open, closing date and verified removed."""
    from pmctl.config import load_config, resolve_root
    from pmctl.edit import plan_reopen

    config = load_config(resolve_root(root))
    _finish(config.root, plan_reopen(config, action), dry_run)


def set_action(
    action: ActionArgument,
    owner: Annotated[str | None, typer.Option(help="The new owner.")] = None,
    due: Annotated[
        str | None, typer.Option(metavar="DATE", help="The new due date, YYYY-MM-DD.")
    ] = None,
    status: Annotated[Status | None, typer.Option(help="The new status.")] = None,
    dry_run: DryRunOption = False,
    root: RootOption = None,
) -> None:
    """Change an action item's owner, due date or status."""
    from pmctl.config import load_config, resolve_root
    from pmctl.edit import plan_set

    config = load_config(resolve_root(root))
    edit = plan_set(config, action, owner=owner, due=due, status=status)
    _finish(config.root, edit, dry_run)


def _finish(root: Path, edit: ActionEdit, dry_run: bool) -> None:
    """Write the edit (or print its diff) and say what changed."""
    if not edit.changes:
        typer.echo(
            f"{edit.ref}: nothing to change; {edit.path} left as it was", err=True
        )
        return
    from pmctl.terminal import terminal_safe

    for problem in edit.warnings:
        typer.echo(
            terminal_safe(
                f"warning: {problem.field or '-'}: {problem.message} [{problem.rule}]"
            ),
            err=True,
        )
    if dry_run:
        typer.echo(terminal_safe(edit.diff()), nl=False)
        typer.echo("dry run: nothing written", err=True)
        return

    from pmctl.edit import write_edit

    write_edit(root, edit)
    for change in edit.changes:
        typer.echo(terminal_safe(f"{edit.ref}  {change.describe()}"))
    typer.echo(f"updated {edit.path}")
