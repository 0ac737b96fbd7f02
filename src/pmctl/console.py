"""Rich consoles for people; colour follows NO_COLOR and whether it is a tty."""

from __future__ import annotations

import os
from typing import TextIO

from rich.console import Console

from pmctl.terminal import harden_rich


def make_console(file: TextIO | None = None, stderr: bool = False) -> Console:
    """A console that never wraps machine output and never reads markup."""
    harden_rich()
    width = None
    if os.environ.get("COLUMNS", "").isdigit():
        width = int(os.environ["COLUMNS"])
    return Console(
        file=file,
        stderr=stderr,
        width=width,
        no_color="NO_COLOR" in os.environ,
        markup=False,
        emoji=False,
        highlight=False,
    )
