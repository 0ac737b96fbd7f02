"""Test helpers: a CLI runner, valid records, record files and git repositories.

CLI tests call `cli(...)`, which runs pmctl's real entry point (`pmctl.cli.main`,
with its error-to-exit-code mapping) inside Click's isolation: stdout and stderr
captured apart, no terminal on stdin, `NO_COLOR=1` and `COLUMNS=200`.

Record data comes from `valid_incident()`, `valid_postmortem()` and
`valid_exercise()`: each returns a fresh dict that passes every rule, so a test
changes the one field it is about. `write_record` turns such a dict (or raw
text) into a file under a root.
"""

from __future__ import annotations

import copy
import json
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

TESTS = Path(__file__).resolve().parent
PROJECT = TESTS.parent
EXAMPLES = PROJECT / "examples"

CLI_ENV: dict[str, str | None] = {
    "NO_COLOR": "1",
    "COLUMNS": "200",
    "TERM": "dumb",
    # pmctl behaves differently under GitHub Actions; tests must not.
    "GITHUB_ACTIONS": None,
    "GITHUB_STEP_SUMMARY": None,
    "PMCTL_DEBUG": None,
}

# Commits made by tests have a fixed author and date unless a test sets one.
GIT_DATE = "2026-11-01T12:00:00+00:00"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.com",
    "GIT_AUTHOR_DATE": GIT_DATE,
    "GIT_COMMITTER_DATE": GIT_DATE,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


# --- valid records ---------------------------------------------------------

_INCIDENT: dict[str, Any] = {
    "id": "INC-2026-0001",
    "kind": "incident",
    "title": "Checkout errors after a deploy",
    "severity": "SEV2",
    "status": "resolved",
    "commander": "Ada Lovelace",
    "comms_lead": "Grace Hopper",
    "teams": ["payments"],
    "services": ["checkout"],
    "started_at": "2026-11-03T14:00:00Z",
    "detected_at": "2026-11-03T14:05:00Z",
    "communicated_at": "2026-11-03T14:12:00Z",
    "mitigated_at": "2026-11-03T14:40:00Z",
    "resolved_at": "2026-11-03T16:00:00Z",
    "impact": {
        "summary": "One in five checkout attempts failed with a 500 error.",
        "customer_facing": True,
        "slo_breached": True,
        "slos": ["checkout-availability"],
        "users_affected": 1200,
    },
    "change_induced": True,
    "mitigation": "rollback",
    "timeline": [
        {
            "at": "2026-11-03T14:05:00Z",
            "kind": "detection",
            "text": "Error-rate alert fired.",
            "by": "Ada Lovelace",
        },
        {
            "at": "2026-11-03T14:20:00Z",
            "kind": "decision",
            "text": "Roll back the 14:00 deploy.",
            "by": "Ada Lovelace",
        },
        {
            "at": "2026-11-03T14:40:00Z",
            "kind": "mitigation",
            "text": "Rollback complete; errors back to baseline.",
        },
        {
            "at": "2026-11-03T16:00:00Z",
            "kind": "resolution",
            "text": "Monitoring quiet for an hour.",
        },
    ],
    "links": [
        {
            "kind": "dashboard",
            "url": "https://grafana.example.com/d/checkout",
            "title": "Checkout overview",
        }
    ],
}

