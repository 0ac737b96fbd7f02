"""Run pmctl's benchmark: pmctl side by side with the floor and the naive tool.

    python benchmarks/run.py [--records 10000] [--repeats 5] [--quick]
        [--skip-scale] [--skip-naive] [--out results.md]

Generates the corpora (or reuses them, keyed by their parameters) under
benchmarks/.corpus/, then times every step as a fresh subprocess, `--repeats`
times, interleaved so that a slow moment of the machine hits every step alike,
and prints two Markdown tables: the medians, and the ratios against the targets
of the performance issue. Every pmctl run gets a fresh, empty cache folder
(`PMCTL_CACHE_DIR`, and `XDG_CACHE_HOME` for good measure) unless it is meant
to be warm. See docs/performance.md for what each row means.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import IO, Any

import make_corpus

HERE = Path(__file__).resolve().parent
EXPECTED_PROBLEMS = {1}


@dataclass
class Run:
    """One subprocess: how long it took, how it ended, its peak memory."""

    seconds: float
    exit_code: int
    peak_kb: int | None
    stdout: str
    stderr: str
    # User and system time of the process and the workers it waited for.
    cpu_seconds: float | None = None


@dataclass
class Step:
    """A row of the results table: one command, timed several times."""

    label: str
    records: int | None
    expected: set[int]
    runs: list[Run] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    skipped: str | None = None
    estimate: float | None = None

    def add(self, run: Run) -> Run:
        self.runs.append(run)
        if run.exit_code not in self.expected:
            reason = (run.stderr.strip().splitlines() or ["no message"])[-1]
            expected = _codes(self.expected)
            self.flag(f"exited {run.exit_code}, expected {expected}: {reason}")
        return run

    def flag(self, issue: str) -> None:
        """Record something wrong with this step, once."""
        if issue not in self.issues:
            self.issues.append(issue)

    @property
    def failed(self) -> bool:
        return not self.skipped and (not self.ok or bool(self.issues))

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.exit_code in self.expected for r in self.runs)

    @property
    def median(self) -> float | None:
        if self.estimate is not None:
            return self.estimate
        if not self.runs:
            return None
        return statistics.median(r.seconds for r in self.runs)

    @property
    def cpu_median(self) -> float | None:
        spent = [r.cpu_seconds for r in self.runs if r.cpu_seconds is not None]
        return statistics.median(spent) if spent else None

    @property
    def peak_mb(self) -> float | None:
        peaks = [r.peak_kb for r in self.runs if r.peak_kb is not None]
        return max(peaks) / 1024 if peaks else None


def _codes(codes: set[int]) -> str:
    return " or ".join(map(str, sorted(codes)))


def run(command: Sequence[str], env: dict[str, str] | None = None) -> Run:
    """Run a command to completion, timing it and reading its peak memory."""
    with tempfile.TemporaryDirectory() as scratch:
        out_path, err_path, peak_path = (Path(scratch) / n for n in "oep")
        launcher = [GNU_TIME, "-f", "%M", "-o", str(peak_path)] if GNU_TIME else []
        with out_path.open("wb") as out, err_path.open("wb") as err:
            began = time.perf_counter()
            exit_code, peak, cpu = _wait([*launcher, *command], out, err, env)
            seconds = time.perf_counter() - began
        if GNU_TIME:
            peak = _gnu_peak(peak_path)
        return Run(
            seconds,
            exit_code,
            peak,
            out_path.read_bytes().decode("utf-8", "replace"),
            err_path.read_bytes().decode("utf-8", "replace"),
            cpu,
        )


def _wait(
    command: Sequence[str], out: IO[bytes], err: IO[bytes], env: dict[str, str] | None
) -> tuple[int, int | None, float | None]:
    """Exit code, peak memory (KB) and CPU seconds of a command."""
    process = subprocess.Popen(command, stdout=out, stderr=err, env=env)
    if not hasattr(os, "wait4"):
        return process.wait(), None, None
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in kilobytes on Linux and in bytes on macOS.
    peak = usage.ru_maxrss // (1024 if IS_MAC else 1)
    return process.returncode, peak, usage.ru_utime + usage.ru_stime


def _gnu_peak(path: Path) -> int | None:
    lines = path.read_text().split() if path.is_file() else []
    return int(lines[-1]) if lines and lines[-1].isdigit() else None


def _find_gnu_time() -> str | None:
    """GNU time, whose child starts small: ru_maxrss seen from this process
    would count the memory of the process that forked it, at exec."""
    path = Path("/usr/bin/time")
    if not path.is_file():
        return None
    found = subprocess.run(
        [str(path), "--version"], capture_output=True, text=True, check=False
    )
    return str(path) if "GNU" in found.stdout + found.stderr else None


IS_MAC = sys.platform == "darwin"
GNU_TIME = _find_gnu_time()


def ensure_corpus(
    work: Path, records: int, seed: int, commits: int, years: int
) -> dict[str, Any]:
    """The corpus for these parameters, generated unless a good copy exists."""
    end = date(2026, 12, 1)
    key = make_corpus.corpus_key(records, seed, commits, end, years)
    target = work / f"n{records}-s{seed}-c{commits}-y{years}"
    manifest_file = make_corpus.manifest_path(target)
    if manifest_file.is_file():
        manifest = json.loads(manifest_file.read_text())
        if manifest.get("key") == key and _pristine(target, manifest):
            return dict(manifest)

    # A separate process, so this one stays small: a child's peak memory
    # counts its parent's at the moment it starts.
    print(f"generating {target.name} ...", file=sys.stderr, flush=True)
    script = HERE / "make_corpus.py"
    options = ["--records", records, "--seed", seed, "--commits", commits]
    options += ["--years", years, "--end-date", end]
    made = subprocess.run([sys.executable, script, target, *map(str, options)])
    if made.returncode != 0:
        raise SystemExit(f"generating {target} failed")
    manifest = json.loads(manifest_file.read_text())
    return dict(manifest)


def _pristine(target: Path, manifest: dict[str, Any]) -> bool:
    """False when a run was interrupted before it restored its edited record."""
    path = target / manifest["change_target"]
    if not path.is_file():
        return False
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    has_git = (target / ".git").is_dir()
    return bool(digest == manifest["change_target_sha256"]) and (
        has_git == bool(manifest["key"]["commits"])
    )


class Bench:
    """Runs the steps against one corpus and keeps their rows."""

    def __init__(self, args: argparse.Namespace, corpus: dict[str, Any]) -> None:
        self.args = args
        self.corpus = corpus
        self.root = Path(corpus["root"])
        self.records: int = corpus["records"]
        self.pmctl = make_corpus.pmctl_command()
        self.python = sys.executable
        self.scratch = Path(tempfile.mkdtemp(prefix="pmctl-bench-"))
        self.steps: dict[str, Step] = {}
        self.load_at_start = _load()
        self.ticks_at_start = _cpu_ticks()

    def step(self, key: str, label: str, expected: set[int], records: bool) -> Step:
        if key not in self.steps:
            count = self.records if records else None
            self.steps[key] = Step(label, count, expected)
        return self.steps[key]

    def env(self, cache: Path | None = None) -> dict[str, str]:
        """The environment of a pmctl run: its own cache, plain output.

        Bytecode may be written: an installed pmctl runs from compiled
        modules, and an editable one would otherwise be compiled on every run
        where PYTHONDONTWRITEBYTECODE is set (about 30 ms).
        """
        cache = cache or Path(tempfile.mkdtemp(dir=self.scratch))
        unwanted = ("GITHUB_ACTIONS", "PYTHONDONTWRITEBYTECODE")
        env = {k: v for k, v in os.environ.items() if k not in unwanted}
        env.update(
            PMCTL_CACHE_DIR=str(cache),
            XDG_CACHE_HOME=str(cache / "xdg"),
            NO_COLOR="1",
            COLUMNS="120",
        )
        return env

    def validate(self, *extra: str) -> list[str]:
        root = str(self.root)
        return [*self.pmctl, "validate", "--root", root, "--format", "json", *extra]

    def measure_round(self) -> None:
        """One repeat of every corpus step, in a fixed order."""
        self.step("floor", "floor: list + read every file", {0}, True).add(
            run([self.python, str(HERE / "floor.py"), str(self.root)])
        )
        self.naive_round()

        cache = Path(tempfile.mkdtemp(dir=self.scratch))
        cold = self.step("cold", "pmctl validate, cold", EXPECTED_PROBLEMS, True)
        check_output(cold, cold.add(run(self.validate(), self.env(cache))), self.corpus)
        warm = self.step("warm", "pmctl validate, warm", EXPECTED_PROBLEMS, True)
        check_output(warm, warm.add(run(self.validate(), self.env(cache))), self.corpus)
        # One changed record first, on a cache as a developer's checkout has
        # it: the fresh-clone round gives every file a change time pmctl
        # cannot trust for two seconds, which no real pre-commit run meets.
        self.changed_round(cache)
        self.fresh_round(cache)

        window = self.corpus["report_window"]
        report = [
            *self.pmctl,
            "report",
            "--root",
            str(self.root),
            "--since",
            window["since"],
            "--until",
            window["until"],
        ]
        label = f"pmctl report --since {window['since']} --until {window['until']}"
        self.step("report", label, {0}, True).add(run(report, self.env()))
        actions = [*self.pmctl, "actions", "--root", str(self.root)]
        self.step("actions", "pmctl actions", {0}, True).add(run(actions, self.env()))

    def naive_round(self) -> None:
        label = "naive: python-frontmatter + jsonschema.validate() + GitPython"
        step = self.step("naive", label, {0, 1}, True)
        if self.args.skip_naive:
            step.skipped = "skipped (--skip-naive)"
            return
        if importlib.util.find_spec("frontmatter") is None:
            step.skipped = "skipped: pip install -e '.[bench]' for python-frontmatter"
            return

        command = [self.python, str(HERE / "naive.py"), str(self.root)]
        sample = self.args.naive_sample
        if not sample or sample >= self.records:
            _check_naive(step, step.add(run(command)))
            return

        # Fixed costs (imports, schemas, opening the repository) are timed
        # apart, so only the per-record part is scaled up.
        setup = self.step("naive-setup", "naive, setup only", {0}, False)
        _check_naive(setup, setup.add(run([*command, "--sample", "0"])))
        _check_naive(step, step.add(run([*command, "--sample", str(sample)])))
        fixed = setup.median or 0.0
        sampled = statistics.median(r.seconds for r in step.runs)
        step.estimate = fixed + (sampled - fixed) * self.records / sample
        step.notes[:] = [
            f"extrapolated from {sample:,} of {self.records:,} records "
            f"({sampled:.2f} s measured, {fixed:.2f} s of it setup)"
        ]

    def fresh_round(self, cache: Path) -> None:
        """Validate with the warm cache after every file got a new stat, as
        in CI: a fresh clone, and the cache folder restored."""
        # Back in time, so no stat falls within pmctl's racy window.
        moment = time.time_ns() - 10_000_000_000
        for folder, dirs, names in os.walk(self.root):
            dirs[:] = [name for name in dirs if name != ".git"]
            for name in names:
                os.utime(os.path.join(folder, name), ns=(moment, moment))
        label = "pmctl validate, fresh clone, cache restored (CI)"
        step = self.step("fresh", label, EXPECTED_PROBLEMS, True)
        check_output(step, step.add(run(self.validate(), self.env(cache))), self.corpus)
        # A fresh clone's index matches its files; after the new stats above,
        # the next `git status` (in report) would otherwise hash every file.
        subprocess.run(
            ["git", "update-index", "-q", "--refresh"],
            cwd=self.root,
            capture_output=True,
            check=False,
        )

    def changed_round(self, cache: Path) -> None:
        """Edit one record's title, validate just that file warm, restore it."""
        path = self.root / self.corpus["change_target"]
        original = path.read_bytes()
        label = "pmctl validate FILE, one record changed, warm"
        step = self.step("changed", label, {0}, False)
        edited = original.replace(
            b"\ntitle: ", f"\ntitle: Edited {len(step.runs) + 1} ".encode(), 1
        )
        try:
            path.write_bytes(edited)
            result = step.add(run(self.validate(str(path)), self.env(cache)))
        finally:
            path.write_bytes(original)
        if result.exit_code == 0 and _checked(result) != 1:
            step.flag("expected exactly one record checked")

    def measure_startup(self, repeats: int) -> None:
        minimal = [self.python, str(HERE / "minimal_typer.py"), "--help"]
        commands: list[tuple[str, str, list[str]]] = [
            ("version", "pmctl --version", [*self.pmctl, "--version"]),
            ("help", "pmctl --help", [*self.pmctl, "--help"]),
            ("typer", "minimal Typer app --help", minimal),
        ]
        for _ in range(repeats):
            for key, label, command in commands:
                self.step(key, label, {0}, False).add(run(command, self.env()))

    def measure_scale(self, corpus: dict[str, Any], repeats: int) -> None:
        label = f"pmctl validate, cold, {corpus['records']:,} records"
        step = self.step("scale", label, EXPECTED_PROBLEMS, False)
        step.records = corpus["records"]
        command = [
            *self.pmctl,
            "validate",
            "--root",
            corpus["root"],
            "--format",
            "json",
        ]
        for _ in range(repeats):
            result = step.add(run(command, self.env()))
            check_output(step, result, corpus)

    def close(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)


