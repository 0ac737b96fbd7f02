"""The broken records in tests/cases/, each run through `pmctl validate --format json`.

Each case is a folder holding a small records repository and `expected.json`:
what the case is about, and every problem it must produce (path, line, field,
rule, severity, and words the message must contain). The problems reported
must be exactly those: a case fails on a missing problem and on an extra one.
"""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from core_support import PROJECT, TESTS, Cli, snapshot
from pmctl.checks.schema import iter_rules

CASES = TESTS / "cases"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())

# Rules proved by generated files in other tests (a case folder cannot hold them).
RULES_TESTED_ELSEWHERE = {
    "file-too-large": "test_validate_cli.py::test_bad_input (very-large-file)",
    "unreadable": "test_validate_cli.py::test_bad_input (symlink-loop, unreadable)",
    # Non-UTF-8 bytes would break tools that read every .md file (ruff).
    "encoding": "test_validate_cli.py::test_bad_input (not-utf8)",
}
# Schema rules that only pmctl.yaml can break (exit 2, see test_validate_cli.py),
# and generic names no keyword of a record schema maps to.
RULES_NOT_FOR_RECORDS = {
    "unknown-setting",
    "unknown-field",
    "duplicate-item",
    "missing-item",
    "schema",
}


def load_expected(name: str) -> dict[str, Any]:
    expected: dict[str, Any] = json.loads(
        (CASES / name / "expected.json").read_text(encoding="utf-8")
    )
    return expected


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case(name: str, tmp_path: Path, cli: Cli) -> None:
    expected = load_expected(name)
    root = tmp_path / name
    shutil.copytree(CASES / name, root, symlinks=True)
    (root / "expected.json").unlink()
    before = snapshot(root)

    result = cli("validate", "--root", root, "--format", "json")

    errors = [p for p in expected["problems"] if p["severity"] == "error"]
    result.expect(1 if errors else 0)
    document = result.json()
    keys = ("path", "line", "field", "rule", "severity")
    found = sorted(tuple(str(p[k]) for k in keys) for p in document["problems"])
    wanted = sorted(tuple(str(p[k]) for k in keys) for p in expected["problems"])
    assert found == wanted, f"{expected['about']}\n{result.describe()}"

    for problem in expected["problems"]:
        message = next(
            p["message"]
            for p in document["problems"]
            if (p["path"], p["rule"], p["field"])
            == (problem["path"], problem["rule"], problem["field"])
        )
        for words in problem.get("message", []):
            assert words in message, f"{words!r} not in {message!r}"
        assert "\n" not in message

    assert snapshot(root) == before


def test_every_case_says_what_it_is_about() -> None:
    for name in CASE_NAMES:
        expected = load_expected(name)
        assert expected["about"].strip(), name
        assert expected["problems"], f"{name}: a case must expect a problem"


def _rules_raised_in_code() -> set[str]:
    """Rule names given as literals to the constructors of problems in the core."""
    # Position of the rule among each constructor's positional arguments.
    positions = {"_problem": 2, "Problem": 3, "NotARecord": 0, "YamlProblem": 0}
    sources = [
        *sorted((PROJECT / "src/pmctl/records").glob("*.py")),
        *(PROJECT / f"src/pmctl/checks/{n}.py" for n in ("schema", "rules", "cross")),
    ]
    rules: set[str] = set()
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name not in positions:
                continue
            values = [kw.value for kw in node.keywords if kw.arg == "rule"]
            if len(node.args) > positions[name]:
                values.append(node.args[positions[name]])
            rules.update(
                v.value
                for v in values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            )
    return rules


def test_every_rule_has_a_failing_case() -> None:
    covered = {
        problem["rule"]
        for name in CASE_NAMES
        for problem in load_expected(name)["problems"]
    }
    code_rules = _rules_raised_in_code()
    assert {"duplicate-id", "timestamp-order", "yaml-alias"} <= code_rules

    every_rule = (set(iter_rules()) | code_rules) - RULES_NOT_FOR_RECORDS
    missing = every_rule - covered - set(RULES_TESTED_ELSEWHERE)
    assert not missing, f"rules without a case in tests/cases: {sorted(missing)}"


def test_rules_not_for_records_cannot_come_from_record_schemas() -> None:
    """`additionalProperties` and unnamed `contains` appear only in pmctl.yaml's."""
    from pmctl.checks.schema import load_schema

    def walk(node: object) -> list[dict[str, Any]]:
        if isinstance(node, dict):
            children = (v for k, v in node.items() if k != "x-rule")
            return [node, *(n for v in children for n in walk(v))]
        if isinstance(node, list):
            return [n for v in node for n in walk(v)]
        return []

    for name in ("incident", "postmortem", "exercise", "common"):
        for node in walk(load_schema(name)):
            assert "additionalProperties" not in node, name
            assert "uniqueItems" not in node, name
            if "contains" in node:
                assert "x-rule" in node, f"{name}: `contains` without x-rule"
