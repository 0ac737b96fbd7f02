"""Which parts of a record are its authors' own prose.

Lint reads only prose, so pasted output and quotations never trip a rule. Left
out of the Markdown body: fenced and indented code blocks, inline code, block
quotes (with their lazy continuation lines), HTML comments, link targets and
URLs, lines that look like log output (a timestamp with seconds, an upper-case
log level or a `$ ` prompt at the start), and text in double quotes, which is
someone else's words: a log message, an alert, a line from the chat.

In the front matter only the prose fields count (`PROSE_FIELDS`), with the same
inline rules inside each value.

Positions are offsets into the body or the front matter text. The questions
are asked only where a rule's phrase was found, so a record with no hit costs
one pattern search.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pmctl.problems import FieldPath

if TYPE_CHECKING:
    from pmctl.records.nodes import ScalarNode

# Field paths of front matter prose; "*" is every item of a list (only as the
# middle of three parts, which `prose_values` relies on).
PROSE_FIELDS: tuple[tuple[str, ...], ...] = (
    ("title",),
    ("impact",),
    ("impact", "summary"),
    ("contributing_factors", "*", "description"),
    ("timeline", "*", "text"),
    ("actions", "*", "title"),
)

_FENCE_OPEN = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$", re.MULTILINE)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_QUOTE_LINE = re.compile(r"[ \t]{0,3}>")
_BLOCK_START = re.compile(
    r"[ \t]{0,3}(?:>|#{1,6}(?:[ \t]|$)|[-*+][ \t]|\d{1,9}[.)][ \t])"
)
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]")
_INDENTED = re.compile(r"(?: {4}|[ ]{0,3}\t)")
_LOG_LINE = re.compile(
    r"[ \t]*\[?(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}|\d{2}:\d{2}:\d{2}"
    r"|(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|PANIC)"
    r"(?=[\]:| \t])|\$[ \t])"
)
_INLINE = re.compile(
    r"(`+)[\s\S]*?(?<!`)\1(?!`)"  # code span
    r'|"[^"]*"|“[^”]*”'  # someone else's words
    r"|<!--[\s\S]*?-->"
    r"|\]\([^)]*\)"  # link target
    r"|<[A-Za-z][A-Za-z0-9+.-]*:[^>\s]*>"  # autolink
    r"|\b[A-Za-z][A-Za-z0-9+.-]*://\S+"  # bare URL
)


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer("\n", text))]


def inline_excluded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Code spans, quotations and URLs within `text[start:end]`, as offsets."""
    return [(m.start(), m.end()) for m in _INLINE.finditer(text, start, end)]


class Body:
    """Answers whether a place in a Markdown body is prose."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = line_starts(text)
        self._fences: list[tuple[int, int]] | None = None
        self._blocks: list[tuple[int, int]] | None = None

    def line_index(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def line(self, index: int) -> str:
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else None
        return self.text[self.starts[index] : end]

    def is_prose(self, start: int, end: int) -> bool:
        if overlaps(self.blocks(), start, end):
            return False

        index = self.line_index(start)
        line = self.line(index)
        if _LOG_LINE.match(line):
            return False
        first = self._paragraph_start(index)
        if self._quoted(first, index) or self._indented_code(first):
            return False

        last = self._paragraph_end(index)
        para_end = self.starts[last + 1] if last + 1 < len(self.starts) else None
        para_end = len(self.text) if para_end is None else para_end
        spans = inline_excluded(self.text, self.starts[first], para_end)
        return not overlaps(spans, start, end)

    def fences(self) -> list[tuple[int, int]]:
        """Fenced code blocks, as offset spans."""
        if self._fences is None:
            self._fences = _fenced_blocks(self.text)
        return self._fences

    def blocks(self) -> list[tuple[int, int]]:
        """Fenced code blocks and HTML comments, as offset spans."""
        if self._blocks is None:
            fences = self.fences()
            comments = [
                (m.start(), m.end())
                for m in _COMMENT.finditer(self.text)
                if not overlaps(fences, m.start(), m.start() + 1)
            ]
            self._blocks = fences + comments
        return self._blocks

    def _blank(self, index: int) -> bool:
        return not self.line(index).strip()

    def _paragraph_start(self, index: int) -> int:
        while index > 0 and not self._blank(index - 1):
            index -= 1
        return index

    def _paragraph_end(self, index: int) -> int:
        while index + 1 < len(self.starts) and not self._blank(index + 1):
            index += 1
        return index

    def _quoted(self, first: int, index: int) -> bool:
        # A line that starts no block of its own continues the last one that did.
        for number in range(index, first - 1, -1):
            line = self.line(number)
            if _BLOCK_START.match(line):
                return bool(_QUOTE_LINE.match(line))
        return False

    def _indented_code(self, first: int) -> bool:
        if not _INDENTED.match(self.line(first)):
            return False
        before = first - 1
        while before >= 0 and self._blank(before):
            before -= 1
        if before < 0:
            return True
        # Indented text after a list item continues the item.
        previous = self.line(before)
        return not (_LIST_ITEM.match(previous) or previous[:1] in (" ", "\t"))


def _fenced_blocks(text: str) -> list[tuple[int, int]]:
    blocks: list[tuple[int, int]] = []
    position = 0
    while True:
        opening = _FENCE_OPEN.search(text, position)
        if opening is None:
            return blocks
        fence = opening.group(1)
        if fence[0] == "`" and "`" in opening.group(2):
            position = opening.end()  # an inline code span, not a fence
            continue
        closing = re.compile(
            rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.MULTILINE
        ).search(text, opening.end())
        end = closing.end() if closing else len(text)
        blocks.append((opening.start(), end))
        position = end


@dataclass(frozen=True)
class ProseField:
    """One prose value of the front matter: where its text lies, quotes excluded."""

    path: FieldPath
    start: int
    end: int


def prose_values(data: dict[str, Any]) -> list[str]:
    """The text of every prose field in loaded front matter data: a cheap
    first look, before positions are worked out for the few that need them."""
    found: list[str] = []
    for path in PROSE_FIELDS:
        value: Any = data.get(path[0])
        if len(path) == 3:
            # Plain loops: validate asks this of every record.
            if isinstance(value, list):
                name = path[2]
                for item in value:
                    if isinstance(item, dict):
                        text = item.get(name)
                        if isinstance(text, str):
                            found.append(text)
            continue
        if len(path) == 2:
            value = value.get(path[1]) if isinstance(value, dict) else None
        if isinstance(value, str):
            found.append(value)
    return found


def prose_fields(front_matter: str) -> list[ProseField]:
    """Every prose value of a front matter that loads, in document order."""
    # Imported here: PyYAML's node tree is needed only where a phrase was
    # found in a prose value, and validating a clean record never imports it.
    from pmctl.records.nodes import ScalarNode, compose, select

    root = compose(front_matter)
    starts = line_starts(front_matter)
    found: list[ProseField] = []
    for pattern in PROSE_FIELDS:
        for path, node in select(root, pattern):
            if isinstance(node, ScalarNode):
                found.append(_content(path, node, starts))
    return sorted(found, key=lambda field: field.start)


def _content(path: FieldPath, node: ScalarNode, starts: list[int]) -> ProseField:
    start = starts[node.start_mark.line] + node.start_mark.column
    end = starts[node.end_mark.line] + node.end_mark.column
    style = node.style or ""
    if style in ('"', "'"):
        start, end = start + 1, end - 1
    elif style in ("|", ">"):
        # The text begins on the line after the `|` or `>` indicator.
        following = node.start_mark.line + 1
        start = starts[following] if following < len(starts) else end
    return ProseField(path, start, end)