def _checked(result: Run) -> int | None:
    try:
        checked = json.loads(result.stdout).get("checked")
    except (json.JSONDecodeError, AttributeError):
        return None
    return checked if isinstance(checked, int) else None


def _check_naive(step: Step, result: Run) -> None:
    # A crash also exits 1, like a run that found problems: tell them apart.
    if "checked " not in result.stdout:
        step.flag(f"the naive tool did not finish: {result.stderr.strip()[-200:]}")


def check_output(step: Step, result: Run, corpus: dict[str, Any]) -> None:
    """Make sure pmctl did the work: the planted problems, and only those."""
    if result.exit_code not in step.expected:
        return
    try:
        found = json.loads(result.stdout)
    except json.JSONDecodeError:
        step.flag("the output is not JSON")
        return
    differences = make_corpus.compare(found, corpus)
    if differences:
        step.flag(f"problems differ from the corpus plan: {differences[0]}")


ROW_ORDER = (
    "floor",
    "naive",
    "cold",
    "warm",
    "fresh",
    "changed",
    "report",
    "actions",
    "version",
    "help",
    "typer",
    "scale",
)


@dataclass
class Target:
    label: str
    goal: str
    measure: Callable[[dict[str, Step]], tuple[float, str] | str]
    met: Callable[[float], bool]


