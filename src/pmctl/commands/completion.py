"""Shell completion of record and action ids.

Completion runs on every Tab press, so it reads file names, not records,
except to list the action items of the one record an id names in full.
"""

from __future__ import annotations

from pathlib import Path

import typer

# With more records than this matching, offer ids only, not their actions.
_EXPAND_ACTIONS_UP_TO = 10


def complete_record_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """Ids of every record whose file name starts with one."""
    return _ids(ctx, incomplete, ())


def complete_incident_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    return _ids(ctx, incomplete, ("INC",))


def complete_action_refs(ctx: typer.Context, incomplete: str) -> list[str]:
    """`PM-2026-0042/A1`: action items of the postmortems and exercises."""
    ids = _ids(ctx, incomplete.split("/", 1)[0], ("PM", "EX"))
    if len(ids) > _EXPAND_ACTIONS_UP_TO:
        return [f"{record_id}/" for record_id in ids]

    from pmctl.records.lookup import action_refs

    root = _root(ctx)
    refs = action_refs(root, ids) if root else []
    return [ref for ref in refs if ref.upper().startswith(incomplete.upper())]


def _ids(ctx: typer.Context, incomplete: str, prefixes: tuple[str, ...]) -> list[str]:
    root = _root(ctx)
    if root is None:
        return []

    from pmctl.records.lookup import ids_from_file_names

    wanted = incomplete.upper()
    return [i for i in ids_from_file_names(root, prefixes) if i.startswith(wanted)]


def _root(ctx: typer.Context) -> Path | None:
    from pmctl.config import resolve_root
    from pmctl.errors import PmctlError

    given = ctx.params.get("root")
    try:
        return resolve_root(Path(given) if given else None)
    except PmctlError:
        return None
