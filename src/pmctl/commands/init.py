"""`pmctl init`: start a records repository."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def init(
    root: Annotated[
        Path,
        typer.Option(
            "--root", help="Where to create it (default: the current folder)."
        ),
    ] = Path("."),
) -> None:
    """Write pmctl.yaml with its defaults and the record folders; never overwrite."""
    from pmctl.create import init_repository

    for shown, created in init_repository(root.resolve()):
        typer.echo(f"created  {shown}" if created else f"kept     {shown} (exists)")
