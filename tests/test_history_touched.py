"""Last-change times of record files from one git log walk."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from core_support import GitRepo, init_git_repo
from pmctl.history import touched
from pmctl.history.touched import History, parse_log, parse_status

NOW = datetime(2026, 12, 1, 23, 0, tzinfo=timezone.utc)


def last_changes(root: Path, now: datetime) -> History:
    """The walk, waited for at once."""
    with touched.last_changes_meanwhile(root, now) as result:
        return result()


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(timezone.utc)


def write(root: Path, relpath: str, text: str = "x\n") -> None:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_each_file_gets_the_committer_date_of_its_last_commit(
    git_repo: GitRepo,
) -> None:
    write(git_repo.path, "postmortems/a.md")
    write(git_repo.path, "postmortems/b.md")
    git_repo.commit_all("both", date="2026-09-01T10:00:00+02:00")
    write(git_repo.path, "postmortems/b.md", "changed\n")
    git_repo.commit_all("b again", date="2026-10-15T08:00:00Z")

    history = last_changes(git_repo.path, NOW)

    assert history.note is None
    assert history.changed == {
        "postmortems/a.md": utc("2026-09-01T10:00:00+02:00"),
        "postmortems/b.md": utc("2026-10-15T08:00:00+00:00"),
    }


def test_the_committer_date_counts_not_the_author_date(git_repo: GitRepo) -> None:
    write(git_repo.path, "a.md")
    git_repo("add", "a.md")
    subprocess.run(
        ["git", "commit", "--quiet", "-m", "rebased later"],
        cwd=git_repo.path,
        env={
            **os.environ,
            "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
            "GIT_COMMITTER_DATE": "2026-11-20T00:00:00Z",
        },
        check=True,
    )

    assert last_changes(git_repo.path, NOW).changed == {
        "a.md": utc("2026-11-20T00:00:00+00:00")
    }


def test_a_root_below_the_git_top_level_gets_paths_relative_to_it(
    git_repo: GitRepo,
) -> None:
    write(git_repo.path, "records/incidents/a.md")
    write(git_repo.path, "src/other.md")
    git_repo.commit_all("first", date="2026-09-01T00:00:00Z")

    history = last_changes(git_repo.path / "records", NOW)

    assert history.changed == {"incidents/a.md": utc("2026-09-01T00:00:00+00:00")}


def test_merged_branches_count_as_a_walk_limited_to_the_root_counts_them(
    git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At the top level git walks without a pathspec, which is faster; over
    # ordinary merges (both sides changed, or one fast-forwarded) that must
    # give what the walk limited to `.` gives.
    write(git_repo.path, "postmortems/a.md")
    write(git_repo.path, "postmortems/b.md")
    git_repo.commit_all("start", date="2026-09-01T10:00:00Z")
    git_repo("checkout", "-q", "-b", "feature")
    write(git_repo.path, "postmortems/a.md", "feature\n")
    git_repo.commit_all("on the branch", date="2026-09-05T10:00:00Z")
    git_repo("checkout", "-q", "main")
    write(git_repo.path, "postmortems/b.md", "main\n")
    git_repo.commit_all("on main", date="2026-09-03T10:00:00Z")
    git_repo("merge", "-q", "--no-edit", "feature", date="2026-09-07T10:00:00Z")
    git_repo("checkout", "-q", "-b", "second")
    write(git_repo.path, "incidents/c.md")
    git_repo.commit_all("a branch main has not moved past", date="2026-09-09T10:00Z")
    git_repo("checkout", "-q", "main")
    git_repo("merge", "-q", "--no-ff", "--no-edit", "second", date="2026-09-10T10:00Z")

    history = last_changes(git_repo.path, NOW)
    popen = subprocess.Popen
    walks = []

    def with_pathspec(command: list[str], **options: Any) -> Any:
        if "log" in command:
            walks.append(command := [*command, "--", "."])
        return popen(command, **options)

    monkeypatch.setattr(touched.subprocess, "Popen", with_pathspec)
    limited = last_changes(git_repo.path, NOW)

    assert len(walks) == 1

    assert history.changed == {
        "postmortems/a.md": utc("2026-09-05T10:00:00+00:00"),
        "postmortems/b.md": utc("2026-09-03T10:00:00+00:00"),
        "incidents/c.md": utc("2026-09-09T10:00:00+00:00"),
    }
    assert limited == history


def test_a_pure_rename_keeps_the_history_of_the_old_path(git_repo: GitRepo) -> None:
    body = "".join(f"line {n}\n" for n in range(40))
    write(git_repo.path, "old/a.md", body)
    write(git_repo.path, "old/b.md", body.replace("line", "row"))
    git_repo.commit_all("first", date="2026-08-01T00:00:00Z")
    (git_repo.path / "new").mkdir()
    git_repo("mv", "old/a.md", "new/a.md")
    git_repo("mv", "old/b.md", "new/b.md")
    write(git_repo.path, "new/b.md", body.replace("line", "row") + "one more\n")
    git_repo.commit_all("reorganise", date="2026-11-01T00:00:00Z")

    history = last_changes(git_repo.path, NOW)

    assert history.changed["new/a.md"] == utc("2026-08-01T00:00:00+00:00")
    assert history.changed["new/b.md"] == utc("2026-11-01T00:00:00+00:00")


def test_uncommitted_and_untracked_files_changed_now(git_repo: GitRepo) -> None:
    write(git_repo.path, "a.md")
    write(git_repo.path, "b.md")
    git_repo.commit_all("first", date="2026-08-01T00:00:00Z")
    write(git_repo.path, "a.md", "edited\n")
    write(git_repo.path, "dir with space/c d.md")

    changed = last_changes(git_repo.path, NOW).changed

    assert changed["a.md"] == NOW
    assert changed["dir with space/c d.md"] == NOW
    assert changed["b.md"] == utc("2026-08-01T00:00:00+00:00")


def test_outside_git_only_due_dates_are_used(tmp_path: Path) -> None:
    history = last_changes(tmp_path, NOW)

    assert history.changed == {}
    assert history.note is not None
    assert history.note.startswith("only due dates were used, because")
    assert "not in a git repository" in history.note


def test_a_repository_without_commits_says_so(git_repo: GitRepo) -> None:
    history = last_changes(git_repo.path, NOW)

    assert history.note is not None and "no commits yet" in history.note


@pytest.mark.parametrize("name", ["odd\nname", "odd\rname", "odd\r\nname"])
def test_a_work_tree_whose_path_holds_a_line_break(tmp_path: Path, name: str) -> None:
    repo = init_git_repo(tmp_path / name)
    write(repo.path, "a.md")
    repo.commit_all("first", date="2026-01-01T00:00:00Z")
    write(repo.path, "b\r.md")

    history = last_changes(repo.path, NOW)

    assert history.note is None
    assert history.changed == {
        "a.md": utc("2026-01-01T00:00:00+00:00"),
        "b\r.md": NOW,
    }


def test_a_shallow_clone_is_not_guessed_from(git_repo: GitRepo, tmp_path: Path) -> None:
    write(git_repo.path, "a.md")
    git_repo.commit_all("first", date="2026-01-01T00:00:00Z")
    write(git_repo.path, "b.md")
    git_repo.commit_all("second", date="2026-11-01T00:00:00Z")
    clone = tmp_path / "clone"
    git_repo("clone", "--quiet", "--depth", "1", f"file://{git_repo.path}", str(clone))

    history = last_changes(clone, NOW)

    assert history.changed == {}
    assert history.note is not None and "shallow clone" in history.note
    assert "git fetch --unshallow" in history.note


def test_the_whole_history_costs_a_fixed_number_of_git_calls(
    git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(60):
        write(git_repo.path, f"postmortems/{n}.md")
    git_repo.commit_all("many", date="2026-08-01T00:00:00Z")
    for n in range(0, 60, 3):
        write(git_repo.path, f"postmortems/{n}.md", "more\n")
        git_repo.commit_all(f"edit {n}", date=f"2026-09-{n // 3 + 1:02d}T00:00:00Z")
    calls: list[object] = []
    popen = subprocess.Popen

    def counting(command: list[str], **options: Any) -> Any:
        calls.append(command)  # every git run starts here, `run` included
        return popen(command, **options)

    monkeypatch.setattr(touched.subprocess, "Popen", counting)

    changed = last_changes(git_repo.path, NOW).changed

    assert len(changed) == 60
    assert changed["postmortems/57.md"] == utc("2026-09-20T00:00:00+00:00")
    # One to find the work tree, one walk, one look at uncommitted changes.
    assert len(calls) <= 3, calls


def test_history_needs_no_gitpython(tmp_path: Path) -> None:
    # Importing GitPython costs more than the walk of a short history.
    script = (
        "import sys\n"
        "from datetime import datetime, timezone\n"
        "from pathlib import Path\n"
        "from pmctl.history.touched import last_changes_meanwhile\n"
        "with last_changes_meanwhile(Path(sys.argv[1]), datetime.now(timezone.utc))"
        " as history:\n"
        "    history()\n"
        "print('git' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_parse_log_reads_nul_separated_paths_and_renames() -> None:
    text = (
        "\x1e1790000000\x00\n"
        'M\x00recs/odd "name"\twith tab.md\x00'
        "R100\x00recs/old.md\x00recs/new.md\x00"
        "D\x00recs/gone.md\x00"
        "\x1e1780000000\x00\n"
        "M\x00recs/old.md\x00"
        "A\x00outside.md\x00"
    )

    found = parse_log(text, "recs/")

    assert found == {
        'odd "name"\twith tab.md': datetime.fromtimestamp(1790000000, timezone.utc),
        "new.md": datetime.fromtimestamp(1780000000, timezone.utc),
    }


def test_parse_status_reads_renames_and_untracked() -> None:
    text = " M recs/a.md\x00R  recs/b.md\x00recs/old-b.md\x00?? recs/c.md\x00"

    assert parse_status(text, "recs/") == ["a.md", "b.md", "c.md"]


def test_git_that_cannot_be_started_leaves_a_note(
    git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(git_repo.path, "incidents/a.md")
    git_repo.commit_all("add a", date="2026-10-01T10:00:00Z")
    # The git GitPython is told to use is the one run here too.
    monkeypatch.setenv("GIT_PYTHON_GIT_EXECUTABLE", "/nonexistent/git")

    history = last_changes(git_repo.path, NOW)

    assert history.changed == {}
    assert history.note == "only due dates were used, because git is not installed"


def test_git_that_fails_leaves_its_reason(git_repo: GitRepo) -> None:
    write(git_repo.path, "incidents/a.md")
    head = git_repo.commit_all("add a", date="2026-10-01T10:00:00Z")
    # HEAD names a commit that is gone: git finds the repository, then fails.
    (git_repo.path / ".git" / "objects" / head[:2] / head[2:]).unlink()

    history = last_changes(git_repo.path, NOW)

    assert history.changed == {}
    assert history.note is not None, history
    assert history.note.startswith("only due dates were used, because git failed: ")
    assert not history.note.endswith("unknown"), history.note


def test_a_bare_repository_says_so(git_repo: GitRepo, tmp_path: Path) -> None:
    write(git_repo.path, "a.md")
    git_repo.commit_all("first", date="2026-01-01T00:00:00Z")
    bare = tmp_path / "bare.git"
    git_repo("clone", "--quiet", "--bare", str(git_repo.path), str(bare))

    history = last_changes(bare, NOW)

    assert history.note is not None and "bare" in history.note


def test_leaving_early_stops_the_walk(
    git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(git_repo.path, "incidents/a.md")
    git_repo.commit_all("add a", date="2026-10-01T10:00:00Z")
    walks: list[touched._Walk] = []
    start = touched._Walk.__init__

    def remember(self: touched._Walk, *args: Any) -> None:
        start(self, *args)
        walks.append(self)

    monkeypatch.setattr(touched._Walk, "__init__", remember)

    with (
        pytest.raises(KeyboardInterrupt),
        touched.last_changes_meanwhile(git_repo.path, NOW),
    ):
        raise KeyboardInterrupt

    [walk] = walks
    assert walk.process is not None and walk.process.returncode is not None
    assert walk.log.closed and walk.errors.closed
