"""The strict YAML reader: plain data only, nothing retyped, nothing expanded."""

from __future__ import annotations

import math

import pytest

from pmctl.records.yaml_strict import YamlProblem, key_lines, load_yaml


def problem(text: str) -> YamlProblem:
    with pytest.raises(YamlProblem) as caught:
        load_yaml(text)
    return caught.value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # Timestamps, dates and clock times stay text for the schema to judge.
        ("at: 2026-11-03T14:09:00Z", "2026-11-03T14:09:00Z"),
        ("at: 2026-11-03 14:09:00", "2026-11-03 14:09:00"),
        ("on: 2026-11-30", "2026-11-30"),
        ("at: 12:30", "12:30"),
        ("at: 1:30:00", "1:30:00"),
        # YAML 1.1 booleans are text under the 1.2 core schema.
        ("flag: no", "no"),
        ("flag: yes", "yes"),
        ("flag: on", "on"),
        ("flag: off", "off"),
        ("flag: y", "y"),
        # Numbers that YAML 1.1 would read in other bases or with separators.
        ("n: 1_000", "1_000"),
        ("n: 0b101", "0b101"),
        ("n: 012", 12),
        ("n: 0o17", 15),
        ("n: 0x1F", 31),
        ("n: -7", -7),
        ("n: 2.5", 2.5),
        ("flag: true", True),
        ("flag: False", False),
        ("x: null", None),
        ("x: ~", None),
        ("x:", None),
        ("x: 'no'", "no"),
        ('x: "12:30"', "12:30"),
    ],
)
def test_scalars_follow_the_yaml_1_2_core_schema(text: str, value: object) -> None:
    loaded = load_yaml(text + "\n")

    found = next(iter(loaded.values()))
    assert found == value
    assert type(found) is type(value)


def test_infinity_is_a_float_not_text() -> None:
    assert math.isinf(load_yaml("n: .inf\n")["n"])


def test_nested_plain_data() -> None:
    text = "a:\n  - b: 1\n    c: [x, 'y']\n  - {d: true}\n"

    assert load_yaml(text) == {"a": [{"b": 1, "c": ["x", "y"]}, {"d": True}]}


def test_empty_document_is_none() -> None:
    assert load_yaml("") is None
    assert load_yaml("# only a comment\n") is None


@pytest.mark.parametrize(
    "text",
    [
        "x: !!python/object/apply:os.system ['echo pwned']\n",
        "x: !!python/name:os.system\n",
        "x: !!python/object/new:dict {}\n",
        "x: !!binary aGVsbG8=\n",
        "x: !!timestamp 2026-11-03\n",
        "x: !!set {a: null}\n",
        "x: !local thing\n",
        "x: !!omap [a: 1]\n",
    ],
)
def test_tags_are_refused(text: str) -> None:
    found = problem(text)

    assert found.rule == "yaml-tag"
    assert found.line == 1
    assert "not allowed" in found.message or "not a valid" in found.message


def test_billion_laughs_is_refused_before_it_expands() -> None:
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, 12):
        refs = ", ".join([f"*a{n - 1}"] * 8)
        levels.append(f"a{n}: &a{n} [{refs}]")

    found = problem("\n".join(levels) + "\n")

    assert found.rule == "yaml-alias"
    assert "anchors and aliases" in found.message


def test_a_single_alias_is_refused_too() -> None:
    found = problem("a: &x 1\nb: *x\n")

    assert found.rule == "yaml-alias"
    assert found.line == 1


def test_merge_keys_are_refused() -> None:
    assert problem("base: &b {x: 1}\nother:\n  <<: *b\n").rule == "yaml-alias"


def test_duplicate_keys_are_refused_with_the_second_line() -> None:
    found = problem("title: one\nseverity: SEV1\ntitle: two\n")

    assert found.rule == "duplicate-key"
    assert found.line == 3
    assert "`title`" in found.message


def test_duplicate_keys_in_nested_mappings_are_refused() -> None:
    found = problem("impact:\n  summary: a\n  summary: b\n")

    assert (found.rule, found.line) == ("duplicate-key", 3)


def test_same_key_in_sibling_mappings_is_fine() -> None:
    assert load_yaml("- id: A1\n- id: A2\n") == [{"id": "A1"}, {"id": "A2"}]


@pytest.mark.parametrize(
    "text", ["1: one\n", "true: yes\n", "? [a, b]\n: c\n", "~: x\n"]
)
def test_keys_must_be_text(text: str) -> None:
    assert problem(text).rule == "yaml-key"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: [1, 2\nb: 3\n", 2),
        ("a: 'unclosed\n", 2),
        ("a: 1\n\tb: 2\n", 2),
        ("a: b: c\n", 1),
        ("- a\nb: 1\n", 2),
    ],
)
def test_syntax_errors_carry_a_line(text: str, line: int) -> None:
    found = problem(text)

    assert found.rule == "yaml-syntax"
    assert found.line == line
    assert found.message.startswith("invalid YAML")


def test_control_characters_are_a_syntax_problem_on_one_line() -> None:
    found = problem("a: ok\nb: bell\x07here\n")

    assert found.rule == "yaml-syntax"
    assert found.line == 2
    assert "\n" not in found.message


def test_numbers_too_long_to_read_are_a_problem_not_a_crash() -> None:
    found = problem("a: 1\nusers: " + "9" * 5000 + "\n")

    assert found.rule == "yaml-syntax"
    assert found.line == 2
    assert "digits" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "a: " + "{b: " * 50_000 + "c" + "}" * 50_000 + "\n",
        "- " * 100_000 + "x\n",
        "a: " + "[" * 3_000 + "]" * 3_000 + "\n",
    ],
    ids=["flow-lists", "flow-maps", "block-lists", "short-text"],
)
def test_deep_nesting_is_refused_without_crashing(text: str) -> None:
    found = problem(text)

    assert found.rule == "yaml-syntax"
    assert "nested too deeply" in found.message


def test_more_than_one_document_is_refused() -> None:
    assert problem("a: 1\n---\nb: 2\n").rule == "yaml-syntax"


def test_key_lines_maps_every_field_to_its_line() -> None:
    text = (
        "id: PM-2026-0001\n"  # 1
        "actions:\n"  # 2
        "  - id: A1\n"  # 3
        "    owner: Ada\n"  # 4
        "  - id: A2\n"  # 5
        "    owner:\n"  # 6
        "      - Ada\n"  # 7
        "impact: {summary: x}\n"  # 8
    )

    lines = key_lines(text)

    assert lines[("id",)] == 1
    assert lines[("actions",)] == 2
    assert lines[("actions", 0)] == 3
    assert lines[("actions", 0, "owner")] == 4
    assert lines[("actions", 1)] == 5
    assert lines[("actions", 1, "owner")] == 6
    assert lines[("actions", 1, "owner", 0)] == 7
    assert lines[("impact", "summary")] == 8
    assert lines[()] == 1


def test_key_lines_of_unparsable_text_is_empty() -> None:
    assert key_lines("a: [\n") == {}