def _ratio(
    top: str, bottom: str
) -> Callable[[dict[str, Step]], tuple[float, str] | str]:
    def measure(steps: dict[str, Step]) -> tuple[float, str] | str:
        for key in (top, bottom):
            step = steps.get(key)
            if step is None or step.skipped:
                return f"n/a ({key} skipped)"
            if not step.ok or step.median is None:
                return f"n/a ({step.label} failed)"
        value = steps[top].median / steps[bottom].median  # type: ignore[operator]
        return value, f"{value:.2f}x"

    return measure


def _seconds(key: str) -> Callable[[dict[str, Step]], tuple[float, str] | str]:
    def measure(steps: dict[str, Step]) -> tuple[float, str] | str:
        step = steps.get(key)
        if step is None or step.skipped or not step.ok or step.median is None:
            return "n/a (step skipped or failed)"
        return step.median, f"{step.median:.3f} s"

    return measure


def _peak(steps: dict[str, Step]) -> tuple[float, str] | str:
    step = steps.get("scale")
    if step is None or step.skipped or step.peak_mb is None:
        return "n/a (scale run skipped)"
    return step.peak_mb, f"{step.peak_mb:.0f} MB"


def targets(records: int, scale: int) -> list[Target]:
    return [
        Target(
            "validate cold: times faster than naive",
            ">= 100x",
            _ratio("naive", "cold"),
            lambda v: v >= 100,
        ),
        Target("validate cold / floor", "<= 8x", _ratio("cold", "floor"), _le(8)),
        Target("validate warm / floor", "<= 2x", _ratio("warm", "floor"), _le(2)),
        Target(
            "validate FILE after one change (warm)",
            "< 0.3 s",
            _seconds("changed"),
            lambda v: v < 0.3,
        ),
        Target("report / validate cold", "<= 1.5x", _ratio("report", "cold"), _le(1.5)),
        Target(
            "actions / validate cold", "<= 1.5x", _ratio("actions", "cold"), _le(1.5)
        ),
        Target(
            "--version / minimal Typer --help",
            "<= 1.3x",
            _ratio("version", "typer"),
            _le(1.3),
        ),
        Target(
            "--help / minimal Typer --help",
            "<= 1.3x",
            _ratio("help", "typer"),
            _le(1.3),
        ),
        Target(
            f"validate cold, {scale:,} / {records:,} records",
            "<= 5.5x",
            _ratio("scale", "cold"),
            _le(5.5),
        ),
        Target(
            f"peak memory, validate at {scale:,} records",
            "< 300 MB",
            _peak,
            lambda v: v < 300,
        ),
    ]


