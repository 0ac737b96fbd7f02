"""The scans of `_speedups.c`: C for the loops validate runs over every
record's whole text or data.

The extension is built when pmctl is installed, where a C compiler is found
(see `hatch_build.py`); without it `native` is None, and each caller runs the
scan's Python twin, named below, which finds the same more slowly. Tests
hold every scan equal to its twin (`plain_timeline` to saying yes only where
its twin finds nothing).
"""

from __future__ import annotations

from importlib import import_module
from typing import Protocol


class Scans(Protocol):
    def risky(self, source: bytes, far: int, /) -> bool:
        """`records.yaml_fast._risky_bytes(source)`, `far` its `_FAR`."""

    def not_text(self, emitted: bytes, words: tuple[bytes, ...], /) -> bool:
        """Whether `records.yaml_fast._NOT_TEXT` finds a match in `emitted`;
        `words` are its `_NOT_TEXT_WORDS`."""

    def phrase_starts(self, raw: bytes, prefixes: tuple[bytes, ...], /) -> list[int]:
        """`lint.rules._scan(scanner, raw)` for the scanner built from
        `prefixes` (`RuleSet.prefixes`)."""

    def json_shape(self, emitted: bytes, /) -> tuple[int, int]:
        """The number of object keys in a JSON text and its deepest nesting;
        `records.yaml_fast._too_deep(emitted)` says whether the second is
        over `_FAST_DEPTH`."""

    def plain_timeline(self, timeline: list[object], /) -> bool:
        """Whether `checks.rules._timeline_problems` surely finds nothing: every
        `at` a real timestamp of a common shape, in order. False leaves the
        timeline to that function."""

    def key_count(self, value: object, /) -> int:
        """The keys of every dict in `value`, nested to any depth: fewer
        than `json_shape` counted in the text it was decoded from where
        `records.yaml_fast._pairs` finds a key given twice."""


def _built() -> Scans | None:
    try:
        found: Scans = import_module("pmctl._speedups")
    except ImportError:
        return None
    return found


native = _built()
