"""A strict, safe YAML reader for record front matter and `pmctl.yaml`.

Records arrive in pull requests from anyone, so the reader trusts nothing:

- only plain data is built (mappings, lists, text, numbers, booleans, null);
  any other tag, Python ones included, is refused;
- anchors and aliases are refused, which rules out alias bombs;
- a key given twice is an error instead of the last one silently winning;
- scalars follow YAML 1.2's core schema: `2026-11-03T14:09:00Z` and `12:30`
  stay text for the schema to judge, and `yes`/`no`/`on`/`off` are text, not
  booleans, so a retyped value is caught rather than accepted.

libyaml parses the text into nodes; a small walker then builds the data, which
is several times faster than PyYAML's general-purpose constructor. Line
numbers are not kept while loading; `key_lines` recovers them on demand for
the few files that have problems.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from pmctl.records.scalars import (
    BOOLS,
    FLOAT,
    INT,
    MAX_DEPTH,
    MAX_DIGITS,
    NULLS,
    NUMBER_START,
    SHALLOW_TEXT,
    float_value,
    int_value,
)

try:
    from yaml.cyaml import CParser as _BaseParser  # type: ignore[attr-defined]
except ImportError:  # libyaml missing: the pure-Python parser reads the same
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _BaseParser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


FieldPath = tuple[str | int, ...]

_PREFIX = "tag:yaml.org,2002:"
_STR = _PREFIX + "str"
_SEQ = _PREFIX + "seq"
_MAP = _PREFIX + "map"
# The tag given to plain (unquoted, untagged) scalars; `_scalar` resolves them.
_PLAIN = "?"


class YamlProblem(Exception):
    """The text is not acceptable YAML; `line` is 1-based within the text."""

    def __init__(self, rule: str, message: str, line: int | None) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.line = line


class _Parser(_BaseParser):
    """libyaml's composer with resolution left to `_scalar`."""

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _SEQ if kind is SequenceNode else _MAP

    def descend_resolver(self, *args: object) -> None:
        return None

    def ascend_resolver(self, *args: object) -> None:
        return None


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _compose(text: str) -> Node | None:
    parser = _Parser(text)
    try:
        node: Node | None = parser.get_single_node()
        return node
    finally:
        parser.dispose()


def load_yaml(text: str) -> Any:
    """Parse one YAML document into plain data, or raise `YamlProblem`."""
    try:
        _refuse_deep_nesting(text)
        node = _compose(text)
    except yaml.reader.ReaderError as error:
        raise _reader_problem(text, error) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        # Newer libyaml builds enforce a nesting limit of their own.
        message = (
            "the YAML is nested too deeply"
            if "nesting depth" in str(error.problem)
            else _describe(error)
        )
        raise YamlProblem("yaml-syntax", message, line) from None
    except yaml.YAMLError as error:
        raise YamlProblem("yaml-syntax", f"invalid YAML: {error}", None) from None
    except RecursionError:
        raise YamlProblem(
            "yaml-syntax", "the YAML is nested too deeply", None
        ) from None

    if node is None:
        return None
    # Scalars are only tracked when an alias is possible at all; it keeps the
    # common case fast.
    scalars: set[int] | None = set() if "*" in text else None
    try:
        return _build(node, set(), scalars)
    except RecursionError:
        raise YamlProblem(
            "yaml-syntax", "the YAML is nested too deeply", None
        ) from None