def _le(limit: float) -> Callable[[float], bool]:
    return lambda value: value <= limit


def render(bench: Bench, scale: int, header: list[str], skip_scale: str | None) -> str:
    steps = bench.steps
    if skip_scale:
        steps["scale"] = Step(f"pmctl validate, cold, {scale:,} records", scale, {1})
        steps["scale"].skipped = skip_scale

    lines = [*header, "", "| step | records | median | CPU | runs | peak RSS | notes |"]
    lines.append("|---|---:|---:|---:|---:|---:|---|")
    for key in ROW_ORDER:
        step = steps[key]
        if step.skipped:
            lines.append(f"| {step.label} | | | | | | {step.skipped} |")
            continue
        median = "failed" if not step.ok else f"{step.median:.3f} s"
        if step.estimate is not None and step.ok:
            median = f"~{step.estimate:.1f} s"
        records = f"{step.records:,}" if step.records else ""
        # An extrapolated step was measured on a sample, not on the corpus.
        cpu_shown = step.ok and step.estimate is None and step.cpu_median is not None
        cpu = f"{step.cpu_median:.2f} s" if cpu_shown else ""
        peak = f"{step.peak_mb:.0f} MB" if step.peak_mb else ""
        notes = "; ".join(step.notes + step.issues).replace("|", "/")
        lines.append(
            f"| {step.label} | {records} | {median} | {cpu} | {len(step.runs)} "
            f"| {peak} | {notes} |"
        )

    lines += ["", "| target | measured | goal | verdict |", "|---|---:|---:|---|"]
    for target in targets(bench.records, scale):
        outcome = target.measure(steps)
        if isinstance(outcome, str):
            lines.append(f"| {target.label} | {outcome} | {target.goal} | n/a |")
            continue
        value, shown = outcome
        verdict = "met" if target.met(value) else "NOT met"
        lines.append(f"| {target.label} | {shown} | {target.goal} | {verdict} |")
    return "\n".join(lines) + "\n"


