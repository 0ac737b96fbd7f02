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
    from pmctl.create import init_files
    from pmctl.scaffold import write_new_file

    root = root.resolve()
    for path, text in init_files(root):
        shown = path.relative_to(root).as_posix()
        if path.exists():
            typer.echo(f"kept     {shown} (exists)")
        elif text is None:
            path.mkdir(parents=True)
            typer.echo(f"created  {shown}/")
        else:
            write_new_file(path, text)
            typer.echo(f"created  {shown}")
