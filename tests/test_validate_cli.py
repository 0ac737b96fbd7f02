"""`pmctl validate` from the command line: bad input, reporting scope, output, exits."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from core_support import (
    PROJECT,
    Cli,
    GitRepo,
    dump_front_matter,
    make_incident,
    make_postmortem,
    snapshot,
    write_record,
    write_valid_repository,
)

INCIDENT = "incidents/2026/INC-2026-0001-record.md"
PROBLEM_KEYS = {"path", "line", "field", "rule", "severity", "message"}


def incident_text(**changes: Any) -> str:
    return f"---\n{dump_front_matter(make_incident(**changes))}---\n\n# Notes\n"


def line_of(text: str, pattern: str, nth: int = 1) -> int:
    found = [
        n for n, line in enumerate(text.split("\n"), 1) if re.search(pattern, line)
    ]
    return found[nth - 1]


# --- bad input ------------------------------------------------------------------------


@dataclass
class BadInput:
    """One hostile or broken file, and the problem it must produce."""

    name: str
    build: Callable[[Path], None]
    rule: str
    line: int | None
    field: str | None = None
    path: str = INCIDENT
    words: tuple[str, ...] = ()


def put(text: str | bytes) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        path = root / INCIDENT
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)

    return build


def big_file(root: Path) -> None:
    path = root / INCIDENT
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write(incident_text().encode("utf-8"))
        chunk = b"Lots of pasted log output. " * 40_000
        for _ in range(30):  # about 32 MB
            handle.write(chunk + b"\n")


def symlink_loop(root: Path) -> None:
    path = root / INCIDENT
    path.parent.mkdir(parents=True)
    path.symlink_to(path.name)


VALID = incident_text()
BOMB = "".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 10))
BAD_INPUTS = [
    BadInput("empty-file", put(""), "empty-file", 1),
    BadInput("no-front-matter", put("# Checkout errors\n"), "no-front-matter", 1),
    BadInput(
        "unterminated-front-matter",
        put("---\nid: INC-2026-0001\n\n# Notes\n"),
        "unterminated-front-matter",
        1,
    ),
    BadInput(
        "front-matter-not-a-mapping",
        put("---\n- id\n- kind\n---\n"),
        "front-matter-not-mapping",
        2,
    ),
    BadInput(
        "invalid-yaml",
        put(VALID.replace("status: resolved", "status: [resolved")),
        "yaml-syntax",
        line_of(VALID, "^commander:"),
    ),
    BadInput(
        "duplicate-keys",
        put(VALID.replace("status: resolved\n", "status: resolved\nstatus: open\n")),
        "duplicate-key",
        line_of(VALID, "^status:") + 1,
        "status",
        words=("`status`",),
    ),
    BadInput(
        "git-conflict-markers",
        put(
            VALID.replace(
                "severity: SEV2\n",
                "<<<<<<< HEAD\nseverity: SEV2\n=======\nseverity: SEV1\n>>>>>>> b\n",
            )
        ),
        "conflict-markers",
        line_of(VALID, "^severity:"),
        words=("conflict",),
    ),
    BadInput(
        "not-utf8",
        put(VALID.encode("utf-8").replace(b"Checkout errors", b"Caf\xe9 errors")),
        "encoding",
        line_of(VALID, "^title:"),
        words=("UTF-8",),
    ),
    BadInput(
        "python-object-tag",
        put(
            VALID.replace(
                "title: Checkout errors after a deploy",
                "title: !!python/object/apply:os.system ['touch pwned']",
            )
        ),
        "yaml-tag",
        line_of(VALID, "^title:"),
        "title",
        words=("not allowed",),
    ),
    BadInput(
        "alias-bomb",
        put(
            VALID.replace(
                "kind: incident\n", 'kind: incident\nl0: &l0 ["lol"]\n' + BOMB
            )
        ),
        "yaml-alias",
        line_of(VALID, "^kind:") + 1,
        "l0",
        words=("aliases",),
    ),
    BadInput("very-large-file", big_file, "file-too-large", None, words=("MB",)),
    BadInput("symlink-loop", symlink_loop, "unreadable", None, words=("loop",)),
    BadInput(
        "timestamp-without-offset",
        put(VALID.replace("'2026-11-03T14:00:00Z'", "2026-11-03T14:00:00")),
        "timestamp-format",
        line_of(VALID, "^started_at:"),
        "started_at",
        words=("offset",),
    ),
    BadInput(
        "clock-time-retyped",
        put(VALID.replace("'2026-11-03T14:05:00Z'", "12:30", 1)),
        "timestamp-format",
        line_of(VALID, "^detected_at:"),
        "detected_at",
        words=('"12:30"',),
    ),
    BadInput(
        "boolean-retyped",
        put(VALID.replace("customer_facing: true", "customer_facing: no")),
        "wrong-type",
        line_of(VALID, "customer_facing:"),
        "impact.customer_facing",
        words=("`no` is text",),
    ),
]


def check_bad_input(cli: Cli, root: Path, case: BadInput, output_format: str) -> None:
    before = snapshot(root)

    result = cli("validate", "--root", root, "--format", output_format)

    result.expect(1)
    if output_format == "json":
        problems = result.json()["problems"]
        found = [p for p in problems if p["rule"] == case.rule]
        assert len(found) == 1, result.describe()
        assert found[0]["path"] == case.path
        assert found[0]["line"] == case.line
        assert found[0]["field"] == case.field
        for words in case.words:
            assert words in found[0]["message"]
    else:
        assert case.path in result.stdout, result.describe()
        line = next(x for x in result.stdout.splitlines() if f"[{case.rule}]" in x)
        if case.line is not None:
            assert re.search(rf"(^|\D){case.line}(\D|$)", line), line
        if case.field:
            assert f" {case.field}: " in line
    assert snapshot(root) == before


@pytest.mark.parametrize("output_format", ["json", "text"])
@pytest.mark.parametrize("case", BAD_INPUTS, ids=lambda c: c.name)
def test_bad_input(case: BadInput, output_format: str, root: Path, cli: Cli) -> None:
    case.build(root)
    check_bad_input(cli, root, case, output_format)


@pytest.mark.parametrize("output_format", ["json", "text"])
def test_unreadable_file_through_the_cli(
    output_format: str, root: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading fails with EACCES (as chmod 000 does for users other than root)."""
    target = write_record(root, INCIDENT, make_incident())
    real_open = os.open

    def refuse(path: str, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(path).resolve() == target.resolve():
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    case = BadInput(
        "unreadable", lambda r: None, "unreadable", None, words=("permission",)
    )
    check_bad_input(cli, root, case, output_format)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_chmod_000(root: Path, cli: Cli) -> None:
    path = write_record(root, INCIDENT, make_incident())
    path.chmod(0)
    try:
        case = BadInput("chmod", lambda r: None, "unreadable", None)
        check_bad_input(cli, root, case, "json")
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize("line_ending", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_bom_and_crlf_are_accepted(
    bom: bytes, line_ending: str, root: Path, cli: Cli
) -> None:
    write_valid_repository(root)
    path = root / INCIDENT
    text = path.read_text(encoding="utf-8").replace("\n", line_ending)
    path.write_bytes(bom + text.encode("utf-8"))

    result = cli("validate", "--root", root, "--format", "json").expect(0)

    assert result.json() == {"valid": True, "checked": 3, "problems": []}


def test_lines_stay_right_with_crlf_and_a_bom(root: Path, cli: Cli) -> None:
    text = incident_text(severity="SEV9")
    path = root / INCIDENT
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))

    result = cli("validate", "--root", root, "--format", "json").expect(1)

    [problem] = result.json()["problems"]
    assert (problem["line"], problem["rule"]) == (
        line_of(text, "^severity:"),
        "unknown-severity",
    )


