"""Rules that look across records: unique ids and references between them.

They see records by their `Summary`, so a warm run can judge ten thousand
records without reading any of them again. Each rule looks at every record
but reports only on those in `only` (default: all): naming a problem's line
means reading its record again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping, Sequence

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
    records: Sequence[Summary],
    only: Collection[str] | None = None,
    broken: Mapping[str, Collection[str]] | None = None,
) -> Iterator[Problem]:
    """Postmortems that refer to incidents no record holds.

    Outside `only`, a record in `broken` is still reported on for its
    references to the incidents listed for it (see `broken_references`).
    """
    incidents = {r.id for r in records if r.kind == "incident" and r.id}
    for record in records:
        referenced = record.incidents
        if record.kind != "postmortem" or referenced is None:
            continue
        if only is None or record.path in only:
            reported: Collection[str] | None = None
        elif broken and record.path in broken:
            reported = broken[record.path]
        else:
            continue
        for index, incident_id in enumerate(referenced):
            # A malformed id is reported by the schema (`id-format`), not here.
            if not _is_incident_id(incident_id) or incident_id in incidents:
                continue
            if reported is None or incident_id in reported:
                yield Problem(
                    record.path,
                    record.line_of(("incidents", index)),
                    f"incidents[{index}]",
                    "unknown-incident",
                    f"incident `{incident_id}` does not exist in this repository; "
                    "check the id, or add the incident record first",
                )


def broken_references(
    records: Sequence[Summary],
    before: Collection[str],
    within: Collection[str] | None = None,
) -> dict[str, set[str]]:
    """Postmortems (in `within`, default all) that refer to incidents that
    existed `before` a change and no longer do: path -> those incident ids."""
    gone = set(before) - {r.id for r in records if r.kind == "incident"}
    broken: dict[str, set[str]] = {}
    for record in records:
        if not gone or record.kind != "postmortem" or not record.incidents:
            continue
        if within is not None and record.path not in within:
            continue
        # Ids are compared as text: a malformed one is the schema's to report.
        named = {i for i in record.incidents if isinstance(i, str) and i in gone}
        if named:
            broken[record.path] = named
    return broken


def _is_incident_id(value: object) -> bool:
    match = ID_PATTERN.match(value) if isinstance(value, str) else None
    return match is not None and match.group(1) == "INC"
