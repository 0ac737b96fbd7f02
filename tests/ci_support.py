"""Helpers for the CI-integration tests: real git repositories and real runs.

Git runs with pinned identities and dates and without the user's or system's
configuration, so every repository is the same on every machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
EXAMPLES = PROJECT / "examples"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Committer",
    "GIT_COMMITTER_EMAIL": "committer@example.com",
    "GIT_AUTHOR_DATE": "2026-11-20T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-11-20T12:00:00+00:00",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
# Set by GitHub Actions or a developer's shell; each test sets what it needs.
_CI_VARIABLES = ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE")


def clean_env(**extra: str) -> dict[str, str]:
    """A subprocess's environment: pinned git, no CI variables, pmctl on PATH."""
    env = {k: v for k, v in os.environ.items() if k not in _CI_VARIABLES}
    env.update(GIT_ENV)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "200"
    env.update(extra)
    return env


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"git {' '.join(args)} failed:\n{done.stderr}"
    return done.stdout


def commit_all(cwd: Path, message: str) -> None:
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "-m", message)


def make_records_repo(path: Path, subfolder: str = "") -> Path:
    """A git repository on `main` whose records are a copy of `examples/`.

    Returns the records root (`path`, or `path / subfolder`).
    """
    root = path / subfolder if subfolder else path
    shutil.copytree(EXAMPLES, root)
    git(path, "init", "-q")
    commit_all(path, "Records as they are on main")
    return root


def copy_project(target: Path) -> Path:
    """The project's installable files in a new git repository, committed."""
    target.mkdir()
    files = ("pyproject.toml", "hatch_build.py", "README.md", ".pre-commit-hooks.yaml")
    for name in (*files, "action.yml"):
        shutil.copy2(PROJECT / name, target / name)
    # Not the C scans built for this checkout: the install builds its own.
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "*.so")
    for name in ("src", "schemas", "templates"):
        shutil.copytree(PROJECT / name, target / name, ignore=ignore)
    git(target, "init", "-q")
    commit_all(target, "pmctl")
    return target


def pmctl(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real `pmctl` in a subprocess, as CI does."""
    return subprocess.run(
        [sys.executable, "-m", "pmctl", *args],
        cwd=cwd,
        env=env or clean_env(),
        capture_output=True,
        text=True,
        check=False,
    )


def example(kind_folder: str, record_id: str) -> Path:
    """The example record file whose name starts with `record_id`."""
    (found,) = (EXAMPLES / kind_folder / "2026").glob(f"{record_id}-*.md")
    return found


def with_id(text: str, old_id: str, new_id: str) -> str:
    """A record's text with its id changed (only the `id:` line)."""
    old_line = f"\nid: {old_id}\n"
    assert old_line in text, f"no `id: {old_id}` line"
    return text.replace(old_line, f"\nid: {new_id}\n", 1)


def write_new_records(root: Path, postmortem_path: str, incident_path: str) -> str:
    """A valid new postmortem (PM-2026-0009, for INC-2026-0009) and a broken
    new incident (INC-2026-0014, severity SEV9); returns the incident's text
    before it was broken."""
    postmortem = with_id(
        example("postmortems", "PM-2026-0001").read_text(),
        "PM-2026-0001",
        "PM-2026-0009",
    )
    (root / postmortem_path).write_text(
        postmortem.replace("  - INC-2026-0001\n", "  - INC-2026-0009\n", 1)
    )
    incident = with_id(
        example("incidents", "INC-2026-0001").read_text(),
        "INC-2026-0001",
        "INC-2026-0014",
    )
    (root / incident_path).write_text(
        incident.replace("severity: SEV3", "severity: SEV9")
    )
    return incident
