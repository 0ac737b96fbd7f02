"""How plain YAML scalars resolve (YAML 1.2's core schema), and reading limits.

Both readers of front matter, the strict libyaml one (`yaml_strict`) and the
rapidyaml fast path (`yaml_fast`), resolve by exactly these rules; kept apart
from both so neither has to import the other's parser.
"""

from __future__ import annotations

import re

INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN))$"
)
BOOLS = {
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
NULLS = frozenset({"", "~", "null", "Null", "NULL"})
NUMBER_START = frozenset("-+.0123456789")
# Limits that keep hostile input from crashing the readers (see their uses).
MAX_DEPTH = 1000
SHALLOW_TEXT = 8000
MAX_DIGITS = 1000


def int_value(value: str) -> int:
    if value.startswith("0x"):
        return int(value, 16)
    if value.startswith("0o"):
        return int(value[2:], 8)
    return int(value, 10)


def float_value(value: str) -> float:
    lowered = value.lower()
    if lowered.endswith(".inf"):
        return float("-inf") if lowered.startswith("-") else float("inf")
    if lowered == ".nan":
        return float("nan")
    return float(value)
