"""`pmctl init`: a records repository with pmctl.yaml and folders, never overwriting."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from core_support import Cli, snapshot
from pmctl.config import Config, load_config


def test_init_creates_pmctl_yaml_and_the_record_folders(
    tmp_path: Path, cli: Cli
) -> None:
    result = cli("init", "--root", tmp_path).expect(0)

    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "exercises",
        "incidents",
        "pmctl.yaml",
        "postmortems",
    ]
    for folder in ("exercises", "incidents", "postmortems"):
        assert (tmp_path / folder).is_dir()
        assert f"created  {folder}/" in result.stdout
    assert "created  pmctl.yaml" in result.stdout


def test_init_defaults_to_the_current_folder(tmp_path: Path, cli: Cli) -> None:
    cli("init", cwd=tmp_path).expect(0)

    assert (tmp_path / "pmctl.yaml").is_file()


def test_init_creates_a_missing_root(tmp_path: Path, cli: Cli) -> None:
    cli("init", "--root", tmp_path / "a/b").expect(0)

    assert (tmp_path / "a/b/pmctl.yaml").is_file()


def test_written_config_is_the_built_in_defaults(tmp_path: Path, cli: Cli) -> None:
    cli("init", "--root", tmp_path).expect(0)

    loaded = load_config(tmp_path)

    assert loaded.source == tmp_path / "pmctl.yaml"
    assert dataclasses.replace(loaded, source=None) == Config(root=tmp_path)


def test_written_config_is_commented(tmp_path: Path, cli: Cli) -> None:
    cli("init", "--root", tmp_path).expect(0)

    text = (tmp_path / "pmctl.yaml").read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) >= 5
    for key in ("severities:", "contributing_factor_categories:", "actions:"):
        assert key in text


def test_new_repository_validates(tmp_path: Path, cli: Cli) -> None:
    cli("init", "--root", tmp_path).expect(0)

    result = cli("validate", "--root", tmp_path, "--format", "json").expect(0)

    assert result.json() == {"valid": True, "checked": 0, "problems": []}


def test_init_never_overwrites(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "pmctl.yaml").write_bytes(b"# ours\r\ntimezone: Europe/Berlin\r\n")
    (tmp_path / "incidents").mkdir()
    (tmp_path / "incidents/keep.md").write_text("x", encoding="utf-8")
    before = snapshot(tmp_path)

    result = cli("init", "--root", tmp_path).expect(0)

    assert "kept     pmctl.yaml (exists)" in result.stdout
    assert "kept     incidents (exists)" in result.stdout
    assert "created  postmortems/" in result.stdout
    after = snapshot(tmp_path)
    assert {k: v for k, v in after.items() if k in before} == before


def test_init_twice_changes_nothing(tmp_path: Path, cli: Cli) -> None:
    cli("init", "--root", tmp_path).expect(0)
    before = snapshot(tmp_path)

    result = cli("init", "--root", tmp_path).expect(0)

    assert "created" not in result.stdout
    assert snapshot(tmp_path) == before


def test_init_with_a_file_as_root_exits_2(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")

    result = cli("init", "--root", tmp_path / "notes.md").expect(2)

    assert "notes.md" in result.stderr
    assert (tmp_path / "notes.md").read_text(encoding="utf-8") == "x"


def test_init_with_a_file_where_a_folder_goes_writes_nothing(
    tmp_path: Path, cli: Cli
) -> None:
    (tmp_path / "incidents").write_text("not a folder", encoding="utf-8")

    result = cli("init", "--root", tmp_path).expect(2)

    assert "incidents" in result.stderr and "not a folder" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["incidents"]


def test_a_root_that_cannot_be_created_is_a_usage_error(
    tmp_path: Path, cli: Cli
) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")

    result = cli("init", "--root", tmp_path / "file" / "repo").expect(2)

    assert "cannot create" in result.stderr
    assert result.stdout == ""
