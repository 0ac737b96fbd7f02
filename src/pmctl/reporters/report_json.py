"""`report --format json`: cli.md's object, plus the extra sections, one line."""

from __future__ import annotations

from typing import TextIO

from pmctl.jsontext import dumps
from pmctl.metrics.compute import Report
from pmctl.metrics.serialize import report_to_dict


def render(report: Report, out: TextIO) -> None:
    out.write(dumps(report_to_dict(report)) + "\n")
