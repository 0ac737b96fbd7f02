"""JSON text for machines, from data that came out of records."""

from __future__ import annotations

import json
import math
from typing import Any


def dumps(document: Any) -> str:
    """One line of strict JSON; NaN and infinities (YAML's `.nan`, `.inf`,
    which a record may hold) become null, as JSON has no such numbers and
    many parsers refuse Python's `NaN`."""
    try:
        return json.dumps(document, ensure_ascii=False, allow_nan=False)
    except ValueError:
        return json.dumps(_finite(document), ensure_ascii=False, allow_nan=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value
