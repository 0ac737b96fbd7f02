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

import contextlib
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

_FORMAT = 3
# Version 2 stores no back-references: larger files, but it loads about three
# times faster than the default for many small containers.
_MARSHAL_VERSION = 2
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
    digest = hashlib.blake2b(_code_stamp().encode(), digest_size=16)
    config = root / "pmctl.yaml"
    if config.is_file():
        digest.update(config.read_bytes())
    return digest.hexdigest()


def remembered_settings(root: Path, text: str) -> dict[str, Any] | None:
    """The settings of a `pmctl.yaml` with this text, if they were read and
    found valid before by this very pmctl; None when not known."""
    path = _settings_file(root)
    try:
        stored = marshal.loads(path.read_bytes()) if path else None
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if isinstance(stored, tuple) and len(stored) == 2:
        key, settings = stored
        if key == _settings_key(text) and isinstance(settings, dict):
            return settings
    return None


def remember_settings(root: Path, text: str, settings: dict[str, Any]) -> None:
    """Keep valid settings, so unchanged `pmctl.yaml` is not read again."""
    path = _settings_file(root)
    if path is not None:
        _write(path, marshal.dumps((_settings_key(text), settings)))


def _settings_file(root: Path) -> Path | None:
    records = cache_file(root)
    return records.with_suffix(".settings") if records else None


def _settings_key(text: str) -> str:
    digest = hashlib.blake2b(_code_stamp().encode(), digest_size=16)
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _code_stamp() -> str:
    """pmctl's code, schemas and version, and the Python running them."""
    package = Path(__file__).resolve().parents[1]
    return "\n".join(
        [
            f"{_FORMAT}:{sys.version}:{_pmctl_version()}",
            _stamps(str(package), ".py"),
            _stamps(str(data_dir("schemas")), ".json"),
        ]
    )


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

    def save(self, changed: bool = False) -> None:
        """Write the entries used or made this run, when they differ from the
        file's (or the caller says they `changed` in place); silently skip on
        failure.

        Even one new entry is worth the write (~15 ms for 10,000 records):
        reading that record again next time would cost more, mostly in
        importing the checks.
        """
        # Entries looked up are the file's own, so nothing stored and nothing
        # left out means nothing changed.
        if self.path is None or (
            not changed and self._stored == 0 and len(self._new) == len(self._old)
        ):
            return
        try:
            data = marshal.dumps((_FORMAT, self.key, self._new), _MARSHAL_VERSION)
        except ValueError:
            return
        _write(self.path, data)


def _write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` at once; silently give up on failure."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent)
    except OSError:
        # A read-only checkout or a full disk costs speed, never correctness.
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


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
