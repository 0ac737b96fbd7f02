"""`--format json`: the contract's one object, on one line per document."""

from __future__ import annotations

import json
from typing import TextIO

from pmctl.problems import ValidationResult


def render(result: ValidationResult, out: TextIO) -> None:
    document = {
        "valid": result.valid,
        "checked": result.checked,
        "problems": [problem.to_dict() for problem in result.problems],
    }
    out.write(json.dumps(document, ensure_ascii=False) + "\n")
