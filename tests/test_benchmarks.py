"""The benchmark scripts keep working: a tiny corpus, one run, no timings judged."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pmctl.checks.rules import RECORD_CHECKS

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"

ROWS = (
    "floor: list + read every file",
    "naive: python-frontmatter + jsonschema.validate() + GitPython",
    "pmctl validate, cold",
    "pmctl validate, warm",
    "pmctl validate, fresh clone, cache restored (CI)",
    "pmctl validate FILE, one record changed, warm",
    "pmctl report --since",
    "pmctl actions",
    "pmctl --version",
    "pmctl --help",
    "minimal Typer app --help",
    "pmctl validate, cold, 50,000 records",
)
TARGETS = (
    "validate cold: times faster than naive",
    "validate cold / floor",
    "validate warm / floor",
    "validate FILE after one change (warm)",
    "report / validate cold",
    "actions / validate cold",
    "--version / minimal Typer --help",
    "--help / minimal Typer --help",
    "validate cold, 50,000 / 200 records",
    "peak memory, validate at 50,000 records",
)


def script(name: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / name), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def test_quick_run_prints_every_row_and_target(tmp_path: Path) -> None:
    out = tmp_path / "results.md"
    args: list[str | Path] = ["--quick", "--records", "200", "--work", tmp_path]
    args += ["--out", out, "--strict"]
    if importlib.util.find_spec("frontmatter") is None:
        args.append("--skip-naive")

    result = script("run.py", *args)

    assert result.returncode == 0, result.stdout + result.stderr
    for label in (*ROWS, *TARGETS):
        assert f"| {label}" in result.stdout, label
    assert "skipped (--quick)" in result.stdout
    assert out.read_text() == result.stdout
    # The cold row shows the CPU time its run took, workers included.
    cold = next(row for row in result.stdout.splitlines() if "validate, cold" in row)
    cpu = cold.split("|")[4].strip()
    assert cpu.endswith(" s") and float(cpu.removesuffix(" s")) > 0, cold
    if sys.platform == "linux":
        assert re.search(r"CPU steal \d+\.\d%", result.stdout)
    # The run edits one record and must put it back as it was.
    manifest = json.loads((tmp_path / "n200-s1-c40-y3.json").read_text())
    edited = Path(manifest["root"]) / manifest["change_target"]
    digest = hashlib.sha256(edited.read_bytes()).hexdigest()
    assert digest == manifest["change_target_sha256"]


def test_steps_times_each_step_of_a_worker_per_record() -> None:
    examples = BENCHMARKS.parent / "examples"
    records = len(list(examples.rglob("*.md")))

    result = script("steps.py", examples)

    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    checks = [check.__name__ for check in RECORD_CHECKS]
    steps = ["read", "digest", "parse", "schema", *checks, "lint", "summary"]
    assert [line.split()[0] for line in lines] == [*steps, "total"]
    assert lines[-1].endswith(f" us per record, {records} records"), lines[-1]
    usage = script("steps.py")
    assert (usage.returncode, usage.stderr) == (2, "python benchmarks/steps.py ROOT\n")


def test_corpus_problems_are_exactly_the_planted_ones(tmp_path: Path) -> None:
    target = tmp_path / "corpus"

    result = script("make_corpus.py", target, "--records", "300", "--check")

    assert result.returncode == 0, result.stderr
    assert "check: ok" in result.stderr
    manifest = json.loads((tmp_path / "corpus.json").read_text())
    assert set(manifest["broken"].values()) == {
        "missing-field",
        "bad-timestamp",
        "one-contributing-factor",
        "duplicate-id",
        "broken-yaml",
    }
    assert manifest["kinds"] == {"incident": 165, "postmortem": 120, "exercise": 15}


def test_same_seed_same_corpus_and_history(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for target, seed in ((first, "7"), (second, "7"), (other, "8")):
        made = script(
            "make_corpus.py",
            target,
            "--records",
            "60",
            "--commits",
            "12",
            "--seed",
            seed,
        )
        assert made.returncode == 0, made.stderr

    def head(root: Path) -> str:
        return subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def count(root: Path) -> str:
        return subprocess.run(
            ["git", "-C", str(root), "rev-list", "--count", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    assert head(first) == head(second)
    assert count(first) == "12"
    status = subprocess.run(
        ["git", "-C", str(first), "status", "--porcelain"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert status.stdout == "", "the working tree should match the last commit"
    for root in (first, second, other):
        (root / ".git").rename(root.with_name(root.name + ".git"))
    assert tree_digest(first) == tree_digest(second)
    assert tree_digest(first) != tree_digest(other)


@pytest.mark.skipif(
    importlib.util.find_spec("frontmatter") is None,
    reason="python-frontmatter is the bench extra: pip install -e '.[bench]'",
)
def test_naive_tool_reports_planted_breakage(tmp_path: Path) -> None:
    target = tmp_path / "corpus"
    made = script("make_corpus.py", target, "--records", "60", "--commits", "5")
    assert made.returncode == 0, made.stderr

    result = script("naive.py", target)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "checked 60 records" in result.stdout
    assert "last changed 20" in result.stdout
    reported = {
        line.split(": ", 1)[0]
        for line in result.stdout.splitlines()
        if ": last changed " not in line
    }
    # Schema-level breakage only: the naive tool knows nothing of duplicate ids
    # or of dates that have the right shape but do not exist.
    manifest = json.loads((tmp_path / "corpus.json").read_text())
    caught = {"missing-field", "one-contributing-factor", "broken-yaml"}
    planted = {path for path, kind in manifest["broken"].items() if kind in caught}
    assert planted
    assert planted <= reported


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        # user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice
        ([0] * 10, [40, 0, 10, 40, 0, 0, 5, 5, 0, 0], "CPU steal 5.0%"),
        # Guest time is part of user and nice already: not counted twice.
        ([0] * 10, [40, 0, 10, 40, 0, 0, 5, 5, 30, 7], "CPU steal 5.0%"),
        ([5] * 8, [5] * 8, "CPU steal n/a"),
        ([0] * 7, [1] * 7, "CPU steal n/a"),
        (None, [1] * 8, "CPU steal n/a"),
    ],
)
def test_steal_share_between_two_readings(
    start: list[int] | None,
    end: list[int] | None,
    label: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    run = importlib.import_module("run")

    assert run._stolen(start, end) == label