_POSTMORTEM: dict[str, Any] = {
    "id": "PM-2026-0001",
    "kind": "postmortem",
    "title": "Checkout errors after a deploy",
    "incidents": ["INC-2026-0001"],
    "status": "published",
    "authors": ["Ada Lovelace"],
    "reviewed_on": "2026-11-10",
    "impact": "One in five checkout attempts failed for 40 minutes.",
    "timeline": [
        {"at": "2026-11-03T14:00:00Z", "kind": "note", "text": "Deploy starts."},
        {"at": "2026-11-03T14:05:00Z", "kind": "detection", "text": "Alert."},
        {"at": "2026-11-03T14:20:00Z", "kind": "decision", "text": "Roll back."},
    ],
    "contributing_factors": [
        {
            "category": "change-management",
            "description": "The deploy went to every region at once.",
        },
        {
            "category": "testing-gap",
            "description": "No test covered the new payment path.",
        },
    ],
    "actions": [
        {
            "id": "A1",
            "title": "Deploy one region at a time",
            "owner": "Ada Lovelace",
            "team": "payments",
            "due": "2026-12-15",
            "status": "done",
            "systemic": True,
            "acceptance": "A deploy reaches a second region only after a health gate.",
            "closed_on": "2026-12-01",
        },
        {
            "id": "A2",
            "title": "Test the new payment path",
            "owner": "Grace Hopper",
            "team": "payments",
            "due": "2026-12-31",
            "status": "open",
            "systemic": False,
            "acceptance": "CI runs a checkout test against the new path.",
        },
    ],
}

_EXERCISE: dict[str, Any] = {
    "id": "EX-2026-0001",
    "kind": "exercise",
    "title": "Primary database lost during peak",
    "held_on": "2026-10-20",
    "scenario": "dependency-outage",
    "facilitator": "Grace Hopper",
    "participants": ["Ada Lovelace", "Alan Turing"],
    "actions": [
        {
            "id": "A1",
            "title": "Write the failover runbook",
            "owner": "Alan Turing",
            "team": "platform",
            "due": "2026-11-30",
            "status": "open",
            "systemic": False,
            "acceptance": "On-call fails over in staging using only the runbook.",
        }
    ],
}

_FOLDERS = {
    "incident": "incidents",
    "postmortem": "postmortems",
    "exercise": "exercises",
}


def make_incident(**changes: Any) -> dict[str, Any]:
    """A resolved incident that passes every rule; `changes` replace fields."""
    return {**copy.deepcopy(_INCIDENT), **changes}


def make_postmortem(**changes: Any) -> dict[str, Any]:
    """A published postmortem of INC-2026-0001 that passes every rule."""
    return {**copy.deepcopy(_POSTMORTEM), **changes}


def make_exercise(**changes: Any) -> dict[str, Any]:
    """A tabletop exercise that passes every rule."""
    return {**copy.deepcopy(_EXERCISE), **changes}


def dump_front_matter(data: Mapping[str, Any]) -> str:
    """Data as YAML front matter text, in the given key order, never wrapped."""
    return yaml.safe_dump(
        dict(data), sort_keys=False, allow_unicode=True, width=1_000_000
    )


def record_path(data: Mapping[str, Any], slug: str = "record") -> str:
    """Where a record with this kind and id lives: `incidents/2026/INC-...-slug.md`."""
    record_id = str(data["id"])
    year = record_id.split("-")[1]
    return f"{_FOLDERS[str(data['kind'])]}/{year}/{record_id}-{slug}.md"


def write_record(
    root: Path,
    relpath: str | None,
    front_matter: Mapping[str, Any] | str,
    body: str = "\n# Notes\n",
) -> Path:
    """Write `---`, the front matter (a dict is dumped as YAML), `---`, the body.

    `relpath` None places the record by its kind and id (see `record_path`).
    """
    if relpath is None:
        assert not isinstance(front_matter, str), "a text record needs a relpath"
        relpath = record_path(front_matter)
    text = (
        front_matter
        if isinstance(front_matter, str)
        else dump_front_matter(front_matter)
    )
    if not text.endswith("\n"):
        text += "\n"

    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{text}---\n{body}", encoding="utf-8", newline="\n")
    return path


