"""Options shared by every command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

RootOption = Annotated[
    Path | None,
    typer.Option(
        "--root",
        help="The records repository (default: found from the current folder).",
        file_okay=False,
        show_default=False,
    ),
]
