"""Schema and single-record rules, checked on records built in memory.

Every rule also has a failing record in tests/cases/ run through the CLI; these
tests cover the conditions around them: what passes, what is reported once.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from core_support import (
    PROJECT,
    dump_front_matter,
    make_exercise,
    make_incident,
    make_postmortem,
    record_path,
)
from pmctl.checks.rules import RECORD_CHECKS
from pmctl.checks.schema import SCHEMA_NAMES, check_schema, iter_rules, load_schema
from pmctl.checks.validate import check_record
from pmctl.config import Config, SeverityPolicy
from pmctl.problems import Problem
from pmctl.records.loader import parse_record
from pmctl.records.model import KINDS, Record

CONFIG = Config(root=PROJECT)


def record(data: dict[str, Any], path: str | None = None) -> Record:
    if path is None:
        known = data.get("kind") in KINDS
        path = record_path(data) if known else "incidents/2026/INC-2026-0001-x.md"
    return parse_record(path, f"---\n{dump_front_matter(data)}---\n")


def found(data: dict[str, Any], config: Config = CONFIG) -> list[tuple[str, str]]:
    return sorted((p.field or "", p.rule) for p in check_record(record(data), config))


# --- the schemas themselves -----------------------------------------------------------


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    schema = load_schema(name)

    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert (PROJECT / "schemas" / f"{name}.schema.json").is_file()


def test_schema_ids_are_unique() -> None:
    ids = [load_schema(name)["$id"] for name in SCHEMA_NAMES]

    assert len(set(ids)) == len(ids)


def test_rule_names_are_stable_kebab_case() -> None:
    rules = list(iter_rules())

    assert len(rules) == len(set(rules))
    for rule in rules:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule), rule
    assert {"missing-field", "wrong-type", "timestamp-format"} <= set(rules)


def test_schema_files_are_plain_json() -> None:
    for path in (PROJECT / "schemas").glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))


# --- valid records --------------------------------------------------------------------


@pytest.mark.parametrize("make", [make_incident, make_postmortem, make_exercise])
def test_valid_records_have_no_problems(make: Any) -> None:
    assert found(make()) == []


def test_an_investigating_incident_needs_little() -> None:
    data = make_incident(status="investigating")
    for name in (
        "communicated_at", "mitigated_at", "resolved_at", "mitigation",
        "change_induced", "timeline", "links", "comms_lead", "services",
    ):  # fmt: skip
        del data[name]

    assert found(data) == []


def test_zero_durations_are_fine() -> None:
    same = "2026-11-03T14:00:00Z"
    data = make_incident(
        started_at=same, detected_at=same, communicated_at=same, mitigated_at=same,
        resolved_at=same,
    )  # fmt: skip
    for entry in data["timeline"]:
        entry["at"] = same

    assert found(data) == []


def test_offsets_and_fractions_are_accepted() -> None:
    data = make_incident(
        started_at="2026-11-03T15:00:00+01:00",
        detected_at="2026-11-03T09:05:00.250-05:00",
    )

    assert found(data) == []


def test_a_draft_postmortem_needs_no_review_date() -> None:
    data = make_postmortem(status="draft")
    del data["reviewed_on"]

    assert found(data) == []


def test_exercise_actions_may_be_empty() -> None:
    assert found(make_exercise(actions=[])) == []


def test_leap_day_exists_in_leap_years_only() -> None:
    data = make_postmortem()
    data["actions"][1]["due"] = "2028-02-29"
    assert found(data) == []

    data["actions"][1]["due"] = "2027-02-29"
    assert found(data) == [("actions[1].due", "invalid-date")]


# --- status-dependent requirements ----------------------------------------------------


def test_mitigated_incident_requirements() -> None:
    data = make_incident(status="mitigated")
    for name in ("communicated_at", "mitigated_at", "mitigation", "resolved_at"):
        del data[name]

    assert found(data) == [
        ("communicated_at", "required-when-mitigated"),
        ("mitigated_at", "required-when-mitigated"),
        ("mitigation", "required-when-mitigated"),
    ]


def test_resolved_incident_requirements() -> None:
    data = make_incident()
    for name in ("resolved_at", "change_induced", "timeline", "links"):
        del data[name]

    assert found(data) == [
        ("change_induced", "required-when-resolved"),
        ("links", "required-when-resolved"),
        ("resolved_at", "required-when-resolved"),
        ("timeline", "required-when-resolved"),
    ]


def test_decision_and_evidence_are_only_required_once_resolved() -> None:
    data = make_incident(status="mitigated", links=[])
    del data["resolved_at"]
    data["timeline"][1]["kind"] = "note"

    assert found(data) == []


def test_wont_do_action_needs_closed_on() -> None:
    data = make_postmortem()
    data["actions"][1]["status"] = "wont-do"

    assert found(data) == [("actions[1].closed_on", "closed-on-required")]


def test_in_progress_action_with_closed_on_is_a_warning() -> None:
    data = make_postmortem()
    data["actions"][1].update(status="in-progress", closed_on="2026-12-01")

    [problem] = check_record(record(data), CONFIG)

    assert (problem.rule, problem.severity) == ("closed-on-while-open", "warning")


# --- reported once, with a message that says what is expected -------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"severity": ""}, [("severity", "empty-value")]),
        ({"severity": 2}, [("severity", "wrong-type")]),
        ({"teams": ["payments", " "]}, [("teams[1]", "empty-value")]),
        ({"started_at": "2026-11-03"}, [("started_at", "timestamp-format")]),
        ({"kind": None}, [("kind", "unknown-kind")]),
    ],
)
def test_a_fault_is_reported_once(
    changes: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    config = Config(root=PROJECT, teams=("payments",))

    assert found(make_incident(**changes), config) == expected


def test_blank_scenario_and_category_are_reported_once() -> None:
    data = make_postmortem()
    data["contributing_factors"][0]["category"] = ""

    assert found(data) == [("contributing_factors[0].category", "empty-value")]
    assert found(make_exercise(scenario="")) == [("scenario", "empty-value")]


def test_messages_say_what_is_expected() -> None:
    data = make_incident(
        severity="SEV9", status="closed", teams="payments", users=None,
        started_at="yesterday",
    )  # fmt: skip
    del data["commander"]

    problems = check_record(record(data), CONFIG)

    assert len(problems) == 5
    for problem in problems:
        assert re.match(
            r"(expected|missing required field|severity `SEV9` is not configured)",
            problem.message,
        ), problem.message
        assert "\n" not in problem.message


def test_long_values_are_shortened_in_messages() -> None:
    [problem] = check_record(record(make_incident(status="x" * 500)), CONFIG)

    assert len(problem.message) < 200
    assert "..." in problem.message


def test_unknown_kind_skips_the_schema_but_not_the_rest() -> None:
    data = make_incident(kind="outage", severity="SEV9")

    assert found(data) == [("kind", "unknown-kind"), ("severity", "unknown-severity")]


# --- configured rules -----------------------------------------------------------------


def test_severities_come_from_the_configuration() -> None:
    config = Config(root=PROJECT, severities={"P1": SeverityPolicy("P1")})

    assert found(make_incident(severity="P1"), config) == []
    assert found(make_incident(severity="SEV1"), config) == [
        ("severity", "unknown-severity")
    ]


def test_no_team_allow_list_accepts_any_team() -> None:
    assert found(make_incident(teams=["anyone"])) == []


def test_exercise_teams_are_checked_against_the_allow_list() -> None:
    config = Config(root=PROJECT, teams=("payments",))

    assert found(make_exercise(), config) == [("actions[0].team", "unknown-team")]


# --- timestamps and their order -------------------------------------------------------


def incident_problems(**changes: Any) -> list[Problem]:
    return [
        p
        for check in RECORD_CHECKS
        for p in check(record(make_incident(**changes)), CONFIG)
    ]


def test_mitigated_before_detected_is_reported_once() -> None:
    problems = incident_problems(mitigated_at="2026-11-03T13:50:00Z")

    assert [(p.field, p.rule) for p in problems] == [
        ("mitigated_at", "timestamp-order")
    ]
    assert "`detected_at`" in problems[0].message


def test_mitigated_between_start_and_detection() -> None:
    problems = incident_problems(mitigated_at="2026-11-03T14:02:00Z")

    assert [(p.field, p.rule) for p in problems] == [
        ("mitigated_at", "timestamp-order")
    ]


def test_communicated_before_detected() -> None:
    problems = incident_problems(communicated_at="2026-11-03T15:04:00+01:00")

    assert [(p.field, p.rule) for p in problems] == [
        ("communicated_at", "timestamp-order")
    ]


def test_order_is_not_checked_on_values_the_schema_refuses() -> None:
    assert incident_problems(detected_at="12:30") == []
    assert incident_problems(detected_at="2026-11-03T13:00:00") == []


def test_timeline_compares_instants_not_text() -> None:
    data = make_incident()
    data["timeline"][1]["at"] = "2026-11-03T15:10:00+01:00"  # 14:10Z, in order
    assert found(data) == []

    data["timeline"][1]["at"] = "2026-11-03T09:00:00-05:00"  # 14:00Z, too early
    assert found(data) == [("timeline[1].at", "timeline-order")]


def test_timeline_entries_without_a_time_are_skipped_for_order() -> None:
    data = make_incident()
    del data["timeline"][1]["at"]

    assert found(data) == [("timeline[1].at", "timeline-entry-fields")]


def test_invalid_timestamp_in_a_timeline_entry() -> None:
    data = make_incident()
    data["timeline"][2]["at"] = "2026-11-03T25:00:00Z"

    assert found(data) == [("timeline[2].at", "invalid-timestamp")]


# --- file names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "warned"),
    [
        ("INC-2026-0001-checkout.md", False),
        ("INC-2026-0001.md", False),
        ("INC-2026-00012-checkout.md", True),
        ("INC-2026-0002-checkout.md", True),
        ("checkout.md", True),
    ],
)
def test_file_name_starts_with_the_whole_id(name: str, warned: bool) -> None:
    problems = check_record(record(make_incident(), f"incidents/2026/{name}"), CONFIG)

    assert [p.rule for p in problems] == (["filename-mismatch"] if warned else [])


def test_check_schema_reports_line_one_for_missing_top_level_fields() -> None:
    data = make_exercise()
    del data["facilitator"]

    [problem] = check_schema(record(data))

    assert (problem.line, problem.field, problem.rule) == (
        1,
        "facilitator",
        "missing-field",
    )
