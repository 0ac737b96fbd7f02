"""Turning a rule off for one line or a block, with a comment that names it.

In the Markdown body the comment is an HTML comment, which renders as nothing;
in the front matter it is a YAML comment:

    <!-- pmctl-lint disable-next-line minimiser -->
    <!-- pmctl-lint disable counterfactual, single-cause -->
    ... lines where those rules are off ...
    <!-- pmctl-lint enable counterfactual, single-cause -->
    text <!-- pmctl-lint disable-line minimiser -->
    title: Just a title  # pmctl-lint disable-line minimiser

A `disable` with no matching `enable` lasts to the end of the file. A comment
that names no rule, or one pmctl does not know, is itself reported, so a typo
never silently turns nothing off.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from pmctl.lint.prose import overlaps
from pmctl.lint.rules import DIRECTIVE_RULE, Hit

VERBS = ("disable", "enable", "disable-next-line", "disable-line")
_HTML = re.compile(r"<!--[ \t]*pmctl-lint\b([^\n]*?)[ \t]*-->")
_YAML = re.compile(r"#[ \t]*pmctl-lint\b([^\n]*)$", re.MULTILINE)
_END = float("inf")


@dataclass(frozen=True)
class Directive:
    line: int
    column: int
    verb: str
    rules: tuple[str, ...]


def find_directives(
    text: str,
    first_line: int,
    html: bool,
    skip: list[tuple[int, int]] | None = None,
) -> list[Directive]:
    """The pmctl-lint comments in a body (`html`) or a front matter."""
    if "pmctl-lint" not in text:
        return []

    found = []
    for match in (_HTML if html else _YAML).finditer(text):
        if skip and overlaps(skip, match.start(), match.start() + 1):
            continue
        words = [w for w in re.split(r"[,\s]+", match.group(1).strip()) if w]
        line_start = text.rfind("\n", 0, match.start()) + 1
        found.append(
            Directive(
                first_line + text.count("\n", 0, match.start()),
                match.start() - line_start + 1,
                words[0] if words else "",
                tuple(words[1:]),
            )
        )
    return found


class Suppressions:
    """Which rules are off on which file lines."""

    def __init__(self) -> None:
        self._lines: dict[str, set[int]] = defaultdict(set)
        self._ranges: dict[str, list[tuple[int, float]]] = defaultdict(list)

    def covers(self, rule: str, line: int) -> bool:
        if line in self._lines.get(rule, ()):
            return True
        return any(start <= line <= end for start, end in self._ranges.get(rule, ()))

    @classmethod
    def build(
        cls, directives: Iterable[Directive], known: frozenset[str]
    ) -> tuple[Suppressions, list[Hit]]:
        """The suppressions the directives ask for, and hits for faulty ones."""
        made = cls()
        faults: list[Hit] = []
        opened: dict[str, int] = {}
        for directive in sorted(directives, key=lambda d: (d.line, d.column)):
            fault = _fault(directive, known)
            if fault:
                faults.append(fault)
            for rule in (r for r in directive.rules if r in known):
                made._apply(directive, rule, opened)

        for rule, start in opened.items():
            made._ranges[rule].append((start, _END))
        return made, faults

    def _apply(self, directive: Directive, rule: str, opened: dict[str, int]) -> None:
        if directive.verb == "disable-line":
            self._lines[rule].add(directive.line)
        elif directive.verb == "disable-next-line":
            self._lines[rule].add(directive.line + 1)
        elif directive.verb == "disable":
            opened.setdefault(rule, directive.line)
        elif directive.verb == "enable" and rule in opened:
            self._ranges[rule].append((opened.pop(rule), directive.line))


def _fault(directive: Directive, known: frozenset[str]) -> Hit | None:
    if directive.verb not in VERBS:
        message = (
            f"unknown pmctl-lint directive `{directive.verb}`; "
            f"expected one of: {', '.join(VERBS)}"
        )
    elif not directive.rules:
        message = (
            f"`pmctl-lint {directive.verb}` names no rule; name the rules it is "
            f"for, e.g. `pmctl-lint {directive.verb} minimiser`"
        )
    else:
        unknown = [rule for rule in directive.rules if rule not in known]
        if not unknown:
            return None
        message = (
            f"unknown lint rule `{unknown[0]}` in a pmctl-lint comment; "
            f"known: {', '.join(sorted(known))}"
        )
    return Hit(
        DIRECTIVE_RULE, "warning", directive.line, directive.column, None, message
    )
