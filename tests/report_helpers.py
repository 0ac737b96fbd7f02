"""Small record sets for the metrics, `report` and `actions` tests.

`incident(n, started, detect=..., communicate=..., mitigate=...)` builds a
valid incident whose timestamps are `started` plus the given seconds, in the
same UTC offset as `started`. `records(...)` wraps dicts as `Record`s for the
pure metric functions; `write_records(root, ...)` writes them as files for CLI
tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from core_support import (
    make_exercise,
    make_incident,
    make_postmortem,
    record_path,
    write_record,
)
from pmctl.config import Config
from pmctl.metrics.inputs import Inputs
from pmctl.records.model import Record


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def stamp(moment: datetime) -> str:
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def incident(
    number: int,
    started: str,
    detect: int | None = 300,
    communicate: int | None = 300,
    mitigate: int | None = 1800,
    resolve: int | None = 3600,
    **changes: Any,
) -> dict[str, Any]:
    """A resolved incident; None for a duration leaves its timestamp out.

    `mitigate` and `resolve` count from `started`, `communicate` from
    detection, as the metrics do.
    """
    start = at(started)
    data = make_incident(id=f"INC-2026-{number:04d}", started_at=started)
    detected = start + timedelta(seconds=detect or 0)
    data["detected_at"] = stamp(detected)
    times = {
        "communicated_at": None
        if communicate is None
        else detected + timedelta(seconds=communicate),
        "mitigated_at": None
        if mitigate is None
        else start + timedelta(seconds=mitigate),
        "resolved_at": None if resolve is None else start + timedelta(seconds=resolve),
    }
    for name, moment in times.items():
        if moment is None:
            data.pop(name, None)
        else:
            data[name] = stamp(moment)
    data.update(changes)
    return data


def postmortem(
    number: int, incidents: Iterable[int], categories: Iterable[str], **changes: Any
) -> dict[str, Any]:
    data = make_postmortem(
        id=f"PM-2026-{number:04d}",
        incidents=[f"INC-2026-{n:04d}" for n in incidents],
        contributing_factors=[
            {"category": c, "description": f"{c} played a part."} for c in categories
        ],
    )
    data.update(changes)
    return data


def action(
    local_id: str, due: str, status: str = "open", **changes: Any
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": local_id,
        "title": f"Follow-up {local_id}",
        "owner": "Ada Lovelace",
        "team": "payments",
        "due": due,
        "status": status,
        "systemic": False,
        "acceptance": "It is measurably done.",
    }
    found.update(changes)
    return found


def exercise(
    number: int, held_on: str, scenario: str, **changes: Any
) -> dict[str, Any]:
    data = make_exercise(
        id=f"EX-2026-{number:04d}", held_on=held_on, scenario=scenario, actions=[]
    )
    data.update(changes)
    return data


def records(*datas: Mapping[str, Any]) -> list[Record]:
    return [Record(record_path(data), dict(data), "", "", 1) for data in datas]


def inputs(
    datas: Iterable[Mapping[str, Any]],
    today: str = "2026-12-01",
    last_changed: dict[str, datetime] | None = None,
    **config: Any,
) -> Inputs:
    return Inputs(
        config=Config(root=Path("."), **config),
        records=records(*datas),
        today=date.fromisoformat(today),
        last_changed=last_changed or {},
    )


def write_records(root: Path, *datas: Mapping[str, Any]) -> list[Path]:
    return [write_record(root, None, data) for data in datas]