# --- pmctl.yaml -----------------------------------------------------------------------

BAD_CONFIGS = [
    # (name, text, line, words the message must hold)
    (
        "invalid-yaml",
        "timezone: UTC\nteams: [a\n",
        3,
        ["invalid YAML", "[yaml-syntax]"],
    ),
    ("duplicate-key", "teams: [a]\nteams: [b]\n", 2, ["`teams`", "[duplicate-key]"]),
    ("not-a-mapping", "- SEV1\n- SEV2\n", 1, ["expected a mapping"]),
    (
        "python-tag",
        "timezone: !!python/object/apply:os.system [id]\n",
        1,
        ["[yaml-tag]"],
    ),
    (
        "unknown-setting",
        "timezone: UTC\nseverity: {}\n",
        2,
        [
            "severity:",
            "unexpected field `severity`",
            "expected one of: timezone",
            "[unknown-setting]",
        ],
    ),
    (
        "unknown-field",
        "severities:\n  SEV1:\n    colour: red\n",
        3,
        ["severities.SEV1.colour:", "on_call", "[unknown-field]"],
    ),
    (
        "no-severities",
        "severities: {}\n",
        1,
        ["severities:", "at least 1", "[too-few-items]"],
    ),
    (
        "severity-name",
        "severities:\n  'SEV 1': {}\n",
        1,
        ["e.g. SEV1", "[invalid-format]"],
    ),
    (
        "wrong-type",
        "actions:\n  stale_after_days: '30'\n",
        2,
        ["actions.stale_after_days:", "whole number", "[wrong-type]"],
    ),
    (
        "out-of-range",
        "recurrence:\n  threshold: 1\n",
        2,
        ["recurrence.threshold:", "at least 2", "[out-of-range]"],
    ),
    (
        "duplicate-item",
        "contributing_factor_categories: [a, b, a]\n",
        1,
        ["no repeated items", "[duplicate-item]"],
    ),
    (
        "deployment-month",
        "deployments:\n  2026-13: 4\n",
        1,
        ['"YYYY-MM"', "[invalid-format]"],
    ),
    ("time-zone", "timezone: Mars/Olympus\n", 1, ["Mars/Olympus", "IANA"]),
    ("not-utf8", b"timezone: Caf\xe9\n", 1, ["UTF-8", "[encoding]"]),
]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [case[1:] for case in BAD_CONFIGS],
    ids=[case[0] for case in BAD_CONFIGS],
)
def test_invalid_pmctl_yaml_exits_2(
    text: str | bytes, line: int, words: list[str], tmp_path: Path, cli: Cli
) -> None:
    write_valid_repository(tmp_path)
    config = tmp_path / "pmctl.yaml"
    config.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    before = snapshot(tmp_path)

    result = cli("validate", "--root", tmp_path, "--format", "json").expect(2)

    assert result.stdout == ""
    assert f"pmctl.yaml:{line}:" in result.stderr
    for word in words:
        assert word in result.stderr
    assert snapshot(tmp_path) == before


