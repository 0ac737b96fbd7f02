"""Rules that look across records: unique ids and references between them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from pmctl.ids import ID_PATTERN, next_free_id
from pmctl.problems import Problem
from pmctl.records.model import Record


def check_unique_ids(records: Sequence[Record]) -> Iterator[Problem]:
    by_id: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        if record.id:
            by_id[record.id].append(record)

    taken = list(by_id)
    free_ids: dict[tuple[str, int], str] = {}
    for record_id, holders in by_id.items():
        if len(holders) < 2:
            continue
        match = ID_PATTERN.match(record_id)
        hint = ""
        if match:
            series = (match.group(1), int(match.group(2)))
            if series not in free_ids:
                free_ids[series] = next_free_id(*series, taken)
            hint = f"; the next free id is {free_ids[series]}"
        for record in holders:
            others = ", ".join(r.path for r in holders if r is not record)
            yield Problem(
                record.path,
                record.line_of(("id",)),
                "id",
                "duplicate-id",
                f"id `{record_id}` is also used by {others}: ids must be unique "
                f"across the repository (often two branches took the same one)"
                f"{hint}",
            )


def check_references(records: Sequence[Record]) -> Iterator[Problem]:
    incidents = {r.id for r in records if r.kind == "incident" and r.id}
    for record in records:
        referenced = record.data.get("incidents")
        if record.kind != "postmortem" or not isinstance(referenced, list):
            continue
        for index, incident_id in enumerate(referenced):
            # A malformed id is reported by the schema (`id-format`), not here.
            if _is_incident_id(incident_id) and incident_id not in incidents:
                yield Problem(
                    record.path,
                    record.line_of(("incidents", index)),
                    f"incidents[{index}]",
                    "unknown-incident",
                    f"incident `{incident_id}` does not exist in this repository; "
                    "check the id, or add the incident record first",
                )


def _is_incident_id(value: object) -> bool:
    match = ID_PATTERN.match(value) if isinstance(value, str) else None
    return match is not None and match.group(1) == "INC"


CROSS_CHECKS = (check_unique_ids, check_references)
