"""A cache of what reading and checking each file found, so warm runs skip both.

An entry is keyed by the file's path and its stat (size, modification and
change times, inode), as git's index does, and also holds a digest of the
text that was checked. A file whose stat changed but whose text did not (every
file after a fresh clone, as in CI with a restored cache) costs a read and a
digest, not a check. The whole cache is keyed by a fingerprint of everything
else that decides the outcome: the content of pmctl's own code and schemas, its
version, the versions of the libraries that read and check records,
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

Stamp = tuple[int, int, int, int]
# A cached outcome is plain data that marshal can store (see records.pipeline).
Outcome = tuple[Any, ...]
# Stat, when it can be trusted; digest of the text checked, when there was one.
Entry = tuple[Stamp | None, bytes | None, Outcome]

_FORMAT = 4
# Version 2 stores no back-references: larger files, but it loads about three
# times faster than the default for many small containers.
_MARSHAL_VERSION = 2
# Files changed within this many seconds of the write may change again within
# the clock's resolution without a new stamp; their stamp is not kept (git's
# "racily clean" entries).
_RACY_NS = 2_000_000_000
# The files of pmctl's own code the cache is keyed by: the C scans too, which,
# built from another source, could find otherwise.
CODE_SUFFIXES = (".py", ".so", ".pyd")


def stamp_of(info: os.stat_result) -> Stamp:
    # The change time, which no tool can set, tells a file restored with its
    # old modification time and size (a tarball, a restored cache on a new
    # file system) from the one that was checked.
    return (info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)


def text_digest(text: str) -> bytes:
    """What identifies a text for the cache: records come from anyone, so a
    digest nobody can make collide (SHA-256 is also the fastest hashlib has
    on CPUs with SHA instructions)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


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
    """pmctl's code, schemas and version, the libraries that read and check
    records, and the Python running them.

    By content, not by modification time: CI installs the same pmctl afresh
    on every run, and its restored cache should still be used. Worked out
    once per process (about 4 ms); the tests that change pmctl's files clear it.
    """
    if _CODE_STAMP:
        return _CODE_STAMP[0]

    package = Path(__file__).resolve().parents[1]
    digest = hashlib.blake2b(
        f"{_FORMAT}:{sys.version}:{_pmctl_version()}".encode(), digest_size=16
    )
    _add_files(digest, str(package), CODE_SUFFIXES)
    _add_files(digest, str(data_dir("schemas")), (".json",))
    digest.update(_dependencies().encode())
    _CODE_STAMP.append(digest.hexdigest())
    return _CODE_STAMP[0]


_CODE_STAMP: list[str] = []
# Libraries whose versions decide what a record is found to hold: module name
# and distribution name, as its metadata folder spells it, lower-cased.
_DEPENDENCIES = (
    ("yaml", "pyyaml"),
    ("jsonschema", "jsonschema"),
    ("jsonschema_rs", "jsonschema_rs"),
    ("ryml", "rapidyaml"),
)


def _dependencies() -> str:
    """The installed versions of `_DEPENDENCIES`, from the names of their
    metadata folders: importing importlib.metadata alone costs 60 ms."""
    from importlib.util import find_spec

    found = []
    for module, distribution in _DEPENDENCIES:
        spec = find_spec(module)
        if spec is None or spec.origin is None:
            found.append(f"{module}: absent")
            continue
        # The module's folder sits next to its metadata in site-packages;
        # without metadata (a vendored copy) the module file stands in.
        folder = os.path.dirname(os.path.dirname(spec.origin))
        try:
            names = sorted(
                name
                for name in os.listdir(folder)
                if name.endswith((".dist-info", ".egg-info"))
                and name.split("-")[0].lower().replace(".", "_") == distribution
            )
        except OSError:
            names = []
        if not names:
            names = [_module_file_stamp(spec.origin)]
        found.append(f"{module}: {' '.join(names)}")
    return "\n".join(found)


def _module_file_stamp(origin: str) -> str:
    """A module file by path, size and time; by path alone where it cannot be
    stat'ed (imported from a zip archive), rather than failing every command."""
    try:
        info = os.stat(origin)
    except OSError:
        return origin
    return f"{origin}:{info.st_size}:{info.st_mtime_ns}"


def _add_files(digest: Any, top: str, suffixes: tuple[str, ...]) -> None:
    """Add the path under `top` and the content of every file with one of
    `suffixes`."""
    # os.walk on strings: pathlib's rglob costs several times more, and this
    # runs on every command that uses the cache.
    for folder, dirs, names in os.walk(top):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(suffixes):
                path = os.path.join(folder, name)
                with open(path, "rb") as source:
                    content = source.read()
                relative = os.path.relpath(path, top)
                digest.update(f"\0{relative}\0{len(content)}\0".encode())
                digest.update(content)


class RecordCache:
    """Outcomes by path, valid for one fingerprint."""

    def __init__(self, path: Path | None, key: str) -> None:
        self.path = path
        self.key = key
        self._old: dict[str, Entry] = {}
        self._new: dict[str, Entry] = {}
        self._stored = 0
        self._started = time.time_ns()
        if path is not None:
            self._old = _read(path, key)

    @property
    def empty(self) -> bool:
        """Whether there is nothing to look up: no cache, or none that fits."""
        return not self._old

    def lookup(self, path: str, stamp: Stamp) -> Outcome | None:
        """The outcome for a file whose stat is unchanged."""
        entry = self._old.get(path)
        if entry is None or entry[0] != stamp:
            return None
        self._new[path] = entry
        return entry[2]

    def digest(self, path: str) -> bytes | None:
        """The digest of the text last checked at `path`, if known."""
        entry = self._old.get(path)
        return None if entry is None else entry[1]

    def lookup_text(self, path: str, digest: bytes) -> Outcome | None:
        """The outcome for a file whose stat changed but whose text did not."""
        entry = self._old.get(path)
        return entry[2] if entry is not None and entry[1] == digest else None

    def store(
        self, path: str, stamp: Stamp, digest: bytes | None, outcome: Outcome
    ) -> None:
        # A file changed just before this run may change again under the same
        # stat: only its digest may vouch for it.
        trusted = stamp if max(stamp[1], stamp[3]) < self._started - _RACY_NS else None
        if trusted is not None or digest is not None:
            self._new[path] = (trusted, digest, outcome)
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


def _read(path: Path, key: str) -> dict[str, Entry]:
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
    entries: dict[str, Entry] = stored[2]
    # A cache CI restored may come from anywhere: one of another shape is
    # not used, rather than failing the run.
    if not all(map(_well_formed, entries.values())):
        return {}
    return entries


def _well_formed(entry: object) -> bool:
    return (
        type(entry) is tuple
        and len(entry) == 3
        and (entry[0] is None or type(entry[0]) is tuple)
        and (entry[1] is None or type(entry[1]) is bytes)
        and type(entry[2]) is tuple
        and len(entry[2]) > 0
        and type(entry[2][0]) is str
        and len(entry[2]) == _OUTCOME_SIZES.get(entry[2][0], -1)
    )


# Outcomes by kind and size (see pipeline.check_file).
_OUTCOME_SIZES = {"record": 6, "failure": 2, "skip": 1}


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
