"""`report --format json`: cli.md's object, plus the extra sections, one line."""

from __future__ import annotations

import json
from typing import TextIO

from pmctl.metrics.compute import Report
from pmctl.metrics.serialize import report_to_dict


def render(report: Report, out: TextIO) -> None:
    out.write(json.dumps(report_to_dict(report), ensure_ascii=False) + "\n")
