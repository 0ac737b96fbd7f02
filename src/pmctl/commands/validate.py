"""`pmctl validate`: check records against the schemas and cross-record rules."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pmctl.commands.options import ProblemFormat, RootOption

if TYPE_CHECKING:
    from pmctl.problems import ValidationResult


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Records or folders to report on (default: every record).",
            show_default=False,
        ),
    ] = None,
    root: RootOption = None,
    output_format: Annotated[
        ProblemFormat | None,
        typer.Option("--format", "-f", help="Output format (default: text)."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on warnings as well as errors.")
    ] = False,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            metavar="REF",
            help=(
                "Report only records changed since the merge base with REF, "
                "and postmortems whose incident the change removed."
            ),
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option("--no-cache", help="Read and check every record afresh."),
    ] = False,
) -> None:
    """Check records against the schemas and the cross-record rules.

    Every rule sees the whole repository; the paths named and --changed-since
    only choose which records are reported on. Under GitHub Actions
    (GITHUB_ACTIONS=true) the text report comes with annotations and a step
    summary.
    """
    from pmctl.checks.checked import validate as run_checks
    from pmctl.config import load_config, resolve_root
    from pmctl.pipeline import analyse
    from pmctl.scope import report_scope

    repo_root = resolve_root(root, near=paths or ())
    config = load_config(repo_root, use_cache=not no_cache)
    scope = report_scope(repo_root, paths, changed_since)

    checked = analyse(config, named=scope.named, use_cache=not no_cache)
    broken = scope.broken_references(checked.summaries)
    result = run_checks(checked, only=scope.only, strict=strict, broken=broken)
    _render(result, output_format)
    raise typer.Exit(0 if result.valid else 1)


def _render(result: ValidationResult, output_format: ProblemFormat | None) -> None:
    from pmctl.reporters import get_reporter, github

    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    chosen = output_format or "text"
    if chosen == "text" and in_actions:
        # Record text could otherwise smuggle workflow commands into the log.
        with github.suspended_commands(sys.stdout):
            get_reporter("text")(result, sys.stdout)
    else:
        get_reporter(chosen)(result, sys.stdout)

    if output_format is None and in_actions:
        github.render(result, sys.stdout)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary and (chosen == "github" or (output_format is None and in_actions)):
        _append_summary(result, Path(summary))


def _append_summary(result: ValidationResult, path: Path) -> None:
    from pmctl.reporters.github import render_summary

    try:
        with path.open("a", encoding="utf-8") as out:
            render_summary(result, out)
    except OSError as error:
        typer.echo(
            f"warning: cannot write the step summary {path}: {error.strerror}",
            err=True,
        )
