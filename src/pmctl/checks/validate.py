"""Run every check over a repository and collect one `ValidationResult`."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from pmctl.checks.cross import CROSS_CHECKS
from pmctl.checks.rules import RECORD_CHECKS
from pmctl.checks.schema import check_schema
from pmctl.config import Config
from pmctl.lint import lint_for_validate
from pmctl.problems import Problem, ValidationResult
from pmctl.records.discovery import Repository
from pmctl.records.model import Record


def check_record(record: Record, config: Config) -> list[Problem]:
    """Schema and single-record rules for one record, and its blameless-language
    lint as `lint.in_validate` says (warnings by default)."""
    problems = check_schema(record)
    for check in RECORD_CHECKS:
        problems.extend(check(record, config))
    problems.extend(lint_for_validate(record, config))
    return problems


def validate(
    repo: Repository,
    config: Config,
    only: Collection[str] | None = None,
    strict: bool = False,
    record_problems: Mapping[str, list[Problem]] | None = None,
) -> ValidationResult:
    """Check every record; report on those in `only` (default: all of them).

    Cross-record rules always see the whole repository, so a record is judged
    the same whether it is validated alone or with the rest. `record_problems`
    are single-record findings already made (by the cached pipeline).
    """

    def wanted(path: str) -> bool:
        return only is None or path in only

    result = ValidationResult(checked=0, strict=strict, root=repo.root)
    result.load_problems = [p for p in repo.failures if wanted(p.path)]
    for record in repo.records:
        if not wanted(record.path):
            continue
        if record_problems is not None and record.path in record_problems:
            result.rule_problems.extend(record_problems[record.path])
        else:
            result.rule_problems.extend(check_record(record, config))
    for cross_check in CROSS_CHECKS:
        result.rule_problems.extend(
            p for p in cross_check(repo.records) if wanted(p.path)
        )

    result.paths = sorted(path for path in repo.paths() if wanted(path))
    result.checked = len(result.paths)
    return result
