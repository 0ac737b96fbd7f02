"""`pmctl severities`: the severity taxonomy, to pick a level mid-incident."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from pmctl.commands.options import RootOption

Format = Literal["text", "json"]


def severities(
    names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[SEVERITY]...",
            help="Only these levels (default: all).",
            show_default=False,
        ),
    ] = None,
    root: RootOption = None,
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="Output format.")
    ] = "text",
) -> None:
    """Show the configured severity levels: impact, on-call, updates, postmortem."""
    import sys

    from pmctl.config import load_config, resolve_root
    from pmctl.jsontext import dumps
    from pmctl.severities import pick_severities, severity_data

    config = load_config(resolve_root(root))
    policies = pick_severities(config, names or [])
    if output_format == "json":
        document = {"severities": [severity_data(p) for p in policies]}
        sys.stdout.write(dumps(document) + "\n")
    else:
        from pmctl.reporters.severities_text import render

        source = "pmctl.yaml" if config.source else "pmctl's defaults"
        render(policies, source, sys.stdout)
