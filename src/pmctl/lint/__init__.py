"""Blameless-language lint: rules over a record's prose, reported as problems."""

from __future__ import annotations

from pmctl.lint.check import lint_for_validate, lint_problems, lint_record
from pmctl.lint.rules import BUILTIN_NAMES, BUILTIN_RULES, Hit, RuleSet, load_rules
from pmctl.lint.run import lint_repository, load_targets

__all__ = [
    "BUILTIN_NAMES",
    "BUILTIN_RULES",
    "Hit",
    "RuleSet",
    "lint_for_validate",
    "lint_problems",
    "lint_record",
    "lint_repository",
    "load_rules",
    "load_targets",
]
