"""Rules that look across records: unique ids and references between them.

They see records by their `Summary`, so a warm run can judge ten thousand
records without reading any of them again. Each rule looks at every record
but reports only on those in `only` (default: all): naming a problem's line
means reading its record again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence

from pmctl.ids import ID_PATTERN, free_id_after, highest_numbers
from pmctl.problems import Problem
from pmctl.records.model import Summary


def check_unique_ids(
    records: Sequence[Summary], only: Collection[str] | None = None
) -> Iterator[Problem]:
    by_id: dict[str, list[Summary]] = defaultdict(list)
    for record in records:
        if record.id:
            by_id[record.id].append(record)

    highest: dict[tuple[str, int], int] | None = None
    for record_id, holders in by_id.items():
        if len(holders) < 2:
            continue
        reported = [r for r in holders if only is None or r.path in only]
        if not reported:
            continue
        match = ID_PATTERN.match(record_id)
        hint = ""
        if match:
            if highest is None:
                highest = highest_numbers(by_id)
            free = free_id_after(match.group(1), int(match.group(2)), highest)
            hint = f"; the next free id is {free}"
        for record in reported:
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


def check_references(
    records: Sequence[Summary], only: Collection[str] | None = None
) -> Iterator[Problem]:
    incidents = {r.id for r in records if r.kind == "incident" and r.id}
    for record in records:
        referenced = record.incidents
        if record.kind != "postmortem" or referenced is None:
            continue
        if only is not None and record.path not in only:
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


def referring_to_missing(records: Sequence[Summary], ids: Collection[str]) -> list[str]:
    """Paths of postmortems that refer to one of `ids` no record holds."""
    missing = set(ids) - {r.id for r in records if r.kind == "incident"}
    return [
        r.path
        for r in records
        if r.kind == "postmortem" and r.incidents and missing.intersection(r.incidents)
    ]


def _is_incident_id(value: object) -> bool:
    match = ID_PATTERN.match(value) if isinstance(value, str) else None
    return match is not None and match.group(1) == "INC"


CROSS_CHECKS = (check_unique_ids, check_references)
