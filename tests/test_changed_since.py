"""`validate --changed-since`: only what a branch changed is reported, judged
against the whole repository, in real git repositories with a base branch and
a feature branch."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ci_support import (
    PROJECT,
    commit_all,
    example,
    git,
    make_records_repo,
    pmctl,
    with_id,
)
from pmctl.errors import UsageError
from pmctl.history.changes import changed_records

PM_FOR_BASE_INCIDENT = "postmortems/2026/PM-2026-0009-admin-console-slow.md"
PM_FOR_MISSING_INCIDENT = "postmortems/2026/PM-2026-0010-missing-incident.md"
CLASHING_INCIDENT = "incidents/2026/INC-2026-0001-clashing-id.md"
BASE_INCIDENT = "incidents/2026/INC-2026-0001-refund-webhooks-delayed.md"
BROKEN_ON_MAIN = "incidents/2026/INC-2026-0003-card-authorization-outage-eu-west.md"


def postmortem_for(incident_id: str, postmortem_id: str) -> str:
    text = with_id(
        example("postmortems", "PM-2026-0001").read_text(),
        "PM-2026-0001",
        postmortem_id,
    )
    return text.replace("  - INC-2026-0001\n", f"  - {incident_id}\n", 1)


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A feature branch that adds three records while main moves on.

    The branch adds a postmortem for an incident that exists only on main, one
    for an incident that exists nowhere, and an incident whose id main already
    uses. After the branch was made, main broke a record the branch never
    touched: it must not be reported, as the merge base predates it.
    """
    root = make_records_repo(tmp_path / "repo")
    git(root, "checkout", "-q", "-b", "feature")
    (root / PM_FOR_BASE_INCIDENT).write_text(
        postmortem_for("INC-2026-0009", "PM-2026-0009")
    )
    (root / PM_FOR_MISSING_INCIDENT).write_text(
        postmortem_for("INC-2026-0999", "PM-2026-0010")
    )
    (root / CLASHING_INCIDENT).write_text((root / BASE_INCIDENT).read_text())
    commit_all(root, "Add records on the feature branch")

    git(root, "checkout", "-q", "main")
    broken = root / BROKEN_ON_MAIN
    broken.write_text(broken.read_text().replace("severity: SEV1", "severity: SEV9"))
    commit_all(root, "Main moves on")
    git(root, "checkout", "-q", "feature")
    return root


