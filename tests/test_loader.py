"""Reading files into records: decoding, splitting, and every way a file fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core_support import dump_front_matter, make_incident, write_record
from pmctl.errors import UsageError
from pmctl.problems import Problem
from pmctl.records.discovery import iter_files, load_repository, resolve_targets
from pmctl.records.loader import (
    MAX_RECORD_BYTES,
    NotARecord,
    decode,
    load_record,
    parse_record,
    read_text,
)
from pmctl.records.model import Record

INCIDENT = "incidents/2026/INC-2026-0001-record.md"


def record_text(**changes: object) -> str:
    return f"---\n{dump_front_matter(make_incident(**changes))}---\n\n# Notes\n"


def failure(root: Path, path: str) -> Problem:
    loaded = load_record(root, path)
    assert isinstance(loaded, Problem), loaded
    return loaded


# --- decoding -------------------------------------------------------------------------


def test_utf8_bom_is_accepted() -> None:
    assert decode(b"\xef\xbb\xbf---\na: 1\n") == "---\na: 1\n"


def test_crlf_line_endings_become_lf() -> None:
    assert decode(b"---\r\na: 1\r\n---\r\nbody\r\n") == "---\na: 1\n---\nbody\n"


def test_non_utf8_bytes_are_refused_with_their_line() -> None:
    with pytest.raises(NotARecord) as caught:
        decode(b"---\nid: x\ntitle: Caf\xe9\n---\n")

    assert caught.value.rule == "encoding"
    assert caught.value.line == 3
    assert "0xe9" in caught.value.message
    assert "UTF-8" in caught.value.message


def test_bom_and_crlf_record_loads_with_the_right_lines(tmp_path: Path) -> None:
    text = record_text()
    path = tmp_path / INCIDENT
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))

    record = load_record(tmp_path, INCIDENT)

    assert isinstance(record, Record)
    assert record.data == make_incident()
    lines = text.split("\n")
    assert lines[record.line_of(("severity",)) - 1].startswith("severity:")
    assert lines[record.line_of(("timeline", 1, "kind")) - 1].strip() == (
        "kind: decision"
    )


# --- reading --------------------------------------------------------------------------


def test_read_permission_error_is_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_record(tmp_path, INCIDENT, make_incident())

    def refuse(handle: int, size: int) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "read", refuse)
    found = failure(tmp_path, INCIDENT)

    assert found.rule == "unreadable"
    assert "permission denied" in found.message
    assert found.path == INCIDENT
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8").startswith("---\n")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_chmod_000(tmp_path: Path) -> None:
    path = write_record(tmp_path, INCIDENT, make_incident())
    path.chmod(0)
    try:
        found = failure(tmp_path, INCIDENT)
    finally:
        path.chmod(0o644)

    assert found.rule == "unreadable"
    assert "permission denied" in found.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    (tmp_path / "incidents").mkdir()
    os.mkfifo(tmp_path / "incidents/a.md")

    found = failure(tmp_path, "incidents/a.md")

    assert (found.rule, found.message) == ("unreadable", "not a regular file")


def test_record_that_grows_while_read_is_read_to_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_record(tmp_path, INCIDENT, make_incident())
    whole = path.read_bytes()
    real_fstat = os.fstat

    def smaller(handle: int) -> os.stat_result:
        found = list(real_fstat(handle))
        found[6] = 10  # st_size, as if taken before the rest was written
        return os.stat_result(found)

    monkeypatch.setattr(os, "fstat", smaller)

    assert read_text(path) == whole.decode()


def test_symlink_loop_is_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "incidents"
    folder.mkdir()
    (folder / "a.md").symlink_to("b.md")
    (folder / "b.md").symlink_to("a.md")

    found = failure(tmp_path, "incidents/a.md")

    assert found.rule == "unreadable"
    assert "symbolic link loop" in found.message


def test_dangling_symlink_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "incidents").mkdir()
    (tmp_path / "incidents/a.md").symlink_to("gone.md")

    found = failure(tmp_path, "incidents/a.md")

    assert found.rule == "unreadable"
    assert "does not exist" in found.message


def test_folder_named_like_a_record_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "incidents/x.md").mkdir(parents=True)

    found = failure(tmp_path, "incidents/x.md")

    assert found.rule == "unreadable"
    assert "not a regular file" in found.message


def test_very_large_file_is_refused_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / INCIDENT
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        handle.write(b"---\nid: INC-2026-0001\n---\n")
        handle.truncate(MAX_RECORD_BYTES + 1)

    def must_not_read(self: Path) -> bytes:
        raise AssertionError("a file over the limit was read")

    monkeypatch.setattr(Path, "read_bytes", must_not_read)
    with pytest.raises(NotARecord) as caught:
        read_text(path)

    assert caught.value.rule == "file-too-large"
    assert "MB" in caught.value.message


# --- splitting ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule", "line"),
    [
        ("", "empty-file", 1),
        ("\n\n   \n", "empty-file", 1),
        ("# Title\n", "no-front-matter", 1),
        ("\n---\nid: x\n---\n", "no-front-matter", 1),
        ("--- \nid: x\n", "unterminated-front-matter", 1),
        ("---\n---\n", "front-matter-not-mapping", 2),
        ("---\n[1, 2]\n---\n", "front-matter-not-mapping", 2),
        ("---\n42\n---\n", "front-matter-not-mapping", 2),
        ("---\nid: [\n---\n", "yaml-syntax", 3),
        ("---\nid: a\nid: b\n---\n", "duplicate-key", 3),
        ("---\nid: a\n<<<<<<< HEAD\n---\n", "conflict-markers", 3),
        ("---\nid: a\n---\nbody\n>>>>>>> main\n", "conflict-markers", 5),
    ],
)
def test_parse_record_failures(text: str, rule: str, line: int) -> None:
    with pytest.raises(NotARecord) as caught:
        parse_record(INCIDENT, text)

    assert (caught.value.rule, caught.value.line) == (rule, line)
    assert caught.value.message


def test_conflict_markers_quoted_in_a_code_block_are_prose() -> None:
    body = "\n```diff\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> main\n```\n"

    record = parse_record(INCIDENT, "---\nid: x\n---\n" + body)

    assert record.body == body


def test_conflict_markers_after_a_code_block_are_found() -> None:
    text = "---\nid: x\n---\n~~~\n<<<<<<< quoted\n~~~\n>>>>>>> main\n"

    with pytest.raises(NotARecord) as caught:
        parse_record(INCIDENT, text)

    assert (caught.value.rule, caught.value.line) == ("conflict-markers", 7)


def test_front_matter_may_close_with_dots_or_trailing_spaces() -> None:
    for closing in ("...", "---  ", "---\t"):
        record = parse_record(INCIDENT, f"---\nid: x\n{closing}\nbody\n")
        assert record.data == {"id": "x"}
        assert record.body == "body\n"


def test_body_keeps_everything_after_the_front_matter() -> None:
    body = "\n# Notes\n\nHeading\n=======\n\n---\n\nkind: incident\n"

    record = parse_record(INCIDENT, "---\nid: x\n---\n" + body)

    assert record.body == body
    assert record.data == {"id": "x"}
    assert record.front_matter == "id: x\n"


def test_record_lines_count_the_opening_fence_as_line_one() -> None:
    record = parse_record(INCIDENT, record_text())
    lines = record_text().split("\n")

    def line_text(*path: str | int) -> str:
        return lines[record.line_of(path) - 1]

    assert line_text("id") == "id: INC-2026-0001"
    assert line_text("impact", "summary").lstrip().startswith("summary:")
    assert line_text("timeline", 2).lstrip().startswith("- at:")
    # A field that is missing falls back to its nearest parent.
    assert line_text("impact", "missing") == "impact:"


def test_timestamps_and_retyped_values_stay_text() -> None:
    text = (
        "---\nstarted_at: 2026-11-03T14:09:00Z\ndetected_at: 12:30\n"
        "held_on: 2026-11-30\nflag: no\n---\n"
    )

    record = parse_record(INCIDENT, text)

    assert record.data == {
        "started_at": "2026-11-03T14:09:00Z",
        "detected_at": "12:30",
        "held_on": "2026-11-30",
        "flag": "no",
    }


def test_yaml_failures_are_moved_to_file_lines_and_name_the_field() -> None:
    text = "---\nid: x\nimpact:\n  summary: a\n  summary: b\n---\n"

    with pytest.raises(NotARecord) as caught:
        parse_record(INCIDENT, text)

    assert caught.value.line == 5
    assert caught.value.field == "impact.summary"


# --- discovery ------------------------------------------------------------------------


def test_iter_files_skips_hidden_and_tool_folders(tmp_path: Path) -> None:
    for name in (
        "incidents/2026/a.md",
        "incidents/2026/notes.txt",
        "incidents/.hidden.md",
        ".git/incidents/x.md",
        "node_modules/incidents/x.md",
        "templates/incident.md",
        "docs/guide.md",
        "docs/data.csv",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")

    assert list(iter_files(tmp_path)) == [
        "docs/guide.md",
        "incidents/2026/a.md",
        "incidents/2026/notes.txt",
    ]


def test_markdown_outside_record_folders_counts_only_when_it_claims_a_kind(
    tmp_path: Path,
) -> None:
    (tmp_path / "README.md").write_text("# Records\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/other.md").write_text("---\ntitle: a page\n---\n", "utf-8")
    write_record(tmp_path, "notes/INC-2026-0001-x.md", make_incident())

    repo = load_repository(tmp_path)

    assert [r.path for r in repo.records] == ["notes/INC-2026-0001-x.md"]
    assert repo.failures == []


def test_a_named_file_must_be_a_record_wherever_it_is(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Records\n", encoding="utf-8")

    repo = load_repository(tmp_path, named=["README.md"])

    assert [(p.path, p.rule) for p in repo.failures] == [
        ("README.md", "no-front-matter")
    ]


def test_resolve_targets_refuses_paths_outside_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    (root / "incidents").mkdir(parents=True)
    monkeypatch.chdir(root)

    with pytest.raises(UsageError, match="outside the records repository"):
        resolve_targets(root, [tmp_path])
    with pytest.raises(UsageError, match="does not exist"):
        resolve_targets(root, [Path("incidents/nope.md")])
    assert resolve_targets(root, [Path("incidents")]) == []


@pytest.mark.parametrize(
    ("text", "front_matter", "body"),
    [
        ("---\nid: x\n---", "id: x\n", ""),
        ("---\nid: x\n...\nbody", "id: x\n", "body"),
        ("--- \nid: x\n---\t\n\nbody\n", "id: x\n", "\nbody\n"),
        (
            "---\nid: x\nnote: |\n  ---\n---\n# Notes\n---\n",
            "id: x\nnote: |\n  ---\n",
            "# Notes\n---\n",
        ),
    ],
)
def test_front_matter_ends_at_the_first_fence_line(
    text: str, front_matter: str, body: str
) -> None:
    record = parse_record("incidents/x.md", text)

    assert (record.front_matter, record.body) == (front_matter, body)
