"""`pmctl show`: one record gathered for reading, as plain data.

The view holds text and numbers only; durations are whole seconds for the
reporter to word. Values come from records that may not validate, so every
field is read defensively: a missing or mistyped value shows as empty, and
the problems `validate` finds are part of the view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pmctl.config import Config
from pmctl.problems import Problem
from pmctl.records.lookup import pick_summary, read_again
from pmctl.records.model import OPEN_STATUSES, Record
from pmctl.timeparse import parse_date, parse_timestamp


@dataclass(frozen=True)
class Span:
    """A duration worded by a template: "detected after {}" with 420 seconds."""

    template: str
    seconds: int


@dataclass(frozen=True)
class TimelineEntry:
    # Seconds since customer impact began; None when that is unknown.
    offset: int | None
    at: str
    kind: str
    text: str
    by: str


@dataclass(frozen=True)
class ActionRow:
    id: str
    status: str
    overdue: bool
    title: str
    owner: str
    team: str
    due: str
    systemic: str
    closed_on: str
    tracker: str


@dataclass
class RecordView:
    record: Record
    facts: list[tuple[str, str]] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    factors: list[tuple[str, str]] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def title(self) -> str:
        return _text(self.record.data.get("title"))

    def to_dict(self) -> dict[str, Any]:
        """The parsed record for `--format json`, with validate's problems."""
        record = self.record
        return {
            "path": record.path,
            "kind": record.kind,
            "id": record.id,
            "data": record.data,
            "body": record.body,
            "problems": [problem.to_dict() for problem in self.problems],
        }


def show_record(config: Config, record_id: str, today: date) -> RecordView:
    """Load the repository, find the record and gather what `show` prints.

    Records come through validate's cached pipeline: the problems shown are
    exactly those `pmctl validate` reports for the record.
    """
    from pmctl.checks.checked import validate
    from pmctl.pipeline import analyse

    checked = analyse(config)
    summary = pick_summary(checked.summaries, checked.failures, record_id)
    record = read_again(config.root, summary)
    covered = {i for i in summary.incidents or () if isinstance(i, str)}
    incidents: dict[str, Record] = {}
    for other in checked.summaries:
        if other.kind == "incident" and other.id in covered and other.id:
            incidents[other.id] = read_again(config.root, other)
    view = build_view(record, incidents, config, today)
    view.problems = validate(checked, only=[record.path]).problems
    return view


def build_view(
    record: Record, incidents: dict[str, Record], config: Config, today: date
) -> RecordView:
    """What `show` prints of `record`; `incidents` are those it refers to."""
    view = RecordView(record)
    data = record.data
    start: datetime | None = None
    if record.kind == "incident":
        _incident_facts(view, data, config)
        start = parse_timestamp(data.get("started_at"))
        view.spans = incident_spans(data)
    elif record.kind == "postmortem":
        start = _postmortem_facts(view, data, incidents)
    elif record.kind == "exercise":
        _exercise_facts(view, data)

    view.timeline = _timeline(data.get("timeline"), start)
    view.factors = [
        (_text(f.get("category")), _text(f.get("description")))
        for f in _mappings(data.get("contributing_factors"))
    ]
    view.actions = [_action(a, today) for a in _mappings(data.get("actions"))]
    view.links = [
        (_text(link.get("kind")), _text(link.get("title")), _text(link.get("url")))
        for link in _mappings(data.get("links"))
    ]
    return view


def incident_spans(data: dict[str, Any]) -> list[Span]:
    """How long each stage took: detection, first update, mitigation, resolution."""
    started = parse_timestamp(data.get("started_at"))
    detected = parse_timestamp(data.get("detected_at"))
    stages = (
        ("detected after {}", started, detected),
        ("first update {} after detection", detected, data.get("communicated_at")),
        ("mitigated after {}", started, data.get("mitigated_at")),
        ("resolved after {}", started, data.get("resolved_at")),
    )
    spans = []
    for template, since, until in stages:
        end = until if isinstance(until, datetime) else parse_timestamp(until)
        if since is not None and end is not None and end >= since:
            spans.append(Span(template, int((end - since).total_seconds())))
    return spans


