"""Shell completion of record ids (`show`, `new postmortem --incident`) and of
action items (`actions close | reopen | set`), through Click's bash protocol."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from core_support import EXAMPLES
from pmctl.cli import app
from pmctl.commands import action_edit, completion


def complete(target: typer.Typer, line: str) -> list[str]:
    words = line.split(" ")
    result = CliRunner().invoke(
        target,
        [],
        prog_name="pmctl",
        env={
            "_PMCTL_COMPLETE": "complete_bash",
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(words) - 1),
        },
    )
    assert result.exit_code == 0, result.output
    return result.output.split()


def test_show_completes_record_ids() -> None:
    found = complete(app, f"pmctl show --root {EXAMPLES} PM-2026-000")

    assert found == [f"PM-2026-000{n}" for n in range(1, 9)]


def test_show_completes_every_kind() -> None:
    found = complete(app, f"pmctl show --root {EXAMPLES} ")

    assert len(found) == 23
    assert {i.split("-")[0] for i in found} == {"INC", "PM", "EX"}


def test_new_postmortem_completes_incident_ids_only() -> None:
    found = complete(
        app, f"pmctl new postmortem --root {EXAMPLES} --incident INC-2026-001"
    )

    assert found == ["INC-2026-0010", "INC-2026-0011", "INC-2026-0012", "INC-2026-0013"]


def edit_app() -> typer.Typer:
    edits = typer.Typer()
    edits.command("close")(action_edit.close)
    edits.command("reopen")(action_edit.reopen)
    return edits


def test_edit_commands_complete_action_items() -> None:
    found = complete(edit_app(), f"pmctl close --root {EXAMPLES} PM-2026-0003")
    every = complete(edit_app(), f"pmctl reopen --root {EXAMPLES} ")

    assert found == [f"PM-2026-0003/A{n}" for n in range(1, 6)]
    assert "EX-2026-0002/A3" in every
    assert not any(i.startswith("INC") for i in every)


def test_many_records_complete_to_their_ids_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(completion, "_EXPAND_ACTIONS_UP_TO", 3)

    found = complete(edit_app(), f"pmctl reopen --root {EXAMPLES} ")

    assert found == [
        *(f"EX-2026-000{n}/" for n in (1, 2)),
        *(f"PM-2026-000{n}/" for n in range(1, 9)),
    ]


def test_no_repository_completes_nothing(tmp_path: Path) -> None:
    assert complete(app, f"pmctl show --root {tmp_path}/missing INC") == []