def validate_json(root: Path, *args: str) -> tuple[int, dict[str, Any]]:
    done = pmctl(root, "validate", "--format", "json", *args)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def problems_by_path(document: dict[str, Any]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for problem in document["problems"]:
        found.setdefault(problem["path"], set()).add(problem["rule"])
    return found


def test_only_records_changed_on_the_branch_are_reported(pull_request: Path) -> None:
    code, document = validate_json(pull_request, "--changed-since", "main")

    assert code == 1, document
    assert document["checked"] == 3
    assert problems_by_path(document) == {
        PM_FOR_MISSING_INCIDENT: {"unknown-incident"},
        CLASHING_INCIDENT: {"duplicate-id"},
    }


def test_cross_record_rules_still_see_the_base_branch(pull_request: Path) -> None:
    code, document = validate_json(pull_request, "--changed-since", "main")

    assert code == 1, document
    reported = problems_by_path(document)
    # The incident exists only in records the branch did not change.
    assert PM_FOR_BASE_INCIDENT not in reported
    (clash,) = [p for p in document["problems"] if p["path"] == CLASHING_INCIDENT]
    assert BASE_INCIDENT in clash["message"]


def test_a_full_run_reports_both_holders_of_a_duplicate_id(pull_request: Path) -> None:
    code, document = validate_json(pull_request)

    assert code == 1, document
    reported = problems_by_path(document)
    assert reported[BASE_INCIDENT] == {"duplicate-id"}
    assert reported[CLASHING_INCIDENT] == {"duplicate-id"}


def test_changed_records_compares_with_the_merge_base(pull_request: Path) -> None:
    assert changed_records(pull_request, "main").changed == sorted(
        [PM_FOR_BASE_INCIDENT, PM_FOR_MISSING_INCIDENT, CLASHING_INCIDENT]
    )


def test_renamed_and_deleted_records(tmp_path: Path) -> None:
    root = make_records_repo(tmp_path / "repo")
    git(root, "checkout", "-q", "-b", "feature")
    moved = "incidents/2026/INC-2026-0006-mobile-login-loop-on-ios.md"
    git(root, "mv", "incidents/2026/INC-2026-0006-mobile-login-loop.md", moved)
    broken = "incidents/2026/INC-2026-0005-waf-blocks-merchant-dashboard.md"
    git(
        root,
        "mv",
        "incidents/2026/INC-2026-0005-merchant-dashboard-waf-blocks.md",
        broken,
    )
    text = (root / broken).read_text()
    (root / broken).write_text(text.replace("\nseverity: ", "\nseverity_level: ", 1))
    git(
        root,
        "rm",
        "-q",
        "postmortems/2026/PM-2026-0008-us-east-latency-node-pool-upgrade.md",
    )
    commit_all(root, "Rename two incidents, delete a postmortem")

    assert changed_records(root, "main").changed == sorted([moved, broken])
    code, document = validate_json(root, "--changed-since", "main")
    assert code == 1, document
    assert document["checked"] == 2
    assert {p["path"] for p in document["problems"]} == {broken}
    assert {p["field"] for p in document["problems"]} >= {"severity"}


SMS_INCIDENT = "incidents/2026/INC-2026-0011-sms-otp-delays.md"
SMS_POSTMORTEM = "postmortems/2026/PM-2026-0007-sms-otp-delays.md"
LOGIN_INCIDENT = "incidents/2026/INC-2026-0006-mobile-login-loop.md"
SSO_POSTMORTEM = "postmortems/2026/PM-2026-0002-sso-login-failures.md"


@pytest.fixture
def main_already_broken(tmp_path: Path) -> Path:
    """Records on main with problems no branch made, which no branch's run
    should report: a postmortem that names a missing incident, and the SMS
    postmortem with an unknown category."""
    root = make_records_repo(tmp_path / "repo")
    sso = root / SSO_POSTMORTEM
    sso.write_text(
        sso.read_text().replace("  - INC-2026-0002\n", "  - INC-2026-0999\n")
    )
    sms = root / SMS_POSTMORTEM
    sms.write_text(re.sub(r"category: [\w-]+", "category: folklore", sms.read_text()))
    commit_all(root, "Main refers to a missing incident and an unknown category")
    git(root, "checkout", "-q", "-b", "feature")
    return root


def test_deleting_an_incident_reports_the_references_it_broke(
    main_already_broken: Path,
) -> None:
    root = main_already_broken
    git(root, "rm", "-q", SMS_INCIDENT)
    renamed = LOGIN_INCIDENT.replace("mobile-login-loop", "ios-login-loop")
    git(root, "mv", LOGIN_INCIDENT, renamed)  # same id: nothing refers to a path
    commit_all(root, "Delete one incident, rename another")

    changes = changed_records(root, "main")
    code, document = validate_json(root, "--changed-since", "main")
    _, everything = validate_json(root)

    assert (changes.changed, changes.deleted) == (
        [renamed],
        [LOGIN_INCIDENT, SMS_INCIDENT],
    )
    assert changes.incidents_before == {"INC-2026-0006", "INC-2026-0011"}
    assert code == 1, document
    # The broken reference only: the category was wrong before the change.
    assert problems_by_path(document) == {SMS_POSTMORTEM: {"unknown-incident"}}
    assert document["checked"] == 2
    assert problems_by_path(everything)[SMS_POSTMORTEM] == {
        "unknown-incident",
        "unknown-category",
    }


def test_naming_the_settings_does_not_hide_the_references_a_change_broke(
    main_already_broken: Path,
) -> None:
    root = main_already_broken
    git(root, "rm", "-q", SMS_INCIDENT)
    commit_all(root, "Delete one incident")

    code, document = validate_json(
        root, str(root / "pmctl.yaml"), "--changed-since", "main"
    )

    assert code == 1, document
    assert problems_by_path(document) == {SMS_POSTMORTEM: {"unknown-incident"}}


def test_a_blob_git_cannot_read_is_a_usage_error(main_already_broken: Path) -> None:
    # As in a partial clone that cannot fetch what it left out.
    root = main_already_broken
    blob = git(root, "rev-parse", f"HEAD:{SMS_INCIDENT}").strip()
    git(root, "rm", "-q", SMS_INCIDENT)
    commit_all(root, "Delete one incident")
    (root / ".git" / "objects" / blob[:2] / blob[2:]).unlink()

    done = pmctl(root, "validate", "--changed-since", "main")

    assert done.returncode == 2, done.stdout
    assert f"git cannot read `{SMS_INCIDENT}` as it was at the merge base" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr


def test_renumbering_an_incident_reports_the_references_it_broke(
    main_already_broken: Path,
) -> None:
    root = main_already_broken
    renumbered = SMS_INCIDENT.replace("0011", "0014")
    git(root, "mv", SMS_INCIDENT, renumbered)
    text = (root / renumbered).read_text()
    (root / renumbered).write_text(with_id(text, "INC-2026-0011", "INC-2026-0014"))
    commit_all(root, "Renumber an incident")

    code, document = validate_json(root, "--changed-since", "main")
    named_code, named = validate_json(root, "incidents", "--changed-since", "main")

    assert code == 1, document
    assert problems_by_path(document) == {SMS_POSTMORTEM: {"unknown-incident"}}
    # Paths named still bound what is reported on.
    assert (named_code, named["problems"], named["checked"]) == (0, [], 1)


def test_an_incident_is_known_by_its_content_not_its_file_name(
    main_already_broken: Path,
) -> None:
    # The file name carries no id (only a warning), and an edit changes the
    # id inside: the reference is broken all the same.
    root = main_already_broken
    unnamed = "incidents/2026/sms-otp-delays.md"
    git(root, "mv", SMS_INCIDENT, unnamed)
    commit_all(root, "Name the file without its id")
    git(root, "checkout", "-q", "-b", "later")
    (root / unnamed).write_text(
        with_id((root / unnamed).read_text(), "INC-2026-0011", "INC-2026-0014")
    )
    commit_all(root, "Renumber the incident")

    code, document = validate_json(root, "--changed-since", "feature")

    assert code == 1, document
    assert problems_by_path(document)[SMS_POSTMORTEM] == {"unknown-incident"}


def test_malformed_references_elsewhere_do_not_stop_the_run(
    main_already_broken: Path,
) -> None:
    root = main_already_broken
    sso = root / SSO_POSTMORTEM
    sso.write_text(sso.read_text().replace("  - INC-2026-0999\n", "  - {a: 1}\n"))
    commit_all(root, "A postmortem whose incident is a mapping")
    git(root, "checkout", "-q", "-b", "later")
    git(root, "rm", "-q", SMS_INCIDENT)
    commit_all(root, "Delete an incident")

    code, document = validate_json(root, "--changed-since", "feature")

    assert code == 1, document
    assert problems_by_path(document) == {SMS_POSTMORTEM: {"unknown-incident"}}


def test_uncommitted_and_untracked_changes_count(tmp_path: Path) -> None:
    root = make_records_repo(tmp_path / "repo")
    (root / ".gitignore").write_text("scratch/\n")
    commit_all(root, "Ignore scratch files")
    git(root, "checkout", "-q", "-b", "feature")
    edited = "incidents/2026/INC-2026-0002-sso-login-failures.md"
    (root / edited).write_text((root / edited).read_text() + "\nMore notes.\n")
    staged = "incidents/2026/INC-2026-0014-staged.md"
    (root / staged).write_text(
        with_id((root / BASE_INCIDENT).read_text(), "INC-2026-0001", "INC-2026-0014")
    )
    git(root, "add", staged)
    untracked = "incidents/2026/INC-2026-0015-untracked.md"
    (root / untracked).write_text(
        with_id((root / BASE_INCIDENT).read_text(), "INC-2026-0001", "INC-2026-0015")
    )
    (root / "scratch").mkdir()
    (root / "scratch" / "ignored.md").write_text("ignored\n")

    assert changed_records(root, "main").changed == sorted([edited, staged, untracked])


def test_config_change_reports_every_record(tmp_path: Path) -> None:
    root = make_records_repo(tmp_path / "repo")
    git(root, "checkout", "-q", "-b", "feature")
    config = root / "pmctl.yaml"
    config.write_text(config.read_text().replace("  - change-management\n", "", 1))
    commit_all(root, "Retire the change-management category")

    code, document = validate_json(root, "--changed-since", "main")

    assert code == 1, document
    assert document["checked"] == 23
    rules = {p["rule"] for p in document["problems"]}
    assert rules == {"unknown-category"}
    assert len(problems_by_path(document)) > 1


def test_deleting_the_config_reports_every_record(tmp_path: Path) -> None:
    root = make_records_repo(tmp_path / "repo")
    git(root, "checkout", "-q", "-b", "feature")
    git(root, "rm", "-q", "pmctl.yaml")
    commit_all(root, "Back to the default settings")

    code, document = validate_json(root, "--changed-since", "main")
    full_code, everything = validate_json(root)

    assert (code, document) == (full_code, everything)
    assert document["checked"] == 23, document


def test_named_paths_narrow_the_changed_records(pull_request: Path) -> None:
    code, document = validate_json(pull_request, "incidents", "--changed-since", "main")

    assert code == 1, document
    assert document["checked"] == 1
    assert problems_by_path(document) == {CLASHING_INCIDENT: {"duplicate-id"}}


def test_records_root_in_a_subfolder(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    root = make_records_repo(top, subfolder="records")
    git(top, "checkout", "-q", "-b", "feature")
    (root / CLASHING_INCIDENT).write_text((root / BASE_INCIDENT).read_text())
    commit_all(top, "Add a clashing incident")

    assert changed_records(root, "main").changed == [CLASHING_INCIDENT]
    done = pmctl(
        top, "validate", "--root", "records", "--changed-since", "main", "-f", "github"
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.startswith(f"::error file=records/{CLASHING_INCIDENT},")
    assert len(done.stdout.splitlines()) == 1


def test_no_changes_reports_nothing(tmp_path: Path) -> None:
    root = make_records_repo(tmp_path / "repo")

    code, document = validate_json(root, "--changed-since", "main")

    assert code == 0, document
    assert document == {"valid": True, "checked": 0, "problems": []}


def _shallow_clone(tmp_path: Path, *clone_args: str) -> Path:
    origin = make_records_repo(tmp_path / "origin")
    git(origin, "checkout", "-q", "-b", "feature")
    (origin / CLASHING_INCIDENT).write_text((origin / BASE_INCIDENT).read_text())
    commit_all(origin, "Feature work")
    git(origin, "checkout", "-q", "main")
    (origin / "README.md").write_text("Records.\n")
    commit_all(origin, "Main moves on")

    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", *clone_args, origin.as_uri(), "clone")
    git(clone, "checkout", "-q", "feature")
    return clone


def test_shallow_clone_without_merge_base_says_to_fetch_history(
    tmp_path: Path,
) -> None:
    clone = _shallow_clone(tmp_path, "--no-single-branch")

    done = pmctl(clone, "validate", "--changed-since", "origin/main")

    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "no common commit in this shallow clone" in done.stderr
    assert "fetch-depth: 0" in done.stderr
    assert done.stdout == ""
    # docs/ci.md quotes the message word for word.
    docs = (PROJECT / "docs" / "ci.md").read_text()
    assert done.stderr.strip() in docs


def test_shallow_clone_without_the_ref_says_to_fetch_history(tmp_path: Path) -> None:
    clone = _shallow_clone(tmp_path, "--branch", "feature")

    done = pmctl(clone, "validate", "--changed-since", "origin/main")

    assert done.returncode == 2, done.stdout + done.stderr
    assert "unknown ref `origin/main`" in done.stderr
    assert "fetch-depth: 0" in done.stderr


def test_unknown_ref_is_a_usage_error(pull_request: Path) -> None:
    done = pmctl(pull_request, "validate", "--changed-since", "no-such-branch")

    assert done.returncode == 2, done.stdout + done.stderr
    assert "unknown ref `no-such-branch`" in done.stderr
    assert "Traceback" not in done.stderr


def test_outside_git_is_a_usage_error(tmp_path: Path) -> None:
    root = tmp_path / "records"
    root.mkdir()
    (root / "pmctl.yaml").write_text("timezone: UTC\n")

    with pytest.raises(UsageError, match="needs a git repository"):
        changed_records(root, "main")
    done = pmctl(root, "validate", "--changed-since", "main")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "needs a git repository" in done.stderr


def test_unrelated_history_is_a_usage_error(pull_request: Path) -> None:
    git(pull_request, "checkout", "-q", "--orphan", "unrelated")
    commit_all(pull_request, "A history of its own")

    with pytest.raises(UsageError, match="share no history"):
        changed_records(pull_request, "main")
