"""Lossless edits of action items: `actions close`, `reopen` and `set`.

Records here are written by hand in several styles. Each edit is checked line
by line against the original: exactly the expected lines change, and every
other byte of the file (comments, quoting, blank lines, CRLF endings, the
body) is the same.
"""

from __future__ import annotations

import difflib
import os
from datetime import date
from pathlib import Path

import pytest

from core_support import CliResult, make_incident, run_pmctl, write_record
from pmctl.config import load_config
from pmctl.edit import ActionEdit, parse_ref, plan_close, write_edit
from pmctl.errors import RecordError, UsageError


def run_edit(*args: str | Path) -> CliResult:
    """`pmctl actions ARGS` through pmctl's real entry point."""
    return run_pmctl("actions", *args)


FACTORS_AND_TIMELINE = """\
timeline:
  - at: "2026-11-01T10:00:00Z"
    kind: detection
    text: Alert fired.
  - at: "2026-11-01T10:05:00Z"
    kind: decision
    text: Fail over to the standby cluster.
  - at: "2026-11-01T10:20:00Z"
    kind: mitigation
    text: Failover complete.
contributing_factors:
  - category: capacity
    description: The cluster ran close to its memory limit.
  - category: monitoring-gap
    description: No alert on quorum loss.
"""

# Block style with comments, mixed quoting, a folded value and blank lines.
COMMENTED = f"""\
---
# Postmortem of the cache outage.
id: PM-2026-0042
kind: postmortem
title: Cache cluster lost quorum
incidents:
  - INC-2026-0001
status: draft
authors:
  - Ada Lovelace
impact: Checkout was slow for 20 minutes.
{FACTORS_AND_TIMELINE}
actions:
  # The systemic fix comes first.
  - id: A1
    title: 'Alert on quorum loss'   # keep it short
    owner: "Grace Hopper"
    team: platform
    due: '2026-12-01'
    status: open   # starts next sprint
    systemic: true
    acceptance: >
      A staging drill that drops quorum pages on-call
      within 5 minutes.

  - id: A2
    title: Resize the cache nodes
    owner: Alan Turing
    team: platform
    due: "2026-11-20"
    status: done
    systemic: false
    acceptance: Peak memory stays under 70% for a week.
    tracker: PLAT-1
    closed_on: "2026-11-18"
    verified: true
---

# Cache cluster lost quorum

Body text stays   exactly as it was, trailing spaces too.\x20\x20
"""

# Plain scalars everywhere, `id` not first, optional fields before `status`.
PLAIN = f"""\
---
id: PM-2026-0043
kind: postmortem
title: Plain style
incidents: [INC-2026-0001]
status: draft
authors: [Ada Lovelace]
impact: Logins failed for some users.
{FACTORS_AND_TIMELINE}actions:
- closed_on: 2026-11-02
  id: A1
  title: Roll back faster
  owner: Edsger Dijkstra
  team: identity
  due: 2026-11-30
  status: wont-do
  systemic: true
  acceptance: A rollback takes under 5 minutes in a drill.
- id: A2
  title: Add a login canary
  owner: Barbara Liskov
  team: identity
  due: 2026-12-15
  status: in-progress
  systemic: false
  acceptance: The canary pages within 2 minutes of a login failure.
---
Body.
"""

EXERCISE = """\
---
id: EX-2026-0007
kind: exercise
title: Region failover tabletop
held_on: "2026-10-01"
scenario: dependency-outage
facilitator: Owen Blake
participants:
  - Sven Lindqvist
actions:
  - id: A1
    title: Write the failover runbook
    owner: Sven Lindqvist
    team: platform
    due: "2026-12-01"
    status: open
    systemic: false
    acceptance: On-call fails over in staging using only the runbook.
---

## Observations
"""


def write(root: Path, relpath: str, text: str, crlf: bool = False) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.replace("\n", "\r\n") if crlf else text
    path.write_bytes(data.encode("utf-8"))
    return path


