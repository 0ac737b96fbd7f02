"""`pmctl report`: incident metrics for a window (being built)."""

from __future__ import annotations

import typer

from pmctl.commands.options import RootOption


def report(root: RootOption = None) -> None:
    """Print incident metrics for a window."""
    raise typer.Exit(2)
