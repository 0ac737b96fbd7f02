"""`pmctl actions` end to end: listing, filters, staleness from git, CI exit."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from core_support import Cli, GitRepo, init_git_repo
from report_helpers import action, exercise, postmortem, write_records

TODAY = {"PMCTL_TODAY": "2026-12-01"}


def write_repo(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pmctl.yaml").write_text(
        "actions:\n  stale_after_days: 30\n  max_open_per_team: 1\n",
        encoding="utf-8",
    )
    write_records(
        root,
        postmortem(
            1,
            [1],
            ["capacity", "testing-gap"],
            actions=[
                action("A1", "2027-01-31", owner="Grace Hopper", team="edge"),
                action("A2", "2026-11-21", "in-progress"),
                action("A3", "2026-11-01", "done", closed_on="2026-10-30"),
            ],
        ),
        exercise(
            1,
            "2026-10-01",
            "dependency-outage",
            actions=[action("A1", "2026-11-11"), action("A2", "2027-02-01")],
        ),
    )


def listing(cli: Cli, root: Path, *args: str, code: int = 0) -> dict[str, Any]:
    result = cli("actions", "--root", root, "--format", "json", *args, env=TODAY)
    document: dict[str, Any] = result.expect(code).json()
    return document


def ids(document: dict[str, Any]) -> list[str]:
    return [item["id"] for item in document["actions"]]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    write_repo(tmp_path / "repo")
    return tmp_path / "repo"


def test_every_action_is_listed_most_overdue_first(cli: Cli, repo: Path) -> None:
    document = listing(cli, repo)

    assert ids(document) == [
        "EX-2026-0001/A1",  # 20 days overdue
        "PM-2026-0001/A2",  # 10 days overdue
        "PM-2026-0001/A1",
        "EX-2026-0001/A2",
        "PM-2026-0001/A3",  # closed ones last
    ]
    first = document["actions"][0]
    assert first["overdue_days"] == 20
    assert first["age_days"] == 61  # held on 1 October
    assert first["stale_reasons"] == ["past due by 20 days"]
    assert (document["open"], document["overdue"], document["stale"]) == (4, 2, 2)
    assert document["teams_over_cap"] == [{"team": "payments", "open": 3, "cap": 1}]


def test_outside_git_it_says_only_due_dates_were_used(cli: Cli, repo: Path) -> None:
    result = cli("actions", "--root", repo, "--format", "json", env=TODAY).expect(0)

    assert result.json()["history"]["used"] is False
    assert "only due dates were used, because" in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--stale",), ["EX-2026-0001/A1", "PM-2026-0001/A2"]),
        (("--overdue", "--team", "payments"), ["EX-2026-0001/A1", "PM-2026-0001/A2"]),
        (("--owner", "grace hopper"), ["PM-2026-0001/A1"]),
        (("--status", "done"), ["PM-2026-0001/A3"]),
        (
            ("--status", "open", "--status", "done", "--team", "edge"),
            ["PM-2026-0001/A1"],
        ),
    ],
)
def test_filters(
    cli: Cli, repo: Path, args: tuple[str, ...], expected: list[str]
) -> None:
    assert ids(listing(cli, repo, *args)) == expected


def test_an_unknown_status_is_a_usage_error(cli: Cli, repo: Path) -> None:
    result = cli("actions", "--root", repo, "--status", "closed", env=TODAY).expect(2)

    assert "expected one of open, in-progress, done, wont-do" in result.stderr


def test_fail_on_stale_exits_1_only_when_something_is_stale(
    cli: Cli, repo: Path
) -> None:
    stale = cli("actions", "--root", repo, "--fail-on-stale", env=TODAY).expect(1)
    calm = cli(
        "actions", "--root", repo, "--fail-on-stale", "--team", "edge", env=TODAY
    ).expect(0)

    assert "2 stale action(s)" in stale.stderr
    assert "EX-2026-0001/A1" in stale.stdout
    assert "0 stale" in calm.stdout


def test_table_and_csv(cli: Cli, repo: Path) -> None:
    table = cli("actions", "--root", repo, env=TODAY).expect(0).stdout
    rows = list(
        csv.DictReader(
            io.StringIO(
                cli("actions", "--root", repo, "--format", "csv", env=TODAY)
                .expect(0)
                .stdout
            )
        )
    )

    assert "Action items as of 2026-12-01" in table
    assert "past due by 20 days" in table
    assert "Teams over their open-action cap: payments 3 open (cap 1)" in table
    assert rows[0]["id"] == "EX-2026-0001/A1"
    assert rows[0]["stale"] == "true"
    assert rows[-1]["closed_on"] == "2026-10-30"


def committed_repo(tmp_path: Path) -> GitRepo:
    """Records committed on 1 October; the postmortem touched again on 20 November."""
    git = init_git_repo(tmp_path / "git")
    write_repo(git.path / "records")
    git.commit_all("records", date="2026-10-01T09:00:00Z")
    pm = next((git.path / "records" / "postmortems").rglob("*.md"))
    pm.write_text(pm.read_text(encoding="utf-8") + "\nMore notes.\n", encoding="utf-8")
    git.commit_all("notes", date="2026-11-20T09:00:00+01:00")
    return git


def test_staleness_comes_from_commit_dates_in_the_past(
    cli: Cli, tmp_path: Path
) -> None:
    git = committed_repo(tmp_path)

    document = listing(cli, git.path / "records")

    by_id = {item["id"]: item for item in document["actions"]}
    drill = by_id["EX-2026-0001/A2"]  # due in February; untouched since 1 October
    assert drill["last_changed"] == "2026-10-01"
    assert drill["stale_reasons"] == ["untouched for 61 days (last changed 2026-10-01)"]
    fresh = by_id["PM-2026-0001/A1"]  # its postmortem changed on 20 November
    assert fresh["last_changed"] == "2026-11-20"
    assert fresh["stale"] is False
    assert by_id["EX-2026-0001/A1"]["stale_reasons"] == [
        "past due by 20 days",
        "untouched for 61 days (last changed 2026-10-01)",
    ]
    assert document["history"] == {"used": True, "note": None}


def test_a_shallow_clone_uses_due_dates_only_and_says_why(
    cli: Cli, tmp_path: Path
) -> None:
    git = committed_repo(tmp_path)
    clone = tmp_path / "clone"
    git("clone", "--quiet", "--depth", "1", f"file://{git.path}", str(clone))

    result = cli(
        "actions", "--root", clone / "records", "--format", "json", env=TODAY
    ).expect(0)

    document = result.json()
    stale = {item["id"] for item in document["actions"] if item["stale"]}
    assert stale == {"EX-2026-0001/A1", "PM-2026-0001/A2"}  # past due only
    assert document["history"]["used"] is False
    assert "shallow clone" in result.stderr


def test_long_listing_is_printed_as_aligned_lines(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pmctl.reporters import actions_table

    monkeypatch.setattr(actions_table, "_TABLE_ROWS", 2)
    root = tmp_path / "repo"
    write_repo(root)
    hostile = action("A9", "2027-01-31", title="Rotate keys\x1b[31m now\x07")
    write_records(
        root, postmortem(2, [1], ["capacity", "testing-gap"], actions=[hostile])
    )

    result = cli("actions", "--root", root, env=TODAY)

    result.expect(0)
    lines = result.stdout.splitlines()
    header = lines[lines.index("Action items as of 2026-12-01") + 1]
    assert "Title" in header and "Stale because" in header
    for action_id in ("PM-2026-0001/A1", "EX-2026-0001/A2", "PM-2026-0002/A9"):
        assert any(line.startswith(action_id) for line in lines), result.stdout
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "Rotate keys[31m now" in result.stdout
