"""Reporters render a `ValidationResult`; one per output format.

They are looked up by name and imported only when used, so a format's
dependencies (XML, Rich) cost nothing to the others.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TextIO

from pmctl.problems import ValidationResult

Reporter = Callable[[ValidationResult, TextIO], None]

VALIDATION_FORMATS: dict[str, str] = {
    "text": "pmctl.reporters.text",
    "json": "pmctl.reporters.json_format",
    "github": "pmctl.reporters.github",
    "junit": "pmctl.reporters.junit",
    "sarif": "pmctl.reporters.sarif",
}


def get_reporter(name: str) -> Reporter:
    module = import_module(VALIDATION_FORMATS[name])
    render: Reporter = module.render
    return render
