"""The command line: Typer wiring, and the one place errors become exit codes.

Command modules import only Typer at load time and pull in YAML, jsonschema or
GitPython inside the command, so `pmctl --help` and `--version` stay fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Annotated

import typer

from pmctl.commands import (
    action_edit,
    actions,
    init,
    lint,
    new,
    report,
    severities,
    show,
    validate,
)


def _print_version(value: bool) -> None:
    if value:
        from pmctl import __version__

        typer.echo(f"pmctl {__version__}")
        raise typer.Exit()


def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Incident, postmortem and exercise records kept in git."""


actions.app.command("close")(action_edit.close)
actions.app.command("reopen")(action_edit.reopen)
actions.app.command("set")(action_edit.set_action)

# Each top-level command, and how it joins an app, in registration order.
_COMMANDS: dict[str, Callable[[typer.Typer], object]] = {
    "init": lambda target: target.command("init")(init.init),
    "new": lambda target: target.add_typer(new.app, name="new"),
    "validate": lambda target: target.command("validate")(validate.validate),
    "report": lambda target: target.command("report")(report.report),
    "actions": lambda target: target.add_typer(actions.app, name="actions"),
    "lint": lambda target: target.command("lint")(lint.lint),
    "show": lambda target: target.command("show")(show.show),
    "severities": lambda target: target.command("severities")(severities.severities),
}


def build_app(only: str | None = None) -> typer.Typer:
    """The pmctl app: every command, or just `only` and the top-level options."""
    built = typer.Typer(
        name="pmctl",
        help="Incident, postmortem and exercise records kept in git.",
        no_args_is_help=True,
        add_completion=True,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["--help", "-h"]},
    )
    built.callback()(_main)
    for name, add in _COMMANDS.items():
        if only is None or name == only:
            add(built)
    return built


app = build_app()


def _invoked(arguments: list[str]) -> str | None:
    """The command a command line runs, when nothing else needs the full app.

    Typer reads the signature of every command of an app before it runs one
    (about 25 ms for pmctl's), so a run of one command builds an app holding
    only that one. Help, the version, unknown commands and shell completion
    (whose scripts run pmctl with no arguments) get the full app.
    """
    return arguments[0] if arguments and arguments[0] in _COMMANDS else None


def main() -> None:
    """Run pmctl; map domain errors to exit codes and never show a traceback."""
    from pmctl.errors import PmctlError

    only = _invoked(sys.argv[1:])
    runs = build_app(only) if only else app
    try:
        runs()
    except PmctlError as error:
        typer.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as error:
        if os.environ.get("PMCTL_DEBUG"):
            raise
        typer.echo(
            f"internal error: {type(error).__name__}: {error}\n"
            "This is a bug in pmctl; rerun with PMCTL_DEBUG=1 to see the traceback.",
            err=True,
        )
        sys.exit(3)
