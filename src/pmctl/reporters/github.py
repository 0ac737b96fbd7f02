"""`--format github`: workflow-command annotations, and the step summary.

The runner reads every line a step prints and acts on workflow commands in it,
so record text must never be able to start one. Annotation values are escaped
exactly as the runner unescapes them (`ActionCommand.cs` in actions/runner):
in the message `%`, CR and LF; in properties also `:` and `,`. Text printed for
people in the same step goes between `stop-commands` markers.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from pmctl.problems import Problem, ValidationResult
from pmctl.reporters.locations import repo_paths

_COMMANDS = {"error": "error", "warning": "warning"}
# A step summary over 1 MiB is rejected whole; stop well short and say so.
SUMMARY_LIMIT = 900_000
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def render(result: ValidationResult, out: TextIO) -> None:
    paths = repo_paths(result)
    for problem in result.problems:
        out.write(annotation(problem, paths[problem.path]) + "\n")


def annotation(problem: Problem, path: str) -> str:
    """One `::error file=...,line=...,title=...::message` line."""
    command = _COMMANDS.get(problem.severity, "notice")
    properties = [f"file={escape_property(path)}"]
    if problem.line is not None:
        properties.append(f"line={problem.line}")
        if problem.column is not None:
            properties.append(f"col={problem.column}")
    title = f"{problem.rule} ({problem.field})" if problem.field else problem.rule
    properties.append(f"title={escape_property(title)}")
    return f"::{command} {','.join(properties)}::{escape_data(problem.message)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


@contextmanager
def suspended_commands(out: TextIO) -> Iterator[None]:
    """Print untrusted text with workflow commands switched off around it.

    The token is random, so the text cannot guess it to switch them back on.
    """
    token = secrets.token_hex(16)
    out.write(f"::stop-commands::{token}\n")
    try:
        yield
    finally:
        out.flush()
        out.write(f"::{token}::\n")


def render_summary(result: ValidationResult, out: TextIO) -> None:
    """A Markdown summary listing every problem, for `$GITHUB_STEP_SUMMARY`."""
    errors, warnings = result.error_count, result.warning_count
    mark = "✅" if result.valid else "❌"
    out.write(
        f"### {mark} pmctl validate\n\n"
        f"{result.checked} record(s) checked: {errors} error(s), "
        f"{warnings} warning(s).\n\n"
    )
    if not result.problems:
        return

    paths = repo_paths(result)
    out.write("| File | Line | Severity | Rule | Field | Message |\n")
    out.write("|---|---|---|---|---|---|\n")
    written = 0
    for index, problem in enumerate(result.problems):
        row = _summary_row(problem, paths[problem.path])
        written += len(row.encode("utf-8"))
        if written > SUMMARY_LIMIT:
            left = len(result.problems) - index
            out.write(f"\n{left} more problem(s) are in the step's log.\n")
            return
        out.write(row)


def _summary_row(problem: Problem, path: str) -> str:
    cells = [
        markdown_text(path),
        str(problem.line or ""),
        problem.severity,
        markdown_text(problem.rule),
        markdown_text(problem.field or ""),
        markdown_text(problem.message),
    ]
    return "| " + " | ".join(cells) + " |\n"


def markdown_text(text: str) -> str:
    """Record text as literal Markdown: no markup, no HTML, no table breaks.

    Every ASCII punctuation character is backslash-escaped, which CommonMark
    turns back into the character itself; line breaks become spaces.
    """
    flat = " ".join(text.splitlines())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)
