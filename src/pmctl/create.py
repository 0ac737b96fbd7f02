"""What `new` and `init` create: records pre-filled from flags and other records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from pmctl.checks.checked import CheckedRecords
from pmctl.config import CONFIG_NAME, Config, not_configured
from pmctl.errors import UsageError
from pmctl.history.branches import ids_on_branches
from pmctl.history.identity import git_user_name
from pmctl.ids import id_in_path
from pmctl.pipeline import analyse
from pmctl.problems import Problem
from pmctl.records.discovery import RECORD_FOLDERS
from pmctl.records.loader import load_record
from pmctl.records.lookup import unreadable_reason
from pmctl.scaffold import (
    NewRecord,
    TemplateValue,
    make_folder,
    plan_record,
    template_text,
    write_new_file,
)
from pmctl.timeparse import flag_date, parse_timestamp

ACTION_DUE_DAYS = 30


@dataclass(frozen=True)
class IncidentDraft:
    title: str
    severity: str
    commander: str
    team: str
    started_at: str | None = None
    detected_at: str | None = None


def taken_ids(root: Path, checked: CheckedRecords) -> set[str]:
    """Ids used here or on any branch: a new id must clash with neither.

    A file that fails to load still holds its id in its name.
    """
    named = {found for p in checked.failures if (found := id_in_path(p.path))}
    used = {s.id for s in checked.summaries if s.id}
    return used | named | ids_on_branches(root)


def plan_incident(config: Config, draft: IncidentDraft, now: datetime) -> NewRecord:
    if draft.severity not in config.severities:
        raise UsageError(
            not_configured(
                "--severity", draft.severity, config.severities, "severities"
            )
        )
    if config.teams is not None and draft.team not in config.teams:
        raise UsageError(
            not_configured(
                "--team", draft.team, config.teams, "teams", "is not in the allow-list"
            )
        )

    started_at = draft.started_at or now.strftime("%Y-%m-%dT%H:%M:%SZ")
    started = _timestamp("--started-at", started_at)
    detected_at = draft.detected_at or started_at
    if _timestamp("--detected-at", detected_at) < started:
        raise UsageError("--detected-at must not be before --started-at")

    checked = analyse(config)
    values: dict[str, TemplateValue] = {
        "severity": draft.severity,
        "commander": draft.commander,
        "team": draft.team,
        "started_at": started_at,
        "detected_at": detected_at,
        "declared": f"Incident declared: {draft.title}",
    }
    return plan_record(
        config.root,
        "incident",
        started.year,
        draft.title,
        values,
        taken_ids(config.root, checked),
    )


def plan_postmortem(
    config: Config,
    incident_id: str,
    title: str | None,
    author: str | None,
    today: date,
) -> NewRecord:
    """A postmortem of the incident, by `author` (default: git's user.name)."""
    checked = analyse(config)
    found = next(
        (s for s in checked.summaries if s.kind == "incident" and s.id == incident_id),
        None,
    )
    incident = load_record(config.root, found.path) if found else None
    unreadable = [p for p in checked.failures if id_in_path(p.path) == incident_id]
    if isinstance(incident, Problem) or (incident is None and unreadable):
        problem = incident if isinstance(incident, Problem) else unreadable[0]
        raise UsageError(f"--incident `{incident_id}`: {unreadable_reason(problem)}")
    if incident is None:
        raise UsageError(
            f"--incident `{incident_id}` does not exist in {config.root}; "
            "`pmctl validate` lists the records it can read"
        )

    data = incident.data
    impact = data.get("impact")
    summary = impact.get("summary") if isinstance(impact, dict) else None
    teams = data.get("teams")
    values: dict[str, TemplateValue] = {
        "incident": incident_id,
        "author": author or git_user_name(config.root),
        "impact": summary if isinstance(summary, str) else "",
        "timeline": _timeline(data.get("timeline")),
        "team": teams[0] if isinstance(teams, list) and teams else "",
        "due": (today + timedelta(days=ACTION_DUE_DAYS)).isoformat(),
    }
    incident_title = data.get("title")
    title = title or f"Postmortem: {incident_title or incident_id}"
    return plan_record(
        config.root,
        "postmortem",
        today.year,
        title,
        values,
        taken_ids(config.root, checked),
    )


def plan_exercise(
    config: Config, title: str, scenario: str, held_on: str, facilitator: str | None
) -> NewRecord:
    """An exercise run by `facilitator` (default: git's user.name)."""
    if scenario not in config.scenarios:
        raise UsageError(
            not_configured(
                "--scenario", scenario, config.scenarios, "exercises.scenarios"
            )
        )
    held = flag_date("--held-on", held_on)

    checked = analyse(config)
    values: dict[str, TemplateValue] = {
        "held_on": held_on,
        "scenario": scenario,
        "facilitator": facilitator or git_user_name(config.root),
    }
    return plan_record(
        config.root,
        "exercise",
        held.year,
        title,
        values,
        taken_ids(config.root, checked),
    )


def init_files(root: Path) -> list[tuple[Path, str | None]]:
    """The files (with text) and folders (None) a new repository starts with.

    Refuses, before anything is written, when a file stands where a folder goes.
    """
    if root.exists() and not root.is_dir():
        raise UsageError(f"--root `{root}` is a file; pass a folder")
    planned: list[tuple[Path, str | None]] = [
        (root / CONFIG_NAME, template_text(root, "pmctl.yaml"))
    ]
    planned.extend((root / folder, None) for folder in sorted(RECORD_FOLDERS))

    for path, text in planned:
        if text is None and path.exists() and not path.is_dir():
            raise UsageError(
                f"{path} exists and is not a folder; move it away, then run "
                "`pmctl init` again"
            )
    return planned


def init_repository(root: Path) -> list[tuple[str, bool]]:
    """Create what `init_files` plans and is missing; never overwrite.

    Returns each root-relative path (a created folder with a trailing `/`) and
    whether it was created (False: it was there already and kept).
    """
    done: list[tuple[str, bool]] = []
    for path, text in init_files(root):
        shown = path.relative_to(root).as_posix()
        if path.exists():
            done.append((shown, False))
        elif text is None:
            make_folder(path)
            done.append((f"{shown}/", True))
        else:
            write_new_file(path, text)
            done.append((shown, True))
    return done


def _timestamp(flag: str, value: str) -> datetime:
    parsed = parse_timestamp(value)
    if parsed is None:
        raise UsageError(
            f"{flag} `{value}` is not an RFC 3339 timestamp with an offset, "
            "e.g. 2026-11-03T14:09:00Z"
        )
    return parsed


def _timeline(timeline: object) -> list[dict[str, str]]:
    if not isinstance(timeline, list):
        return []
    entries = []
    for entry in timeline:
        if isinstance(entry, dict):
            entries.append(
                {
                    key: str(entry[key])
                    for key in ("at", "kind", "text", "by")
                    if entry.get(key) is not None
                }
            )
    return entries


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)
