"""Rules across records: unique ids and incidents that postmortems refer to."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core_support import (
    Cli,
    dump_front_matter,
    make_exercise,
    make_incident,
    make_postmortem,
    record_path,
    write_record,
    write_valid_repository,
)
from pmctl.checks.cross import check_references, check_unique_ids
from pmctl.ids import next_free_id
from pmctl.records.loader import parse_record
from pmctl.records.model import Summary


def records(*items: tuple[dict[str, Any], str]) -> list[Summary]:
    return [
        Summary.of(parse_record(path, f"---\n{dump_front_matter(data)}---\n"))
        for data, path in items
    ]


def test_next_free_id_is_one_more_than_the_highest() -> None:
    taken = ["INC-2026-0001", "INC-2026-0009", "INC-2025-0040", "PM-2026-0050"]

    assert next_free_id("INC", 2026, taken) == "INC-2026-0010"
    assert next_free_id("INC", 2025, taken) == "INC-2025-0041"
    assert next_free_id("EX", 2026, taken) == "EX-2026-0001"
    assert next_free_id("INC", 2026, ["INC-2026-9999"]) == "INC-2026-10000"
    assert next_free_id("INC", 2026, ["junk", "INC-26-1"]) == "INC-2026-0001"


def test_each_holder_of_a_duplicate_id_names_the_others() -> None:
    found = list(
        check_unique_ids(
            records(
                (make_incident(), "incidents/a/INC-2026-0001-a.md"),
                (make_incident(), "incidents/b/INC-2026-0001-b.md"),
                (make_incident(), "incidents/c/INC-2026-0001-c.md"),
                (make_incident(id="INC-2026-0007"), "incidents/INC-2026-0007-d.md"),
            )
        )
    )

    assert [p.path for p in found] == [
        "incidents/a/INC-2026-0001-a.md",
        "incidents/b/INC-2026-0001-b.md",
        "incidents/c/INC-2026-0001-c.md",
    ]
    first = found[0].message
    assert "incidents/b/INC-2026-0001-b.md, incidents/c/INC-2026-0001-c.md" in first
    assert "the next free id is INC-2026-0008" in first
    assert all((p.rule, p.field, p.line) == ("duplicate-id", "id", 2) for p in found)


def test_the_same_number_in_another_kind_is_not_a_duplicate() -> None:
    found = check_unique_ids(
        records(
            (make_incident(), "incidents/INC-2026-0001-a.md"),
            (make_postmortem(), "postmortems/PM-2026-0001-a.md"),
            (make_exercise(), "exercises/EX-2026-0001-a.md"),
        )
    )

    assert list(found) == []


def test_a_malformed_duplicate_id_is_still_reported() -> None:
    found = list(
        check_unique_ids(
            records(
                (make_incident(id="outage"), "incidents/a.md"),
                (make_incident(id="outage"), "incidents/b.md"),
            )
        )
    )

    assert len(found) == 2
    assert "next free id" not in found[0].message


def test_references_to_existing_incidents_pass() -> None:
    found = check_references(
        records(
            (make_incident(), "incidents/INC-2026-0001-a.md"),
            (make_incident(id="INC-2026-0002"), "incidents/INC-2026-0002-a.md"),
            (
                make_postmortem(incidents=["INC-2026-0001", "INC-2026-0002"]),
                "postmortems/PM-2026-0001-a.md",
            ),
        )
    )

    assert list(found) == []


def test_reference_to_a_missing_incident() -> None:
    [problem] = check_references(
        records(
            (make_incident(), "incidents/INC-2026-0001-a.md"),
            (
                make_postmortem(incidents=["INC-2026-0001", "INC-2026-0404"]),
                "postmortems/PM-2026-0001-a.md",
            ),
        )
    )

    assert (problem.field, problem.rule, problem.line) == (
        "incidents[1]",
        "unknown-incident",
        7,
    )
    assert "`INC-2026-0404`" in problem.message


@pytest.mark.parametrize("reference", ["PM-2026-0001", "INC-26-1", 42, None])
def test_malformed_references_are_left_to_the_schema(reference: object) -> None:
    found = check_references(
        records((make_postmortem(incidents=[reference]), "postmortems/PM-2026-0001.md"))
    )

    assert list(found) == []


def test_only_incident_records_count_as_incidents() -> None:
    # A record of another kind carrying an incident's id does not satisfy it.
    [problem] = check_references(
        records(
            (make_exercise(id="INC-2026-0002"), "exercises/EX-2026-0001.md"),
            (
                make_postmortem(incidents=["INC-2026-0002"]),
                "postmortems/PM-2026-0001.md",
            ),
        )
    )

    assert problem.rule == "unknown-incident"


def test_only_postmortems_refer_to_incidents() -> None:
    data = make_exercise()
    data["incidents"] = ["INC-2026-0404"]

    assert list(check_references(records((data, "exercises/EX-2026-0001.md")))) == []


# --- through the CLI: rules see the whole repository ----------------------------


def test_postmortem_validated_alone_still_sees_its_incident(
    root: Path, cli: Cli
) -> None:
    paths = write_valid_repository(root)

    result = cli(
        "validate", "--root", root, "--format", "json", paths["postmortem"]
    ).expect(0)

    assert result.json() == {"valid": True, "checked": 1, "problems": []}


def test_duplicate_reported_only_on_the_named_record(root: Path, cli: Cli) -> None:
    write_valid_repository(root)
    other = write_record(
        root, "incidents/2026/INC-2026-0001-other.md", make_incident(title="Other")
    )

    result = cli("validate", "--root", root, "--format", "json", other).expect(1)

    [problem] = result.json()["problems"]
    assert problem["path"] == "incidents/2026/INC-2026-0001-other.md"
    assert record_path(make_incident()) in problem["message"]


def test_duplicate_id_across_kinds_of_folder(root: Path, cli: Cli) -> None:
    write_valid_repository(root)
    write_record(root, "notes/INC-2026-0001-copy.md", make_incident())

    result = cli("validate", "--root", root, "--format", "json").expect(1)

    paths = sorted(p["path"] for p in result.json()["problems"])
    assert paths == [
        "incidents/2026/INC-2026-0001-record.md",
        "notes/INC-2026-0001-copy.md",
    ]


def test_only_the_records_reported_on_are_read_again_for_lines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    summaries = records(
        (make_incident(), "incidents/a/INC-2026-0001-a.md"),
        (make_incident(), "incidents/b/INC-2026-0001-b.md"),
        (make_postmortem(incidents=["INC-2026-0404"]), "postmortems/PM-2026-0001.md"),
        (
            make_postmortem(id="PM-2026-0002", incidents=["INC-2026-0404"]),
            "postmortems/PM-2026-0002.md",
        ),
    )
    located: list[str] = []
    monkeypatch.setattr(
        Summary, "line_of", lambda self, field: located.append(self.path) or 1
    )
    only = {"incidents/b/INC-2026-0001-b.md", "postmortems/PM-2026-0002.md"}

    found = [*check_unique_ids(summaries, only), *check_references(summaries, only)]

    assert [(p.path, p.rule) for p in found] == [
        ("incidents/b/INC-2026-0001-b.md", "duplicate-id"),
        ("postmortems/PM-2026-0002.md", "unknown-incident"),
    ]
    assert sorted(located) == sorted(only)
    assert "incidents/a/INC-2026-0001-a.md" in found[0].message