def test_every_command_that_reads_config_refuses_an_invalid_one(
    tmp_path: Path, cli: Cli
) -> None:
    write_valid_repository(tmp_path)
    (tmp_path / "pmctl.yaml").write_text("bogus: 1\n", encoding="utf-8")

    result = cli(
        "new",
        "incident",
        "--root",
        tmp_path,
        "--title",
        "x",
        "--severity",
        "SEV1",
        "--commander",
        "Ada",
        "--team",
        "payments",
    )

    result.expect(2)
    assert "pmctl.yaml:1:" in result.stderr


# --- what is reported -----------------------------------------------------------------


def test_valid_repository_passes(root: Path, cli: Cli) -> None:
    write_valid_repository(root)

    result = cli("validate", "--root", root).expect(0)

    assert "3 records checked, no problems" in result.stdout
    assert result.stderr == ""


def test_default_reports_every_record(root: Path, cli: Cli) -> None:
    write_valid_repository(root)
    write_record(root, None, make_incident(id="INC-2026-0002", severity="SEV9"))
    write_record(
        root,
        "incidents/2025/INC-2025-0007-x.md",
        make_incident(id="INC-2025-0007", status="open"),
    )

    result = cli("validate", "--root", root, "--format", "json").expect(1)

    document = result.json()
    assert document["checked"] == 5
    assert {p["path"] for p in document["problems"]} == {
        "incidents/2026/INC-2026-0002-record.md",
        "incidents/2025/INC-2025-0007-x.md",
    }


def test_paths_restrict_reporting(root: Path, cli: Cli) -> None:
    write_valid_repository(root)
    write_record(root, None, make_incident(id="INC-2026-0002", severity="SEV9"))
    write_record(
        root,
        "incidents/2025/INC-2025-0007-x.md",
        make_incident(id="INC-2025-0007", status="open"),
    )

    result = cli(
        "validate", "--root", root, "--format", "json", root / "incidents/2025"
    ).expect(1)

    document = result.json()
    assert document["checked"] == 1
    assert [p["path"] for p in document["problems"]] == [
        "incidents/2025/INC-2025-0007-x.md"
    ]

    clean = cli("validate", "--root", root, "--format", "json", root / "exercises")
    assert clean.expect(0).json() == {"valid": True, "checked": 1, "problems": []}


