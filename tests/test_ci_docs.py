"""docs/ci.md and action.yml, run as far as this machine allows.

The documented GitHub Actions jobs and the composite action's steps run here in
bash, with the variables GitHub would set, on a pull request's merge commit in
a real clone. Steps that only GitHub can run (`actions/checkout`,
`setup-python`, artifact and SARIF uploads) are stood in for: the checkout is
made with git, and the files an upload would take are checked. The GitLab job
runs the same way against a clone of a local "origin".
"""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft4Validator

from ci_support import (
    PROJECT,
    clean_env,
    commit_all,
    copy_project,
    git,
    make_records_repo,
    write_new_records,
)

DOCS = PROJECT / "docs" / "ci.md"
ACTION = PROJECT / "action.yml"
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
BROKEN = "incidents/2026/INC-2026-0014-broken.md"
GOOD = "postmortems/2026/PM-2026-0009-admin-console-slow.md"
INSTALL_LINE = 'pip install "pmctl @ git+https://github.com/example-org/pmctl@v0.1.0"'


def snippets() -> dict[str, Any]:
    """Every named YAML snippet of docs/ci.md, parsed."""
    text = DOCS.read_text()
    found = re.findall(r"<!-- ci-snippet: ([\w-]+) -->\n```yaml\n(.*?)```", text, re.S)
    return {name: yaml.safe_load(body) for name, body in found}


def test_every_yaml_block_in_the_docs_parses() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", DOCS.read_text(), re.S)

    assert len(blocks) >= 7
    for block in blocks:
        assert yaml.safe_load(block) is not None
    assert set(snippets()) == {
        "github-pull-request",
        "github-pull-request-pip",
        "github-code-scanning",
        "github-monthly",
        "gitlab",
        "pre-commit",
    }


def test_pull_request_workflows_fetch_the_whole_history() -> None:
    for name in ("github-pull-request", "github-pull-request-pip"):
        (job,) = snippets()[name]["jobs"].values()
        checkout = job["steps"][0]
        assert checkout["uses"].startswith("actions/checkout@"), name
        assert checkout["with"]["fetch-depth"] == 0, name


def test_action_inputs_are_documented_and_used() -> None:
    action = yaml.safe_load(ACTION.read_text())
    docs = DOCS.read_text()
    scripts = "\n".join(yaml.safe_dump(step) for step in action["runs"]["steps"])

    assert action["runs"]["using"] == "composite"
    for name, spec in action["inputs"].items():
        assert f"| `{name}` |" in docs, name
        assert f"inputs.{name} }}}}" in scripts, name
        assert spec["description"], name
    for step in action["runs"]["steps"]:
        # Inputs reach scripts through env, never pasted into the script text.
        assert "${{" not in step.get("run", ""), step


# --- a pull request, checked out as GitHub does ---------------------------


@dataclass
class PullRequest:
    workspace: Path
    base_ref: str = "main"


def _pull_request(tmp_path: Path) -> PullRequest:
    """A clone at the merge commit of `feature` into `main`, like
    refs/pull/N/merge, with `origin/main` fetched (fetch-depth: 0)."""
    origin = make_records_repo(tmp_path / "origin")
    git(origin, "checkout", "-q", "-b", "feature")
    write_new_records(origin, GOOD, BROKEN)
    commit_all(origin, "Add a postmortem and an incident")
    git(origin, "checkout", "-q", "main")

    workspace = tmp_path / "workspace"
    git(tmp_path, "clone", "-q", origin.as_uri(), "workspace")
    git(workspace, "checkout", "-q", "--detach", "origin/main")
    git(workspace, "merge", "-q", "--no-ff", "-m", "Merge feature", "origin/feature")
    return PullRequest(workspace)


@pytest.fixture
def pull_request(tmp_path: Path) -> PullRequest:
    return _pull_request(tmp_path)


def github_env(pr: PullRequest, tmp: Path, **extra: str) -> dict[str, str]:
    summary = tmp / "step-summary.md"
    summary.touch()
    github = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_BASE_REF": pr.base_ref,
        "GITHUB_WORKSPACE": str(pr.workspace),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(tmp),
    }
    return clean_env(**{**github, **extra})


