"""`--format text`: problems grouped by file, for people.

The report is built as lines of styled pieces first. Most reports go to CI logs
and pre-commit hooks, where Rich writes no escape codes; there, when every line
would come out of Rich as its own text, the lines are written as they are and
Rich is not even imported (it costs more than the rest of the report).
"""

from __future__ import annotations

import builtins
import codecs
import os
import sys
from itertools import groupby
from typing import NamedTuple, TextIO

from pmctl.problems import Problem, ValidationResult

_STYLE = {"error": "bold red", "warning": "yellow"}

# A piece of a line: its text and its Rich style ("" for none).
Piece = tuple[str, str]


class Line(NamedTuple):
    """One line of the report; no pieces at all makes a blank line."""

    pieces: tuple[Piece, ...]
    style: str = ""


def render(result: ValidationResult, out: TextIO) -> None:
    lines = report_lines(result)
    texts = [_text(line) for line in lines]
    if _writes_plain(out) and all(text.isprintable() for text in texts):
        out.write("".join(text + "\n" for text in texts))
        out.flush()
    else:
        _render_rich(lines, out)


def report_lines(result: ValidationResult) -> list[Line]:
    lines: list[Line] = []
    for path, problems in groupby(result.problems, key=lambda p: p.path):
        lines.append(Line(((path, ""),), style="bold underline"))
        lines.extend(Line(_problem_pieces(p)) for p in problems)
        lines.append(Line(()))

    lines.append(_summary(result))
    return lines


def _problem_pieces(problem: Problem) -> tuple[Piece, ...]:
    where = f"{problem.line or '-'}"
    if problem.column is not None:
        where += f":{problem.column}"
    pieces = [
        ("  ", ""),
        (where.rjust(6), "dim"),
        ("  ", ""),
        (problem.severity.ljust(7), _STYLE[problem.severity]),
    ]
    if problem.field:
        pieces.append((f" {problem.field}:", "cyan"))
    pieces.append((f" {problem.message}", ""))
    pieces.append((f"  [{problem.rule}]", "dim"))
    return tuple(pieces)


def _summary(result: ValidationResult) -> Line:
    errors, warnings = result.error_count, result.warning_count
    files = len({p.path for p in result.problems})
    checked = f"{result.checked} record{'s' if result.checked != 1 else ''}"
    if not errors and not warnings:
        return Line(((f"✓ {checked} checked, no problems", ""),), style="green")

    counts = f"{errors} error{'s' if errors != 1 else ''}, " + (
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )
    style = "red" if not result.valid else "yellow"
    mark = "✗" if not result.valid else "!"
    return Line(((f"{mark} {counts} in {files} of {checked}", ""),), style=style)


def _render_rich(lines: list[Line], out: TextIO) -> None:
    from rich.text import Text

    from pmctl.console import make_console

    console = make_console(out)
    for line in lines:
        if not line.pieces:
            console.print()
            continue
        text = Text(style=line.style)
        for piece, style in line.pieces:
            text.append(piece, style=style)
        # Never wrapped: a path or message cut at the console's width could
        # not be searched for or copied from a CI log.
        console.print(text, soft_wrap=True)


def _text(line: Line) -> str:
    return "".join(piece for piece, _ in line.pieces)


def _writes_plain(out: TextIO) -> bool:
    """Whether a console from `make_console(out)` would write no escape codes.

    Rich takes `out` for a terminal when it is a tty, when FORCE_COLOR is set
    (to anything in Rich 13, to anything but "" since) or when TTY_COMPATIBLE is
    "1"; off a terminal, NO_COLOR, TERM and the like change nothing. Notebooks,
    legacy Windows consoles and Rich's proxy of stdout write elsewhere or
    otherwise. Any of these, or any doubt, leaves the report to Rich.
    """
    environ = os.environ
    if "FORCE_COLOR" in environ or environ.get("TTY_COMPATIBLE", "") not in ("", "0"):
        return False
    # Rich prints nothing at a width of 0 and fails on digits int() refuses.
    columns = environ.get("COLUMNS", "1")
    if not (columns.isascii() and columns.isdigit() and int(columns) > 0):
        return False
    if sys.platform == "win32" or hasattr(builtins, "get_ipython"):
        return False
    if hasattr(out, "rich_proxied_file") or not _encodes_everything(out):
        return False

    try:
        return not out.isatty()
    except (AttributeError, ValueError):
        return False


def _encodes_everything(out: TextIO) -> bool:
    """Whether `out` can encode any printable text (surrogates are not).

    Where it could not, Rich fails at the line it cannot write, having written
    the lines before, and adds a hint to the error; a single write would not.
    """
    encoding = getattr(out, "encoding", None)
    if encoding is None:  # a StringIO takes any text
        return True

    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False