def test_paths_relative_to_the_current_folder(root: Path, cli: Cli) -> None:
    write_valid_repository(root)
    write_record(root, None, make_incident(id="INC-2026-0002", severity="SEV9"))

    result = cli(
        "validate",
        "--format",
        "json",
        "incidents/2026/INC-2026-0002-record.md",
        cwd=root,
    ).expect(1)

    assert result.json()["checked"] == 1


def test_an_empty_folder_reports_nothing(root: Path, cli: Cli) -> None:
    write_valid_repository(root)
    write_record(root, None, make_incident(id="INC-2026-0002", severity="SEV9"))
    (root / "incidents/2027").mkdir()

    result = cli(
        "validate", "--root", root, "--format", "json", root / "incidents/2027"
    )

    assert result.expect(0).json() == {"valid": True, "checked": 0, "problems": []}


def test_cross_record_rules_see_every_record_when_paths_are_given(
    root: Path, cli: Cli
) -> None:
    write_valid_repository(root)
    clash = write_record(
        root, "incidents/2026/INC-2026-0001-clash.md", make_incident(title="Clash")
    )
    pm = write_record(
        root, "postmortems/2026/PM-2026-0002-x.md", make_postmortem(id="PM-2026-0002")
    )

    result = cli("validate", "--root", root, "--format", "json", clash, pm).expect(1)

    document = result.json()
    assert document["checked"] == 2
    [problem] = document["problems"]
    assert problem["path"] == "incidents/2026/INC-2026-0001-clash.md"
    assert problem["rule"] == "duplicate-id"
    assert "incidents/2026/INC-2026-0001-record.md" in problem["message"]
    assert "INC-2026-0002" in problem["message"]


def test_unknown_path_is_a_usage_error(root: Path, cli: Cli) -> None:
    result = cli("validate", "--root", root, root / "incidents/nope.md").expect(2)

    assert "does not exist" in result.stderr


def test_a_named_file_that_is_not_a_record_is_reported(root: Path, cli: Cli) -> None:
    (root / "notes.md").write_text("# Call notes\n", encoding="utf-8")

    result = cli("validate", "--root", root, "--format", "json", root / "notes.md")

    [problem] = result.expect(1).json()["problems"]
    assert (problem["path"], problem["rule"]) == ("notes.md", "no-front-matter")


def test_strict_turns_warnings_into_failure(root: Path, cli: Cli) -> None:
    write_valid_repository(root)
    (root / "incidents/2026/INC-2026-0001-record.md").rename(
        root / "incidents/2026/checkout.md"
    )

    relaxed = cli("validate", "--root", root, "--format", "json").expect(0)
    strict = cli("validate", "--root", root, "--format", "json", "--strict").expect(1)

    assert relaxed.json()["valid"] is True
    assert strict.json()["valid"] is False
    assert [p["rule"] for p in strict.json()["problems"]] == ["filename-mismatch"]
    assert strict.json()["problems"][0]["severity"] == "warning"


def test_warnings_are_shown_in_text_without_failing(root: Path, cli: Cli) -> None:
    write_valid_repository(root)
    (root / "incidents/2026/INC-2026-0001-record.md").rename(
        root / "incidents/2026/checkout.md"
    )

    result = cli("validate", "--root", root).expect(0)

    assert "warning" in result.stdout
    assert "[filename-mismatch]" in result.stdout


# --- JSON shape and lines -------------------------------------------------------------


def test_json_shape_is_the_contract(root: Path, cli: Cli) -> None:
    write_valid_repository(root)
    write_record(root, None, make_incident(id="INC-2026-0002", severity="SEV9"))

    result = cli("validate", "--root", root, "--format", "json").expect(1)

    document = result.json()
    assert list(document) == ["valid", "checked", "problems"]
    assert document["valid"] is False
    assert document["checked"] == 4
    [problem] = document["problems"]
    assert set(problem) == PROBLEM_KEYS
    assert problem == {
        "path": "incidents/2026/INC-2026-0002-record.md",
        "line": 5,
        "field": "severity",
        "rule": "unknown-severity",
        "severity": "error",
        "message": problem["message"],
    }
    assert "SEV1, SEV2, SEV3, SEV4" in problem["message"]


