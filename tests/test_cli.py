"""The command line as a whole: version, help for every command, exit-code mapping."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from core_support import PROJECT, Cli, write_valid_repository
from pmctl.cli import _invoked, app, build_app


def walk(
    command: Any, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command and group registered on the Typer app, with its name path."""
    yield path, command
    if hasattr(command, "list_commands"):
        context = command.context_class(command)
        for name in command.list_commands(context):
            yield from walk(command.get_command(context, name), (*path, name))


COMMANDS = list(walk(typer.main.get_command(app)))[1:]
LEAVES = [(p, c) for p, c in COMMANDS if not hasattr(c, "list_commands")]


def test_version(cli: Cli) -> None:
    result = cli("--version").expect(0)

    assert result.stdout == f"pmctl {version('pmctl')}\n"


def test_python_dash_m_pmctl() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pmctl", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"pmctl {version('pmctl')}"


def test_start_up_imports_nothing_heavy() -> None:
    heavy = ("yaml", "jsonschema", "git", "rich", "importlib.metadata")
    code = (
        "import sys, pmctl.cli\n"
        f"print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", "imported at start-up: " + done.stdout


def test_top_level_help_lists_every_command(cli: Cli) -> None:
    result = cli("--help").expect(0)

    for path, _command in COMMANDS:
        if len(path) == 1:
            assert path[0] in result.stdout


def test_no_arguments_shows_help(cli: Cli) -> None:
    result = cli()

    assert result.exit_code in (0, 2), result.describe()
    assert "Usage" in result.output
    assert "Traceback" not in result.output


def test_the_core_commands_exist() -> None:
    names = {path for path, _ in COMMANDS}
    expected = {
        ("init",),
        ("validate",),
        ("report",),
        ("actions",),
        ("new", "incident"),
        ("new", "postmortem"),
        ("new", "exercise"),
    }
    assert expected <= names


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS]
)
def test_every_command_has_help_text(path: tuple[str, ...], command: Any) -> None:
    assert (command.help or "").strip(), f"`pmctl {' '.join(path)}` has no help"
    for param in command.params:
        if getattr(param, "hidden", False) or param.name == "help":
            continue
        if param.param_type_name == "option":
            assert (param.help or "").strip(), f"{' '.join(path)} {param.opts}"


@pytest.mark.parametrize("path", [p for p, _ in LEAVES], ids=" ".join)
def test_every_command_help_runs_and_offers_root(
    path: tuple[str, ...], cli: Cli
) -> None:
    result = cli(*path, "--help").expect(0)

    assert "Usage" in result.stdout
    assert "--root" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        *([*path, "--help"] for path, _ in COMMANDS),
        ["validate", "--frobnicate"],
        ["validate", "--format", "xml"],
        ["new", "frobnicate"],
        ["actions", "close"],
        ["report", "--format", "xml"],
    ],
    ids=" ".join,
)
def test_an_app_of_one_command_runs_it_as_the_full_app_does(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `main` builds an app holding only the command it runs (start-up time).
    runner = CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1"})
    monkeypatch.chdir(tmp_path)

    full = runner.invoke(app, args)
    alone = runner.invoke(build_app(args[0]), args)

    assert (alone.exit_code, alone.output) == (full.exit_code, full.output)
    assert "Usage" in full.output


@pytest.mark.parametrize(
    ("args", "only"),
    [
        ([], None),
        (["-h"], None),
        (["--help"], None),
        (["--version"], None),
        (["--version", "validate"], None),
        (["frobnicate"], None),
        (["--", "validate"], None),
        (["validate", "-h"], "validate"),
        (["actions", "close", "A1"], "actions"),
    ],
)
def test_only_a_run_of_one_known_command_gets_an_app_of_its_own(
    args: list[str], only: str | None
) -> None:
    assert _invoked(args) == only


def test_help_at_a_narrow_width(cli: Cli) -> None:
    result = cli("validate", "--help", env={"COLUMNS": "40"}).expect(0)

    assert "--format" in result.stdout


def test_unknown_command_exits_2(cli: Cli) -> None:
    result = cli("frobnicate").expect(2)

    assert "frobnicate" in result.stderr


def test_unknown_option_exits_2(cli: Cli, tmp_path: Path) -> None:
    cli("validate", "--root", tmp_path, "--frobnicate").expect(2)


def test_a_bug_is_reported_without_a_traceback(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_valid_repository(tmp_path)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("pmctl.config.load_config", broken)
    result = cli("validate", "--root", tmp_path)

    assert result.exit_code == 3, result.describe()
    assert "internal error: RuntimeError: boom" in result.stderr
    assert "PMCTL_DEBUG" in result.stderr
    assert "Traceback" not in result.output


def test_interrupt_exits_130(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_valid_repository(tmp_path)

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("pmctl.config.load_config", interrupted)
    result = cli("validate", "--root", tmp_path)

    assert result.exit_code == 130, result.describe()
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS]
)
def test_every_command_is_in_the_readme(path: tuple[str, ...], command: Any) -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    commands_section = readme.split("## Commands", 1)[1].split("\n## ", 1)[0]

    # Subcommands are listed as alternatives: `pmctl new incident|postmortem|...`.
    assert f"pmctl {path[0]}" in commands_section, f"`pmctl {path[0]}` not listed"
    if len(path) > 1:
        assert path[-1] in commands_section, f"`{' '.join(path)}` not listed"
