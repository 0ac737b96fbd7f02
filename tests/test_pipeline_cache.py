"""The cached, parallel pipeline agrees with a plain run and is never stale."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from unittest import mock

import pytest

import pmctl
from core_support import (
    PROJECT,
    TESTS,
    init_git_repo,
    make_benchmark_corpus,
    make_incident,
    write_record,
)
from pmctl import pipeline
from pmctl.checks.checked import CheckedRecords, validate
from pmctl.checks.validate import check_record
from pmctl.config import load_config
from pmctl.errors import ConfigError
from pmctl.problems import Problem
from pmctl.records import cache, yaml_fast
from pmctl.records.model import Summary

CASES = TESTS / "cases"
OLD = 1_600_000_000  # a modification time well outside the racy window


def age(root: Path, when: int = OLD) -> None:
    """Backdate every file so the cache may keep it."""
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            os.utime(path, (when, when))


def problems_of(root: Path, use_cache: bool = True) -> list[Problem]:
    config = load_config(root)
    return validate(pipeline.analyse(config, use_cache=use_cache)).problems


def plain_problems(root: Path) -> list[Problem]:
    """The reference: the simple loader, only the strict YAML reader (never
    the rapidyaml fast path), and every check run directly."""
    from pmctl.records.discovery import load_repository

    config = load_config(root)
    with mock.patch.object(yaml_fast, "load_fast", lambda text: yaml_fast.UNSURE):
        repo = load_repository(root)
    checked = CheckedRecords(
        root,
        [Summary.of(record) for record in repo.records],
        {record.path: check_record(record, config) for record in repo.records},
        repo.failures,
    )
    return validate(checked).problems


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PMCTL_CACHE_DIR", str(folder))
    # A stat is trusted once it is older than the run, not two seconds older:
    # change times, which tests cannot set back, would make every entry racy.
    monkeypatch.setattr(cache, "_RACY_NS", 0)
    return folder


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(PROJECT / "examples", root)
    age(root)
    return root


def forbid_computing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> object:
        raise AssertionError("a cached file was read and checked again")

    monkeypatch.setattr(pipeline, "outcome_of", refuse)


def test_warm_run_reads_nothing_again(
    repo: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = problems_of(repo)
    assert list(cache_dir.glob("*.cache")), "the cold run wrote no cache"

    forbid_computing(monkeypatch)
    assert problems_of(repo) == first


def test_stats_taken_while_reading_let_the_next_run_open_no_file(
    repo: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A cold run stats nothing before reading: each file's stat comes from
    # the descriptor it was read through, and must match what a stat finds.
    first = problems_of(repo)

    def refuse(*args: object) -> object:
        raise AssertionError(f"{args[1]} was opened again")

    monkeypatch.setattr(pipeline, "read_candidate_text", refuse)
    assert problems_of(repo) == first


def test_changed_record_is_read_again(repo: Path, cache_dir: Path) -> None:
    assert problems_of(repo) == []
    target = next((repo / "incidents").rglob("INC-2026-0002-*.md"))

    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("severity: SEV2", "severity: SEV9"), "utf-8")
    os.utime(target, (OLD + 60, OLD + 60))

    assert [p.rule for p in problems_of(repo)] == ["unknown-severity"]


def test_renamed_and_deleted_records(repo: Path, cache_dir: Path) -> None:
    problems_of(repo)
    incidents = sorted((repo / "incidents" / "2026").iterdir())

    incidents[0].rename(incidents[0].with_name("renamed.md"))
    incidents[1].unlink()
    result = problems_of(repo)

    paths = {p.path for p in result}
    assert "incidents/2026/renamed.md" in paths  # file name no longer has the id
    assert not any(incidents[1].name in p for p in paths)
    assert any(p.rule == "unknown-incident" for p in result)  # a postmortem's


def test_config_change_invalidates(repo: Path, cache_dir: Path) -> None:
    assert problems_of(repo) == []
    config = repo / "pmctl.yaml"

    config.write_text(
        config.read_text(encoding="utf-8").replace("  - change-management\n", ""),
        encoding="utf-8",
    )

    assert {p.rule for p in problems_of(repo)} == {"unknown-category"}


def fingerprint(root: Path) -> str:
    """The fingerprint as a new process would work it out."""
    cache._CODE_STAMP.clear()
    return cache.fingerprint(root)


def test_fingerprint_follows_schemas_versions_and_libraries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(PROJECT / "schemas", schemas)
    monkeypatch.setattr(cache, "data_dir", lambda name: schemas)
    monkeypatch.setattr(cache, "_CODE_STAMP", [])  # this test's pmctl only
    before = fingerprint(tmp_path)

    (schemas / "incident.schema.json").write_text("{}", encoding="utf-8")
    after_schema = fingerprint(tmp_path)
    monkeypatch.setattr(pmctl, "__version__", "99.0")
    after_version = fingerprint(tmp_path)
    libraries = cache._dependencies().replace("jsonschema-4", "jsonschema-5")
    monkeypatch.setattr(cache, "_dependencies", lambda: libraries)

    found = {before, after_schema, after_version, fingerprint(tmp_path)}
    assert len(found) == 4
    assert "jsonschema-5" in libraries


def test_fingerprint_follows_content_of_the_same_size_and_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(PROJECT / "schemas", schemas)
    monkeypatch.setattr(cache, "data_dir", lambda name: schemas)
    monkeypatch.setattr(cache, "_CODE_STAMP", [])  # this test's pmctl only
    schema = schemas / "incident.schema.json"
    os.utime(schema, (OLD, OLD))
    before = fingerprint(tmp_path)

    text = schema.read_text(encoding="utf-8")
    schema.write_text(text.replace('"minItems": 1', '"minItems": 2', 1), "utf-8")
    os.utime(schema, (OLD, OLD))

    assert schema.stat().st_size == len(text.encode())
    assert fingerprint(tmp_path) != before


def test_code_digest_covers_python_and_compiled_modules_only(tmp_path: Path) -> None:
    package = tmp_path / "pmctl"
    package.mkdir()
    files = {"cli.py": b"x = 1\n", "_speedups.so": b"\x7fELF", "notes.txt": b"a"}
    for name, content in files.items():
        (package / name).write_bytes(content)

    def digest() -> str:
        found = hashlib.blake2b(digest_size=16)
        cache._add_files(found, str(package), cache.CODE_SUFFIXES)
        return found.hexdigest()

    before = digest()
    (package / "notes.txt").write_bytes(b"b")
    assert digest() == before
    # A module built from another C source may find otherwise.
    (package / "_speedups.so").write_bytes(b"\x7fELF2")
    assert digest() != before


def test_a_library_imported_from_a_zip_archive_still_gets_a_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its module file has a path but no stat, and no metadata folder beside it.
    archive = tmp_path / "vendored.zip"
    module = "pmctl_zipped_dependency"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr(f"{module}/__init__.py", "")
    monkeypatch.syspath_prepend(str(archive))
    monkeypatch.setattr(cache, "_DEPENDENCIES", [(module, module)])

    found = cache._dependencies()

    assert found == f"{module}: {os.path.join(archive, module, '__init__.py')}"


def test_corrupted_cache_is_ignored_and_replaced(repo: Path, cache_dir: Path) -> None:
    first = problems_of(repo)
    (stored,) = cache_dir.glob("*.cache")

    stored.write_bytes(b"\x00garbage" * 100)
    assert problems_of(repo) == first

    stored.write_bytes(stored.read_bytes()[:1000])
    assert problems_of(repo) == first
    assert stored.stat().st_size > 1000, "the broken cache was not rewritten"


def test_unwritable_cache_costs_only_speed(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("PMCTL_CACHE_DIR", str(blocker / "cache"))

    assert problems_of(repo) == plain_problems(repo)


def test_cache_stays_out_of_the_working_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PMCTL_CACHE_DIR")
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)

    located = cache.cache_file(root)

    assert located is not None
    assert located.is_relative_to(root / ".git")


@pytest.mark.parametrize("name", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_every_path_agrees_on_broken_records(
    name: str, tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / name
    shutil.copytree(CASES / name, root, symlinks=True)
    (root / "expected.json").unlink()
    age(root)
    reference = plain_problems(root)

    sequential = problems_of(root, use_cache=False)
    monkeypatch.setattr(pipeline, "_PARALLEL_FROM", 1)
    monkeypatch.setattr(pipeline, "_CHUNK", 1)
    parallel = problems_of(root)
    forbid_computing(monkeypatch)
    cached = problems_of(root)
    age(root, OLD + 3600)  # every stat new, no text: a fresh clone
    by_text = problems_of(root)

    assert reference == sequential == parallel == cached == by_text


def test_cached_cli_run_matches_uncached(repo: Path, cache_dir: Path) -> None:
    write_record(
        repo, "incidents/2026/INC-2026-0099-broken.md", make_incident(severity="X")
    )
    age(repo)
    from core_support import run_pmctl

    cold = run_pmctl("validate", "--root", repo, "--format", "json", "--no-cache")
    first = run_pmctl("validate", "--root", repo, "--format", "json")
    warm = run_pmctl("validate", "--root", repo, "--format", "json")

    assert cold.exit_code == 1, cold.describe()
    assert cold.stdout == first.stdout == warm.stdout


def test_one_change_is_kept_and_no_change_writes_nothing(
    repo: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    problems_of(repo)
    (stored,) = cache_dir.glob("*.cache")
    written = stored.stat().st_mtime_ns
    problems_of(repo)
    assert stored.stat().st_mtime_ns == written, "an unchanged run rewrote it"

    target = next((repo / "incidents").rglob("INC-2026-0002-*.md"))
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("severity: SEV2", "severity: SEV9"), "utf-8")
    os.utime(target, (OLD + 60, OLD + 60))
    assert [p.rule for p in problems_of(repo)] == ["unknown-severity"]

    forbid_computing(monkeypatch)
    assert [p.rule for p in problems_of(repo)] == ["unknown-severity"]


def test_named_record_is_cached_like_any_other(
    repo: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = next((repo / "incidents").rglob("INC-2026-0002-*.md"))
    named = target.relative_to(repo).as_posix()
    config = load_config(repo)
    first = validate(pipeline.analyse(config, named=[named]), only=[named]).problems

    forbid_computing(monkeypatch)
    again = validate(pipeline.analyse(config, named=[named]), only=[named]).problems

    assert again == first == []


def imported_by_validate(*args: str | Path, watched: tuple[str, ...]) -> list[str]:
    """The output of `pmctl validate ARGS` in a fresh process, then its exit
    code and which `watched` modules it imported, as the last two lines."""
    argv = ["pmctl", "validate", *map(str, args)]
    code = (
        "import sys\n"
        "from pmctl.cli import main\n"
        f"sys.argv = {argv!r}\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as done:\n"
        "    print('exit', done.code)\n"
        f"print('imported:', *(m for m in {watched!r} if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_warm_run_imports_no_single_record_check(repo: Path, cache_dir: Path) -> None:
    # The warm run's speed depends on it: the checks and their libraries cost
    # more to import than judging ten thousand cached records.
    problems_of(repo)
    heavy = (
        "pmctl.checks.validate",
        "pmctl.lint.check",
        "multiprocessing",
        "yaml",
        "jsonschema_rs",
        "jsonschema",
    )

    output = imported_by_validate("--root", repo, watched=heavy)

    assert output[-1] == "imported:"


@pytest.mark.skipif(yaml_fast.ryml is None, reason="without rapidyaml PyYAML reads")
def test_one_clean_record_is_checked_without_pyyaml(
    repo: Path, cache_dir: Path
) -> None:
    # The pre-commit case: one changed record checked in a fresh process.
    problems_of(repo)
    record = next((repo / "incidents").rglob("*.md"))
    record.write_text(record.read_text().replace("title: ", "title: Edited ", 1))

    output = imported_by_validate(
        "--root", repo, record, watched=("yaml", "jsonschema")
    )

    assert output[-2:] == ["exit 0", "imported:"], output


@pytest.mark.skipif(yaml_fast.ryml is None, reason="without rapidyaml PyYAML reads")
def test_cold_run_of_clean_records_reads_settings_without_pyyaml(repo: Path) -> None:
    # The examples' settings without their comments, which quote YAML in
    # backticks (the fast path leaves such text to PyYAML); nothing is cached.
    settings = repo / "pmctl.yaml"
    lines = settings.read_text(encoding="utf-8").splitlines(keepends=True)
    settings.write_text("".join(x for x in lines if "#" not in x), encoding="utf-8")

    output = imported_by_validate("--root", repo, "--no-cache", watched=("yaml",))

    assert output[-2:] == ["exit 0", "imported:"], output


def test_benchmark_corpus_same_problems_every_way(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "corpus"
    make_benchmark_corpus(root, 300)
    age(root)
    reference = plain_problems(root)
    assert {p.rule for p in reference} >= {"duplicate-id", "yaml-syntax"}

    monkeypatch.setattr(pipeline, "_PARALLEL_FROM", 1)
    parallel = problems_of(root)
    forbid_computing(monkeypatch)
    cached = problems_of(root)
    age(root, OLD + 3600)  # every stat new, no text: a fresh clone

    assert reference == parallel == cached == problems_of(root)


@pytest.mark.parametrize("count", [1, 9, 450, 10_001])
@pytest.mark.parametrize("workers", [1, 2, 8])
def test_tasks_keep_order_and_shrink_towards_the_end(count: int, workers: int) -> None:
    items = list(range(count))

    chunks = pipeline._chunks(items, workers)
    sizes = [len(chunk) for chunk in chunks]

    assert [item for chunk in chunks for item in chunk] == items
    assert sizes == sorted(sizes, reverse=True)
    assert max(sizes) <= pipeline._CHUNK
    assert sizes[-1] <= pipeline._LAST_CHUNK
    if count > 10 * pipeline._CHUNK * workers:
        assert sizes[0] == pipeline._CHUNK


def test_a_file_that_cannot_be_read_as_text_is_cached_too(
    repo: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = repo / "incidents" / "2026" / "INC-2026-0097-latin1.md"
    bad.write_bytes("---\ntitle: caf\xe9\n---\n".encode("latin-1"))
    age(repo)
    first = problems_of(repo)
    assert "encoding" in {p.rule for p in first}

    def refuse(root: Path, path: str, required: bool) -> object:
        raise AssertionError(f"{path} was read again")

    monkeypatch.setattr(pipeline, "read_candidate_text", refuse)

    assert problems_of(repo) == first


def test_workers_keep_rapidyaml_reports_off_stderr(
    repo: Path,
    cache_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    # rapidyaml refuses text after a closing quote, and says so on stderr.
    broken = 'id: INC-2026-0098\nkind: incident\ntitle: "Broken" quote\n'
    write_record(repo, "incidents/2026/INC-2026-0098-quote.md", broken)
    monkeypatch.setattr(pipeline, "_PARALLEL_FROM", 1)
    monkeypatch.setattr(pipeline, "_CHUNK", 1)

    found = problems_of(repo)
    os.write(2, b"stderr after the workers\n")

    assert "yaml-syntax" in {p.rule for p in found}
    assert capfd.readouterr().err == "stderr after the workers\n"


def test_settings_are_read_again_only_when_pmctl_yaml_changes(
    repo: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_config(repo)
    assert list(cache_dir.glob("*.settings")), "valid settings were not kept"

    from pmctl.records import yaml_strict

    def refuse(text: str) -> object:
        raise AssertionError("unchanged settings were parsed again")

    monkeypatch.setattr(yaml_strict, "load_yaml", refuse)
    assert load_config(repo) == first

    monkeypatch.undo()
    config = repo / "pmctl.yaml"
    text = config.read_text("utf-8").replace("timezone: UTC", "timezone: Asia/Tokyo")
    config.write_text(text, "utf-8")
    assert load_config(repo).timezone == "Asia/Tokyo"


def test_invalid_settings_are_never_kept(repo: Path, cache_dir: Path) -> None:
    (repo / "pmctl.yaml").write_text("actions:\n  stale_after_days: soon\n", "utf-8")

    for _ in range(2):
        with pytest.raises(ConfigError, match="stale_after_days"):
            load_config(repo)
    assert not list(cache_dir.glob("*.settings"))


def test_kept_settings_still_need_a_known_time_zone(
    repo: Path, cache_dir: Path
) -> None:
    # As on a machine whose time zone database lacks a zone another had.
    text = "timezone: Mars/Olympus_Mons\n"
    (repo / "pmctl.yaml").write_text(text, "utf-8")
    cache.remember_settings(repo, text, {"timezone": "Mars/Olympus_Mons"})

    with pytest.raises(ConfigError, match="unknown time zone"):
        load_config(repo)


def test_corrupted_settings_cache_is_ignored(repo: Path, cache_dir: Path) -> None:
    first = load_config(repo)
    (kept,) = cache_dir.glob("*.settings")

    kept.write_bytes(b"\x00garbage")

    assert load_config(repo) == first


def test_lines_of_cross_record_problems_are_cached(
    repo: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = next((repo / "incidents").rglob("INC-2026-0002-*.md"))
    twin = original.with_name("INC-2026-0002-twin.md")
    twin.write_bytes(original.read_bytes())
    age(repo)
    first = problems_of(repo)  # cold: lines found by reading the twins again
    assert [p.rule for p in first] == ["duplicate-id", "duplicate-id"]

    from pmctl.records import loader

    def refuse(*args: object) -> object:
        raise AssertionError("a record was read again to name a line")

    monkeypatch.setattr(loader, "load_record", refuse)
    forbid_computing(monkeypatch)

    assert problems_of(repo) == first


def clone(origin: Path, target: Path) -> None:
    done = subprocess.run(
        ["git", "clone", "--quiet", str(origin), str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_fresh_clone_with_a_restored_cache_checks_nothing_again(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CI: every run is a fresh clone at the same path, with the cache folder
    # restored from the last run; every stat differs, no text does.
    origin = tmp_path / "origin"
    shutil.copytree(PROJECT / "examples", origin)
    write_record(
        origin, "incidents/2026/INC-2026-0099-broken.md", make_incident(severity="X")
    )
    init_git_repo(origin).commit_all("records")
    checkout = tmp_path / "checkout"
    clone(origin, checkout)
    first = problems_of(checkout)
    assert "unknown-severity" in {p.rule for p in first}

    shutil.rmtree(checkout)
    clone(origin, checkout)
    forbid_computing(monkeypatch)

    assert problems_of(checkout) == first


def test_a_changed_text_under_a_new_stat_is_checked_again(
    repo: Path, cache_dir: Path
) -> None:
    assert problems_of(repo) == []
    target = next((repo / "incidents").rglob("INC-2026-0002-*.md"))
    text = target.read_text(encoding="utf-8")

    target.unlink()  # rewritten as a checkout of another commit does
    target.write_text(text.replace("severity: SEV2", "severity: SEV9"), "utf-8")

    assert [p.rule for p in problems_of(repo)] == ["unknown-severity"]


def test_a_file_changed_just_now_is_vouched_for_by_its_text_only(
    repo: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "_RACY_NS", 3600 * 10**9)  # every stat is recent
    target = next((repo / "incidents").rglob("INC-2026-0002-*.md"))
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("severity: SEV2", "severity: SEV9"), "utf-8")
    first = problems_of(repo)  # its stat is too recent to trust
    assert [p.rule for p in first] == ["unknown-severity"]

    with mock.patch.object(pipeline, "outcome_of", side_effect=AssertionError):
        assert problems_of(repo) == first
    # Same size, same modification time: only the text tells them apart.
    mtime = target.stat().st_mtime_ns
    target.write_text(text.replace("severity: SEV2", "severity: SEV8"), "utf-8")
    os.utime(target, ns=(mtime, mtime))

    assert [p.rule for p in problems_of(repo)] == ["unknown-severity"]
    assert "SEV8" in problems_of(repo)[0].message


def test_fingerprint_is_by_content_not_by_modification_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CI installs the same pmctl afresh on every run, at new times.
    schemas = tmp_path / "schemas"
    shutil.copytree(PROJECT / "schemas", schemas)
    monkeypatch.setattr(cache, "data_dir", lambda name: schemas)
    monkeypatch.setattr(cache, "_CODE_STAMP", [])  # this test's pmctl only
    before = fingerprint(tmp_path)

    for schema in schemas.iterdir():
        os.utime(schema, (OLD, OLD))
    moved = tmp_path / "elsewhere" / "schemas"
    shutil.copytree(schemas, moved)
    monkeypatch.setattr(cache, "data_dir", lambda name: moved)

    assert fingerprint(tmp_path) == before