def test_json_never_wraps_long_messages(root: Path, cli: Cli) -> None:
    long_title = "word " * 200
    write_record(root, None, make_incident(severity=long_title))

    result = cli(
        "validate", "--root", root, "--format", "json", env={"COLUMNS": "20"}
    ).expect(1)

    assert len(result.stdout.splitlines()) == 1


def test_exact_lines_of_nested_and_missing_fields(root: Path, cli: Cli) -> None:
    write_record(root, None, make_incident())
    data = make_postmortem()
    data["actions"][1]["owner"] = ["Ada Lovelace", "Grace Hopper"]
    del data["actions"][0]["acceptance"]
    del data["authors"]
    # Written by hand, so the expected lines can be read off below.
    text = (
        "id: PM-2026-0001\n"  # 2
        "kind: postmortem\n"  # 3
        "title: Checkout errors after a deploy\n"  # 4
        "incidents: [INC-2026-0001]\n"  # 5
        "status: published\n"  # 6
        "reviewed_on: '2026-11-10'\n"  # 7
        "impact: One in five checkout attempts failed.\n"  # 8
        "timeline:\n"  # 9
        "  - {at: '2026-11-03T14:00:00Z', kind: note, text: Deploy.}\n"  # 10
        "  - {at: '2026-11-03T14:05:00Z', kind: detection, text: Alert.}\n"  # 11
        "  - {at: '2026-11-03T14:20:00Z', kind: decision, text: Roll back.}\n"  # 12
        "contributing_factors:\n"  # 13
        "  - category: change-management\n"  # 14
        "    description: Deployed everywhere at once.\n"  # 15
        "  - category: testing-gap\n"  # 16
        "    description: No test of the new path.\n"  # 17
        "actions:\n"  # 18
        "  - id: A1\n"  # 19
        "    title: Deploy one region at a time\n"  # 20
        "    owner: Ada Lovelace\n"  # 21
        "    team: payments\n"  # 22
        "    due: '2026-12-15'\n"  # 23
        "    status: done\n"  # 24
        "    systemic: true\n"  # 25
        "    closed_on: '2026-12-01'\n"  # 26
        "  - id: A2\n"  # 27
        "    title: Test the new payment path\n"  # 28
        "    owner:\n"  # 29
        "      - Ada Lovelace\n"  # 30
        "      - Grace Hopper\n"  # 31
        "    team: payments\n"  # 32
        "    due: '2026-12-31'\n"  # 33
        "    status: open\n"  # 34
        "    systemic: false\n"  # 35
        "    acceptance: CI runs a checkout test.\n"  # 36
    )
    write_record(root, "postmortems/2026/PM-2026-0001-x.md", text)

    result = cli("validate", "--root", root, "--format", "json").expect(1)

    found = {(p["field"], p["rule"]): p["line"] for p in result.json()["problems"]}
    assert found == {
        ("authors", "missing-field"): 1,
        ("actions[0].acceptance", "action-item-fields"): 19,
        ("actions[1].owner", "single-owner"): 29,
    }


def test_problems_are_sorted_by_path_then_line(root: Path, cli: Cli) -> None:
    write_record(
        root, None, make_incident(id="INC-2026-0002", severity="SEV9", status="x")
    )
    write_record(root, None, make_incident(severity="SEV9", title=" "))

    result = cli("validate", "--root", root, "--format", "json").expect(1)

    keys = [(p["path"], p["line"]) for p in result.json()["problems"]]
    assert keys == sorted(keys)
    assert len(keys) == 4


# --- text output ----------------------------------------------------------------------


def test_text_groups_problems_by_file(root: Path, cli: Cli) -> None:
    write_record(root, None, make_incident(severity="SEV9", title=" "))

    result = cli("validate", "--root", root).expect(1)

    lines = result.stdout.splitlines()
    assert lines[0] == INCIDENT
    assert "[empty-value]" in lines[1] and " title: " in lines[1]
    assert "[unknown-severity]" in lines[2] and " severity: " in lines[2]
    assert "2 errors" in result.stdout


