"""The date rules share one reading of each timestamp text: every field is still
judged on its own, and records that repeat a text are judged alike."""

from __future__ import annotations

from typing import Any

import pytest

from core_support import (
    PROJECT,
    dump_front_matter,
    make_incident,
    make_postmortem,
    record_path,
)
from pmctl.checks.rules import (
    check_dates,
    check_incident_order,
    check_timeline_order,
    check_times,
)
from pmctl.config import Config
from pmctl.records.loader import parse_record
from pmctl.records.model import Record

CONFIG = Config(root=PROJECT)


def record(data: dict[str, Any]) -> Record:
    return parse_record(record_path(data), f"---\n{dump_front_matter(data)}---\n")


def found(data: dict[str, Any]) -> list[tuple[str | None, str]]:
    made = record(data)
    checks = (check_dates, check_incident_order, check_timeline_order)
    return [(p.field, p.rule) for check in checks for p in check(made, CONFIG)]


def test_an_impossible_text_is_reported_in_every_field_that_holds_it() -> None:
    impossible = "2026-11-31T14:05:00Z"
    data = make_incident(detected_at=impossible)
    data["timeline"][0]["at"] = impossible

    assert found(data) == [
        ("detected_at", "invalid-timestamp"),
        ("timeline[0].at", "invalid-timestamp"),
    ]


def test_records_repeating_a_text_are_judged_alike() -> None:
    late = "2026-11-03T13:00:00Z"

    first = found(make_incident(detected_at=late))
    second = found(make_incident(detected_at=late))

    assert first == second == [("detected_at", "timestamp-order")]


def order_messages(data: dict[str, Any]) -> list[str]:
    return [p.message for p in check_incident_order(record(data), CONFIG)]


def test_mitigation_before_the_start_is_reported_once() -> None:
    early = "2026-11-03T13:00:00Z"

    # Before detection too: reported against detected_at only.
    [message] = order_messages(make_incident(mitigated_at=early))
    assert "before `detected_at`" in message

    # Before the start, detection unknown: reported against started_at.
    [message] = order_messages(make_incident(mitigated_at=early, detected_at="soon"))
    assert "before `started_at`" in message


def test_timeline_order_names_both_entries() -> None:
    data = make_incident()
    data["timeline"][2]["at"] = "2026-11-03T14:10:00+00:00"

    [problem] = check_timeline_order(record(data), CONFIG)

    assert problem.field == "timeline[2].at"
    assert problem.message.startswith(
        "timeline entry at 2026-11-03T14:10:00+00:00 comes after one at "
        "2026-11-03T14:20:00Z;"
    )


def test_equal_moments_in_different_offsets_are_in_order() -> None:
    data = make_incident()
    data["timeline"][1]["at"] = "2026-11-03T15:40:00+01:00"
    data["timeline"][2]["at"] = "2026-11-03T14:40:00Z"

    assert found(data) == []


def test_dates_that_are_not_text_are_left_to_the_schema() -> None:
    data = make_incident(started_at=["2026-11-03T14:00:00Z"])
    data["timeline"][0]["at"] = 20261103

    assert found(data) == []


def many_problems() -> list[dict[str, Any]]:
    incident = make_incident(
        detected_at="2026-11-31T14:05:00Z", mitigated_at="2026-11-03T13:00:00Z"
    )
    incident["timeline"][0]["at"] = "2026-13-03T14:10:00Z"
    incident["timeline"][2]["at"] = "2026-11-03T14:10:00+00:00"
    incident["timeline"][3]["at"] = "2026-11-03"
    incident["timeline"].append({"at": "2026-11-03T00:00:00Z", "kind": "note"})
    postmortem = make_postmortem(reviewed_on="2026-02-30")
    postmortem["actions"][0]["due"] = "2026-04-31"
    postmortem["actions"][0]["closed_on"] = "2026-11-31T10:00:00Z"
    postmortem["timeline"][1]["at"] = "2026-11-03T13:00:00+05:00"
    return [incident, postmortem, make_incident(), make_postmortem()]


EXPECTED = [
    [
        ("detected_at", "invalid-timestamp"),
        ("timeline[0].at", "invalid-timestamp"),
        ("mitigated_at", "timestamp-order"),
        ("timeline[2].at", "timeline-order"),
        ("timeline[4].at", "timeline-order"),
    ],
    [
        ("reviewed_on", "invalid-date"),
        ("actions[0].due", "invalid-date"),
        ("actions[0].closed_on", "invalid-timestamp"),
        ("timeline[1].at", "timeline-order"),
    ],
    [],
    [],
]


@pytest.mark.parametrize(
    ("data", "expected"),
    list(zip(many_problems(), EXPECTED, strict=True)),
    ids=["inc", "pm", "ok", "ok-pm"],
)
def test_one_pass_finds_what_the_three_rules_find_in_their_order(
    data: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    made = record(data)
    checks = (check_dates, check_incident_order, check_timeline_order)
    apart = [p for check in checks for p in check(made, CONFIG)]

    together = list(check_times(record(data), CONFIG))

    # Pinned as well: the three rules share their helpers with the one pass.
    assert [(p.field, p.rule) for p in together] == expected
    assert together == apart
