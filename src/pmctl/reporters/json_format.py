"""`--format json`: the contract's one object, on one line per document."""

from __future__ import annotations

from typing import TextIO

from pmctl.jsontext import dumps
from pmctl.problems import ValidationResult


def render(result: ValidationResult, out: TextIO) -> None:
    document = {
        "valid": result.valid,
        "checked": result.checked,
        "problems": [problem.to_dict() for problem in result.problems],
    }
    out.write(dumps(document) + "\n")
