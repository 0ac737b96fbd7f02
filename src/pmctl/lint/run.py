"""`pmctl lint` over a set of records: one `ValidationResult`, like validate's."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pmctl.config import Config
from pmctl.lint.check import lint_problems
from pmctl.lint.rules import load_rules
from pmctl.problems import ValidationResult
from pmctl.records.discovery import Repository, load_paths, resolve_targets


def load_targets(config: Config, targets: Sequence[Path]) -> Repository:
    """The records a user named, or every record when they named none.

    Every record is read as validate reads it. A file named on its
    own must be a record; inside a named folder only the files that are
    records count, as validate judges them. Unlike validate, lint needs no
    other record, so for named files nothing else is read.
    """
    if not targets:
        from pmctl.pipeline import load_records

        return load_records(config)

    root = config.root
    repo = Repository(root)
    seen: set[str] = set()
    for target in targets:
        paths = [p for p in resolve_targets(root, [target]) if p not in seen]
        seen.update(paths)
        found = load_paths(root, paths, explicit=not target.is_dir())
        repo.records.extend(found.records)
        repo.failures.extend(found.failures)
    return repo


def lint_repository(
    repo: Repository, config: Config, strict: bool = False
) -> ValidationResult:
    """Lint every record of `repo`; files that failed to load are reported."""
    rules = load_rules(config.lint)
    result = ValidationResult(checked=0, strict=strict, root=repo.root)
    result.load_problems = list(repo.failures)
    for record in repo.records:
        result.rule_problems.extend(lint_problems(record, rules))

    result.paths = sorted(repo.paths())
    result.checked = len(result.paths)
    return result
