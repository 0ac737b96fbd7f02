"""Who is writing a record, as the repository's git configuration says."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git_user_name(root: Path) -> str:
    """`user.name` as git sees it in `root` (empty if unset or no git)."""
    try:
        found = subprocess.run(
            ["git", "config", "user.name"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return ""
    return found.stdout.strip()
