"""Finding records by id: for `show`, lossless edits and shell completion."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol, TypeVar

from pmctl.errors import RecordError
from pmctl.ids import ID_PATTERN, id_in_path
from pmctl.problems import Problem
from pmctl.records.discovery import Repository, iter_files, load_repository
from pmctl.records.loader import load_record
from pmctl.records.model import Record, Summary


class _HasId(Protocol):
    @property
    def id(self) -> str | None: ...


_Found = TypeVar("_Found", bound=_HasId)


def ids_from_file_names(root: Path, prefixes: Iterable[str] = ()) -> list[str]:
    """Record ids as file names show them: fast enough for shell completion."""
    wanted = tuple(f"{prefix}-" for prefix in prefixes)
    found = {
        record_id
        for record_id in map(id_in_path, iter_files(root))
        if record_id and (not wanted or record_id.startswith(wanted))
    }
    return sorted(found)


def action_refs(root: Path, record_ids: Iterable[str]) -> list[str]:
    """`PM-2026-0042/A1` for each action item of the records with these ids,
    found by file name; a record that cannot be read adds none."""
    wanted = set(record_ids)
    refs: list[str] = []
    for path in iter_files(root):
        record = load_record(root, path) if id_in_path(path) in wanted else None
        if not isinstance(record, Record) or not record.id:
            continue
        refs.extend(
            f"{record.id}/{action['id']}"
            for _, action in record.actions()
            if isinstance(action.get("id"), str)
        )
    return sorted(refs)


def pick_record(repo: Repository, record_id: str) -> Record:
    """The record with this id in a loaded repository, or a `RecordError`."""
    return _pick(repo.records, repo.failures, record_id)


def pick_summary(
    summaries: Sequence[Summary], failures: Sequence[Problem], record_id: str
) -> Summary:
    """The summary of the record with this id, or a `RecordError`."""
    return _pick(summaries, failures, record_id)


def read_again(root: Path, summary: Summary) -> Record:
    """The whole record behind a summary, or a `RecordError` if it is gone."""
    found = load_record(root, summary.path)
    if isinstance(found, Problem):
        raise _unreadable(found)
    return found


def _pick(
    found: Sequence[_Found], failures: Sequence[Problem], record_id: str
) -> _Found:
    _check_shape(record_id)
    for item in found:
        if item.id == record_id:
            return item
    failed = [p for p in failures if id_in_path(p.path) == record_id]
    if failed:
        raise _unreadable(failed[0])
    raise _not_found(record_id, [item.id for item in found if item.id])


def find_record(root: Path, record_id: str) -> Record:
    """Load the one record with this id, reading as few files as it can.

    Files are named after their ids, so those are tried first; only when no
    file name matches is every record read, to find one named otherwise.
    """
    _check_shape(record_id)
    named = [path for path in iter_files(root) if id_in_path(path) == record_id]
    loaded = [load_record(root, path) for path in named]
    records = [r for r in loaded if isinstance(r, Record) and r.id == record_id]
    if not records:
        failures = [p for p in loaded if isinstance(p, Problem)]
        if failures:
            raise _unreadable(failures[0])
        return pick_record(load_repository(root), record_id)
    if len(records) > 1:
        paths = ", ".join(r.path for r in records)
        raise RecordError(
            f"id `{record_id}` is used by {len(records)} files ({paths}); "
            "give each record its own id first (`pmctl validate` shows the clash)"
        )
    return records[0]


def _check_shape(record_id: str) -> None:
    if not ID_PATTERN.match(record_id):
        raise RecordError(
            f"`{record_id}` is not a record id; ids look like INC-2026-0001, "
            "PM-2026-0001 or EX-2026-0001"
        )


def _unreadable(problem: Problem) -> RecordError:
    return RecordError(unreadable_reason(problem))


def unreadable_reason(problem: Problem) -> str:
    """Why a record a command needs cannot be used, worded the same everywhere."""
    where = f"{problem.path}:{problem.line}" if problem.line else problem.path
    return (
        f"{where}: the record cannot be read: {problem.message} [{problem.rule}]; "
        "fix it first"
    )


def _not_found(record_id: str, known: list[str]) -> RecordError:
    close = difflib.get_close_matches(record_id, known, n=1, cutoff=0.8)
    hint = f"; did you mean {close[0]}?" if close else ""
    return RecordError(f"no record has the id `{record_id}`{hint}")
