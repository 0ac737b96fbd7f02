"""`pmctl validate`: check records against the schemas and cross-record rules."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from pmctl.commands.options import RootOption

Format = Literal["text", "json", "github", "junit", "sarif"]


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
        Format | None,
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
            help="Report only records changed since the merge base with REF.",
        ),
    ] = None,
) -> None:
    """Check records against the schemas and the cross-record rules."""
    from pmctl.checks.validate import validate as run_checks
    from pmctl.config import load_config, resolve_root
    from pmctl.records.discovery import load_repository, resolve_targets
    from pmctl.reporters import get_reporter

    repo_root = resolve_root(root)
    config = load_config(repo_root)
    named = resolve_targets(repo_root, paths) if paths else []
    only: list[str] | None = named or None
    if changed_since is not None:
        from pmctl.history.changes import changed_records

        changed = changed_records(repo_root, changed_since)
        only = changed if only is None else [p for p in only if p in changed]

    repo = load_repository(repo_root, named=named)
    result = run_checks(repo, config, only=only, strict=strict)
    get_reporter(output_format or "text")(result, sys.stdout)
    raise typer.Exit(0 if result.valid else 1)