def header(bench: Bench, argv: Sequence[str]) -> list[str]:
    corpus = bench.corpus
    version = next(
        (r.stdout.strip() for r in bench.steps["version"].runs if r.exit_code == 0),
        "pmctl (version unknown)",
    )
    kinds = ", ".join(f"{n:,} {k}s" for k, n in corpus["kinds"].items())
    return [
        f"# pmctl benchmark, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        "",
        f"- command: `{' '.join(['python benchmarks/run.py', *argv])}`",
        f"- {version} ({_source_state()}); Python {platform.python_version()}; "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        f"- corpus: {corpus['records']:,} records ({kinds}; "
        f"{len(corpus['broken'])} broken on purpose), "
        f"{corpus['bytes'] / 1e6:.1f} MB, {corpus['mean_record_bytes']:,} bytes "
        f"per record ({corpus['mean_front_matter_bytes']:,} of front matter), "
        f"{corpus['key']['commits']:,} commits",
        "- each run a fresh process; median of the runs shown; "
        "~ marks an extrapolation; CPU is user + system time, workers included",
        f"- load average (1 min) at the start and end: {bench.load_at_start} / "
        f"{_load()}; {_stolen(bench.ticks_at_start, _cpu_ticks())} "
        "(other work on the machine skews the timings)",
    ]


