"""Records added or changed since the merge base with a ref (being built)."""

from __future__ import annotations

from pathlib import Path

from pmctl.errors import UsageError


def changed_records(root: Path, ref: str) -> list[str]:
    raise UsageError("--changed-since is not available in this build yet")
