"""What a branch changed since its merge base with a ref, for `--changed-since`.

The comparison is between the merge base of `HEAD` and the ref, and the working
tree: what a pull request adds, plus anything not committed yet (modified,
staged or untracked files), so a run before committing reports what the pull
request will contain. In CI the working tree is clean and the two are the same.
A renamed file counts as its old path deleted and its new path added.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pmctl.errors import UsageError

_FETCH_HINT = (
    "fetch more history: `git fetch --unshallow`, or `fetch-depth: 0` "
    "in actions/checkout"
)
# Blob ids git shows for a path that did not exist before the change.
_NO_BLOB = frozenset({"0" * 40, "0" * 64})


@dataclass(frozen=True)
class Changes:
    """Root-relative paths a branch added or changed (that exist now) and
    deleted, and the ids of the incidents it deleted or edited, as they were
    at the merge base: a postmortem that refers to one of those may have
    been broken by the change without being changed itself."""

    changed: list[str]
    deleted: list[str]
    incidents_before: frozenset[str]


def changed_records(root: Path, ref: str) -> Changes:
    """What changed since the merge base."""
    try:
        import git
    except ImportError:  # GitPython refuses to import without a git executable
        raise UsageError(
            "--changed-since needs git, and no git executable was found"
        ) from None

    repo, top = _open(git, root)
    try:
        prefix = root.resolve().relative_to(top).as_posix()
        base = _merge_base(git, repo, ref)
        changed, deleted, before = _changed_files(repo, base, prefix)
        incidents = _incident_ids(repo, before)
    except git.GitCommandError as error:
        raise UsageError(f"git failed: {_git_reason(error)}") from None
    finally:
        repo.close()

    if prefix == ".":
        return Changes(changed, deleted, incidents)
    cut = len(prefix) + 1
    return Changes(
        [path[cut:] for path in changed], [path[cut:] for path in deleted], incidents
    )


def _open(git: Any, root: Path) -> tuple[Any, Path]:
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise UsageError(
            f"--changed-since needs a git repository, and {root} is not in one"
        ) from None
    if repo.working_tree_dir is None:
        repo.close()
        raise UsageError(f"{root} is in a bare git repository; use a checkout")
    return repo, Path(repo.working_tree_dir).resolve()


def _merge_base(git: Any, repo: Any, ref: str) -> str:
    shallow = repo.git.rev_parse("--is-shallow-repository") == "true"
    try:
        head = repo.git.rev_parse("--verify", "--end-of-options", "HEAD^{commit}")
    except git.GitCommandError:
        raise UsageError(
            "--changed-since needs a commit to compare: HEAD has none yet"
        ) from None
    try:
        other = repo.git.rev_parse("--verify", "--end-of-options", f"{ref}^{{commit}}")
    except git.GitCommandError:
        hint = f"; this is a shallow clone: {_FETCH_HINT}" if shallow else ""
        raise UsageError(
            f"--changed-since: unknown ref `{ref}`; check the name, or fetch it "
            f"first (`git fetch origin <branch>`){hint}"
        ) from None

    try:
        base: str = repo.git.merge_base(head, other)
    except git.GitCommandError as error:
        if error.status != 1:
            raise
        if shallow:
            raise UsageError(
                f"--changed-since: HEAD and `{ref}` have no common commit in this "
                f"shallow clone; {_FETCH_HINT}"
            ) from None
        raise UsageError(
            f"--changed-since: HEAD and `{ref}` share no history, so there is "
            "nothing to compare with; pass the branch this one was made from"
        ) from None
    return base


def _changed_files(
    repo: Any, base: str, prefix: str
) -> tuple[list[str], list[str], dict[str, str]]:
    """Paths relative to the git top-level, under `prefix`: those added or
    changed that now exist, those deleted, and the blob each deleted or
    changed Markdown file had at the merge base."""
    pathspec = [] if prefix == "." else ["--", f":(literal){prefix}"]
    # Renames are not detected: a rename is then a deletion plus an addition,
    # which is what --changed-since needs, and cheaper.
    listed = repo.git.diff(
        "--raw", "-z", "--no-abbrev", "--no-renames", base, *pathspec
    )
    untracked = repo.git.ls_files("-z", "--others", "--exclude-standard", *pathspec)

    changed = {path for path in untracked.split("\0") if path}
    deleted: set[str] = set()
    before: dict[str, str] = {}
    fields = listed.split("\0")
    # Each entry is ":<old mode> <new mode> <old blob> <new blob> <status>"
    # followed by its path.
    for entry, path in zip(fields[0::2], fields[1::2], strict=False):
        _, _, old_blob, _, status = entry.split(" ")
        (deleted if status == "D" else changed).add(path)
        if old_blob not in _NO_BLOB and path.endswith(".md"):
            before[path] = old_blob
    return sorted(changed), sorted(deleted), before


def _incident_ids(repo: Any, blobs: dict[str, str]) -> frozenset[str]:
    """The ids of the incidents among these blobs, read as records."""
    from pmctl.records.loader import (
        MAX_RECORD_BYTES,
        NotARecord,
        decode,
        parse_record,
    )

    found = set()
    for path, blob in blobs.items():
        try:
            stream = repo.odb.stream(bytes.fromhex(blob))
        except ValueError as error:  # GitPython's word for a missing object
            raise UsageError(
                f"--changed-since: git cannot read `{path}` as it was at the "
                f"merge base ({error}); fetch the history the merge base needs "
                "(a clone without blob filters)"
            ) from None
        if stream.size > MAX_RECORD_BYTES:
            continue  # too large to have been a record
        raw = stream.read()
        try:
            record = parse_record(path, decode(raw))
        except NotARecord:
            continue  # not a record then, so nothing could refer to it
        if record.kind == "incident" and record.id:
            found.add(record.id)
    return frozenset(found)


def _git_reason(error: Any) -> str:
    stderr = str(getattr(error, "stderr", "") or "").strip()
    return stderr.removeprefix("stderr: ").strip("'\n ") or str(error)