def _source_state() -> str:
    """The commit of pmctl's checkout, and whether its code has local changes."""
    git = ["git", "-C", str(HERE.parent)]
    head = subprocess.run(
        [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    if head.returncode != 0:
        return "not a git checkout"
    changed = subprocess.run(
        [*git, "status", "--porcelain", "--", "src", "schemas"],
        capture_output=True,
        text=True,
    )
    local = " + local changes" if changed.stdout.strip() else ""
    return f"source {head.stdout.strip()}{local}"


def _load() -> str:
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "n/a"


def _cpu_ticks() -> list[int] | None:
    """The machine's CPU time so far, by state (Linux's /proc/stat)."""
    try:
        first = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    return [int(n) for n in first[1:]] if first[:1] == ["cpu"] else None


def _stolen(start: list[int] | None, end: list[int] | None) -> str:
    """A label for the share of CPU time a virtual machine's host gave to other
    guests (`steal`, the eighth state) between two readings of `_cpu_ticks`.

    Guest time (the states after it) is already counted in user and nice.
    """
    if not start or not end or len(start) < 8 or len(start) != len(end):
        return "CPU steal n/a"
    spent = [after - before for before, after in zip(start, end, strict=True)]
    total = sum(spent[:8])
    return f"CPU steal {spent[7] / total:.1%}" if total else "CPU steal n/a"


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, help="corpus size (default 10000)")
    parser.add_argument("--repeats", type=int, help="runs per step (default 5)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--commits", type=int, help="git history (default 2000)")
    parser.add_argument("--years", type=int, default=3, help="records span (years)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny corpus (200 records, 40 commits), one run, no scale run",
    )
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--scale-records", type=int, default=50_000)
    parser.add_argument(
        "--scale-repeats", type=int, help="runs at scale (default 3, quick 1)"
    )
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument(
        "--naive-sample",
        type=int,
        help="time the naive tool on this many records and extrapolate "
        "(default 200; 0 runs it on every record)",
    )
    parser.add_argument(
        "--startup-repeats", type=int, help="runs per start-up step (default 15)"
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=HERE / ".corpus",
        help="where corpora are kept (default benchmarks/.corpus)",
    )
    parser.add_argument("--out", type=Path, help="also write the tables here")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when a step fails or pmctl's problems differ from the plan",
    )
    args = parser.parse_args(argv)

    quick = args.quick
    args.records = args.records or (200 if quick else 10_000)
    args.repeats = args.repeats or (1 if quick else 5)
    args.commits = args.commits if args.commits is not None else (40 if quick else 2000)
    if args.naive_sample is None:
        args.naive_sample = 20 if quick else 200
    args.scale_repeats = args.scale_repeats or (1 if quick else 3)
    args.startup_repeats = args.startup_repeats or (args.repeats if quick else 15)
    if args.records < 50:
        parser.error("--records must be at least 50")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    corpus = ensure_corpus(args.work, args.records, args.seed, args.commits, args.years)

    bench = Bench(args, corpus)
    try:
        for number in range(args.repeats):
            print(f"round {number + 1}/{args.repeats} ...", file=sys.stderr, flush=True)
            bench.measure_round()
        print("start-up ...", file=sys.stderr, flush=True)
        bench.measure_startup(args.startup_repeats)

        skip_scale = None
        if args.quick or args.skip_scale:
            skip_scale = "skipped (--quick)" if args.quick else "skipped (--skip-scale)"
        else:
            scale = ensure_corpus(
                args.work, args.scale_records, args.seed, 0, args.years
            )
            print("scale ...", file=sys.stderr, flush=True)
            bench.measure_scale(scale, args.scale_repeats)
        table = render(bench, args.scale_records, header(bench, argv), skip_scale)
    finally:
        bench.close()

    print(table, end="")
    if args.out:
        args.out.write_text(table)
    failed = any(step.failed for step in bench.steps.values())
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