def bash(
    script: str, cwd: Path, env: Mapping[str, str]
) -> subprocess.CompletedProcess[str]:
    """A `run:` step as GitHub runs it: bash -e -o pipefail."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=dict(env),
        capture_output=True,
        text=True,
        check=False,
    )


def annotations(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("::error ")]


# --- the composite action ----------------------------------------------------


@pytest.fixture(scope="module")
def installed_action(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run the action's install step for real: a venv with pmctl from the
    action's own folder. Returns the `pmctl` it reports."""
    tmp = tmp_path_factory.mktemp("action")
    action_path = copy_project(tmp / "pmctl-action")
    (install,) = [s for s in _action_steps() if s.get("id") == "install"]
    output = tmp / "github-output"
    env = clean_env(
        PMCTL_PYTHON=_python_for_venv(),
        RUNNER_TEMP=str(tmp),
        GITHUB_ACTION_PATH=str(action_path),
        GITHUB_OUTPUT=str(output),
    )

    done = bash(install["run"], tmp, env)

    assert done.returncode == 0, done.stdout + done.stderr
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    pmctl = Path(outputs["pmctl"])
    assert pmctl.is_file() and str(pmctl).startswith(str(tmp))
    return pmctl


def _python_for_venv() -> str:
    import sys

    # The base interpreter: a venv made from a venv's python works too, but
    # this is what setup-python's python-path output is.
    return str(Path(sys.executable))


def _action_steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = yaml.safe_load(ACTION.read_text())["runs"]["steps"]
    return steps


def run_action(
    pr: PullRequest, tmp: Path, pmctl: Path, event: str = "pull_request", **inputs: str
) -> subprocess.CompletedProcess[str]:
    """Run the action's validate step with its `env:` expressions evaluated."""
    action = yaml.safe_load(ACTION.read_text())
    values = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    values.update(inputs)
    context = {
        "inputs": values,
        "steps.install.outputs": {"pmctl": str(pmctl)},
        "github": {
            "event_name": event,
            "base_ref": pr.base_ref if event == "pull_request" else "",
        },
    }
    (step,) = [s for s in _action_steps() if s.get("name") == "Validate records"]
    env = github_env(pr, tmp, GITHUB_EVENT_NAME=event)
    env.update(
        {key: _evaluate(str(value), context) for key, value in step["env"].items()}
    )
    return bash(step["run"], pr.workspace, env)


def _evaluate(text: str, context: dict[str, dict[str, str]]) -> str:
    def lookup(match: re.Match[str]) -> str:
        scope, _, name = match.group(1).rpartition(".")
        assert scope in context and name in context[scope], match.group(0)
        return context[scope][name]

    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", lookup, text)


def test_action_reports_the_pull_requests_records(
    pull_request: PullRequest, tmp_path: Path, installed_action: Path
) -> None:
    done = run_action(pull_request, tmp_path, installed_action)

    assert done.returncode == 1, done.stdout + done.stderr
    (annotation,) = annotations(done.stdout)
    assert annotation.startswith(f"::error file={BROKEN},line=5,")
    assert "SEV9" in annotation
    summary = (tmp_path / "step-summary.md").read_text()
    assert "unknown\\-severity" in summary


def test_action_outside_pull_requests_checks_every_record(
    pull_request: PullRequest, tmp_path: Path, installed_action: Path
) -> None:
    done = run_action(
        pull_request, tmp_path, installed_action, event="push", format="json"
    )

    assert done.returncode == 1, done.stdout + done.stderr
    assert json.loads(done.stdout)["checked"] == 25


def test_action_keeps_its_cache_where_actions_cache_saves_it(
    pull_request: PullRequest, tmp_path: Path, installed_action: Path
) -> None:
    (restore,) = [
        s for s in _action_steps() if s.get("uses", "").startswith("actions/cache@")
    ]
    saved = Path(
        _evaluate(restore["with"]["path"], {"runner": {"temp": str(tmp_path)}})
    )

    without = run_action(pull_request, tmp_path, installed_action, cache="false")
    assert not saved.exists()
    cached = run_action(pull_request, tmp_path, installed_action)

    assert list(saved.glob("*.cache")), "nothing for actions/cache to keep"
    assert cached.returncode == without.returncode == 1
    assert annotations(cached.stdout) == annotations(without.stdout)


def test_documented_code_scanning_job(
    pull_request: PullRequest, tmp_path: Path, installed_action: Path
) -> None:
    (job,) = snippets()["github-code-scanning"]["jobs"].values()
    checkout, action_step, upload = job["steps"]
    assert checkout["uses"].startswith("actions/checkout@")
    assert action_step["uses"] == "example-org/pmctl@v0.1.0"
    assert action_step["continue-on-error"] is True

    done = run_action(pull_request, tmp_path, installed_action, **action_step["with"])

    assert done.returncode == 1, done.stdout + done.stderr
    sarif = pull_request.workspace / upload["with"]["sarif_file"]
    log = json.loads(sarif.read_text())
    validator = Draft4Validator(json.loads(SARIF_SCHEMA.read_text()))
    assert not list(validator.iter_errors(log))
    # Code scanning needs the whole analysis, not only the changed records.
    (result,) = log["runs"][0]["results"]
    assert result["ruleId"] == "unknown-severity"


