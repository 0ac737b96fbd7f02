"""Records checked one by one, and the verdict once cross-record rules have run.

Kept apart from the single-record checks so a warm run, which finds every
record's problems in the cache, never imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pmctl.checks.cross import check_references, check_unique_ids
from pmctl.problems import Problem, ValidationResult
from pmctl.records.model import Summary


@dataclass
class CheckedRecords:
    """Every record under a root, each already checked on its own.

    Records are kept by their summaries, with the problems the single-record
    checks found in each; the cross-record rules run over the summaries.
    """

    root: Path
    summaries: list[Summary] = field(default_factory=list)
    record_problems: dict[str, list[Problem]] = field(default_factory=dict)
    failures: list[Problem] = field(default_factory=list)
    # Keeps the lines the cross-record rules had to read records again for.
    keep_lines: Callable[[], None] | None = field(default=None, compare=False)

    def paths(self) -> set[str]:
        return {s.path for s in self.summaries} | {p.path for p in self.failures}


def validate(
    checked: CheckedRecords,
    only: Collection[str] | None = None,
    strict: bool = False,
    broken: Mapping[str, Collection[str]] | None = None,
) -> ValidationResult:
    """Judge every record; report on those in `only` (default: all of them),
    and on the references to incidents `broken` lists for other records.

    Cross-record rules always see the whole repository, so a record is judged
    the same whether it is validated alone or with the rest.
    """

    reported = None if only is None else set(only)

    def wanted(path: str) -> bool:
        return reported is None or path in reported

    result = ValidationResult(checked=0, strict=strict, root=checked.root)
    result.load_problems = [p for p in checked.failures if wanted(p.path)]
    for path, problems in checked.record_problems.items():
        if wanted(path):
            result.rule_problems.extend(problems)
    result.rule_problems.extend(check_unique_ids(checked.summaries, reported))
    result.rule_problems.extend(check_references(checked.summaries, reported, broken))

    if checked.keep_lines is not None:
        checked.keep_lines()

    paths = {path for path in checked.paths() if wanted(path)}
    result.paths = sorted(paths | {p.path for p in result.rule_problems})
    result.checked = len(result.paths)
    return result