def changed(before: bytes, after: bytes) -> tuple[list[bytes], list[bytes]]:
    """Lines removed and added; every other line is byte-for-byte the same."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    removed: list[bytes] = []
    added: list[bytes] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed.extend(old[i1:i2])
            added.extend(new[j1:j2])
    return removed, added


@pytest.fixture
def pm42(root: Path) -> Path:
    return write(root, "postmortems/2026/PM-2026-0042-cache.md", COMMENTED)


# --- close -------------------------------------------------------------------


def test_close_changes_only_status_and_adds_closed_on(root: Path, pm42: Path) -> None:
    before = pm42.read_bytes()

    result = run_edit("close", "PM-2026-0042/A1", "--on", "2026-11-20", "--root", root)

    result.expect(0)
    assert "PM-2026-0042/A1  status: open -> done" in result.stdout
    assert result.stdout.endswith("updated postmortems/2026/PM-2026-0042-cache.md\n")
    # The comment on the status line stays; the date is quoted as `due` is.
    assert changed(before, pm42.read_bytes()) == (
        [b"    status: open   # starts next sprint\n"],
        [
            b"    status: done   # starts next sprint\n",
            b"    closed_on: '2026-11-20'\n",
        ],
    )


def test_close_verified_adds_both_fields_after_the_folded_value(
    root: Path, pm42: Path
) -> None:
    run_edit(
        "close", "PM-2026-0042/A1", "--on", "2026-11-20", "--verified", "--root", root
    ).expect(0)

    text = pm42.read_text(encoding="utf-8")
    assert (
        "      within 5 minutes.\n"
        "    closed_on: '2026-11-20'\n"
        "    verified: true\n"
        "\n"
        "  - id: A2\n"
    ) in text


def test_close_wont_do(root: Path, pm42: Path) -> None:
    before = pm42.read_bytes()

    run_edit(
        "close", "PM-2026-0042/A1", "--on", "2026-11-20", "--wont-do", "--root", root
    ).expect(0)

    _, added = changed(before, pm42.read_bytes())
    assert added[0] == b"    status: wont-do   # starts next sprint\n"


def test_close_then_reopen_restores_the_file_exactly(root: Path, pm42: Path) -> None:
    before = pm42.read_bytes()

    run_edit(
        "close", "PM-2026-0042/A1", "--on", "2026-11-20", "--verified", "--root", root
    ).expect(0)
    run_edit("reopen", "PM-2026-0042/A1", "--root", root).expect(0)

    assert pm42.read_bytes() == before


def test_close_defaults_to_today(root: Path, pm42: Path) -> None:
    run_edit("close", "PM-2026-0042/A1", "--today", "2026-11-25", "--root", root)

    assert "closed_on: '2026-11-25'" in pm42.read_text("utf-8")


def test_closing_a_closed_action_again_changes_nothing(root: Path, pm42: Path) -> None:
    before = pm42.read_bytes()

    result = run_edit("close", "PM-2026-0042/A2", "--on", "2026-11-18", "--root", root)

    result.expect(0)
    assert "nothing to change" in result.stderr
    assert pm42.read_bytes() == before


def test_new_field_goes_after_the_fields_that_precede_it(root: Path) -> None:
    text = PLAIN.replace(
        "  acceptance: The canary pages within 2 minutes of a login failure.\n",
        "  acceptance: The canary pages within 2 minutes of a login failure.\n"
        "  verified: false  # not yet\n"
        "  tracker: IDN-7\n",
    )
    path = write(root, "postmortems/2026/PM-2026-0043-plain.md", text)
    before = path.read_bytes()

    run_edit(
        "close", "PM-2026-0043/A2", "--on", "2026-11-20", "--verified", "--root", root
    ).expect(0)

    # Plain dates stay plain; closed_on follows tracker, its predecessor.
    assert changed(before, path.read_bytes()) == (
        [b"  status: in-progress\n", b"  verified: false  # not yet\n"],
        [
            b"  status: done\n",
            b"  verified: true  # not yet\n",
            b"  closed_on: 2026-11-20\n",
        ],
    )


# --- reopen ------------------------------------------------------------------


def test_reopen_drops_closed_on_and_verified(root: Path, pm42: Path) -> None:
    before = pm42.read_bytes()

    result = run_edit("reopen", "PM-2026-0042/A2", "--root", root)

    result.expect(0)
    assert "closed_on: removed (was 2026-11-18)" in result.stdout
    assert changed(before, pm42.read_bytes()) == (
        [
            b"    status: done\n",
            b'    closed_on: "2026-11-18"\n',
            b"    verified: true\n",
        ],
        [b"    status: open\n"],
    )


def test_reopen_when_closed_on_is_the_first_key(root: Path) -> None:
    path = write(root, "postmortems/2026/PM-2026-0043-plain.md", PLAIN)
    before = path.read_bytes()

    run_edit("reopen", "PM-2026-0043/A1", "--root", root).expect(0)

    # The next key moves up onto the `- ` line.
    assert changed(before, path.read_bytes()) == (
        [b"- closed_on: 2026-11-02\n", b"  id: A1\n", b"  status: wont-do\n"],
        [b"- id: A1\n", b"  status: open\n"],
    )


# --- set ---------------------------------------------------------------------


def test_set_keeps_each_values_quoting(root: Path, pm42: Path) -> None:
    before = pm42.read_bytes()

    run_edit(
        "set",
        "PM-2026-0042/A1",
        "--owner",
        "Katherine Johnson",
        "--due",
        "2027-01-15",
        "--status",
        "in-progress",
        "--root",
        root,
    ).expect(0)

    assert changed(before, pm42.read_bytes()) == (
        [
            b'    owner: "Grace Hopper"\n',
            b"    due: '2026-12-01'\n",
            b"    status: open   # starts next sprint\n",
        ],
        [
            b'    owner: "Katherine Johnson"\n',
            b"    due: '2027-01-15'\n",
            b"    status: in-progress   # starts next sprint\n",
        ],
    )


def test_set_quotes_a_plain_value_only_when_yaml_needs_it(root: Path) -> None:
    path = write(root, "postmortems/2026/PM-2026-0043-plain.md", PLAIN)
    before = path.read_bytes()

    run_edit("set", "PM-2026-0043/A2", "--owner", "Ops: #2 team", "--root", root)
    run_edit("set", "PM-2026-0043/A2", "--due", "2027-02-01", "--root", root)

    assert changed(before, path.read_bytes()) == (
        [b"  owner: Barbara Liskov\n", b"  due: 2026-12-15\n"],
        [b'  owner: "Ops: #2 team"\n', b"  due: 2027-02-01\n"],
    )


def test_set_on_an_exercise(root: Path) -> None:
    path = write(root, "exercises/2026/EX-2026-0007-failover.md", EXERCISE)
    before = path.read_bytes()

    run_edit("set", "EX-2026-0007/A1", "--owner", "Owen Blake", "--root", root).expect(
        0
    )

    assert changed(before, path.read_bytes()) == (
        [b"    owner: Sven Lindqvist\n"],
        [b"    owner: Owen Blake\n"],
    )


def test_set_needs_a_field(root: Path, pm42: Path) -> None:
    result = run_edit("set", "PM-2026-0042/A1", "--root", root)

    result.expect(2)
    assert "pass --owner, --due or --status" in result.stderr


def test_an_empty_value_is_filled_in(root: Path) -> None:
    text = PLAIN.replace(
        "  status: in-progress\n", "  status: in-progress\n  closed_on:\n"
    )
    path = write(root, "postmortems/2026/PM-2026-0043-plain.md", text)
    before = path.read_bytes()

    run_edit("close", "PM-2026-0043/A2", "--on", "2026-11-20", "--root", root).expect(0)

    assert changed(before, path.read_bytes()) == (
        [b"  status: in-progress\n", b"  closed_on:\n"],
        [b"  status: done\n", b"  closed_on: 2026-11-20\n"],
    )


def test_a_block_scalar_value_is_refused(root: Path) -> None:
    text = EXERCISE.replace("    owner: Sven Lindqvist\n", "    owner: >\n      Sven\n")
    path = write(root, "exercises/2026/EX-2026-0007-failover.md", text)
    before = path.read_bytes()

    result = run_edit("set", "EX-2026-0007/A1", "--owner", "Owen", "--root", root)

    result.expect(1)
    assert "`owner` on line 13 does not hold a one-line value" in result.stderr
    assert path.read_bytes() == before


# --- CRLF, byte-order mark ----------------------------------------------------


@pytest.mark.parametrize("bom", [False, True])
def test_crlf_file_stays_crlf(root: Path, bom: bool) -> None:
    text = ("\ufeff" if bom else "") + COMMENTED
    path = write(root, "postmortems/2026/PM-2026-0042-cache.md", text, crlf=True)
    before = path.read_bytes()

    run_edit(
        "close", "PM-2026-0042/A1", "--on", "2026-11-20", "--verified", "--root", root
    ).expect(0)

    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") == bom
    assert after.count(b"\n") == after.count(b"\r\n")
    assert changed(before, after) == (
        [b"    status: open   # starts next sprint\r\n"],
        [
            b"    status: done   # starts next sprint\r\n",
            b"    closed_on: '2026-11-20'\r\n",
            b"    verified: true\r\n",
        ],
    )


# --- refusals ------------------------------------------------------------------


def test_flow_style_item_is_refused(root: Path) -> None:
    text = EXERCISE.replace(
        """  - id: A1
    title: Write the failover runbook
    owner: Sven Lindqvist
    team: platform
    due: "2026-12-01"
    status: open
    systemic: false
    acceptance: On-call fails over in staging using only the runbook.
