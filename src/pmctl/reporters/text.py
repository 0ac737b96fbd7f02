"""`--format text`: problems grouped by file, for people."""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from rich.text import Text

from pmctl.console import make_console
from pmctl.problems import ValidationResult

_STYLE = {"error": "bold red", "warning": "yellow"}


def render(result: ValidationResult, out: TextIO) -> None:
    console = make_console(out)
    for path, problems in groupby(result.problems, key=lambda p: p.path):
        console.print(Text(path, style="bold underline"))
        for problem in problems:
            where = f"{problem.line or '-'}"
            if problem.column is not None:
                where += f":{problem.column}"
            line = Text("  ")
            line.append(where.rjust(6), style="dim")
            line.append("  ")
            line.append(problem.severity.ljust(7), style=_STYLE[problem.severity])
            if problem.field:
                line.append(f" {problem.field}:", style="cyan")
            line.append(f" {problem.message}")
            line.append(f"  [{problem.rule}]", style="dim")
            console.print(line, soft_wrap=True)
        console.print()

    console.print(_summary(result))


def _summary(result: ValidationResult) -> Text:
    errors, warnings = result.error_count, result.warning_count
    files = len({p.path for p in result.problems})
    checked = f"{result.checked} record{'s' if result.checked != 1 else ''}"
    if not errors and not warnings:
        return Text(f"✓ {checked} checked, no problems", style="green")

    counts = f"{errors} error{'s' if errors != 1 else ''}, " + (
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )
    style = "red" if not result.valid else "yellow"
    mark = "✗" if not result.valid else "!"
    return Text(f"{mark} {counts} in {files} of {checked}", style=style)
