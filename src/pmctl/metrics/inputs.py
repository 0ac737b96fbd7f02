"""What the metrics are computed from, gathered once per run.

This is the one impure corner of `metrics`: it reads the records, the config
and git history. Everything computed from an `Inputs` is a pure function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pmctl.config import Config
from pmctl.problems import Problem
from pmctl.records.model import Record


@dataclass(frozen=True)
class Inputs:
    """Records, settings, today's date and when each record file last changed.

    `history_note` says why git history was not used, when it was not; then
    `last_changed` is empty and only due dates make an action stale.
    """

    config: Config
    records: list[Record]
    today: date
    last_changed: dict[str, datetime] = field(default_factory=dict)
    history_note: str | None = None
    unreadable: list[Problem] = field(default_factory=list)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.config.timezone)


def load_settings(root: Path | None, today: str | None) -> tuple[Config, date]:
    """The repository's config and the date taken as today (`--today`, or now
    in the configured time zone); cheap, so flags can be checked early."""
    from pmctl.config import load_config, resolve_root
    from pmctl.metrics.window import resolve_today

    config = load_config(resolve_root(root))
    return config, resolve_today(today, ZoneInfo(config.timezone))


def gather_inputs(config: Config, today: date) -> Inputs:
    """Load the records and their git history for the repository of `config`."""
    from pmctl.history.touched import last_changes_meanwhile
    from pmctl.pipeline import load_records

    # Uncommitted edits count as changes made at the end of "today".
    end_of_today = datetime.combine(today, time.max, ZoneInfo(config.timezone))
    with last_changes_meanwhile(config.root, end_of_today) as history_of:
        repo = load_records(config, view=metrics_view)
        history = history_of()
    return Inputs(
        config=config,
        records=repo.records,
        today=today,
        last_changed=history.changed,
        history_note=history.note,
        unreadable=repo.failures,
    )


def metrics_view(record: Record) -> Record:
    """The record as the metrics read it: without its body, its front matter
    text (so without lines) and the prose no metric reads (timeline entries
    but their `at`, links, the impact summary, contributing factors'
    descriptions, actions' acceptance criteria).

    The workers that read records apply it: that prose is over half of what
    they would otherwise pass back, and passing records back costs nearly
    as much as reading them. Tests hold reports and action listings to the
    same output with and without it.
    """
    data = dict(record.data)
    if isinstance(timeline := data.get("timeline"), list):
        data["timeline"] = [_only(entry, "at") for entry in timeline]
    data.pop("links", None)
    if isinstance(impact := data.get("impact"), dict):
        data["impact"] = _without(impact, "summary")
    elif isinstance(impact, str):
        data["impact"] = ""
    for name, prose in (
        ("contributing_factors", "description"),
        ("actions", "acceptance"),
    ):
        if isinstance(items := data.get(name), list):
            data[name] = [_without(item, prose) for item in items]
    return Record(record.path, data, "", "", record.first_line)


def _only(value: Any, key: str) -> Any:
    if not isinstance(value, dict):
        return value
    return {key: value[key]} if key in value else {}


def _without(value: Any, key: str) -> Any:
    if not isinstance(value, dict):
        return value
    return {name: item for name, item in value.items() if name != key}
