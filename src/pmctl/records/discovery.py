"""Find the files under a root that are, or claim to be, records."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pmctl.errors import UsageError
from pmctl.problems import Problem
from pmctl.records.loader import NotARecord, parse_record, read_file
from pmctl.records.model import Record

RECORD_FOLDERS = frozenset({"incidents", "postmortems", "exercises"})
# Folders that never hold records: tool state, dependencies, and the templates
# a repository may keep to override pmctl's own.
_SKIPPED_FOLDERS = frozenset({"node_modules", "templates", "__pycache__"})
_CLAIMS_KIND = re.compile(
    r"^kind:[ \t]*[\"']?(?:incident|postmortem|exercise)[\"']?[ \t]*$", re.MULTILINE
)


@dataclass
class Repository:
    """Every record under a root, and the files that failed to load as one."""

    root: Path
    records: list[Record] = field(default_factory=list)
    failures: list[Problem] = field(default_factory=list)

    def paths(self) -> set[str]:
        return {r.path for r in self.records} | {p.path for p in self.failures}


def in_record_folder(path: str) -> bool:
    return holds_records(path.rpartition("/")[0])


def holds_records(folder: str) -> bool:
    """Whether a root-relative folder is, or is inside, a record folder."""
    return any(part in RECORD_FOLDERS for part in folder.split("/"))


def iter_files(root: Path, start: Path | None = None) -> Iterator[str]:
    """Yield root-relative paths of candidate files, in a stable order."""
    top = start or root
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and d not in _SKIPPED_FOLDERS
        )
        base = Path(folder).relative_to(root).as_posix()
        prefix = "" if base == "." else f"{base}/"
        # Every file of a record folder is a candidate; elsewhere only Markdown.
        takes_all = holds_records(base)
        for name in sorted(files):
            if not name.startswith(".") and (takes_all or name.endswith(".md")):
                yield prefix + name


def resolve_targets(root: Path, targets: Iterable[Path]) -> list[str]:
    """Root-relative candidate paths for the files and folders a user named."""
    paths: list[str] = []
    for target in targets:
        absolute = target if target.is_absolute() else Path.cwd() / target
        absolute = Path(os.path.normpath(absolute))
        if not absolute.is_relative_to(root) and absolute.is_dir():
            # Reached through a symbolic link to the repository (root is resolved).
            absolute = Path(os.path.realpath(absolute))
        elif not absolute.is_relative_to(root):
            # The same for a file, keeping its own name should it be a link.
            absolute = Path(os.path.realpath(absolute.parent)) / absolute.name
        try:
            rel = absolute.relative_to(root)
        except ValueError:
            raise UsageError(
                f"`{target}` is outside the records repository {root}; "
                "pass --root to choose another repository"
            ) from None
        if absolute.is_dir():
            paths.extend(iter_files(root, absolute))
        elif absolute.exists() or absolute.is_symlink():
            paths.append(rel.as_posix())
        else:
            raise UsageError(f"`{target}` does not exist")
    return list(dict.fromkeys(paths))


def load_paths(root: Path, paths: Iterable[str], explicit: bool = False) -> Repository:
    """Load every candidate path; keep those that are records or claim to be.

    A file inside a records folder, or named by the user (`explicit`), must be a
    record. Elsewhere a Markdown file counts only when its front matter says it
    is one, so a README next to the records is left alone.
    """
    repo = Repository(root)
    for path in paths:
        found = read_candidate(root, path, explicit or in_record_folder(path))
        if isinstance(found, Record):
            repo.records.append(found)
        elif found is not None:
            repo.failures.append(found)
    return repo


def load_repository(root: Path, named: Iterable[str] = ()) -> Repository:
    """Every record under `root`, plus the `named` files wherever they are."""
    repo = load_paths(root, iter_files(root))
    extra = [path for path in named if path not in repo.paths()]
    if extra:
        more = load_paths(root, extra, explicit=True)
        repo.records.extend(more.records)
        repo.failures.extend(more.failures)
    return repo


def read_candidate(root: Path, path: str, required: bool) -> Record | Problem | None:
    """A record, the problem that stops it being one, or None for other files.

    A `required` file must be a record; any other is one only when its front
    matter claims a record kind.
    """
    found = read_candidate_text(root, path, required)[0]
    if found is None or isinstance(found, Problem):
        return found
    return parse_candidate(path, found)


def read_candidate_text(
    root: Path, path: str, required: bool
) -> tuple[str | Problem | None, os.stat_result | None]:
    """The text of a file `read_candidate` would parse, the problem that stops
    it being read, or None for a file that is not a record; and the file's
    stat when it was read."""
    if required and not path.endswith(".md"):
        return Problem(
            path,
            None,
            None,
            "not-a-record",
            "only Markdown records (`.md`) belong in record folders; "
            "rename the file or move it out",
        ), None

    try:
        text, info = read_file(os.path.join(root, path))
    except NotARecord as failure:
        return (failure.problem(path) if required else None), failure.info
    if required:
        return text, info
    if not text.lstrip("\ufeff").startswith("---") or not _CLAIMS_KIND.search(text):
        return None, info
    return text, info


def parse_candidate(path: str, text: str) -> Record | Problem:
    """The record in a candidate's text, or the problem that stops it being one."""
    try:
        return parse_record(path, text)
    except NotARecord as failure:
        return failure.problem(path)
