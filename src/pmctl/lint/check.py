"""Run the rules over one record's prose and report what they find."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from typing import Any

from pmctl.config import Config
from pmctl.lint.prose import (
    Body,
    ProseField,
    inline_excluded,
    line_starts,
    overlaps,
    prose_values,
)
from pmctl.lint.prose import prose_fields as find_prose_fields
from pmctl.lint.rules import Hit, Level, RuleSet, load_rules
from pmctl.lint.suppress import Suppressions, find_directives
from pmctl.problems import Problem, Severity, format_field
from pmctl.records.model import Record

_RANK: dict[str, int] = {"suggestion": 0, "warning": 1, "error": 2}
# A phrase found: the match, its file line and column, and its field if any.
_Found = tuple[re.Match[str], int, int, str | None]


def lint_record(record: Record, rules: RuleSet) -> list[Hit]:
    """Every rule hit in a record's prose, in file order, suppressions applied."""
    front_matter, body = record.front_matter, record.body
    # A phrase counts only inside a prose value, and finding where those are
    # in the text costs far more than a search. So the whole front matter is
    # searched first, then the prose values' own text, and only when both
    # hold a phrase are positions worked out.
    fm_matches = rules.finditer(front_matter)
    if fm_matches and not rules.finditer("\n\n".join(prose_values(record.data))):
        fm_matches = []
    body_matches = rules.finditer(body)
    directed = "pmctl-lint" in front_matter or "pmctl-lint" in body
    if not (fm_matches or body_matches or directed):
        return []

    body_line = record.first_line + front_matter.count("\n") + 1
    prose = Body(body)
    suppressions, hits = Suppressions.build(
        [
            *find_directives(front_matter, record.first_line, html=False),
            *find_directives(body, body_line, html=True, skip=prose.fences()),
        ],
        rules.known,
    )

    several = _factor_count(record.data) >= 2
    found = [
        *_in_front_matter(record, fm_matches),
        *_in_body(prose, body_line, body_matches),
    ]
    for match, line, column, field in found:
        rule = rules.rule_of(match)
        if rule.needs_factors and not several:
            continue
        if not suppressions.covers(rule.name, line):
            said = " ".join(match.group().split())
            message = f'"{said}" {rule.summary}; {rule.suggestion}'
            hits.append(Hit(rule.name, rule.level, line, column, field, message))
    return sorted(hits, key=lambda hit: (hit.line, hit.column))


def _in_front_matter(record: Record, matches: list[re.Match[str]]) -> list[_Found]:
    """The matches inside prose fields, at their file line and column."""
    if not matches:
        return []

    text = record.front_matter
    fields = find_prose_fields(text)
    starts = line_starts(text)
    found: list[_Found] = []
    for match in matches:
        field = _field_at(fields, text, match.start(), match.end())
        if field is not None:
            line, column = _position(starts, match.start())
            found.append((match, line + record.first_line, column, field))
    return found


def _in_body(
    prose: Body, first_line: int, matches: list[re.Match[str]]
) -> list[_Found]:
    """The matches in the body's prose, at their file line and column."""
    found: list[_Found] = []
    for match in matches:
        if prose.is_prose(match.start(), match.end()):
            line, column = _position(prose.starts, match.start())
            found.append((match, line + first_line, column, None))
    return found


def lint_problems(record: Record, rules: RuleSet) -> list[Problem]:
    """Hits as problems for `pmctl lint`: each at its rule's own level."""
    return [_problem(record, hit, hit.level) for hit in lint_record(record, rules)]


def lint_for_validate(record: Record, config: Config) -> list[Problem]:
    """Hits as `validate` reports them: suggestions left out, capped by
    `lint.in_validate` (warning by default; `off` leaves lint out)."""
    rules = load_rules(config.lint)
    if rules.in_validate == "off":
        return []
    cap = rules.in_validate
    return [
        _problem(record, hit, hit.level if _RANK[hit.level] <= _RANK[cap] else cap)
        for hit in lint_record(record, rules)
        if hit.level != "suggestion"
    ]


def _problem(record: Record, hit: Hit, level: Level) -> Problem:
    severity: Severity = "error" if level == "error" else "warning"
    # Reporters know errors and warnings only; a suggestion says so in its text.
    message = f"suggestion: {hit.message}" if level == "suggestion" else hit.message
    return Problem(
        record.path, hit.line, hit.field, hit.rule, message, severity, hit.column
    )


def _field_at(
    fields: Iterable[ProseField], text: str, start: int, end: int
) -> str | None:
    for field in fields:
        if field.start <= start and end <= field.end:
            if overlaps(inline_excluded(text, field.start, field.end), start, end):
                return None
            return format_field(field.path)
    return None


def _position(starts: list[int], offset: int) -> tuple[int, int]:
    """0-based line and 1-based column of an offset."""
    index = bisect_right(starts, offset) - 1
    return index, offset - starts[index] + 1


def _factor_count(data: dict[str, Any]) -> int:
    factors = data.get("contributing_factors")
    return len(factors) if isinstance(factors, list) else 0
