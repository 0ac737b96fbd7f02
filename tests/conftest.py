"""Shared fixtures for pmctl's tests; the helpers behind them are in core_support.py.

`cli(*args)` runs pmctl's real entry point in-process (stdout and stderr apart,
no terminal on stdin, NO_COLOR=1, COLUMNS=200) and returns a `CliResult`;
`run_json(root, *args)` runs `validate --format json`. `valid_incident()`,
`valid_postmortem()` and `valid_exercise()` return fresh dicts that pass every
rule; `write_record(root, relpath, front_matter, body)` writes one as a file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from core_support import (
    CLI_ENV,
    GIT_ENV,
    Cli,
    CliResult,
    GitRepo,
    init_git_repo,
    make_exercise,
    make_incident,
    make_postmortem,
    run_pmctl,
    write_record,
)


@pytest.fixture
def runner() -> CliRunner:
    """A plain Typer CliRunner with a fixed width and no colour."""
    return CliRunner(env=CLI_ENV)


@pytest.fixture
def cli() -> Cli:
    """`cli("validate", "--root", path)` runs pmctl and returns a `CliResult`."""
    return run_pmctl


@pytest.fixture
def run_json() -> Callable[..., tuple[CliResult, dict[str, Any]]]:
    """`run_json(root, *args)`: `pmctl validate --root ROOT --format json ARGS`.

    Returns the result and the parsed document; asserts exit 0 or 1 first.
    """

    def run(
        root: Path, *args: str | Path, **kwargs: Any
    ) -> tuple[CliResult, dict[str, Any]]:
        result = run_pmctl(
            "validate", "--root", root, "--format", "json", *args, **kwargs
        )
        assert result.exit_code in (0, 1), result.describe()
        assert "Traceback" not in result.output, result.describe()
        document: dict[str, Any] = result.json()
        return result, document

    return run


# --- record fixtures -------------------------------------------------------


@pytest.fixture
def valid_incident() -> Callable[..., dict[str, Any]]:
    return make_incident


@pytest.fixture
def valid_postmortem() -> Callable[..., dict[str, Any]]:
    return make_postmortem


@pytest.fixture
def valid_exercise() -> Callable[..., dict[str, Any]]:
    return make_exercise


@pytest.fixture(name="write_record")
def write_record_fixture() -> Callable[..., Path]:
    return write_record


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """An empty records repository: a folder with an empty pmctl.yaml."""
    path = tmp_path / "repo"
    path.mkdir()
    (path / "pmctl.yaml").write_text("", encoding="utf-8")
    return path


# --- git -------------------------------------------------------------------


@pytest.fixture
def git_repo(tmp_path: Path) -> GitRepo:
    """An empty git repository at `tmp_path / "git"` on branch main."""
    return init_git_repo(tmp_path / "git")


@pytest.fixture(autouse=True)
def isolated_git(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No global or system git config (or identity) leaks into any test."""
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    yield


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep pmctl's record cache out of the user's home during tests."""
    if "PMCTL_CACHE_DIR" not in os.environ:
        monkeypatch.setenv("PMCTL_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
