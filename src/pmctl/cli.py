"""The command line: Typer wiring, and the one place errors become exit codes.

Command modules import only Typer at load time and pull in YAML, jsonschema or
GitPython inside the command, so `pmctl --help` and `--version` stay fast.
"""

from __future__ import annotations

import os
import sys
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

app = typer.Typer(
    name="pmctl",
    help="Incident, postmortem and exercise records kept in git.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["--help", "-h"]},
)


def _print_version(value: bool) -> None:
    if value:
        from pmctl import __version__

        typer.echo(f"pmctl {__version__}")
        raise typer.Exit()


@app.callback()
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


app.command("init")(init.init)
app.add_typer(new.app, name="new")
app.command("validate")(validate.validate)
app.command("report")(report.report)
app.add_typer(actions.app, name="actions")
actions.app.command("close")(action_edit.close)
actions.app.command("reopen")(action_edit.reopen)
actions.app.command("set")(action_edit.set_action)
app.command("lint")(lint.lint)
app.command("show")(show.show)
app.command("severities")(severities.severities)


def main() -> None:
    """Run pmctl; map domain errors to exit codes and never show a traceback."""
    from pmctl.errors import PmctlError

    try:
        app()
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
