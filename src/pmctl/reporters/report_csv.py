"""`report --format csv`: one row per severity, then `overall`, every figure.

Durations are whole seconds; an empty cell means no data.
"""

from __future__ import annotations

import csv
from typing import TextIO

from pmctl.metrics.compute import Report
from pmctl.metrics.incidents import DURATIONS

_FIGURES = ("median_s", "p90_s", "samples")
COLUMNS = [
    "since",
    "until",
    "severity",
    "count",
    "low_confidence",
    *(f"{metric}_{name}" for metric in DURATIONS for name in _FIGURES),
]


def render(report: Report, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)

    figures = report.figures
    for row in [*figures.by_severity.values(), figures.overall]:
        cells: list[object] = [
            report.window.since.isoformat(),
            report.window.until.isoformat(),
            row.name,
            row.count,
            str(row.low_confidence).lower(),
        ]
        for metric in DURATIONS:
            figure = row.figures[metric]
            cells.extend((figure.median_s, figure.p90_s, figure.samples))
        writer.writerow(["" if cell is None else cell for cell in cells])
