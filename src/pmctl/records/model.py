"""The record as every command sees it: parsed front matter plus body."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pmctl.problems import FieldPath

Kind = Literal["incident", "postmortem", "exercise"]
KINDS: tuple[Kind, ...] = ("incident", "postmortem", "exercise")
ID_PREFIXES: dict[Kind, str] = {
    "incident": "INC",
    "postmortem": "PM",
    "exercise": "EX",
}


@dataclass
class Record:
    """One record file that parsed: its data is plain, unvalidated YAML data."""

    path: str
    data: dict[str, Any]
    body: str
    front_matter: str
    first_line: int
    _lines: dict[FieldPath, int] | None = field(default=None, repr=False)

    @property
    def kind(self) -> str | None:
        kind = self.data.get("kind")
        return kind if isinstance(kind, str) else None

    @property
    def id(self) -> str | None:
        record_id = self.data.get("id")
        return record_id if isinstance(record_id, str) else None

    def line_of(self, path: FieldPath) -> int:
        """The file line of a field, or of its nearest parent that exists."""
        if self._lines is None:
            from pmctl.records.yaml_strict import key_lines

            self._lines = key_lines(self.front_matter)

        for end in range(len(path), -1, -1):
            line = self._lines.get(path[:end])
            if line is not None:
                return line + self.first_line - 1
        return 1
