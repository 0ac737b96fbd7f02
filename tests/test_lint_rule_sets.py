"""The rule set validate asks for on every record: built once per settings,
never mixed up between settings, and the prose values lint looks at first."""

from __future__ import annotations

from typing import Any

from core_support import make_incident, make_postmortem
from pmctl.lint import load_rules
from pmctl.lint.prose import prose_values


def test_the_same_settings_give_the_same_rule_set() -> None:
    settings: dict[str, Any] = {"rules": {"heroics": {"words": ["hero"]}}}

    first = load_rules(settings)

    assert load_rules(settings) is first
    assert load_rules({"rules": {"heroics": {"words": ["hero"]}}}) is first


def test_settings_changed_in_place_are_read_again() -> None:
    settings: dict[str, Any] = {"in_validate": "warning"}
    assert load_rules(settings).in_validate == "warning"

    settings["in_validate"] = "off"

    assert load_rules(settings).in_validate == "off"


def test_settings_equal_in_python_but_not_in_yaml_stay_apart() -> None:
    # 0 == False in Python, but only `enabled: false` turns a rule off.
    off = {"rules": {"minimiser": {"enabled": False}}}
    zero = {"rules": {"minimiser": {"enabled": 0}}}

    names_off = {rule.name for rule in load_rules(off).rules}
    names_zero = {rule.name for rule in load_rules(zero).rules}

    assert "minimiser" not in names_off
    assert "minimiser" in names_zero


def test_prose_values_in_field_order() -> None:
    data = make_postmortem()
    data["actions"] = [
        {"id": "A1", "title": "Add a canary"},
        "not a mapping",
        {"id": "A2", "title": 7},
        {"id": "A3", "title": "Page on error budget burn"},
    ]

    values = prose_values(data)

    assert values == [
        data["title"],
        data["impact"],
        *(factor["description"] for factor in data["contributing_factors"]),
        *(entry["text"] for entry in data["timeline"]),
        "Add a canary",
        "Page on error budget burn",
    ]


def test_prose_values_of_an_incident() -> None:
    data = make_incident()
    data["timeline"].append({"at": "2026-11-03T16:30:00Z", "text": None})

    values = prose_values(data)

    assert values == [
        data["title"],
        data["impact"]["summary"],
        *(entry["text"] for entry in data["timeline"][:-1]),
    ]
