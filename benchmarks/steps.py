"""Where a cold run's time goes: each step of checking a record, per record.

    python benchmarks/steps.py ROOT

Runs what a worker of `pmctl validate` does for every file under ROOT, in
this one process, and prints the mean time of each step per record. The
steps are timed one record at a time, in the order a worker takes them, so
each sees the memory and the remembered timestamps a real run leaves it.
Run it on a corpus from `make_corpus.py`; times vary by a tenth between
runs on a shared machine.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from pmctl.checks.rules import RECORD_CHECKS
from pmctl.checks.schema import check_schema
from pmctl.config import load_config
from pmctl.lint import lint_for_validate
from pmctl.records.cache import text_digest
from pmctl.records.discovery import iter_files, parse_candidate, read_candidate_text
from pmctl.records.model import Record, Summary


def time_steps(root: Path) -> tuple[dict[str, float], int]:
    """Seconds spent in each step over every record, and how many records."""
    config = load_config(root, use_cache=False)
    spent: dict[str, float] = {}
    clock = time.perf_counter

    def timed(name: str, step: Callable[..., object], *args: object) -> object:
        start = clock()
        found = step(*args)
        spent[name] = spent.get(name, 0.0) + clock() - start
        return found

    records = 0
    # Workers run with the cyclic collector paused, as here.
    gc.disable()
    for path in iter_files(root):
        read = timed("read", read_candidate_text, root, path, True)
        text = read[0] if isinstance(read, tuple) else None
        if not isinstance(text, str):
            continue
        timed("digest", text_digest, text)
        record = timed("parse", parse_candidate, path, text)
        if not isinstance(record, Record):
            continue
        records += 1
        timed("schema", check_schema, record)
        for check in RECORD_CHECKS:
            timed(check.__name__, _run_check, check, record, config)
        timed("lint", lint_for_validate, record, config)
        timed("summary", Summary.of, record)
    gc.enable()
    return spent, records


def _run_check(check: Callable[..., Iterable[object]], *args: object) -> list[object]:
    # Checks may be generators: only a list makes them do their work.
    return list(check(*args))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    spent, records = time_steps(Path(argv[0]).resolve())
    if not records:
        print("no records found", file=sys.stderr)
        return 1

    width = max(map(len, spent))
    for name, seconds in spent.items():
        print(f"{name:{width}}  {seconds / records * 1e6:7.1f} us")
    total = sum(spent.values()) / records * 1e6
    print(f"{'total':{width}}  {total:7.1f} us per record, {records:,} records")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
