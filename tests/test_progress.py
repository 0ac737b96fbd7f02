"""The progress bar: shown at a terminal for long runs, never anywhere else."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ci_support import clean_env
from core_support import PROJECT, Cli
from pmctl import pipeline, progress


class TtyStream(io.StringIO):
    def isatty(self) -> bool:
        return True


def as_terminal(monkeypatch: pytest.MonkeyPatch) -> TtyStream:
    """stderr as a terminal, with nothing in the way of Rich's live display.

    Called in the test itself: pytest puts its own stderr back between a
    fixture's setup and the test.
    """
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    stream = TtyStream()
    monkeypatch.setattr("sys.stderr", stream)
    return stream


def test_a_long_run_at_a_terminal_shows_a_bar_that_reaches_the_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = as_terminal(monkeypatch)
    total = progress.SHOW_FROM

    with progress.progress(total, "Checking records") as advance:
        advance(total - 1)
        advance(1)

    shown = terminal.getvalue()
    assert "Checking records" in shown
    assert f"{total}/{total}" in shown


def test_a_short_run_shows_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = as_terminal(monkeypatch)

    with progress.progress(progress.SHOW_FROM - 1, "Checking records") as advance:
        advance(1)

    assert advance is progress._unseen
    assert terminal.getvalue() == ""


@pytest.mark.parametrize("stream", [io.StringIO(), None])
def test_off_a_terminal_nothing_is_shown(
    stream: io.StringIO | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pipe, a file, or no stderr at all.
    monkeypatch.setattr("sys.stderr", stream)

    with progress.progress(10 * progress.SHOW_FROM, "Checking records") as advance:
        advance(1)

    assert advance is progress._unseen
    assert stream is None or stream.getvalue() == ""


def double(items: list[int]) -> list[int]:
    return [2 * item for item in items]


def test_one_cpu_shows_progress_too(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = as_terminal(monkeypatch)
    monkeypatch.setattr(progress, "SHOW_FROM", 1)
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    items = list(range(1000))

    assert pipeline._map(double, items, "Checking records") == double(items)
    assert "1000/1000" in terminal.getvalue()


def test_no_thread_of_the_bar_runs_when_workers_fork(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rich.live import _RefreshThread

    terminal = as_terminal(monkeypatch)
    monkeypatch.setattr(progress, "SHOW_FROM", 1)
    monkeypatch.setattr(pipeline, "_PARALLEL_FROM", 1)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    at_fork: list[list[threading.Thread]] = []
    os.register_at_fork(before=lambda: at_fork.append(threading.enumerate()))
    items = list(range(1000))

    with progress.progress(10, "Reading"):
        assert pipeline._map(double, items, "Checking records") == double(items)
    if sys.platform == "linux":
        assert len(at_fork) >= 2
    for threads in at_fork:
        assert not any(isinstance(t, _RefreshThread) for t in threads), threads
    assert "1000/1000" in terminal.getvalue()


VALIDATE = """
import sys
from pmctl import pipeline, progress
from pmctl.cli import main
pipeline._PARALLEL_FROM = 1
progress.SHOW_FROM = 1
sys.argv = ["pmctl", "validate", "--root", sys.argv[1], "--format", "json"]
main()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_validate_at_a_terminal_shows_progress_on_stderr_only(
    tmp_path: Path, cli: Cli
) -> None:
    import pty

    root = tmp_path / "repo"
    shutil.copytree(PROJECT / "examples", root)
    files = sum(1 for path in root.rglob("*.md"))
    quiet = cli("validate", "--root", root, "--format", "json", "--no-cache")
    env = clean_env(PMCTL_CACHE_DIR="")
    env.pop("TERM", None)

    terminal, stderr = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-c", VALIDATE, str(root)],
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=env,
            check=False,
        )
        os.close(stderr)
        shown = _read_all(terminal)
    finally:
        os.close(terminal)

    assert done.returncode == 0
    assert json.loads(done.stdout) == json.loads(quiet.stdout)
    assert "Checking records" in shown and f"{files}/{files}" in shown


def _read_all(descriptor: int) -> str:
    data = b""
    # Linux ends a pseudo-terminal's output with EIO once the writer is gone.
    with contextlib.suppress(OSError):
        while chunk := os.read(descriptor, 65536):
            data += chunk
    return data.decode("utf-8", "replace")
