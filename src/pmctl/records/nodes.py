"""Where each value of a record's front matter sits in its text.

Lint and lossless edits need positions (line, column) and quoting styles, which
plain data does not keep. Only front matter that `yaml_strict.load_yaml` has
already accepted is composed here, so there are no aliases to expand and no tags
to trust: the node tree has the same shape as the loaded data.
"""

from __future__ import annotations

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from pmctl.problems import FieldPath

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # libyaml missing: the pure-Python loader gives the same marks
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

__all__ = [
    "MappingNode",
    "Node",
    "ScalarNode",
    "SequenceNode",
    "compose",
    "is_block_style",
    "lookup",
    "select",
]


def compose(text: str) -> Node | None:
    """The node tree of one YAML document that is known to load."""
    node: Node | None = yaml.compose(text, Loader=_Loader)
    return node


def lookup(node: Node | None, key: str) -> tuple[ScalarNode, Node] | None:
    """The key and value nodes of `key` in a mapping node, if it has one."""
    if not isinstance(node, MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def select(
    node: Node | None, pattern: tuple[str, ...], path: FieldPath = ()
) -> list[tuple[FieldPath, Node]]:
    """The nodes at a field path in which "*" stands for every item of a list,
    each with its concrete path (`path` is the path of `node` itself)."""
    if not pattern:
        return [] if node is None else [(path, node)]
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if not isinstance(node, SequenceNode):
            return []
        return [
            found
            for index, item in enumerate(node.value)
            for found in select(item, rest, (*path, index))
        ]
    entry = lookup(node, head)
    return select(entry[1], rest, (*path, head)) if entry else []


def is_block_style(node: Node) -> bool:
    """Block style: one entry per line, not `{a: 1}` or `[1, 2]`."""
    if isinstance(node, MappingNode | SequenceNode):
        return not node.flow_style
    return True
