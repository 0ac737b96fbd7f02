"""Read and check every record once: cached, and in parallel when cold.

This is the one way commands get records. Each file's outcome (a record with
the problems single-record checks found in it, a load failure, or "not a
record") depends only on the file and on what the cache fingerprint covers, so
it is cached per file and computed in worker processes when many are missing.
Cross-record checks always run afresh over the whole set.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Collection, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from multiprocessing import get_context
from pathlib import Path

from pmctl.config import Config
from pmctl.problems import Problem
from pmctl.records.cache import Outcome, RecordCache, cache_file, fingerprint, stamp_of
from pmctl.records.discovery import (
    Repository,
    in_record_folder,
    iter_files,
    read_candidate,
)
from pmctl.records.model import Record

# Below this many files to read, starting workers costs more than it saves.
_PARALLEL_FROM = 400
_CHUNK = 100


@dataclass
class Analysis:
    """Every record under a root, with the problems found in each one alone."""

    repo: Repository
    record_problems: dict[str, list[Problem]] = field(default_factory=dict)


def analyse(
    config: Config, named: Collection[str] = (), use_cache: bool = True
) -> Analysis:
    """Load every record under the root (and the `named` files) and check each."""
    # Reading builds millions of small containers and no cycles, which the
    # cyclic collector would scan again and again; frozen afterwards, they are
    # skipped by later collections too.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _analyse(config, named, use_cache)
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def _analyse(config: Config, named: Collection[str], use_cache: bool) -> Analysis:
    root = config.root
    walked = list(iter_files(root))
    known = set(walked)
    paths = walked + [path for path in named if path not in known]
    required = frozenset(named)
    cache = RecordCache(
        cache_file(root) if use_cache else None, fingerprint(root) if use_cache else ""
    )

    outcomes: dict[str, Outcome] = {}
    missing: list[tuple[str, tuple[int, int, int] | None]] = []
    for path in paths:
        try:
            stamp = stamp_of((root / path).stat())
        except OSError:
            missing.append((path, None))
            continue
        # A named file outside the record folders is judged differently from
        # the same file found by the walk, so it bypasses the cache.
        hit = None if path in required else cache.lookup(path, stamp)
        if hit is None:
            missing.append((path, stamp))
        else:
            outcomes[path] = hit

    computed = _compute(config, [path for path, _ in missing], required)
    for (path, seen), outcome in zip(missing, computed, strict=True):
        outcomes[path] = outcome
        if seen is not None and path not in required:
            cache.store(path, seen, outcome)
    cache.save()

    return _assemble(root, paths, outcomes)


def outcome_of(config: Config, path: str, required: bool) -> Outcome:
    """Read, parse and check one file into plain, cacheable data."""
    from pmctl.checks.validate import check_record

    found = read_candidate(config.root, path, required or in_record_folder(path))
    if found is None:
        return ("skip",)
    if isinstance(found, Problem):
        return ("failure", _problem_data(found))
    problems = [_problem_data(p) for p in check_record(found, config)]
    return ("record", found.data, found.body, found.front_matter, problems)


def _compute(
    config: Config, paths: list[str], required: frozenset[str]
) -> list[Outcome]:
    work = partial(_outcomes, config, required)
    if len(paths) < _PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return work(paths)

    chunks = [paths[i : i + _CHUNK] for i in range(0, len(paths), _CHUNK)]
    # fork starts workers in milliseconds with every module already imported;
    # elsewhere the platform's default is the safe choice.
    context = get_context("fork") if sys.platform == "linux" else None
    with ProcessPoolExecutor(max_workers=os.cpu_count(), mp_context=context) as pool:
        return [outcome for chunk in pool.map(work, chunks) for outcome in chunk]


def _outcomes(
    config: Config, required: frozenset[str], paths: Iterable[str]
) -> list[Outcome]:
    return [outcome_of(config, path, path in required) for path in paths]


def _assemble(root: Path, paths: list[str], outcomes: dict[str, Outcome]) -> Analysis:
    analysis = Analysis(Repository(root))
    for path in paths:
        outcome = outcomes[path]
        if outcome[0] == "record":
            _, data, body, front_matter, problems = outcome
            analysis.repo.records.append(Record(path, data, body, front_matter, 2))
            analysis.record_problems[path] = [Problem(*p) for p in problems]
        elif outcome[0] == "failure":
            analysis.repo.failures.append(Problem(*outcome[1]))
    return analysis


def _problem_data(problem: Problem) -> tuple[object, ...]:
    return (
        problem.path,
        problem.line,
        problem.field,
        problem.rule,
        problem.message,
        problem.severity,
        problem.column,
    )
