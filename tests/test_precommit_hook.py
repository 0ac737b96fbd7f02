"""The `pmctl-validate` pre-commit hook, run by the real pre-commit framework.

pre-commit installs the hook from a git repository, so the project (with its
hook definition) is copied into a fresh repository and committed first: the
checkout under test may hold uncommitted work. pre-commit then pip-installs
pmctl into an environment of its own, as it does for users.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ci_support import (
    PROJECT,
    clean_env,
    copy_project,
    git,
    make_records_repo,
    pmctl,
    with_id,
    write_new_records,
)

HOOKS = PROJECT / ".pre-commit-hooks.yaml"
GOOD_POSTMORTEM = "postmortems/2026/PM-2026-0009-admin-console-slow.md"
BROKEN_INCIDENT = "incidents/2026/INC-2026-0014-broken.md"
UNTOUCHED_BROKEN = "incidents/2026/INC-2026-0015-broken-but-not-staged.md"


def test_hook_definition() -> None:
    (hook,) = yaml.safe_load(HOOKS.read_text())
    files = re.compile(hook["files"])

    assert hook["id"] == "pmctl-validate"
    assert hook["entry"] == "pmctl validate"
    assert hook["language"] == "python"
    assert hook.get("pass_filenames", True) is True
    assert hook["require_serial"] is True
    for path in (
        "incidents/2026/INC-2026-0001-x.md",
        "postmortems/2026/PM-2026-0001-x.md",
        "exercises/EX-2026-0001-x.md",
        "records/incidents/2026/INC-2026-0001-x.md",
        "pmctl.yaml",
        "records/pmctl.yaml",
    ):
        assert files.search(path), path
    for path in ("README.md", "incidents/notes.txt", "docs/ci.md", "xpmctl.yaml"):
        assert not files.search(path), path


@pytest.fixture
def staged_records(tmp_path: Path) -> Path:
    """A records repository with a good and a broken new record, and a broken
    one that is not part of the commit."""
    root = make_records_repo(tmp_path / "records")
    # The incident the postmortem names exists but is not staged.
    incident = write_new_records(root, GOOD_POSTMORTEM, BROKEN_INCIDENT)
    (root / UNTOUCHED_BROKEN).write_text(
        with_id(incident, "INC-2026-0014", "INC-2026-0015").replace("SEV3", "SEV8")
    )
    (root / "README.md").write_text("Not a record.\n")
    git(root, "add", "-A")
    return root


def pre_commit(cwd: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=clean_env(PRE_COMMIT_HOME=str(home)),
        capture_output=True,
        text=True,
        check=False,
    )


def test_try_repo_reports_only_the_given_records(
    tmp_path: Path, staged_records: Path
) -> None:
    project = copy_project(tmp_path / "pmctl")

    done = pre_commit(
        staged_records,
        "try-repo",
        str(project),
        "pmctl-validate",
        "--files",
        GOOD_POSTMORTEM,
        BROKEN_INCIDENT,
        "README.md",
        home=tmp_path / "pre-commit-home",
    )

    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "- hook id: pmctl-validate" in output
    assert BROKEN_INCIDENT in output
    assert "SEV9" in output and "unknown-severity" in output
    # Judged with the whole repository: its incident is found though not given.
    assert "unknown-incident" not in output
    assert UNTOUCHED_BROKEN not in output
    assert "README.md" not in output.split("- hook id: pmctl-validate")[1]
    assert "in 1 of 2 records" in output


def test_documented_config_passes_a_good_commit(
    tmp_path: Path, staged_records: Path
) -> None:
    project = copy_project(tmp_path / "pmctl")
    revision = git(project, "rev-parse", "HEAD").strip()
    snippet = documented_pre_commit_config()
    (repo,) = snippet["repos"]
    repo.update(repo=str(project), rev=revision)
    (staged_records / ".pre-commit-config.yaml").write_text(yaml.safe_dump(snippet))

    done = pre_commit(
        staged_records,
        "run",
        "--files",
        GOOD_POSTMORTEM,
        home=tmp_path / "pre-commit-home",
    )

    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert re.search(r"pmctl validate\.+Passed", output), output


def documented_pre_commit_config() -> dict[str, list[dict[str, object]]]:
    """The pre-commit snippet of docs/ci.md, parsed."""
    docs = (PROJECT / "docs" / "ci.md").read_text()
    match = re.search(
        r"<!-- ci-snippet: pre-commit -->\n```yaml\n(.*?)```", docs, re.DOTALL
    )
    assert match, "docs/ci.md lost its pre-commit snippet"
    config: dict[str, list[dict[str, object]]] = yaml.safe_load(match.group(1))
    (repo,) = config["repos"]
    assert repo["hooks"] == [{"id": "pmctl-validate"}]
    return config


def test_a_staged_config_reports_every_record(staged_records: Path) -> None:
    # As the hook calls pmctl when pmctl.yaml is among the staged files.
    done = pmctl(staged_records, "validate", "pmctl.yaml", GOOD_POSTMORTEM)

    assert done.returncode == 1, done.stdout + done.stderr
    assert BROKEN_INCIDENT in done.stdout and UNTOUCHED_BROKEN in done.stdout
    assert "not-a-record" not in done.stdout
    assert "in 2 of 26 records" in done.stdout


def test_a_file_outside_the_records_root_is_a_usage_error(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    make_records_repo(top, subfolder="records")
    (top / "incidents").mkdir()
    (top / "incidents" / "elsewhere.md").write_text("---\nkind: incident\n---\n")

    done = pmctl(
        top,
        "validate",
        "--root",
        "records",
        "records/incidents/2026/INC-2026-0001-refund-webhooks-delayed.md",
        "incidents/elsewhere.md",
    )

    assert done.returncode == 2, done.stdout + done.stderr
    assert "`incidents/elsewhere.md` is outside the records repository" in done.stderr
