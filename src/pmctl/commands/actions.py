"""`pmctl actions`: action items across postmortems and exercises (being built)."""

from __future__ import annotations

import typer

from pmctl.commands.options import RootOption

app = typer.Typer(no_args_is_help=False, invoke_without_command=True)


@app.callback()
def actions(root: RootOption = None) -> None:
    """List action items with their age and staleness."""
    raise typer.Exit(2)
