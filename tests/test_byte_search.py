"""Byte searches: RE2 when installed, and always the answers `re` gives."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from core_support import PROJECT, make_benchmark_corpus
from pmctl import byte_search
from pmctl.byte_search import compile_bytes
from pmctl.records import yaml_fast
from pmctl.records.scalars import FLOAT, INT
from yaml_samples import SCALARS

needs_re2 = pytest.mark.skipif(byte_search.re2 is None, reason="RE2 not installed")


@needs_re2
def test_patterns_are_compiled_by_re2_when_it_is_installed() -> None:
    assert not isinstance(compile_bytes(rb" (?:just|merely)"), re.Pattern)


@needs_re2
def test_a_pattern_re2_refuses_falls_back_to_re_without_a_word(
    capfd: pytest.CaptureFixture[str],
) -> None:
    pattern = compile_bytes(rb"(?<=a)b")

    assert isinstance(pattern, re.Pattern)
    found = pattern.search(b"cb ab")
    assert found is not None and found.start() == 4
    # RE2 would log the refusal on stderr, in the middle of a report.
    assert capfd.readouterr() == ("", "")


def test_without_re2_every_pattern_is_compiled_by_re(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(byte_search, "re2", None)

    plain = compile_bytes(rb" (?:just|merely)")
    faster = compile_bytes(rb"[^a]b", for_re=rb"b(?<=[^a]b)")

    assert isinstance(plain, re.Pattern) and isinstance(faster, re.Pattern)
    assert faster.pattern == rb"b(?<=[^a]b)"


@pytest.mark.parametrize(
    "module",
    [
        "def compile(pattern, *args): raise TypeError\n",
        "class Options: pass\nclass error(Exception): pass\ndef compile(p): pass\n",
    ],
)
def test_another_module_named_re2_is_left_alone(tmp_path: Path, module: str) -> None:
    # Other packages on PyPI, not Google's, install a module named `re2`.
    (tmp_path / "re2.py").write_text(module)
    script = (
        "from pmctl import byte_search\n"
        "from pmctl.records import yaml_fast\n"
        "print(byte_search.re2, type(yaml_fast._NOT_TEXT).__name__)\n"
    )

    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(tmp_path), "PATH": ""},
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["None", "Pattern"]


@needs_re2
@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        # A class takes one byte of a multi-byte character, as `re` does with
        # bytes; RE2 reading UTF-8 would take the whole character.
        (rb"[^a]b", "éb".encode()),
        (rb'[^\\]"', 'x"é"'.encode()),
        (rb"\n[^\n]{3}", "\néé".encode()),
        (rb" (?:sh|c)ould +have", b"it  could   have been; should have"),
    ],
)
def test_matches_start_where_re_finds_them(pattern: bytes, text: bytes) -> None:
    expected = [m.start() for m in re.finditer(pattern, text)]

    fast = compile_bytes(pattern)
    starts = []
    found = fast.search(text)
    while found is not None:
        starts.append(found.start())
        found = fast.search(text, found.start() + 1)

    assert starts == expected != []


EMITTED = [
    b'{"a": "b c"}',
    b'{"a": " b"}',
    b'{"a": "b \\" c"}',
    b'{"a": "b \\"1"}',
    b'{"a": "b\\\\", "c": "1"}',
    b'{"a": "1.5", "b": "0x1F", "c": "0o17", "d": "-.inf", "e": ".NaN"}',
    b'{"a": "1.5.1", "b": "0x1G", "c": "2026-03-01T10:00:00Z", "d": "1e3"}',
    b'{"a": "", "b": "~", "c": "Null", "d": "nULL", "e": "TRUE", "f": "tRUE"}',
    b'["x", "y", "true"]',
    '{"é": "1", "ü": "x"}'.encode(),
    *(b'{"a": "' + text.encode() + b'"}' for text in SCALARS),
    *(b'["' + text.encode() + b'", 1]' for text in SCALARS),
]


def random_json(rng: random.Random) -> bytes:
    """Quotes, backslashes and the starts of numbers, booleans and nulls."""
    pieces = ['"', "\\", " ", "1", "0x", ".", "e", "-", "~", "true", "Null", "x", ":"]
    return "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))).encode()


def test_all_forms_of_the_json_guard_find_the_same_texts() -> None:
    rng = random.Random(5)
    texts = [*EMITTED, *(random_json(rng) for _ in range(20000))]
    guard = yaml_fast._NOT_TEXT
    rapid, for_re = yaml_fast._NOT_TEXT_RE2, yaml_fast._NOT_TEXT_RE

    found = [guard.search(text) is not None for text in texts]

    assert found == [re.search(rapid, text) is not None for text in texts]
    assert found == [re.search(for_re, text) is not None for text in texts]
    # Both answers, many times over.
    assert 500 < sum(found) < len(found) - 500


def test_the_guard_reads_the_scalar_patterns_as_written() -> None:
    # Neither engine reads a pattern laid out in verbose mode alike.
    assert not (INT.flags | FLOAT.flags) & re.VERBOSE


RUN = """
import sys
# Blocked modules cannot be imported: pmctl runs without them.
for module in filter(None, sys.argv[2].split(",")):
    sys.modules[module] = None
from pmctl.cli import main
sys.argv = ["pmctl", "validate", "--root", sys.argv[1], "--format", "json"]
main()
"""
# RE2 and pmctl's C scans are each left out, and both at once.
WITHOUT = ("re2", "pmctl._speedups", "re2,pmctl._speedups")


def validate_output(root: Path, cache: Path, without: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", RUN, root, without],
        capture_output=True,
        text=True,
        check=False,
        env={"PMCTL_CACHE_DIR": str(cache / (without or "none")), "PATH": ""},
    )
    assert done.returncode in (0, 1), done.stderr
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def test_validate_finds_the_same_without_re2_or_the_c_scans(tmp_path: Path) -> None:
    examples = tmp_path / "examples"
    shutil.copytree(PROJECT / "examples", examples)
    postmortem = next((examples / "postmortems").rglob("*.md"))
    with postmortem.open("a") as text:
        text.write("\nIt was human error: someone should have known.\n")
    corpus = tmp_path / "corpus"
    make_benchmark_corpus(corpus, 200)

    rules = []
    for root in (examples, PROJECT / "tests/cases", corpus):
        cache = tmp_path / "cache" / root.name
        found = validate_output(root, cache, "")

        for without in WITHOUT:
            assert validate_output(root, cache, without) == found, without
        rules.append({problem["rule"] for problem in found["problems"]})

    # Lint, front matter of every kind (the test cases), and the benchmark's
    # records with their planted problems, judged alike.
    assert {"blame-label", "counterfactual"} <= rules[0]
    assert {"duplicate-key", "yaml-tag", "timestamp-format"} <= rules[1]
    assert len(rules[2]) >= 3
