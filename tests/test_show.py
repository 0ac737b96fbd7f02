"""`pmctl show`: every record kind of examples/, as text and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core_support import EXAMPLES, Cli, make_incident, make_postmortem, write_record
from pmctl.records.loader import load_record
from pmctl.records.model import Record

EXAMPLE_RECORDS = sorted(
    path.relative_to(EXAMPLES).as_posix()
    for folder in ("incidents", "postmortems", "exercises")
    for path in (EXAMPLES / folder).rglob("*.md")
)


def example(path: str) -> Record:
    record = load_record(EXAMPLES, path)
    assert isinstance(record, Record)
    return record


@pytest.mark.parametrize("path", EXAMPLE_RECORDS)
def test_show_every_example_record(cli: Cli, path: str) -> None:
    record = example(path)

    result = cli("show", record.id or "", "--root", EXAMPLES)

    result.expect(0)
    out = result.stdout
    assert f"╭─ {record.id} ─" in out
    assert str(record.data["title"])[:40] in out
    assert f"{record.kind} · {path}" in out
    assert "✓ validate finds no problems in this record" in out
    expected = {
        "incident": ("Severity", "Commander", "Detected after", "Timeline"),
        "postmortem": ("Incidents", "Contributing factors", "Action items"),
        "exercise": ("Held on", "Participants", "Action items"),
    }[str(record.kind)]
    for heading in expected:
        assert heading in out


@pytest.mark.parametrize("path", EXAMPLE_RECORDS)
def test_show_json_is_the_parsed_record(cli: Cli, path: str) -> None:
    record = example(path)

    document = cli("show", record.id or "", "--root", EXAMPLES, "-f", "json").json()

    assert document == {
        "path": path,
        "kind": record.kind,
        "id": record.id,
        "data": record.data,
        "body": record.body,
        "problems": [],
    }


def test_incident_durations_and_time_since_impact(cli: Cli) -> None:
    result = cli("show", "INC-2026-0003", "--root", EXAMPLES)

    result.expect(0)
    assert (
        "Detected after 0s, first update 7m after detection, mitigated after 38m, "
        "resolved after 2h 16m."
    ) in result.stdout
    assert "│ +24m " in result.stdout
    assert "│ +2h 16m " in result.stdout


def test_postmortem_timeline_is_timed_from_its_incident(cli: Cli) -> None:
    result = cli("show", "PM-2026-0003", "--root", EXAMPLES)

    result.expect(0)
    # The change was applied six minutes before customers were hurt.
    assert "│ -6m " in result.stdout
    assert "SEV1" in result.stdout
    assert "in-progress" in result.stdout


def test_show_lists_the_problems_validate_finds(cli: Cli, root: Path) -> None:
    write_record(root, None, make_incident())
    data = make_postmortem(status="in-review")
    del data["actions"][1]["acceptance"]
    write_record(root, None, data, "\nWe should have tested it.\n")

    result = cli("show", "PM-2026-0001", "--root", root)

    result.expect(0)
    assert "Problems" in result.stdout
    assert "action-item-fields" in result.stdout
    assert "counterfactual" in result.stdout
    problems = cli("show", "PM-2026-0001", "--root", root, "-f", "json").json()[
        "problems"
    ]
    assert {p["rule"] for p in problems} == {"action-item-fields", "counterfactual"}


def test_record_text_is_never_markup(cli: Cli, root: Path) -> None:
    write_record(root, None, make_incident(title="[bold red]Boom[/] [link=x]y[/link]"))

    result = cli("show", "INC-2026-0001", "--root", root)

    result.expect(0)
    assert "[bold red]Boom[/] [link=x]y[/link]" in result.stdout


def test_record_text_cannot_send_terminal_escapes(cli: Cli, root: Path) -> None:
    title = "Boom\x1b[2J\x1b]0;pwned\x07 \x9b31m end"
    write_record(root, None, make_incident(title=title, commander="Ada\x1b[8m"))

    result = cli("show", "INC-2026-0001", "--root", root)

    result.expect(0)
    assert not any(c in result.stdout for c in "\x1b\x07\x9b"), repr(result.stdout)
    assert "Boom[2J]0;pwned 31m end" in result.stdout


@pytest.mark.parametrize(
    ("record_id", "message"),
    [
        ("INC-2026-0099", "no record has the id `INC-2026-0099`"),
        ("INC-2026-0010", "did you mean INC-2026-0001?"),
        ("incident-1", "`incident-1` is not a record id"),
    ],
)
def test_unknown_ids(cli: Cli, root: Path, record_id: str, message: str) -> None:
    write_record(root, None, make_incident())

    result = cli("show", record_id, "--root", root)

    result.expect(1)
    assert message in result.stderr
    assert result.stdout == ""


def test_record_that_fails_to_load_is_explained(cli: Cli, root: Path) -> None:
    path = root / "incidents/2026/INC-2026-0004-broken.md"
    path.parent.mkdir(parents=True)
    path.write_text("---\nid: INC-2026-0004\nkind: [\n---\n", encoding="utf-8")

    result = cli("show", "INC-2026-0004", "--root", root)

    result.expect(1)
    assert "incidents/2026/INC-2026-0004-broken.md:" in result.stderr
    assert "the record cannot be read" in result.stderr


@pytest.mark.parametrize(
    ("today", "overdue"), [("2026-10-15", False), ("2026-10-16", True)]
)
def test_open_actions_past_due_are_marked_overdue(
    cli: Cli, today: str, overdue: bool
) -> None:
    result = cli("show", "EX-2026-0001", "--root", EXAMPLES, "--today", today)

    result.expect(0)
    assert ("open overdue" in result.stdout) == overdue


def test_show_json_is_strict_json_when_a_record_holds_nan(cli: Cli, root: Path) -> None:
    write_record(root, None, make_incident(customers_affected=".nan"))
    path = next((root / "incidents").rglob("*.md"))
    path.write_text(
        path.read_text(encoding="utf-8").replace("'.nan'", ".nan"), encoding="utf-8"
    )

    result = cli("show", "INC-2026-0001", "--root", root, "-f", "json")

    def refuse(constant: str) -> None:
        raise AssertionError(f"not JSON: {constant}")

    document = json.loads(result.stdout, parse_constant=refuse)
    assert document["data"]["customers_affected"] is None