def _incident_facts(view: RecordView, data: dict[str, Any], config: Config) -> None:
    severity = _text(data.get("severity"))
    policy = config.severities.get(severity)
    found = data.get("impact")
    impact: dict[str, Any] = found if isinstance(found, dict) else {}
    flags = [
        name
        for name, key in (
            ("customer-facing", "customer_facing"),
            ("SLO breached", "slo_breached"),
        )
        if impact.get(key) is True
    ]
    view.facts = [
        ("Severity", f"{severity}: {policy.description}" if policy else severity),
        ("Status", _text(data.get("status"))),
        ("Commander", _text(data.get("commander"))),
        ("Comms lead", _text(data.get("comms_lead"))),
        ("Teams", _join(data.get("teams"))),
        ("Services", _join(data.get("services"))),
        ("Started", _text(data.get("started_at"))),
        ("Impact", _text(impact.get("summary"))),
        ("Flags", ", ".join(flags)),
        ("Mitigation", _text(data.get("mitigation"))),
        ("Change-induced", _yes_no(data.get("change_induced"))),
    ]


def _postmortem_facts(
    view: RecordView, data: dict[str, Any], by_id: dict[str, Record]
) -> datetime | None:
    """Facts of a postmortem and of the incidents it covers; returns when the
    earliest of them began, to time the timeline from."""
    incidents = [i for i in data.get("incidents") or [] if isinstance(i, str)]
    found = [by_id[i].data for i in incidents if i in by_id]
    view.facts = [
        ("Status", _text(data.get("status"))),
        ("Authors", _join(data.get("authors"))),
        ("Reviewed on", _text(data.get("reviewed_on"))),
        ("Incidents", _join(incidents)),
        ("Severity", _join([i.get("severity") for i in found])),
        ("Commander", _join([i.get("commander") for i in found])),
        ("Impact", _text(data.get("impact"))),
    ]

    starts = [
        (moment, incident)
        for incident in found
        if (moment := parse_timestamp(incident.get("started_at"))) is not None
    ]
    if not starts:
        return None
    first, incident = min(starts, key=lambda pair: pair[0])
    view.spans = incident_spans(incident)
    return first


def _exercise_facts(view: RecordView, data: dict[str, Any]) -> None:
    view.facts = [
        ("Held on", _text(data.get("held_on"))),
        ("Scenario", _text(data.get("scenario"))),
        ("Facilitator", _text(data.get("facilitator"))),
        ("Participants", _join(data.get("participants"))),
    ]


def _timeline(entries: object, start: datetime | None) -> list[TimelineEntry]:
    rows = []
    for entry in _mappings(entries):
        moment = parse_timestamp(entry.get("at"))
        offset = None
        if moment is not None and start is not None:
            offset = int((moment - start).total_seconds())
        rows.append(
            TimelineEntry(
                offset,
                _text(entry.get("at")),
                _text(entry.get("kind")),
                _text(entry.get("text")),
                _text(entry.get("by")),
            )
        )
    return rows


def _action(action: dict[str, Any], today: date) -> ActionRow:
    status = _text(action.get("status"))
    due = parse_date(action.get("due"))
    return ActionRow(
        id=_text(action.get("id")),
        status=status,
        overdue=status in OPEN_STATUSES and due is not None and due < today,
        title=_text(action.get("title")),
        owner=_text(action.get("owner")),
        team=_text(action.get("team")),
        due=_text(action.get("due")),
        systemic=_yes_no(action.get("systemic")),
        closed_on=_text(action.get("closed_on"))
        + (" (verified)" if action.get("verified") is True else ""),
        tracker=_text(action.get("tracker")),
    )


def _mappings(value: object) -> list[dict[str, Any]]:
    return (
        [item for item in value if isinstance(item, dict)]
        if isinstance(value, list)
        else []
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, str | int | float) else ""


def _join(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(text for item in value if (text := _text(item)))
    return _text(value)


def _yes_no(value: object) -> str:
    return {True: "yes", False: "no"}.get(value, "") if isinstance(value, bool) else ""
