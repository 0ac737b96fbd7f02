"""Incidents as the metrics see them, and their response times.

Records are read defensively: a report must work on a repository that does
not validate. Whatever keeps an incident out of a figure is returned as an
`Exclusion`, so the report can name it instead of dropping it silently.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pmctl.metrics.stats import median, p90
from pmctl.records.model import Record
from pmctl.timeparse import parse_timestamp

TIMESTAMP_FIELDS = (
    "started_at",
    "detected_at",
    "communicated_at",
    "mitigated_at",
    "resolved_at",
)

# metric name -> (from field, to field)
DURATIONS: dict[str, tuple[str, str]] = {
    "time_to_detect": ("started_at", "detected_at"),
    "time_to_communicate": ("detected_at", "communicated_at"),
    "time_to_mitigate": ("started_at", "mitigated_at"),
}

LOW_CONFIDENCE_BELOW = 3


@dataclass(frozen=True)
class Incident:
    """The fields of an incident record the metrics use, parsed."""

    id: str
    path: str
    title: str
    severity: str | None
    status: str | None
    times: dict[str, datetime | None]
    raw: dict[str, Any]
    mitigation: str | None
    change_induced: bool | None
    customer_facing: bool | None
    slo_breached: bool | None

    @property
    def started_at(self) -> datetime | None:
        return self.times["started_at"]

    @property
    def mitigated_at(self) -> datetime | None:
        return self.times["mitigated_at"]

    @property
    def resolved_at(self) -> datetime | None:
        return self.times["resolved_at"]


@dataclass(frozen=True)
class Exclusion:
    """One incident left out of one metric, and why."""

    incident: str
    path: str
    metric: str
    reason: str


@dataclass(frozen=True)
class Figure:
    """Median and 90th percentile of one duration, in whole seconds."""

    median_s: int | None
    p90_s: int | None
    samples: int


@dataclass(frozen=True)
class SeverityRow:
    """Response times of the incidents of one severity (or of all of them)."""

    name: str
    count: int
    figures: dict[str, Figure]

    @property
    def low_confidence(self) -> bool:
        return self.count < LOW_CONFIDENCE_BELOW


def to_incident(record: Record) -> Incident:
    data = record.data
    impact = data.get("impact")
    impact = impact if isinstance(impact, dict) else {}
    return Incident(
        id=record.id or record.path,
        path=record.path,
        title=_text(data.get("title")),
        severity=_optional_text(data.get("severity")),
        status=_optional_text(data.get("status")),
        times={name: parse_timestamp(data.get(name)) for name in TIMESTAMP_FIELDS},
        raw=data,
        mitigation=_optional_text(data.get("mitigation")),
        change_induced=_flag(data.get("change_induced")),
        customer_facing=_flag(impact.get("customer_facing")),
        slo_breached=_flag(impact.get("slo_breached")),
    )


def incidents_of(records: Iterable[Record]) -> list[Incident]:
    return [to_incident(r) for r in records if r.kind == "incident"]


def measure(incident: Incident, metric: str) -> int | Exclusion:
    """A duration in whole seconds, or why this incident has none."""
    start_field, end_field = DURATIONS[metric]
    start, end = incident.times[start_field], incident.times[end_field]
    if start is not None and end is not None and end >= start:
        return int((end - start).total_seconds())

    return Exclusion(
        incident.id,
        incident.path,
        metric,
        _why_missing(incident, start_field, end_field),
    )


def response_times(
    incidents: Sequence[Incident], severities: Iterable[str]
) -> tuple[dict[str, SeverityRow], SeverityRow, list[Exclusion]]:
    """Per configured severity and overall: count, median and p90 of each duration."""
    exclusions: list[Exclusion] = []
    values: dict[str, dict[str, list[int]]] = {name: {} for name in severities}
    overall: dict[str, list[int]] = {}
    counts: Counter[str] = Counter()
    for incident in incidents:
        groups = [overall]
        if incident.severity in values:
            groups.append(values[incident.severity])
            counts[incident.severity] += 1
        else:
            exclusions.append(_unknown_severity(incident))

        for metric in DURATIONS:
            found = measure(incident, metric)
            if isinstance(found, Exclusion):
                exclusions.append(found)
                continue
            for group in groups:
                group.setdefault(metric, []).append(found)

    rows = {name: _row(name, counts[name], found) for name, found in values.items()}
    return rows, _row("overall", len(incidents), overall), exclusions


def _row(name: str, count: int, values: dict[str, list[int]]) -> SeverityRow:
    figures = {}
    for metric in DURATIONS:
        found = values.get(metric, [])
        figures[metric] = Figure(median(found), p90(found), len(found))
    return SeverityRow(name, count, figures)


def _unknown_severity(incident: Incident) -> Exclusion:
    return Exclusion(
        incident.id,
        incident.path,
        "by_severity",
        f"severity `{incident.severity}` is not configured; "
        "counted in the overall figures only",
    )


def _why_missing(incident: Incident, start_field: str, end_field: str) -> str:
    start, end = incident.times[start_field], incident.times[end_field]
    if start is not None and end is not None:
        return f"`{end_field}` is before `{start_field}`"

    name = start_field if start is None else end_field
    return missing_reason(incident, name)


def missing_reason(incident: Incident, name: str) -> str:
    """Why a field an incident needs has no usable value."""
    if name in incident.raw and incident.raw[name] is not None:
        return f"`{name}` is not a valid value"
    if incident.status == "investigating":
        return "still investigating"
    return f"`{name}` is missing"


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _optional_text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None
