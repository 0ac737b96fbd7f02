"""The checks that judge one record on its own."""

from __future__ import annotations

from pmctl.checks.rules import RECORD_CHECKS
from pmctl.checks.schema import check_schema
from pmctl.config import Config
from pmctl.lint import lint_for_validate
from pmctl.problems import Problem
from pmctl.records.model import Record


def check_record(record: Record, config: Config) -> list[Problem]:
    """Schema and single-record rules for one record, and its blameless-language
    lint as `lint.in_validate` says (warnings by default)."""
    problems = check_schema(record)
    for check in RECORD_CHECKS:
        problems.extend(check(record, config))
    problems.extend(lint_for_validate(record, config))
    return problems
