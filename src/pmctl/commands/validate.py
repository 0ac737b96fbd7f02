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

    repo_root = resolve_root(root, near=paths or ())
    config = load_config(repo_root, use_cache=not no_cache)
    named, only, touched = _report_on(repo_root, paths, changed_since)

    checked = analyse(config, named=named, use_cache=not no_cache)
    if only is not None and touched:
        # A change that deletes an incident, or renumbers it, breaks the
        # postmortems that refer to it, though nobody touched them.
        from pmctl.checks.cross import referring_to_missing

        broken = referring_to_missing(checked.summaries, touched)
        only = [*only, *(path for path in broken if not paths or path in named)]
    result = run_checks(checked, only=only, strict=strict)
    _render(result, output_format)
    raise typer.Exit(0 if result.valid else 1)


def _report_on(
    root: Path, paths: list[Path] | None, changed_since: str | None
) -> tuple[list[str], list[str] | None, set[str]]:
    """The files named, the paths to report on (None: every record), and the
    ids of the records --changed-since found changed or deleted.

    Naming, changing or deleting pmctl.yaml reports on every record, since a
    changed setting (a category removed, say) can break records nobody touched.
    """
    from pmctl.config import CONFIG_NAME
    from pmctl.records.discovery import resolve_targets

    named = resolve_targets(root, paths) if paths else []
    only = None if not paths or CONFIG_NAME in named else named
    named = [path for path in named if path != CONFIG_NAME]
    touched: set[str] = set()

    if changed_since is not None:
        from pmctl.history.changes import changed_records

        changes = changed_records(root, changed_since)
        if CONFIG_NAME not in [*changes.paths, *changes.deleted]:
            only = (
                changes.paths
                if only is None
                else sorted(set(only) & set(changes.paths))
            )
            touched = changes.ids()
    return named, only, touched


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
