"""Where each value of a record's front matter sits in its text.

Lint and lossless edits need positions (line, column) and quoting styles, which
plain data does not keep. Only front matter that `yaml_strict.load_yaml` has
already accepted is composed here, so there are no aliases to expand and no tags
to trust: the node tree has the same shape as the loaded data.
"""

from __future__ import annotations

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

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


def is_block_style(node: Node) -> bool:
    """Block style: one entry per line, not `{a: 1}` or `[1, 2]`."""
    if isinstance(node, MappingNode | SequenceNode):
        return not node.flow_style
    return True