""",
        "  - {id: A1, title: Runbook, owner: Sven, team: platform, "
        'due: "2026-12-01", status: open, systemic: false, acceptance: Drill.}\n',
    )
    path = write(root, "exercises/2026/EX-2026-0007-failover.md", text)
    before = path.read_bytes()

    result = run_edit("close", "EX-2026-0007/A1", "--on", "2026-11-01", "--root", root)

    result.expect(1)
    assert (
        "exercises/2026/EX-2026-0007-failover.md:11: the action item" in result.stderr
    )
    assert "flow style" in result.stderr
    assert path.read_bytes() == before


def test_flow_style_list_is_refused(root: Path) -> None:
    text = EXERCISE.split("actions:")[0] + (
        'actions: [{id: A1, title: Runbook, owner: Sven, team: platform, due: "2026-'
        '12-01", status: open, systemic: false, acceptance: Drill.}]\n---\n'
    )
    write(root, "exercises/2026/EX-2026-0007-failover.md", text)

    result = run_edit("reopen", "EX-2026-0007/A1", "--root", root)

    result.expect(1)
    assert "the `actions` list is written in flow style" in result.stderr


def test_edit_that_would_invalidate_the_record_is_refused(
    root: Path, pm42: Path
) -> None:
    before = pm42.read_bytes()

    result = run_edit("set", "PM-2026-0042/A1", "--status", "done", "--root", root)

    result.expect(1)
    assert "not written: the edit would make PM-2026-0042/A1 invalid" in result.stderr
    assert "[closed-on-required]" in result.stderr
    assert "use `pmctl actions close PM-2026-0042/A1`" in result.stderr
    assert pm42.read_bytes() == before


def test_empty_owner_is_refused(root: Path, pm42: Path) -> None:
    before = pm42.read_bytes()

    result = run_edit("set", "PM-2026-0042/A1", "--owner", " ", "--root", root)

    result.expect(1)
    assert "actions[0].owner" in result.stderr
    assert pm42.read_bytes() == before


def test_record_that_fails_to_load_is_not_touched(root: Path) -> None:
    broken = COMMENTED.replace("kind: postmortem\n", "kind: postmortem\nkind: again\n")
    path = write(root, "postmortems/2026/PM-2026-0042-cache.md", broken)
    before = path.read_bytes()

    result = run_edit("close", "PM-2026-0042/A1", "--on", "2026-11-20", "--root", root)

    result.expect(1)
    assert "the record cannot be read" in result.stderr
    assert "appears more than once" in result.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("ref", "code", "message"),
    [
        ("PM-2026-0042", 2, "does not name an action item"),
        ("PM-2026-0042/A9", 1, "has no action `A9`; its actions: A1, A2"),
        ("PM-2026-0999/A1", 1, "no record has the id `PM-2026-0999`"),
    ],
)
def test_bad_references(
    root: Path, pm42: Path, ref: str, code: int, message: str
) -> None:
    result = run_edit("reopen", ref, "--root", root)

    result.expect(code)
    assert message in result.stderr


def test_a_duplicated_action_id_is_refused(root: Path) -> None:
    item = EXERCISE[EXERCISE.index("  - id: A1") : EXERCISE.index("---\n\n")]
    text = EXERCISE.replace(item, item + item)
    path = write(root, "exercises/2026/EX-2026-0007-failover.md", text)
    before = path.read_bytes()

    result = run_edit("reopen", "EX-2026-0007/A1", "--root", root)

    result.expect(1)
    assert "has 2 actions with the id `A1`" in result.stderr
    assert path.read_bytes() == before


def test_incidents_have_no_actions(root: Path) -> None:
    write_record(root, None, make_incident())

    result = run_edit("close", "INC-2026-0001/A1", "--root", root)

    result.expect(1)
    assert "INC-2026-0001 is an incident; only postmortems and exercises" in (
        result.stderr
    )


def test_bad_date_is_a_usage_error(root: Path, pm42: Path) -> None:
    result = run_edit("close", "PM-2026-0042/A1", "--on", "2026-02-30", "--root", root)

    result.expect(2)
    assert "--on `2026-02-30` is not a date; expected YYYY-MM-DD" in result.stderr


def test_bare_carriage_returns_are_refused(root: Path) -> None:
    text = COMMENTED.replace("Body text", "Body\rtext")
    path = write(root, "postmortems/2026/PM-2026-0042-cache.md", text)

    result = run_edit("reopen", "PM-2026-0042/A2", "--root", root)

    result.expect(1)
    assert "carriage returns that do not end a line" in result.stderr
    assert path.read_bytes() == text.encode("utf-8")


# --- dry run and atomic write ------------------------------------------------------


def test_dry_run_prints_a_diff_and_writes_nothing(root: Path, pm42: Path) -> None:
    before = pm42.read_bytes()

    result = run_edit(
        "close", "PM-2026-0042/A1", "--on", "2026-11-20", "--dry-run", "--root", root
    )

    result.expect(0)
    assert pm42.read_bytes() == before
    assert "dry run: nothing written" in result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "--- a/postmortems/2026/PM-2026-0042-cache.md",
        "+++ b/postmortems/2026/PM-2026-0042-cache.md",
    ]
    assert [line for line in lines[2:] if line[:1] in "+-"] == [
        "-    status: open   # starts next sprint",
        "+    status: done   # starts next sprint",
        "+    closed_on: '2026-11-20'",
    ]


def test_write_replaces_the_file_from_a_temporary_in_its_folder(
    root: Path, pm42: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(root)
    edit = plan_close(config, "PM-2026-0042/A1", _day("2026-11-20"))
    replaced: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(source: str, target: str | Path) -> None:
        replaced.append((str(source), str(target)))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", spy)
    write_edit(root, edit)

    [(source, target)] = replaced
    assert Path(source).parent == pm42.parent
    assert Path(target) == pm42.resolve()
    assert pm42.read_bytes() == edit.after
    assert sorted(p.name for p in pm42.parent.iterdir()) == [pm42.name]


def test_failed_write_leaves_the_file_and_no_temporary(
    root: Path, pm42: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = pm42.read_bytes()
    edit = plan_close(load_config(root), "PM-2026-0042/A1", _day("2026-11-20"))

    def fail(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(RecordError, match=r"cannot write .*No space left on device"):
        write_edit(root, edit)

    assert pm42.read_bytes() == before
    assert sorted(p.name for p in pm42.parent.iterdir()) == [pm42.name]


def test_file_changed_since_planning_is_not_overwritten(root: Path, pm42: Path) -> None:
    edit: ActionEdit = plan_close(
        load_config(root), "PM-2026-0042/A1", _day("2026-11-20")
    )
    pm42.write_text(COMMENTED.replace("Body text", "Edited text"), encoding="utf-8")
    meanwhile = pm42.read_bytes()

    with pytest.raises(RecordError, match="changed while pmctl was editing it"):
        write_edit(root, edit)
    assert pm42.read_bytes() == meanwhile


def test_parse_ref() -> None:
    assert parse_ref("pm-2026-0042/a1") == ("PM-2026-0042", "A1")
    with pytest.raises(UsageError):
        parse_ref("PM-2026-0042:A1")


def _day(text: str) -> date:
    return date.fromisoformat(text)