@pytest.mark.parametrize(
    "markup", ["[bold red]x[/]", "[link=https://evil.example]click[/link]", "[/]"]
)
def test_record_text_is_never_read_as_markup(markup: str, root: Path, cli: Cli) -> None:
    data = make_incident(title=markup, severity=markup, status=markup)
    write_record(root, "incidents/2026/INC-2026-0001-[bold]x[/bold].md", data)

    result = cli("validate", "--root", root).expect(1)

    assert result.stdout.count(markup) >= 2, result.describe()
    assert "incidents/2026/INC-2026-0001-[bold]x[/bold].md" in result.stdout
    assert "\x1b" not in result.stdout


# --- exit codes and roots -------------------------------------------------------------


def test_unknown_format_is_a_usage_error(root: Path, cli: Cli) -> None:
    result = cli("validate", "--root", root, "--format", "xml").expect(2)

    assert "xml" in result.stderr


def test_root_that_is_a_file_is_a_usage_error(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "file.md").write_text("x", encoding="utf-8")

    result = cli("validate", "--root", tmp_path / "file.md").expect(2)

    assert "file.md" in result.stderr


def test_root_that_does_not_exist_is_a_usage_error(tmp_path: Path, cli: Cli) -> None:
    result = cli("validate", "--root", tmp_path / "missing").expect(2)

    assert "missing" in result.stderr
    assert "folder" in result.stderr


def test_root_found_from_a_subfolder_through_pmctl_yaml(root: Path, cli: Cli) -> None:
    write_valid_repository(root)
    write_record(root, None, make_incident(id="INC-2026-0002", severity="SEV9"))

    result = cli("validate", "--format", "json", cwd=root / "incidents/2026")

    document = result.expect(1).json()
    assert document["checked"] == 4
    assert document["problems"][0]["path"] == "incidents/2026/INC-2026-0002-record.md"


def test_root_found_from_a_subfolder_through_git(git_repo: GitRepo, cli: Cli) -> None:
    write_valid_repository(git_repo.path)
    (git_repo.path / "pmctl.yaml").unlink()
    (git_repo.path / "docs/deep").mkdir(parents=True)

    result = cli("validate", "--format", "json", cwd=git_repo.path / "docs/deep")

    assert result.expect(0).json()["checked"] == 3


def test_nearest_pmctl_yaml_wins_over_the_git_top_level(
    git_repo: GitRepo, cli: Cli
) -> None:
    write_valid_repository(git_repo.path / "records")
    write_record(git_repo.path, None, make_incident(severity="SEV9"))

    result = cli(
        "validate", "--format", "json", cwd=git_repo.path / "records/incidents"
    )

    assert result.expect(0).json()["checked"] == 3


def test_no_root_found_is_a_usage_error(tmp_path: Path, cli: Cli) -> None:
    # tmp_path is outside any git repository and holds no pmctl.yaml.
    result = cli("validate", cwd=tmp_path).expect(2)

    assert "pmctl init" in result.stderr
    assert "--root" in result.stderr


def test_paths_through_a_symlink_to_the_repository(
    root: Path, tmp_path: Path, cli: Cli
) -> None:
    write_valid_repository(root)
    write_record(root, None, make_incident(id="INC-2026-0002", severity="SEV9"))
    link = tmp_path / "link"
    link.symlink_to(root)

    by_file = cli(
        "validate", "--root", link, "--format", "json",
        link / "incidents/2026/INC-2026-0002-record.md",
    )  # fmt: skip
    by_folder = cli("validate", "--root", link, "--format", "json", link / "incidents")
    whole = cli("validate", "--format", "json", link, cwd=link)

    assert by_file.expect(1).json()["checked"] == 1
    assert by_folder.expect(1).json()["checked"] == 2
    assert whole.expect(1).json()["checked"] == 4


def test_path_argument_finds_the_repository_it_lies_in(
    tmp_path: Path, cli: Cli
) -> None:
    """With no pmctl.yaml above the current folder, the named path's one counts."""
    outer = tmp_path / "project"
    (outer / ".git").mkdir(parents=True)
    shutil.copytree(PROJECT / "examples", outer / "examples")

    result = cli("validate", "examples", "--format", "json", cwd=outer)

    result.expect(0)
    assert json.loads(result.stdout)["checked"] >= 20
