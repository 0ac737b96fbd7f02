"""`pmctl report`: incident metrics and follow-through for a window."""

from __future__ import annotations

import sys
from typing import Annotated, Literal

import typer

from pmctl.commands.options import RootOption, TodayOption

Format = Literal["table", "json", "csv", "markdown"]


def report(
    month: Annotated[
        str | None,
        typer.Option("--month", metavar="YYYY-MM", help="Report on one month."),
    ] = None,
    quarter: Annotated[
        str | None,
        typer.Option("--quarter", metavar="YYYY-QN", help="Report on one quarter."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="First day of the window."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            metavar="DATE",
            help="Last day of the window, inclusive (default: today).",
        ),
    ] = None,
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="Output format.")
    ] = "table",
    trend: Annotated[
        int | None,
        typer.Option(
            "--trend",
            metavar="N",
            min=1,
            help="Show the N months up to the window's end, month by month.",
        ),
    ] = None,
    root: RootOption = None,
    today: TodayOption = None,
) -> None:
    """Print incident metrics for a window (default: the last full month)."""
    from importlib import import_module

    from pmctl.metrics.compute import compute_report
    from pmctl.metrics.inputs import gather_inputs, load_settings
    from pmctl.metrics.window import choose_window

    config, day = load_settings(root, today)
    window = choose_window(day, month, quarter, since, until)
    inputs = gather_inputs(config, day)
    result = compute_report(inputs, window, trend)

    import_module(f"pmctl.reporters.report_{output_format}").render(result, sys.stdout)
    if inputs.unreadable:
        typer.echo(
            f"warning: {len(inputs.unreadable)} record file(s) could not be read "
            "and were left out; run `pmctl validate` to see why",
            err=True,
        )
    if inputs.history_note:
        typer.echo(f"note: stale actions: {inputs.history_note}", err=True)
