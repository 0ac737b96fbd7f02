"""Byte searches: RE2 when installed, and always the answers `re` gives."""

from __future__ import annotations

import re

import pytest

from pmctl import byte_search
from pmctl.byte_search import compile_bytes
from pmctl.records import yaml_fast

re2 = pytest.importorskip("re2")


def test_rapid_patterns_are_compiled_by_re2() -> None:
    assert not isinstance(compile_bytes(rb" (?:just|merely)"), re.Pattern)


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

    assert isinstance(compile_bytes(rb" (?:just|merely)"), re.Pattern)


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
]


@pytest.mark.parametrize("emitted", EMITTED)
def test_the_fast_paths_json_guard_agrees_with_re(emitted: bytes) -> None:
    guard = yaml_fast._NOT_TEXT
    assert not isinstance(guard, re.Pattern)

    found = guard.search(emitted)
    expected = re.search(guard.pattern, emitted)  # type: ignore[attr-defined]

    assert (found is None) == (expected is None)
