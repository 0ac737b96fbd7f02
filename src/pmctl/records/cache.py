"""A cache of what reading and checking each file found, so warm runs skip both.

An entry is keyed by the file's path and its stat (size, modification time,
inode), as git's index does; the whole cache is keyed by a fingerprint of
everything else that decides the outcome: pmctl's own code, the schemas,
`pmctl.yaml` and the Python version. Anything that does not match is simply
not used, so the cache can be stale or broken without being wrong.

It lives in the git directory (or the user cache folder outside git), never in
the working tree, so it can never be committed.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pmctl.resources import data_dir

Stamp = tuple[int, int, int]
# A cached outcome is plain data that marshal can store (see records.pipeline).
Outcome = tuple[Any, ...]

_FORMAT = 2
# Version 2 stores no back-references: larger files, but it loads about three
# times faster than the default for many small containers.
_MARSHAL_VERSION = 2
# Up to this many changed entries (or 0.5% of them) do not rewrite the cache.
_SMALL_CHANGE = 16
# Files changed within this many seconds of the write may change again within
# the clock's resolution without a new stamp; they are not cached (git's
# "racily clean" entries).
_RACY_NS = 2_000_000_000


def stamp_of(info: os.stat_result) -> Stamp:
    return (info.st_size, info.st_mtime_ns, info.st_ino)


def cache_file(root: Path) -> Path | None:
    """Where the cache for `root` lives; None when caching is switched off."""
    override = os.environ.get("PMCTL_CACHE_DIR")
    if override is not None:
        return Path(override) / f"{_digest(str(root))}.cache" if override else None

    git_dir = _git_dir(root)
    if git_dir is not None:
        return git_dir / "pmctl" / f"{_digest(str(root))}.cache"

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pmctl" / f"{_digest(str(root))}.cache"


def fingerprint(root: Path) -> str:
    """Everything besides a file itself that decides what checking it finds."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{_FORMAT}:{sys.version}:{_pmctl_version()}".encode())

    package = Path(__file__).resolve().parents[1]
    for folder, suffix in ((package, ".py"), (data_dir("schemas"), ".json")):
        digest.update(_stamps(str(folder), suffix).encode())

    config = root / "pmctl.yaml"
    if config.is_file():
        digest.update(config.read_bytes())
    return digest.hexdigest()


def _stamps(top: str, suffix: str) -> str:
    """Path, size and modification time of every `suffix` file under `top`."""
    # os.walk and os.stat on strings: pathlib's rglob costs several times more,
    # and this runs on every command.
    found = []
    for folder, dirs, names in os.walk(top):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(suffix):
                path = os.path.join(folder, name)
                info = os.stat(path)
                found.append(f"{path}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(found)


class RecordCache:
    """Outcomes by path, valid for one fingerprint."""

    def __init__(self, path: Path | None, key: str) -> None:
        self.path = path
        self.key = key
        self._old: dict[str, tuple[Stamp, Outcome]] = {}
        self._new: dict[str, tuple[Stamp, Outcome]] = {}
        self._stored = 0
        self._started = time.time_ns()
        if path is not None:
            self._old = _read(path, key)

    def lookup(self, path: str, stamp: Stamp) -> Outcome | None:
        entry = self._old.get(path)
        if entry is None or entry[0] != stamp:
            return None
        self._new[path] = entry
        return entry[1]

    def store(self, path: str, stamp: Stamp, outcome: Outcome) -> None:
        if stamp[1] < self._started - _RACY_NS:
            self._new[path] = (stamp, outcome)
            self._stored += 1

    def save(self) -> None:
        """Write the entries used or made this run; silently skip on failure.

        A run that changed only a few entries (the pre-commit case) keeps the
        old file: rewriting all of it would cost more than reading those few
        records again next time.
        """
        if self.path is None or self._new == self._old:
            return
        dropped = len(self._old.keys() - self._new.keys())
        if self._old and self._stored + dropped <= max(
            _SMALL_CHANGE, len(self._old) // 200
        ):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent)
            with os.fdopen(handle, "wb") as out:
                out.write(
                    marshal.dumps((_FORMAT, self.key, self._new), _MARSHAL_VERSION)
                )
            os.replace(temporary, self.path)
        except (OSError, ValueError):
            # A read-only checkout or a full disk costs speed, never correctness.
            return


def _read(path: Path, key: str) -> dict[str, tuple[Stamp, Outcome]]:
    try:
        # One read: marshal.load on a file object reads it in small pieces.
        stored = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if (
        not isinstance(stored, tuple)
        or len(stored) != 3
        or stored[0] != _FORMAT
        or stored[1] != key
        or not isinstance(stored[2], dict)
    ):
        return {}
    entries: dict[str, tuple[Stamp, Outcome]] = stored[2]
    return entries


def _git_dir(root: Path) -> Path | None:
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():
            # A worktree or submodule: `.git` is a file naming the real folder.
            text = dot_git.read_text(encoding="utf-8", errors="replace").strip()
            if text.startswith("gitdir:"):
                target = Path(text[len("gitdir:") :].strip())
                return target if target.is_absolute() else folder / target
            return None
    return None


def _pmctl_version() -> str:
    import pmctl

    return pmctl.__version__


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
