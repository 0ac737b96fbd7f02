"""When each file under the records root last changed, from one git log walk.

Staleness must cost one `git log` for the whole repository, not one call per
file: the walk lists every commit touching the root, newest first, with the
paths it changed, and the first time a path shows up is its last change.
A pure rename (100% similar) is not a change: the file keeps the history of
its old path, so reorganising folders does not make every action look fresh.
Uncommitted edits and untracked files count as changed `now`.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

_COMMIT = "\x1e"
_UNUSED = "only due dates were used"


def git_executable() -> str:
    """The git to run: the one GitPython is told to use (and so
    --changed-since uses), else `git` on the PATH."""
    return os.environ.get("GIT_PYTHON_GIT_EXECUTABLE") or "git"


@dataclass(frozen=True)
class History:
    """Root-relative path -> time of its last change; `note` says why there is
    no history when there is none (then `changed` is empty)."""

    changed: dict[str, datetime] = field(default_factory=dict)
    note: str | None = None


@contextmanager
def last_changes_meanwhile(
    root: Path, now: datetime
) -> Iterator[Callable[[], History]]:
    """Start the walk in the background; the function given waits for it.

    The walk over a long history takes as long as reading the records, so
    the two are done side by side. Leaving the block early (an error, Ctrl-C)
    stops git rather than leaving it to walk on after pmctl has exited.
    """
    top, note = _work_tree(root)
    if top is None:
        yield _done(note or _failed(""))
        return

    with _Walk(top, root, now) as walk:
        yield walk.result


def _work_tree(root: Path) -> tuple[Path | None, str | None]:
    """The top level of the work tree holding `root`, or why there is no
    history to walk there.

    git is run as a command: importing GitPython would cost more than the
    whole walk of a short history. One `rev-parse` answers every question,
    a line each, and stops at the first it cannot answer: a bare repository
    has no top level, an empty one no `HEAD`.
    """
    try:
        found = _git(
            root,
            "rev-parse",
            "--is-bare-repository",
            "--is-shallow-repository",
            "--show-toplevel",
            "--verify",
            "--quiet",
            "HEAD",
        )
    except FileNotFoundError:
        return None, f"{_UNUSED}, because git is not installed"
    except OSError as error:
        return None, _failed(error.strerror or str(error))

    # A line for each question asked, up to the first git could not answer.
    lines = found.stdout.split("\n")[:-1]
    bare = lines[0] if lines else None
    shallow = lines[1] if len(lines) > 1 else None
    if bare is None:
        if "not a git repository" in found.stderr:
            return None, f"{_UNUSED}, because {root} is not in a git repository"
        return None, _failed(found.stderr)
    if bare == "true":
        return None, f"{_UNUSED}, because the git repository is bare"
    if shallow == "true":
        return None, (
            f"{_UNUSED}, because this is a shallow clone whose history is "
            "cut off; run `git fetch --unshallow` to use git history"
        )
    if found.returncode != 0:
        if len(lines) < 3:
            return None, _failed(found.stderr)
        return None, f"{_UNUSED}, because the repository has no commits yet"
    # The lines between the answers and HEAD's name: the top level may hold
    # line breaks of its own.
    return Path("\n".join(lines[2:-1])), None


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """git's answer, its output decoded as the log is (`_decode`): text mode
    would also turn a carriage return in a path into a line break."""
    done = subprocess.run(
        [git_executable(), *args],
        cwd=cwd,
        # Its messages in English whatever the user's language: one is read.
        env={**os.environ, "LC_ALL": "C"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, _decode(done.stdout), _decode(done.stderr)
    )


def _decode(raw: bytes) -> str:
    """git's output as text, never failing: paths are UTF-8 in git, and any
    other byte is kept as an escape, which turns back into that byte when the
    path is used."""
    return raw.decode("utf-8", "surrogateescape")


class _Walk:
    """`git log` over the root, running in the background until `result`."""

    def __init__(self, top: Path, root: Path, now: datetime) -> None:
        self.top = top.resolve()
        prefix = root.resolve().relative_to(self.top).as_posix()
        self.prefix = "" if prefix == "." else prefix + "/"
        self.spec = self.prefix or "."
        self.now = now
        # Into files, not pipes: git must not wait for a reader to go on.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in __exit__)
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115
        command = [git_executable(), "log", "-z", "--no-color"]
        command += ["--date-order", "-M", "--name-status"]
        command += [f"--format={_COMMIT}%ct"]
        # A pathspec makes git judge every commit against it, three times the
        # walk at 2,000 commits. At the top level every path is wanted, and
        # the walk differs only past a merge that kept one side whole (`-s
        # ours`): without the pathspec the dropped side's commits still count.
        if self.prefix:
            command += ["--", self.spec]
        self.process: subprocess.Popen[bytes] | None = None
        self.failure: str | None = None
        try:
            self.process = subprocess.Popen(
                command,
                cwd=self.top,
                stdin=subprocess.DEVNULL,
                stdout=self.log,
                stderr=self.errors,
            )
        except OSError as error:
            self.failure = _failed(error.strerror or str(error))

    def __enter__(self) -> _Walk:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()
        self.errors.close()

    def result(self) -> History:
        if self.process is None or self.process.wait() != 0:
            self.errors.seek(0)
            stderr = self.errors.read().decode(errors="replace")
            return History(note=self.failure or _failed(stderr))
        self.log.seek(0)
        text = _decode(self.log.read())
        changed = parse_log(text, self.prefix)
        try:
            status = _git(
                self.top,
                *("status", "--porcelain", "-z", "--untracked-files=all"),
                *("--", self.spec),
            )
        except OSError as error:
            return History(note=_failed(error.strerror or str(error)))
        if status.returncode != 0:
            return History(note=_failed(status.stderr))
        for path in parse_status(status.stdout, self.prefix):
            changed[path] = self.now
        return History(changed=changed)


def _done(note: str) -> Callable[[], History]:
    return lambda: History(note=note)


def _failed(stderr: str) -> str:
    reason = stderr.strip().splitlines()
    return f"{_UNUSED}, because git failed: {reason[-1] if reason else 'unknown'}"


def parse_log(text: str, prefix: str = "") -> dict[str, datetime]:
    """Parse `git log -z --name-status --format=<RS>%ct`, newest commit first.

    Paths become relative to `prefix` (the root within the work tree); paths
    outside it are dropped.
    """
    changed: dict[str, datetime] = {}
    renamed: dict[str, str] = {}  # an older path -> the path it has now
    for chunk in text.split(_COMMIT)[1:]:
        stamp, _, entries = chunk.partition("\0")
        when = datetime.fromtimestamp(int(stamp), timezone.utc)
        fields = entries.lstrip("\n").split("\0")
        index = 0
        while index + 1 < len(fields):
            status, path = fields[index], fields[index + 1]
            index += 2
            if status[:1] in ("R", "C"):
                old, path = path, fields[index]
                index += 1
                current = renamed.get(path, path)
                if status[:1] == "R":
                    renamed[old] = current
                if status[1:] == "100":
                    continue
            if status != "D":
                _note(changed, renamed.get(path, path), when)

    return {
        path[len(prefix) :]: when
        for path, when in changed.items()
        if path.startswith(prefix)
    }


def parse_status(text: str, prefix: str = "") -> list[str]:
    """Paths with uncommitted changes, from `git status --porcelain -z`."""
    paths = []
    fields = text.split("\0")
    index = 0
    while index < len(fields):
        entry = fields[index]
        index += 1
        if len(entry) < 4:
            continue
        if entry[0] in ("R", "C"):
            index += 1  # the next field is the path it was renamed from
        paths.append(entry[3:])
    return list(_relative(paths, prefix))


def _note(changed: dict[str, datetime], path: str, when: datetime) -> None:
    # The walk is newest first; max() still holds when commit clocks disagree.
    previous = changed.get(path)
    if previous is None or when > previous:
        changed[path] = when


def _relative(paths: Iterable[str], prefix: str) -> Iterator[str]:
    for path in paths:
        if not prefix:
            yield path
        elif path.startswith(prefix):
            yield path[len(prefix) :]
