"""`pmctl lint`: blameless-language checks on the prose of records."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from pmctl.commands.options import ProblemFormat, RootOption


def lint(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Records or folders to lint (default: every record).",
            show_default=False,
        ),
    ] = None,
    root: RootOption = None,
    output_format: Annotated[
        ProblemFormat,
        typer.Option("--format", "-f", help="Output format."),
    ] = "text",
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on warnings as well as errors.")
    ] = False,
) -> None:
    """Flag blaming, counterfactual, single-cause and minimising language.

    Reads the Markdown body and the prose fields of the front matter, skipping
    code, block quotes, quoted text and log lines. Rules, levels and word lists
    are set under `lint:` in pmctl.yaml; a comment such as
    `<!-- pmctl-lint disable-next-line minimiser -->` silences one rule.
    """
    from pmctl.config import load_config, resolve_root
    from pmctl.lint.run import lint_repository, load_targets
    from pmctl.reporters import get_reporter

    repo_root = resolve_root(root, near=paths or ())
    config = load_config(repo_root)
    repo = load_targets(config, paths or [])

    result = lint_repository(repo, config, strict=strict)
    get_reporter(output_format)(result, sys.stdout)
    raise typer.Exit(0 if result.valid else 1)
