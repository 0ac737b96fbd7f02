"""Problems found in records, and the result of a validation run."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning"]
FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One fault in one file: greppable as path, line, field, rule, message."""

    path: str
    line: int | None
    field: str | None
    rule: str
    message: str
    severity: Severity = "error"
    # 1-based column in the line, for problems found in prose (lint).
    column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "path": self.path,
            "line": self.line,
            "field": self.field,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
        }
        if self.column is not None:
            found["column"] = self.column
        return found


def sort_key(problem: Problem) -> tuple[str, int, int, str, str]:
    return (
        problem.path,
        problem.line or 0,
        problem.column or 0,
        problem.field or "",
        problem.rule,
    )


def format_field(path: FieldPath) -> str | None:
    """Render a field path the way messages name it: `actions[0].owner`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or None


def nearest_line(lines: dict[FieldPath, int], path: FieldPath) -> int | None:
    """The line of a field, or of its nearest parent that has one."""
    for end in range(len(path), -1, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return None


@dataclass
class ValidationResult:
    """What `validate` found: unreadable files and rule violations kept apart."""

    checked: int
    load_problems: list[Problem] = field(default_factory=list)
    rule_problems: list[Problem] = field(default_factory=list)
    strict: bool = False
    # The root-relative paths reported on, passing or not, for formats that
    # list every record (JUnit); `root` lets reporters make paths repo-relative.
    paths: list[str] = field(default_factory=list)
    root: Path | None = None

    @property
    def problems(self) -> list[Problem]:
        return sorted([*self.load_problems, *self.rule_problems], key=sort_key)

    @property
    def error_count(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warning_count(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)

    @property
    def valid(self) -> bool:
        if self.error_count:
            return False
        return not (self.strict and self.warning_count)
