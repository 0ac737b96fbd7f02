"""Paths as CI systems want them: relative to the repository, not the records root.

Problems carry paths relative to the records root, which may be a subfolder of
the git repository. GitHub annotations, SARIF and GitLab's JUnit view resolve
paths against the repository's top level, so reporters prefix the root's place
in it.
"""

from __future__ import annotations

import os
from pathlib import Path

from pmctl.problems import ValidationResult


def repo_prefix(root: Path | None) -> str:
    """The root's path inside its git work tree, with a trailing `/` ('' at top).

    Outside git, GitHub's workspace is the next best anchor; failing both, paths
    stay relative to the root.
    """
    if root is None:
        return ""
    resolved = root.resolve()

    for folder in (resolved, *resolved.parents):
        if (folder / ".git").exists():
            return _relative(resolved, folder)

    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace:
        try:
            return _relative(resolved, Path(workspace).resolve())
        except ValueError:
            return ""
    return ""


def repo_paths(result: ValidationResult) -> dict[str, str]:
    """Repository-relative path for each root-relative path in the result."""
    prefix = repo_prefix(result.root)
    paths = {*result.paths, *(p.path for p in result.problems)}
    return {path: prefix + path for path in paths}


def _relative(path: Path, top: Path) -> str:
    rel = path.relative_to(top).as_posix()
    return "" if rel == "." else rel + "/"
