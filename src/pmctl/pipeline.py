"""Read and check every record once: cached, and in parallel when cold.

This is the one way commands get records. `analyse` checks each file on its
own and keeps only its summary and problems: that outcome depends only on the
file and on what the cache fingerprint covers, so it is cached per file and
computed in worker processes when many are missing. Cross-record checks then
run afresh over the summaries. `load_records` is for the commands that need
the records' data (report, actions) or text (lint): it reads them in
parallel, uncached.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TypeVar

from pmctl.checks.checked import CheckedRecords
from pmctl.config import Config
from pmctl.problems import Problem
from pmctl.progress import progress
from pmctl.records.cache import (
    Outcome,
    RecordCache,
    Stamp,
    cache_file,
    fingerprint,
    stamp_of,
    text_digest,
)
from pmctl.records.discovery import (
    Repository,
    in_record_folder,
    iter_files,
    parse_candidate,
    read_candidate,
    read_candidate_text,
)
from pmctl.records.model import Record, Summary

_T = TypeVar("_T")
_R = TypeVar("_R")

# Below this many files to read, starting workers costs more than it saves.
_PARALLEL_FROM = 400
# Files per task: enough that passing tasks costs little. The last tasks are
# smaller, so no worker idles long while another finishes a big one.
_CHUNK = 100
_LAST_CHUNK = 10


def analyse(
    config: Config, named: Collection[str] = (), use_cache: bool = True
) -> CheckedRecords:
    """Load every record under the root (and the `named` files) and check each."""
    with _no_cyclic_gc():
        return _analyse(config, named, use_cache)


def load_records(
    config: Config, view: Callable[[Record], Record] | None = None
) -> Repository:
    """Every record under the root, and the files that failed to load.

    `view`, when given, is applied to each record by the process that read
    it, so what it leaves out is never passed between processes: passing
    records back costs nearly as much as reading them.
    """
    with _no_cyclic_gc():
        paths = list(iter_files(config.root))
        loaded = _map(partial(_load_chunk, config, view), paths, "Reading records")

    repo = Repository(config.root)
    for found in loaded:
        if isinstance(found, Record):
            repo.records.append(found)
        elif found is not None:
            repo.failures.append(found)
    return repo


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    # Reading builds millions of small containers and no cycles, which the
    # cyclic collector would scan again and again; frozen afterwards, they are
    # skipped by later collections too.
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def _analyse(config: Config, named: Collection[str], use_cache: bool) -> CheckedRecords:
    root = config.root
    walked = list(iter_files(root))
    known = set(walked)
    paths = walked + [path for path in named if path not in known]
    required = frozenset(named)
    # A named file outside the record folders must be a record, where the same
    # file found by the walk need not be: its outcome is not the cached one.
    uncached = {path for path in required if not in_record_folder(path)}
    cache = RecordCache(
        cache_file(root) if use_cache else None, fingerprint(root) if use_cache else ""
    )

    outcomes: dict[str, Outcome] = {}
    # With nothing cached (a cold run) there is nothing to look up: the
    # workers take each file's stat as they read it.
    missing = paths if cache.empty else _look_up(root, cache, paths, uncached, outcomes)
    _read_missing(config, cache, missing, required, uncached, outcomes)
    cache.save()

    checked = _assemble(config, paths, outcomes)
    checked.keep_lines = _line_keeper(cache, checked.summaries)
    return checked


def _look_up(
    root: Path,
    cache: RecordCache,
    paths: list[str],
    uncached: set[str],
    outcomes: dict[str, Outcome],
) -> list[str]:
    """The cached outcome of every file whose stat is unchanged, into
    `outcomes`; the paths of the others."""
    missing = []
    # Plain strings: a Path per file costs more than the stat itself.
    folder = f"{root}{os.sep}"
    for path in paths:
        try:
            stamp = stamp_of(os.stat(folder + path))
        except OSError:
            missing.append(path)
            continue
        hit = None if path in uncached else cache.lookup(path, stamp)
        if hit is None:
            missing.append(path)
        else:
            outcomes[path] = hit
    return missing


def _read_missing(
    config: Config,
    cache: RecordCache,
    missing: list[str],
    required: frozenset[str],
    uncached: set[str],
    outcomes: dict[str, Outcome],
) -> None:
    """Outcomes of the files the cache had no stat for, into `outcomes`.

    A new stat may still hold the text checked before (after a fresh clone
    every stat is new): such a file is read and its text digested, and only
    checked again when the digest differs from the cached one.
    """
    work = [(p, None if p in uncached else cache.digest(p)) for p in missing]
    computed = _map(partial(_outcomes, config, required), work, "Checking records")
    for path, (stamp, digest, outcome) in zip(missing, computed, strict=True):
        if outcome is None and digest is not None:
            outcome = cache.lookup_text(path, digest)
        assert outcome is not None, "a worker answered `unchanged` for no entry"
        outcomes[path] = outcome
        if stamp is not None and path not in uncached:
            cache.store(path, stamp, digest, outcome)


def _line_keeper(cache: RecordCache, summaries: list[Summary]) -> Callable[[], None]:
    """Save the cache again if naming problems' lines read records again."""
    known = sum(len(summary.lines) for summary in summaries)

    def keep() -> None:
        if sum(len(summary.lines) for summary in summaries) > known:
            cache.save(changed=True)

    return keep


