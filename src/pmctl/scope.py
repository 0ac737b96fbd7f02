"""Which records a `validate` run reports on: the paths a user named, and
what a branch changed (`--changed-since`). Every rule still sees every record;
the scope only chooses what is reported."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pmctl.config import CONFIG_NAME
from pmctl.records.model import Summary


@dataclass(frozen=True)
class Scope:
    """`named`: root-relative files the user named, to read even outside the
    record folders. `only`: the paths to report on (None: every record).
    `incidents_before`: ids of the incidents a change deleted or edited, as
    they were before it; references to those that no longer exist are
    reported wherever they are, within `named` when the files named bound
    the report (`bounded`)."""

    named: list[str]
    only: list[str] | None
    incidents_before: frozenset[str] = frozenset()
    bounded: bool = False

    def broken_references(self, records: Sequence[Summary]) -> dict[str, set[str]]:
        """Postmortems whose incident the change removed: path -> its ids."""
        from pmctl.checks.cross import broken_references

        if not self.incidents_before:
            return {}
        within = set(self.named) if self.bounded else None
        return broken_references(records, self.incidents_before, within)


def report_scope(
    root: Path, paths: Sequence[Path] | None, changed_since: str | None
) -> Scope:
    """The scope of `validate [PATH ...] [--changed-since REF]`.

    Naming, changing or deleting pmctl.yaml reports on every record, since a
    changed setting (a category removed, say) can break records nobody touched.
    """
    from pmctl.records.discovery import resolve_targets

    named = resolve_targets(root, paths) if paths else []
    only = None if not paths or CONFIG_NAME in named else named
    named = [path for path in named if path != CONFIG_NAME]
    if changed_since is None:
        return Scope(named, only)

    from pmctl.history.changes import changed_records

    changes = changed_records(root, changed_since)
    if CONFIG_NAME in [*changes.changed, *changes.deleted]:
        return Scope(named, only)
    # Paths that bound the report; pmctl.yaml among them bounds nothing.
    bounded = only is not None
    changed = set(changes.changed)
    only = changes.changed if only is None else sorted(set(only) & changed)
    return Scope(named, only, changes.incidents_before, bounded)
