"""Rules one record must follow that a JSON Schema cannot say.

Each check takes a record (and the config) and returns problems. Checks read
the data defensively: a field of the wrong type is the schema's to report, so
here it is skipped, never reported twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from pmctl.checks.schema import describe
from pmctl.config import Config, not_configured
from pmctl.ids import ID_PATTERN, id_in_path
from pmctl.problems import FieldPath, Problem, Severity, format_field
from pmctl.records.model import OPEN_STATUSES, Record
from pmctl.speedups import native
from pmctl.timeparse import (
    looks_like_date,
    looks_like_timestamp,
    parse_date,
    parse_timestamp,
)

_DATE_FIELDS = (
    "started_at",
    "detected_at",
    "communicated_at",
    "mitigated_at",
    "resolved_at",
    "reviewed_on",
    "held_on",
)
_ACTION_DATE_FIELDS = ("due", "closed_on")
# (later field, earlier field): the later one may not come before the earlier.
_INCIDENT_ORDER = (
    ("detected_at", "started_at"),
    ("communicated_at", "detected_at"),
    ("mitigated_at", "detected_at"),
    ("mitigated_at", "started_at"),
    ("resolved_at", "mitigated_at"),
)
_ORDERED_FIELDS = tuple(
    dict.fromkeys(name for pair in _INCIDENT_ORDER for name in pair)
)


def _problem(
    record: Record,
    path: FieldPath,
    rule: str,
    message: str,
    severity: Severity = "error",
) -> Problem:
    return Problem(
        record.path, record.line_of(path), format_field(path), rule, message, severity
    )


def check_times(record: Record, config: Config) -> Iterator[Problem]:
    """`check_dates`, `check_incident_order` and `check_timeline_order`, in
    that order, reading the timeline once: validate runs them on every record."""
    unreal, out_of_order = _timeline_problems(record)
    yield from _unreal_fields(record)
    yield from unreal
    yield from _unreal_action_dates(record)
    yield from check_incident_order(record, config)
    yield from out_of_order


def check_dates(record: Record, config: Config) -> Iterator[Problem]:
    """Timestamps and dates that have the right shape but do not exist."""
    yield from _unreal_fields(record)
    yield from _timeline_problems(record)[0]
    yield from _unreal_action_dates(record)


def _unreal_fields(record: Record) -> Iterator[Problem]:
    data = record.data
    # Most values are real dates or timestamps, which one (remembered) parse
    # confirms; a field's path is built only for the few that are not.
    for key in _DATE_FIELDS:
        if key not in data or _is_real(data[key]):
            continue
        if problem := _bad_date(record, (key,), data[key]):
            yield problem


def _unreal_action_dates(record: Record) -> Iterator[Problem]:
    for index, action in record.actions():
        for name in _ACTION_DATE_FIELDS:
            if name not in action or _is_real(action[name]):
                continue
            if problem := _bad_date(record, ("actions", index, name), action[name]):
                yield problem


def _is_real(value: object) -> bool:
    """Whether a value is a real date or a real timestamp."""
    # Ten characters cannot be a timestamp: one parse decides, not three.
    if isinstance(value, str) and len(value) == 10:
        return parse_date(value) is not None
    return parse_timestamp(value) is not None


def _bad_date(record: Record, path: FieldPath, value: object) -> Problem | None:
    """The problem with a value that is not a real timestamp: it has the
    shape of a timestamp, or of a date, that does not exist."""
    if looks_like_timestamp(value):
        return _problem(
            record,
            path,
            "invalid-timestamp",
            f"{describe(value)} is not a real date and time; "
            "check the day, month and hour",
        )
    if parse_date(value) is None and looks_like_date(value):
        return _problem(
            record,
            path,
            "invalid-date",
            f"{describe(value)} is not a real date; check the day and month",
        )
    return None


def check_incident_order(record: Record, config: Config) -> Iterator[Problem]:
    data = record.data
    if record.kind != "incident":
        return

    moments = {name: parse_timestamp(data.get(name)) for name in _ORDERED_FIELDS}
    for later, earlier in _INCIDENT_ORDER:
        late, early = moments[later], moments[earlier]
        if late is None or early is None or late >= early:
            continue
        if later == "mitigated_at" and earlier == "started_at":
            # Already reported against detected_at when that one is in order.
            detected = moments["detected_at"]
            if detected is not None and late < detected:
                continue
        yield _problem(
            record,
            (later,),
            "timestamp-order",
            f"`{later}` ({data[later]}) is before `{earlier}` ({data[earlier]}); "
            f"expected {later} not before {earlier}",
        )


def check_timeline_order(record: Record, config: Config) -> Iterator[Problem]:
    yield from _timeline_problems(record)[1]


def _timeline_problems(record: Record) -> tuple[list[Problem], list[Problem]]:
    """The timeline entries whose `at` is not a real timestamp, and those
    that come before the entry above them."""
    unreal: list[Problem] = []
    out_of_order: list[Problem] = []
    timeline = record.data.get("timeline")
    if not isinstance(timeline, list):
        return unreal, out_of_order
    # Nearly every timeline is plain timestamps in order, which the C loop
    # confirms at a tenth of the cost of parsing each one here.
    if native is not None and native.plain_timeline(timeline):
        return unreal, out_of_order

    previous: datetime | None = None
    previous_at: object = None
    for index, entry in enumerate(timeline):
        if not isinstance(entry, dict) or "at" not in entry:
            continue
        at = entry["at"]
        moment = parse_timestamp(at)
        if moment is None:
            path = ("timeline", index, "at")
            problem = None if _is_real(at) else _bad_date(record, path, at)
            if problem is not None:
                unreal.append(problem)
            continue
        if previous is not None and moment < previous:
            out_of_order.append(
                _problem(
                    record,
                    ("timeline", index, "at"),
                    "timeline-order",
                    f"timeline entry at {at} comes after one at {previous_at!s}; "
                    "expected entries in chronological order",
                )
            )
        previous, previous_at = moment, at
    return unreal, out_of_order


def check_severity(record: Record, config: Config) -> Iterator[Problem]:
    severity = record.data.get("severity")
    if _named(severity) and severity not in config.severities:
        yield _problem(
            record,
            ("severity",),
            "unknown-severity",
            not_configured("severity", severity, config.severities, "severities"),
        )


def check_categories(record: Record, config: Config) -> Iterator[Problem]:
    factors = record.data.get("contributing_factors")
    if not isinstance(factors, list):
        return

    for index, factor in enumerate(factors):
        category = factor.get("category") if isinstance(factor, dict) else None
        if _named(category) and category not in config.categories:
            yield _problem(
                record,
                ("contributing_factors", index, "category"),
                "unknown-category",
                not_configured(
                    "category",
                    category,
                    config.categories,
                    "contributing_factor_categories",
                ),
            )


def check_teams(record: Record, config: Config) -> Iterator[Problem]:
    if config.teams is None:
        return

    teams = record.data.get("teams")
    if isinstance(teams, list):
        for index, team in enumerate(teams):
            if _named(team) and team not in config.teams:
                yield _unknown_team(record, ("teams", index), team, config.teams)
    for index, action in record.actions():
        team = action.get("team")
        if _named(team) and team not in config.teams:
            path = ("actions", index, "team")
            yield _unknown_team(record, path, team, config.teams)


def _unknown_team(
    record: Record, path: FieldPath, team: object, teams: tuple[str, ...]
) -> Problem:
    message = not_configured("team", team, teams, "teams", "is not in the allow-list")
    return _problem(record, path, "unknown-team", message)


def check_scenario(record: Record, config: Config) -> Iterator[Problem]:
    scenario = record.data.get("scenario")
    if not _named(scenario) or record.kind != "exercise":
        return
    if scenario not in config.scenarios:
        yield _problem(
            record,
            ("scenario",),
            "unknown-scenario",
            not_configured(
                "scenario", scenario, config.scenarios, "exercises.scenarios"
            ),
        )


def check_action_ids(record: Record, config: Config) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, action in record.actions():
        action_id = action.get("id")
        if not isinstance(action_id, str):
            continue
        if action_id in seen:
            yield _problem(
                record,
                ("actions", index, "id"),
                "duplicate-action-id",
                f"action id `{action_id}` is used twice in this record; "
                "give each action its own id (A1, A2, ...)",
            )
        seen.add(action_id)


def check_action_dates(record: Record, config: Config) -> Iterator[Problem]:
    for index, action in record.actions():
        status = action.get("status")
        if "closed_on" in action and status in OPEN_STATUSES:
            yield _problem(
                record,
                ("actions", index, "closed_on"),
                "closed-on-while-open",
                f"`closed_on` is set but the action is `{status}`; "
                "remove closed_on or close the action",
                "warning",
            )


def check_filename(record: Record, config: Config) -> Iterator[Problem]:
    record_id = record.id
    name = record.path.rsplit("/", 1)[-1]
    # The id in the name must be the whole id: INC-2026-00012 is not INC-2026-0001.
    # A malformed id is the schema's `id-format`, not a naming problem.
    if record_id and ID_PATTERN.match(record_id) and id_in_path(name) != record_id:
        yield Problem(
            record.path,
            record.line_of(("id",)),
            "id",
            "filename-mismatch",
            f"the file name should start with the record's id `{record_id}`, "
            "so the id is visible in listings and clashes show up in review",
            "warning",
        )


def _named(value: object) -> bool:
    """Text worth looking up; blank text is the schema's `empty-value`."""
    return isinstance(value, str) and bool(value.strip())


RecordCheck = Callable[[Record, Config], Iterator[Problem]]

RECORD_CHECKS: tuple[RecordCheck, ...] = (
    check_times,
    check_severity,
    check_categories,
    check_teams,
    check_scenario,
    check_action_ids,
    check_action_dates,
    check_filename,
)
