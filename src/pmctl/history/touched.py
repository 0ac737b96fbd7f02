"""When each file under the records root last changed, from one git log walk.

Staleness must cost one `git log` for the whole repository, not one call per
file: the walk lists every commit touching the root, newest first, with the
paths it changed, and the first time a path shows up is its last change.
A pure rename (100% similar) is not a change: the file keeps the history of
its old path, so reorganising folders does not make every action look fresh.
Uncommitted edits and untracked files count as changed `now`.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

_COMMIT = "\x1e"
_UNUSED = "only due dates were used"


@dataclass(frozen=True)
class History:
    """Root-relative path -> time of its last change; `note` says why there is
    no history when there is none (then `changed` is empty)."""

    changed: dict[str, datetime] = field(default_factory=dict)
    note: str | None = None


def last_changes(root: Path, now: datetime) -> History:
    """The last-change time of every file under `root` that git knows of."""
    return start_last_changes(root, now)()


def start_last_changes(root: Path, now: datetime) -> Callable[[], History]:
    """Start the walk in the background; the function returned waits for it.

    The walk over a long history takes as long as reading the records, so
    the two are done side by side.
    """
    try:
        import git
    except ImportError:  # GitPython refuses to import without a git executable
        return _done(f"{_UNUSED}, because git is not installed")

    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return _done(f"{_UNUSED}, because {root} is not in a git repository")

    try:
        return _start_walk(repo, root, now)
    except git.GitCommandError as error:
        return _done(_failed(error.stderr or str(error)))


def _start_walk(repo: Any, root: Path, now: datetime) -> Callable[[], History]:
    from git import GitCommandError

    if repo.working_tree_dir is None:
        return _done(f"{_UNUSED}, because the git repository is bare")
    top = Path(repo.working_tree_dir).resolve()
    prefix = root.resolve().relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix + "/"

    run = repo.git
    if run.rev_parse("--is-shallow-repository").strip() == "true":
        return _done(
            f"{_UNUSED}, because this is a shallow clone whose history is "
            "cut off; run `git fetch --unshallow` to use git history"
        )
    if not run.rev_parse("--verify", "--quiet", "HEAD", with_exceptions=False):
        return _done(f"{_UNUSED}, because the repository has no commits yet")

    spec = prefix or "."
    # Into files, not pipes: git must not wait for a reader to go on. They are
    # closed once `finish` has read them.
    log = tempfile.TemporaryFile()  # noqa: SIM115
    errors = tempfile.TemporaryFile()  # noqa: SIM115
    walk = subprocess.Popen(
        [
            run.GIT_PYTHON_GIT_EXECUTABLE,
            "log",
            "-z",
            "--no-color",
            "--date-order",
            "-M",
            "--name-status",
            f"--format={_COMMIT}%ct",
            "--",
            spec,
        ],
        cwd=top,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=errors,
    )

    def finish() -> History:
        with log, errors:
            if walk.wait() != 0:
                errors.seek(0)
                return History(note=_failed(errors.read().decode(errors="replace")))
            log.seek(0)
            changed = parse_log(log.read().decode(errors="surrogateescape"), prefix)
        try:
            status = run.status(
                "--porcelain", "-z", "--untracked-files=all", "--", spec
            )
        except GitCommandError as error:
            return History(note=_failed(error.stderr or str(error)))
        for path in parse_status(status, prefix):
            changed[path] = now
        return History(changed=changed)

    return finish


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