def write_valid_repository(root: Path) -> dict[str, Path]:
    """pmctl.yaml (defaults) and one valid record of each kind."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pmctl.yaml").write_text("# defaults\n", encoding="utf-8")
    return {
        "incident": write_record(root, None, make_incident()),
        "postmortem": write_record(root, None, make_postmortem()),
        "exercise": write_record(root, None, make_exercise()),
    }


def snapshot(root: Path) -> dict[str, object]:
    """Every file under `root` as bytes (links as their target), to prove no change."""
    found: dict[str, object] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in [*files, *(d for d in dirs if os.path.islink(Path(folder, d)))]:
            path = Path(folder, name)
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[key] = ("link", os.readlink(path))
                continue
            try:
                found[key] = path.read_bytes()
            except OSError as error:
                found[key] = ("unreadable", error.errno, path.stat().st_mode)
    return found


# --- running the CLI -------------------------------------------------------


@dataclass
class CliResult:
    """What one pmctl run did: exit code, and stdout and stderr kept apart."""

    args: tuple[str, ...]
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def describe(self) -> str:
        return (
            f"pmctl {' '.join(self.args)} -> exit {self.exit_code}\n"
            f"--- stdout ---\n{self.stdout}--- stderr ---\n{self.stderr}"
        )

    def expect(self, code: int) -> CliResult:
        """Assert the exit code (output as the failure message) and no crash."""
        assert self.exit_code == code, self.describe()
        assert "Traceback" not in self.output, self.describe()
        assert "internal error" not in self.output, self.describe()
        return self

    def json(self) -> Any:
        """stdout parsed as one JSON document on one line."""
        lines = self.stdout.splitlines()
        assert len(lines) == 1, self.describe()
        return json.loads(lines[0])


Cli = Callable[..., CliResult]


def make_benchmark_corpus(target: Path, records: int) -> None:
    """A corpus from the benchmark's generator, broken records included."""
    script = PROJECT / "benchmarks/make_corpus.py"
    made = subprocess.run(
        [sys.executable, script, target, "--records", str(records)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr


def run_pmctl(
    *args: str | Path,
    input: str | None = None,
    env: Mapping[str, str | None] | None = None,
    cwd: Path | None = None,
) -> CliResult:
    """Run `pmctl ARGS` in-process through its real entry point, `main()`."""
    from pmctl.cli import main

    argv = tuple(str(a) for a in args)
    runner = CliRunner(env={**CLI_ENV, **(env or {})})
    old_argv, old_cwd = sys.argv, Path.cwd()
    code: int = 0
    with runner.isolation(input=input) as (out, err, _mixed):
        sys.argv = ["pmctl", *argv]
        if cwd is not None:
            os.chdir(cwd)
        try:
            main()
        except SystemExit as done:
            code = (
                done.code
                if isinstance(done.code, int)
                else (0 if done.code is None else 1)
            )
        finally:
            sys.argv = old_argv
            os.chdir(old_cwd)
            sys.stdout.flush()
            sys.stderr.flush()
        stdout = out.getvalue().decode("utf-8", "replace")
        stderr = err.getvalue().decode("utf-8", "replace")
    return CliResult(argv, code, stdout, stderr)


# --- git -------------------------------------------------------------------


@dataclass
class GitRepo:
    """A real git repository with a pinned author, committer and dates."""

    path: Path

    def __call__(self, *args: str, date: str = GIT_DATE) -> str:
        env = {
            **os.environ,
            **GIT_ENV,
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_DATE": date,
        }
        done = subprocess.run(
            ["git", *args],
            cwd=self.path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, f"git {' '.join(args)}:\n{done.stderr}"
        return done.stdout

    def commit_all(self, message: str, date: str = GIT_DATE) -> str:
        """Stage everything and commit; returns the new commit's hash."""
        self("add", "--all")
        self("commit", "--quiet", "--allow-empty", "-m", message, date=date)
        return self("rev-parse", "HEAD").strip()


def init_git_repo(path: Path) -> GitRepo:
    path.mkdir(parents=True, exist_ok=True)
    repo = GitRepo(path)
    repo("init", "--quiet", "-b", "main")
    repo("config", "user.name", GIT_ENV["GIT_AUTHOR_NAME"])
    repo("config", "user.email", GIT_ENV["GIT_AUTHOR_EMAIL"])
    repo("config", "commit.gpgsign", "false")
    return repo


def c_compiler() -> str | None:
    """The compiler this Python was built with, where it is installed: the
    one `hatch_build.py` compiles the C scans with."""
    command = shlex.split(sysconfig.get_config_var("CC") or "")
    return shutil.which(command[0]) if command else None
