"""The record as every command sees it: parsed front matter plus body."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pmctl.problems import FieldPath, nearest_line
from pmctl.records.top_level import top_level_line

Kind = Literal["incident", "postmortem", "exercise"]
KINDS: tuple[Kind, ...] = ("incident", "postmortem", "exercise")
ID_PREFIXES: dict[Kind, str] = {
    "incident": "INC",
    "postmortem": "PM",
    "exercise": "EX",
}
ACTION_STATUSES = ("open", "in-progress", "done", "wont-do")
# An action item is open (still owed) in these statuses.
OPEN_STATUSES = ("open", "in-progress")


@dataclass
class Record:
    """One record file that parsed: its data is plain, unvalidated YAML data."""

    path: str
    data: dict[str, Any]
    body: str
    front_matter: str
    first_line: int
    # Lines found so far: a cache, not part of what the record is.
    _lines: dict[FieldPath, int] | None = field(default=None, repr=False, compare=False)

    @property
    def kind(self) -> str | None:
        kind = self.data.get("kind")
        return kind if isinstance(kind, str) else None

    @property
    def id(self) -> str | None:
        record_id = self.data.get("id")
        return record_id if isinstance(record_id, str) else None

    def actions(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """The action items that are mappings, with their index in `actions`."""
        actions = self.data.get("actions")
        if isinstance(actions, list):
            for index, action in enumerate(actions):
                if isinstance(action, dict):
                    yield index, action

    def __reduce__(self) -> tuple[type[Record], tuple[object, ...]]:
        # Records cross between processes by the thousand: rebuilt from their
        # fields, they unpickle in two thirds of the time a dataclass takes.
        # The lines found so far are left behind; they can be found again.
        fields = (self.path, self.data, self.body, self.front_matter, self.first_line)
        return Record, fields

    def line_of(self, path: FieldPath) -> int:
        """The file line of a field, or of its nearest parent that exists."""
        if self._lines is None:
            # A top-level field's line is often read off the text, with
            # no need to compose the front matter (and import PyYAML).
            key = path[0] if len(path) == 1 else None
            if isinstance(key, str) and key in self.data:
                line = top_level_line(self.front_matter, key)
                if line is not None:
                    return line + self.first_line - 1

            from pmctl.records.yaml_strict import key_lines

            self._lines = key_lines(self.front_matter)

        line = nearest_line(self._lines, path)
        return 1 if line is None else line + self.first_line - 1


@dataclass
class Summary:
    """What the cross-record rules need of a record: small enough to keep and
    cache for every record, where whole records would not be.

    `incidents` is the record's `incidents` list when it has one. The record
    itself is read again only when a line must be named (`line_of`).
    """

    path: str
    kind: str | None
    id: str | None
    incidents: tuple[object, ...] | None
    root: Path | None = None
    # Lines found so far; the pipeline caches them with the summary.
    lines: dict[FieldPath, int] = field(default_factory=dict, compare=False)
    _record: Record | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, record: Record) -> Summary:
        incidents = record.data.get("incidents")
        return cls(
            record.path,
            record.kind,
            record.id,
            tuple(incidents) if isinstance(incidents, list) else None,
            _record=record,
        )

    def line_of(self, path: FieldPath) -> int:
        """The file line of a field, reading the record again if need be; 1
        when it can no longer be read (changed or removed since)."""
        line = self.lines.get(path)
        if line is not None:
            return line
        if self._record is None and self.root is not None:
            from pmctl.records.loader import load_record

            found = load_record(self.root, self.path)
            self.root = None  # read once, whatever came of it
            if isinstance(found, Record):
                self._record = found
        line = 1 if self._record is None else self._record.line_of(path)
        self.lines[path] = line
        return line
