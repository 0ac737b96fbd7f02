"""`pmctl show`: one record in the terminal, or as JSON."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from pmctl.commands.completion import complete_record_ids
from pmctl.commands.options import RootOption, TodayOption

Format = Literal["text", "json"]


def show(
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="The record's id, e.g. INC-2026-0042.",
            autocompletion=complete_record_ids,
            show_default=False,
        ),
    ],
    root: RootOption = None,
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="Output format.")
    ] = "text",
    today: TodayOption = None,
) -> None:
    """Show one record: summary, durations, timeline, factors, actions, problems."""
    import sys
    from zoneinfo import ZoneInfo

    from pmctl.config import load_config, resolve_root
    from pmctl.jsontext import dumps
    from pmctl.metrics.window import resolve_today
    from pmctl.show import show_record

    config = load_config(resolve_root(root))
    view = show_record(
        config, record_id, resolve_today(today, ZoneInfo(config.timezone))
    )
    if output_format == "json":
        sys.stdout.write(dumps(view.to_dict()) + "\n")
    else:
        from pmctl.reporters.show_text import render

        render(view, sys.stdout)
