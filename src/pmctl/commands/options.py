"""Options shared by every command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

# The formats of a problem report (`validate`, `lint`): reporters.VALIDATION_FORMATS.
ProblemFormat = Literal["text", "json", "github", "junit", "sarif"]

RootOption = Annotated[
    Path | None,
    typer.Option(
        "--root",
        help="The records repository (default: found from the current folder).",
        file_okay=False,
        show_default=False,
    ),
]

# Hidden: tests and back-dated reports pin "today" (also via PMCTL_TODAY).
TodayOption = Annotated[
    str | None,
    typer.Option(
        "--today",
        envvar="PMCTL_TODAY",
        metavar="DATE",
        hidden=True,
        help="Take this date (YYYY-MM-DD) as today.",
    ),
]
