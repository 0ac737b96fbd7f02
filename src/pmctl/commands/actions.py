"""`pmctl actions`: action items across postmortems and exercises.

The listing is the group's callback, so subcommands (close, reopen, ...) can
join it later; it runs only when no subcommand is named.
"""

from __future__ import annotations

import sys
from typing import Annotated, Literal

import typer

from pmctl.commands.options import RootOption, TodayOption

Format = Literal["table", "json", "csv"]

app = typer.Typer(no_args_is_help=False)


@app.callback(invoke_without_command=True)
def actions(
    ctx: typer.Context,
    stale: Annotated[bool, typer.Option("--stale", help="Only stale actions.")] = False,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only open actions past their due date.")
    ] = False,
    team: Annotated[
        list[str] | None,
        typer.Option(
            "--team", metavar="TEAM", help="Only this team's actions (repeatable)."
        ),
    ] = None,
    owner: Annotated[
        list[str] | None,
        typer.Option(
            "--owner", metavar="NAME", help="Only this owner's actions (repeatable)."
        ),
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="Only open, in-progress, done or wont-do (repeatable).",
        ),
    ] = None,
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="Output format.")
    ] = "table",
    fail_on_stale: Annotated[
        bool,
        typer.Option("--fail-on-stale", help="Exit 1 when any listed action is stale."),
    ] = False,
    root: RootOption = None,
    today: TodayOption = None,
) -> None:
    """List action items with their age and staleness, most overdue first."""
    if ctx.invoked_subcommand is not None:
        return

    from importlib import import_module

    from pmctl.metrics.followup import check_statuses, list_actions
    from pmctl.metrics.inputs import gather_inputs, load_settings

    check_statuses(status or ())
    inputs = gather_inputs(*load_settings(root, today))
    listing = list_actions(
        inputs, stale, overdue, team or (), owner or (), status or ()
    )
    import_module(f"pmctl.reporters.actions_{output_format}").render(
        listing, sys.stdout
    )

    if listing.history_note:
        typer.echo(f"note: {listing.history_note}", err=True)
    if fail_on_stale and listing.stale:
        typer.echo(f"{len(listing.stale)} stale action(s)", err=True)
        raise typer.Exit(1)