def _refuse_deep_nesting(text: str) -> None:
    """Refuse nesting deeper than `MAX_DEPTH` before libyaml composes it.

    libyaml's composer recurses in C once per level: a file nested tens of
    thousands deep overflows the stack and kills the process. A short text
    cannot nest that deep (building its data fails first, safely). Every list
    or mapping needs its own `[`, `{`, `-`, `?` or `:`, so counting those
    bounds the depth; only past the limit are the parser's events walked.
    """
    if len(text) <= SHALLOW_TEXT or sum(map(text.count, "[{-?:")) <= MAX_DEPTH:
        return

    parser = _BaseParser(text)
    depth = 0
    try:
        while (event := parser.get_event()) is not None:
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise YamlProblem(
                        "yaml-syntax",
                        f"the YAML is nested too deeply (over {MAX_DEPTH} levels)",
                        mark.line + 1 if mark is not None else None,
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        parser.dispose()


def _reader_problem(text: str, error: yaml.reader.ReaderError) -> YamlProblem:
    # libyaml counts the position in bytes, PyYAML in characters: find the
    # offending character itself, the first one the reader could not accept.
    character = error.character
    found = text.find(chr(character) if isinstance(character, int) else character)
    line = text.count("\n", 0, found) + 1 if found >= 0 else None
    return YamlProblem(
        "yaml-syntax",
        f"invalid YAML: {error.reason} (character {_codepoint(character)}); "
        "remove it or write it as an escape in a double-quoted string",
        line,
    )


def _codepoint(character: int | str) -> str:
    value = character if isinstance(character, int) else ord(character[:1] or "\0")
    return f"U+{value:04X}"


def _build(node: Node, seen: set[int], scalars: set[int] | None) -> Any:
    if type(node) is ScalarNode:
        if scalars is not None:
            _refuse_alias(node, scalars)
        return _scalar(node)

    _refuse_alias(node, seen)
    if type(node) is SequenceNode:
        _expect_tag(node, _SEQ)
        return [_build(item, seen, scalars) for item in node.value]

    _expect_tag(node, _MAP)
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = _build(key_node, seen, scalars)
        if not isinstance(key, str):
            raise YamlProblem(
                "yaml-key",
                f"mapping keys must be text; quote the key {key!r}",
                _line(key_node),
            )
        if key in mapping:
            raise YamlProblem(
                "duplicate-key",
                f"key `{key}` appears more than once in the same mapping; keep one",
                _line(key_node),
            )
        mapping[key] = _build(value_node, seen, scalars)
    return mapping


def _refuse_alias(node: Node, seen: set[int]) -> None:
    # libyaml hands back the anchored node itself for an alias: seeing a node
    # twice means an alias, which is refused before it can multiply.
    if id(node) in seen:
        raise YamlProblem(
            "yaml-alias",
            "YAML anchors and aliases (&name, *name) are not allowed; the "
            f"anchor on line {_line(node)} is used again: write the value out",
            _line(node),
        )
    seen.add(id(node))


def _scalar(node: Node) -> Any:
    value: str = node.value
    tag = node.tag
    if tag == _STR:
        return value
    if tag == _PLAIN:
        if value in BOOLS:
            return BOOLS[value]
        if value in NULLS:
            return None
        if value[0] in NUMBER_START:
            if INT.match(value):
                return int_value(value) if len(value) <= MAX_DIGITS else _long(node)
            if FLOAT.match(value):
                return float_value(value)
        return value
    if tag in (_PREFIX + "int", _PREFIX + "float", _PREFIX + "bool", _PREFIX + "null"):
        return _explicit(node, tag[len(_PREFIX) :])
    raise _tag_problem(node)


def _explicit(node: Node, name: str) -> Any:
    """A scalar with an explicit core tag such as `!!int "12"`."""
    value: str = node.value
    try:
        if name == "int" and INT.match(value):
            return int_value(value)
        if name == "float" and (FLOAT.match(value) or INT.match(value)):
            return float_value(value)
    except ValueError:
        pass
    if name == "bool" and value in BOOLS:
        return BOOLS[value]
    if name == "null" and value in NULLS:
        return None
    raise YamlProblem(
        "yaml-tag", f"`{value}` is not a valid !!{name} value", _line(node)
    )


def _long(node: Node) -> int:
    raise YamlProblem(
        "yaml-syntax",
        f"a number of {len(node.value)} digits is too long to read; quote it if "
        "it is meant as text",
        _line(node),
    )


def _expect_tag(node: Node, tag: str) -> None:
    if node.tag != tag:
        raise _tag_problem(node)


def _tag_problem(node: Node) -> YamlProblem:
    return YamlProblem(
        "yaml-tag",
        f"the YAML tag `{node.tag}` is not allowed; records hold plain text, "
        "numbers, booleans, lists and mappings",
        _line(node),
    )


def _describe(error: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (error.context, error.problem) if p]
    return "invalid YAML: " + ", ".join(parts) if parts else "invalid YAML"


def key_lines(text: str) -> dict[FieldPath, int]:
    """Map every field path in the document to the 1-based line it starts on.

    For a mapping entry that is the line of its key; for a list item, the line
    of the item. The empty path maps to the document's first line.
    """
    try:
        node = _compose(text)
    except yaml.YAMLError:
        return {}

    lines: dict[FieldPath, int] = {}
    if node is not None:
        _walk(node, (), _line(node), lines, set())
    return lines


def _walk(
    node: Node, path: FieldPath, line: int, out: dict[FieldPath, int], seen: set[int]
) -> None:
    out[path] = line
    if id(node) in seen:
        return
    seen.add(id(node))

    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                key = (*path, key_node.value)
                _walk(value_node, key, _line(key_node), out, seen)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), _line(item), out, seen)
