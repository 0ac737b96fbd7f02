"""A strict, safe YAML reader for record front matter and `pmctl.yaml`.

Records arrive in pull requests from anyone, so the reader trusts nothing:

- only plain data is built (mappings, lists, text, numbers, booleans, null);
  any other tag, Python ones included, is refused;
- anchors and aliases are refused, which rules out alias bombs;
- a key given twice is an error instead of the last one silently winning;
- scalars follow YAML 1.2's core schema: `2026-11-03T14:09:00Z` and `12:30`
  stay text for the schema to judge, and `yes`/`no`/`on`/`off` are text, not
  booleans, so a retyped value is caught rather than accepted.

Line numbers are not kept while loading; `key_lines` recovers them on demand for
the few files that have problems.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any, ClassVar

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

try:
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]
except ImportError:  # libyaml missing: the pure-Python parser reads the same
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


FieldPath = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class YamlProblem(Exception):
    """The text is not acceptable YAML; `line` is 1-based within the text."""

    def __init__(self, rule: str, message: str, line: int | None) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.line = line


class _CoreResolver(BaseResolver):
    """YAML 1.2 core schema resolution: no timestamps, no sexagesimal numbers."""


_CoreResolver.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_CoreResolver.add_implicit_resolver(
    _INT,
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
_CoreResolver.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"""^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        re.X,
    ),
    list("-+.0123456789"),
)
_CoreResolver.add_implicit_resolver(
    _NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


class _PlainConstructor(SafeConstructor):
    """Builds plain data only, refusing aliases, duplicate keys and odd keys."""

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            raise YamlProblem(
                "yaml-alias",
                "YAML anchors and aliases (&name, *name) are not allowed; the "
                f"anchor on line {_line(node)} is used again: write the value out",
                node.start_mark.line + 1,
            )
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Hashable, Any]:
        if not isinstance(node, MappingNode):
            raise YamlProblem("yaml-syntax", "expected a mapping", _line(node))

        mapping: dict[Hashable, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
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
            mapping[key] = self.construct_object(value_node, deep=True)
        return mapping

    def construct_int(self, node: Node) -> int:
        text = str(self.construct_scalar(node))  # type: ignore[arg-type]
        if text.startswith("0x"):
            return int(text, 16)
        if text.startswith("0o"):
            return int(text[2:], 8)
        return int(text, 10)

    def construct_undefined(self, node: Node) -> Any:
        raise YamlProblem(
            "yaml-tag",
            f"the YAML tag `{node.tag}` is not allowed; records hold plain text, "
            "numbers, booleans, lists and mappings",
            _line(node),
        )

    # Only plain data: SafeConstructor's timestamps, sets and binary are left out.
    yaml_constructors: ClassVar[dict[Any, Any]] = {
        _STR: SafeConstructor.construct_yaml_str,
        _INT: construct_int,
        _FLOAT: SafeConstructor.construct_yaml_float,
        _BOOL: SafeConstructor.construct_yaml_bool,
        _NULL: SafeConstructor.construct_yaml_null,
        _SEQ: SafeConstructor.construct_yaml_seq,
        _MAP: SafeConstructor.construct_yaml_map,
        None: construct_undefined,
    }


class _Loader(_Parser, _PlainConstructor, _CoreResolver):
    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        _PlainConstructor.__init__(self)
        _CoreResolver.__init__(self)


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def load_yaml(text: str) -> Any:
    """Parse one YAML document into plain data, or raise `YamlProblem`."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return loader.construct_document(node)
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        if isinstance(error, ConstructorError):
            raise YamlProblem("yaml-tag", _describe(error), line) from None
        raise YamlProblem("yaml-syntax", _describe(error), line) from None
    except yaml.YAMLError as error:
        raise YamlProblem("yaml-syntax", str(error), None) from None
    except RecursionError:
        raise YamlProblem(
            "yaml-syntax", "the YAML is nested too deeply to read", None
        ) from None
    finally:
        loader.dispose()


def _describe(error: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (error.context, error.problem) if p]
    return "invalid YAML: " + ", ".join(parts) if parts else "invalid YAML"


def key_lines(text: str) -> dict[FieldPath, int]:
    """Map every field path in the document to the 1-based line it starts on.

    For a mapping entry that is the line of its key; for a list item, the line
    of the item. The empty path maps to the document's first line.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        return {}
    finally:
        loader.dispose()

    lines: dict[FieldPath, int] = {}
    if node is not None:
        _walk(node, (), _line(node), lines)
    return lines


def _walk(node: Node, path: FieldPath, line: int, out: dict[FieldPath, int]) -> None:
    out[path] = line
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                _walk(value_node, (*path, key_node.value), _line(key_node), out)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), _line(item), out)