def check_file(
    config: Config, path: str, required: bool, known: bytes | None = None
) -> tuple[Stamp | None, bytes | None, Outcome | None]:
    """Read one file: its stat as it was read, the digest of its text, if it
    has one, and its outcome; no outcome when the digest is `known` (the
    cached one still stands)."""
    found, info = read_candidate_text(
        config.root, path, required or in_record_folder(path)
    )
    stamp = None if info is None else stamp_of(info)
    if found is None:
        return stamp, None, ("skip",)
    if isinstance(found, Problem):
        return stamp, None, ("failure", _problem_data(found))

    digest = text_digest(found)
    if digest == known:
        return stamp, digest, None
    return stamp, digest, outcome_of(config, path, found)


def outcome_of(config: Config, path: str, text: str) -> Outcome:
    """Parse and check one candidate's text into plain, cacheable data."""
    from pmctl.checks.validate import check_record

    found = parse_candidate(path, text)
    if isinstance(found, Problem):
        return ("failure", _problem_data(found))
    problems = [_problem_data(p) for p in check_record(found, config)]
    summary = Summary.of(found)
    return ("record", summary.kind, summary.id, summary.incidents, problems, {})


def _map(
    work: Callable[[Sequence[_T]], list[_R]],
    items: Sequence[_T],
    description: str,
) -> list[_R]:
    """`work` over `items`, in worker processes when there are many of them;
    a long run shows its progress at a terminal, as `description`."""
    workers = os.cpu_count() or 1
    if len(items) < _PARALLEL_FROM or workers < 2:
        return _collect(map(work, _chunks(items, 1)), len(items), description)

    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    # fork starts workers in milliseconds with every module already imported;
    # elsewhere the platform's default is the safe choice.
    context = get_context("fork") if sys.platform == "linux" else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        # Workers fork while no thread of ours runs (the progress bar has
        # none): a lock another thread held at the fork stays held in them.
        done = pool.map(partial(_quietly, work), _chunks(items, workers))
        return _collect(done, len(items), description)


def _collect(done: Iterable[list[_R]], total: int, description: str) -> list[_R]:
    """The results of every task in order, moving the progress bar as each
    task ends."""
    found: list[_R] = []
    with progress(total, description) as advance:
        for chunk in done:
            found.extend(chunk)
            advance(len(chunk))
    return found


def _chunks(items: Sequence[_T], workers: int) -> list[Sequence[_T]]:
    """`items` in order, in tasks of `_CHUNK` that shrink towards the end:
    each a quarter of a worker's share of what is left, down to
    `_LAST_CHUNK`."""
    chunks = []
    start = 0
    while start < len(items):
        left = len(items) - start
        size = min(_CHUNK, max(left // (4 * workers), _LAST_CHUNK))
        chunks.append(items[start : start + size])
        start += size
    return chunks


def _quietly(work: Callable[[Sequence[_T]], list[_R]], items: Sequence[_T]) -> list[_R]:
    """`work` in a worker, with rapidyaml's error reports silenced once for
    the whole chunk rather than around every parse."""
    from pmctl.records.yaml_fast import quiet_parses

    with quiet_parses():
        return work(items)


def _outcomes(
    config: Config,
    required: frozenset[str],
    work: Iterable[tuple[str, bytes | None]],
) -> list[tuple[Stamp | None, bytes | None, Outcome | None]]:
    return [check_file(config, path, path in required, known) for path, known in work]


def _load_chunk(
    config: Config, view: Callable[[Record], Record] | None, paths: Iterable[str]
) -> list[Record | Problem | None]:
    loaded = [read_candidate(config.root, p, in_record_folder(p)) for p in paths]
    if view is None:
        return loaded
    return [view(found) if isinstance(found, Record) else found for found in loaded]


def _assemble(
    config: Config, paths: list[str], outcomes: dict[str, Outcome]
) -> CheckedRecords:
    checked = CheckedRecords(config.root)
    for path in paths:
        outcome = outcomes[path]
        if outcome[0] == "record":
            _, kind, record_id, incidents, problems, lines = outcome
            # The same dict as the cache entry's: lines found are cached too.
            checked.summaries.append(
                Summary(path, kind, record_id, incidents, config.root, lines)
            )
            checked.record_problems[path] = [Problem(*p) for p in problems]
        elif outcome[0] == "failure":
            checked.failures.append(Problem(*outcome[1]))
    return checked


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