# --- documented workflows, without the action --------------------------------


def run_job(
    job: dict[str, Any], cwd: Path, env: Mapping[str, str]
) -> list[subprocess.CompletedProcess[str]]:
    """The `run:` steps of a job, stopping at the first that fails.

    The pip install of pmctl is the one step left out: the pmctl under test is
    already on PATH.
    """
    results = []
    for step in job["steps"]:
        if "run" not in step:
            continue
        if step["run"] == INSTALL_LINE:
            continue
        done = bash(step["run"], cwd, env)
        results.append(done)
        if done.returncode != 0:
            break
    return results


def test_documented_pull_request_workflow_without_the_action(
    pull_request: PullRequest, tmp_path: Path
) -> None:
    (job,) = snippets()["github-pull-request-pip"]["jobs"].values()
    assert any(step.get("run") == INSTALL_LINE for step in job["steps"])

    *_, validate = run_job(
        job, pull_request.workspace, github_env(pull_request, tmp_path)
    )

    assert validate.returncode == 1, validate.stdout + validate.stderr
    (annotation,) = annotations(validate.stdout)
    assert annotation.startswith(f"::error file={BROKEN},")
    restore = next(s for s in job["steps"] if "actions/cache@" in s.get("uses", ""))
    assert restore["with"]["path"] == "${{ runner.temp }}/pmctl-cache"
    assert list((tmp_path / "pmctl-cache").glob("*.cache"))


def test_documented_monthly_job(tmp_path: Path) -> None:
    workspace = make_records_repo(tmp_path / "records")
    (job,) = snippets()["github-monthly"]["jobs"].values()
    assert snippets()["github-monthly"][True]["schedule"] == [{"cron": "0 6 1 * *"}]
    env = github_env(PullRequest(workspace), tmp_path, GITHUB_EVENT_NAME="schedule")

    results = run_job(job, workspace, env)

    validate, report, stale = results
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert report.returncode == 0, report.stdout + report.stderr
    summary = (tmp_path / "step-summary.md").read_text()
    # validate's summary, then the report's Markdown after it
    assert summary.startswith("### ✅ pmctl validate\n")
    assert "\n# " in summary
    report_json = json.loads((workspace / "incident-report.json").read_text())
    assert report_json["window"]["since"] and "incidents" in report_json
    upload = next(s for s in job["steps"] if "upload-artifact" in s.get("uses", ""))
    assert (workspace / upload["with"]["path"]).is_file()
    # The examples hold overdue action items: the job fails, as documented.
    assert stale.returncode == 1, stale.stdout + stale.stderr


# --- GitLab ----------------------------------------------------------------


def test_documented_gitlab_merge_request_job(tmp_path: Path) -> None:
    pr = _pull_request(tmp_path)
    git(pr.workspace, "checkout", "-q", "--detach", "origin/feature")
    git(pr.workspace, "branch", "-q", "-r", "-d", "origin/main")
    job = snippets()["gitlab"]["pmctl-validate"]
    assert job["variables"]["GIT_DEPTH"] == "0"
    assert job["before_script"] == [
        INSTALL_LINE.replace("install ", "install --quiet ")
    ]
    env = clean_env(CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main", CI="true")

    done = bash("\n".join(job["script"]), pr.workspace, env)

    assert done.returncode == 1, done.stdout + done.stderr
    assert BROKEN in done.stdout and "unknown-severity" in done.stdout
    report = pr.workspace / job["artifacts"]["reports"]["junit"]
    suites = ET.fromstring(report.read_bytes())
    cases = {case.get("name"): case for case in suites.iter("testcase")}
    assert set(cases) == {BROKEN, GOOD}
    assert cases[BROKEN].find("failure") is not None
    assert cases[GOOD].find("failure") is None


def test_documented_gitlab_monthly_job(tmp_path: Path) -> None:
    workspace = make_records_repo(tmp_path / "records")
    job = snippets()["gitlab"]["pmctl-monthly"]

    done = bash("\n".join(job["script"]), workspace, clean_env(CI="true"))

    # The examples hold overdue action items, so the job fails on them.
    assert done.returncode == 1, done.stdout + done.stderr
    (artifact,) = job["artifacts"]["paths"]
    assert (workspace / artifact).read_text().startswith("# ")
