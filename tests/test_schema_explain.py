"""jsonschema-rs explains a record's single plain violation as jsonschema does.

`violations` takes jsonschema-rs's error when it finds exactly one, of a plain
keyword; jsonschema's account (`explain`) is the reference it must match, on
every record of the test suite, the benchmark corpus, and mutated records.
"""

from __future__ import annotations

import copy
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from core_support import (
    PROJECT,
    make_benchmark_corpus,
    make_exercise,
    make_incident,
    make_postmortem,
)
from pmctl.checks import schema
from pmctl.checks.schema import SCHEMA_NAMES, explain, load_schema, violations
from pmctl.records.discovery import iter_files, read_candidate
from pmctl.records.model import KINDS, Record

# Values a contributor might put anywhere, the awkward ones included: text
# that one regular-expression engine reads differently from another.
_ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    1.5,
    float("-inf"),
    float("inf"),
    float("nan"),
    10**30,
    "",
    " ",
    "\x1c",
    "\x85",
    "\ufeff",
    "\u3000",
    "\u0301",
    "ö",
    "x",
    "yes",
    "sev1",
    "open",
    "A1",
    "A1\n",
    "INC-2026-0001",
    "2026-13-01",
    "2026-01-01",
    "2026-01-01\n",
    "2026-01-01T10:00:00Z",
    "http://a b",
    "https://a\x85b",
    "https://a\x1cb",
    [],
    ["x"],
    {},
    {"zz": 1},
]


_WHITESPACE = (
    "\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f"
    "\\u3000"
)


def _records(root: Path) -> Iterator[Record]:
    for path in iter_files(root):
        found = read_candidate(root, path, True)
        if isinstance(found, Record) and found.kind in KINDS:
            yield found


def _suite_records(tmp_path: Path) -> list[Record]:
    corpus = tmp_path / "corpus"
    make_benchmark_corpus(corpus, 300)
    roots = [
        PROJECT / "examples",
        *sorted(p for p in (PROJECT / "tests/cases").iterdir() if p.is_dir()),
        corpus,
    ]
    return [record for root in roots for record in _records(root)]


def test_records_of_the_suite_and_corpus_are_explained_alike(tmp_path: Path) -> None:
    records = _suite_records(tmp_path)
    invalid = [r for r in records if explain(str(r.kind), r.data)]

    for record in records:
        kind = str(record.kind)
        assert violations(kind, record.data) == explain(kind, record.data), record.path
    # The corpus plants invalid records; the comparison must have met them.
    assert len(invalid) >= 5


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


def _mutated(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """`data` with one to three fields removed, replaced or added."""
    changed = copy.deepcopy(data)
    for _ in range(rng.choice((1, 1, 2, 3))):
        path = rng.choice([p for p in _paths(changed) if p])
        parent: Any = changed
        for step in path[:-1]:
            parent = parent[step]
        roll = rng.random()
        if roll < 0.3:
            del parent[path[-1]]
        elif roll < 0.85:
            parent[path[-1]] = copy.deepcopy(rng.choice(_ODD_VALUES))
        elif isinstance(parent, dict):
            parent[f"zz{rng.randint(0, 9)}"] = 1
        else:
            parent.append(copy.deepcopy(rng.choice(_ODD_VALUES)))
    return changed


@pytest.mark.parametrize("seed", range(3))
def test_mutated_records_are_explained_alike(seed: int) -> None:
    rng = random.Random(seed)
    makers = (make_incident, make_postmortem, make_exercise)
    answered_alone = 0

    for _ in range(400):
        data = _mutated(rng.choice(makers)(), rng)
        kind = data["kind"] if data.get("kind") in KINDS else "incident"
        expected = explain(kind, data)
        assert violations(kind, data) == expected, data
        fast = schema._fast_validator(kind)
        if expected and schema._single_violation(fast, data) is not None:
            answered_alone += 1
    # Most mutations break one plain keyword: the fast explanation must be
    # taking them, or this test compares jsonschema with itself.
    assert answered_alone > 100


@pytest.mark.parametrize("number", [float("-inf"), float("inf"), float("nan")])
def test_a_number_that_is_not_finite_is_left_to_jsonschema(number: float) -> None:
    # jsonschema-rs reports no number at all (`type`); jsonschema also sees
    # -inf fail `minimum: 0`.
    data = make_incident()
    data["impact"]["users_affected"] = number

    assert schema._single_violation(schema._fast_validator("incident"), data) is None
    assert violations("incident", data) == explain("incident", data)


def test_a_pattern_python_accepts_is_left_to_jsonschema() -> None:
    # Rust's `$` does not match before a final line break; Python's does.
    data = make_incident(id="INC-2026-0001\n")

    assert not schema._fast_validator("incident").is_valid(data)
    assert schema._single_violation(schema._fast_validator("incident"), data) is None
    assert violations("incident", data) == explain("incident", data)


def _patterns() -> set[str]:
    found: set[str] = set()

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            pattern = node.get("pattern")
            if isinstance(pattern, str):
                found.add(pattern)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    for name in SCHEMA_NAMES:
        visit(load_schema(name))
    return found


# Every BMP character up to U+3000 (all the whitespace and control characters
# the two engines might read apart), a few beyond, each alone and in text
# that the schemas' anchored patterns otherwise accept.
_CHARACTERS = [chr(c) for c in range(0x3001) if not 0xD800 <= c <= 0xDFFF]
_CHARACTERS += ["\ufeff", "\uffff", "\U0001f600"]
_SURROUNDINGS = [
    ("", ""),
    ("a", ""),
    ("", "a"),
    ("https://a", "b"),
    ("2026-01-01T10:00:00", ""),
    ("A1", ""),
    ("INC-2026-0001", ""),
]


@pytest.mark.parametrize("pattern", sorted(_patterns()))
def test_jsonschema_rs_never_accepts_what_python_refuses(pattern: str) -> None:
    # `violations` trusts jsonschema-rs's "valid", and asks Python's `re`
    # again only about patterns jsonschema-rs says fail.
    fast = jsonschema_rs.Draft202012Validator({"type": "string", "pattern": pattern})
    python = re.compile(pattern)

    for char in _CHARACTERS:
        for before, after in _SURROUNDINGS:
            text = before + char + after
            if fast.is_valid(text):
                assert python.search(text), (pattern, text)


def test_non_blank_text_means_what_python_means_by_it() -> None:
    # The schemas spell out Python's whitespace instead of writing `\S`.
    not_blank = "[^" + _WHITESPACE + "]"
    python = re.compile(not_blank)
    fast = jsonschema_rs.Draft202012Validator({"type": "string", "pattern": not_blank})

    assert not [p for p in _patterns() if "\\s" in p or "\\S" in p]
    assert [p for p in _patterns() if "\\u3000" in p and not_blank in p]
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        expected = re.search(r"\S", char) is not None
        assert (python.search(char) is not None) == expected, hex(code)
        assert fast.is_valid(char) == expected, hex(code)


def test_one_plain_violation_needs_no_jsonschema() -> None:
    code = (
        "import sys\n"
        "from core_support import make_incident\n"
        "from pmctl.checks.schema import violations\n"
        "data = make_incident()\n"
        "del data['commander']\n"
        "print([v.rule for v in violations('incident', data)])\n"
        "print('jsonschema' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT / "tests",
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["['missing-field']", "False"]
