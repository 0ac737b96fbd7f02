"""A progress bar on stderr while many records are read, for people only.

A cold run over tens of thousands of records takes seconds. At a terminal a
transient bar shows that work goes on and how much is left; anywhere else (CI
logs, pre-commit, pipes) nothing is written and Rich is not imported.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

# Fewer files than this are read in about a second: no bar.
SHOW_FROM = 5000
# The shortest time between two redraws, in seconds.
_REDRAW_EVERY = 0.1

Advance = Callable[[int], None]


@contextmanager
def progress(total: int, description: str) -> Iterator[Advance]:
    """A function to call with the number of files each step finished; it
    moves a bar on stderr when stderr is a terminal and `total` is large."""
    if total < SHOW_FROM or not _is_terminal(sys.stderr):
        yield _unseen
        return

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from pmctl.console import make_console

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    console = make_console(stderr=True)
    # Without redirect_stdout=False, Rich would route what the run prints
    # meanwhile through the bar's console, onto stderr. The bar is redrawn as
    # work ends, not by a thread of Rich's: workers forked while such a thread
    # held a lock (stderr's, say) would find it held forever.
    with Progress(
        *columns,
        console=console,
        transient=True,
        auto_refresh=False,
        redirect_stdout=False,
        redirect_stderr=False,
    ) as bar:
        task = bar.add_task(description, total=total)
        drawn = 0.0

        def advance(done: int) -> None:
            nonlocal drawn
            bar.advance(task, done)
            now = time.monotonic()
            if now - drawn >= _REDRAW_EVERY:
                drawn = now
                bar.refresh()

        yield advance


def _unseen(done: int) -> None:
    return None


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # replaced or closed
        return False
