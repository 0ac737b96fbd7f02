"""`pmctl new`: ids, slugs, templates, pre-filling, and never losing a file."""

from __future__ import annotations

import re
import types
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core_support import (
    Cli,
    CliResult,
    GitRepo,
    make_incident,
    snapshot,
    write_record,
    write_valid_repository,
)
from pmctl.errors import UsageError
from pmctl.records.loader import load_record
from pmctl.records.model import Record
from pmctl.scaffold import render_template, slugify, write_new_file

STARTED = "2026-11-03T14:00:00Z"
INCIDENT_FLAGS = (
    "--severity", "SEV2", "--commander", "Ada Lovelace", "--team", "payments",
    "--started-at", STARTED,
)  # fmt: skip


def new_incident(
    cli: Cli, root: Path, title: str = "Checkout down", *extra: str
) -> CliResult:
    return cli(
        "new", "incident", "--root", root, "--title", title, *INCIDENT_FLAGS, *extra
    )


def created(result: CliResult) -> str:
    """The created path: the last line of stdout."""
    return result.stdout.splitlines()[-1]


def load(root: Path, path: str) -> Record:
    record = load_record(root, path)
    assert isinstance(record, Record), record
    return record


def problems(cli: Cli, root: Path) -> set[tuple[str, str, str]]:
    result = cli("validate", "--root", root, "--format", "json")
    assert result.exit_code in (0, 1), result.describe()
    return {(p["path"], p["field"], p["rule"]) for p in result.json()["problems"]}


# The problems a freshly created record has until a person fills it in.
INCIDENT_TO_FILL = {
    ("impact.summary", "empty-value"),
    ("impact.customer_facing", "wrong-type"),
    ("impact.slo_breached", "wrong-type"),
}
POSTMORTEM_TO_FILL = {
    ("contributing_factors[0].category", "empty-value"),
    ("contributing_factors[0].description", "empty-value"),
    ("contributing_factors[1].category", "empty-value"),
    ("contributing_factors[1].description", "empty-value"),
    ("actions[0].title", "empty-value"),
    ("actions[0].owner", "single-owner"),
    ("actions[0].acceptance", "single-acceptance-criterion"),
}
EXERCISE_TO_FILL = {("participants", "too-few-items")}


# --- ids ------------------------------------------------------------------------------


def test_first_incident_of_a_year(root: Path, cli: Cli) -> None:
    result = new_incident(cli, root).expect(0)

    assert created(result) == "incidents/2026/INC-2026-0001-checkout-down.md"
    assert (root / created(result)).is_file()


def test_next_free_id_per_year(root: Path, cli: Cli) -> None:
    for number in (1, 2, 7):
        write_record(root, None, make_incident(id=f"INC-2026-{number:04d}"))
    write_record(root, None, make_incident(id="INC-2025-0031"))

    in_2026 = new_incident(cli, root).expect(0)
    in_2025 = new_incident(
        cli, root, "Old", "--started-at", "2025-12-31T23:00:00-02:00"
    ).expect(0)

    assert created(in_2026) == "incidents/2026/INC-2026-0008-checkout-down.md"
    # The year is that of the timestamp as written, with its own offset.
    assert created(in_2025) == "incidents/2025/INC-2025-0032-old.md"


def test_ids_of_each_kind_are_counted_apart(root: Path, cli: Cli) -> None:
    write_valid_repository(root)

    result = cli(
        "new", "exercise", "--root", root, "--title", "Region lost",
        "--scenario", "dependency-outage", "--held-on", "2026-12-01",
        "--facilitator", "Grace Hopper",
    ).expect(0)  # fmt: skip

    assert created(result) == "exercises/2026/EX-2026-0002-region-lost.md"


def test_a_broken_record_keeps_its_id(root: Path, cli: Cli) -> None:
    broken = root / "incidents/2026/INC-2026-0001-checkout-down.md"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"---\nid: [\n")

    result = new_incident(cli, root).expect(0)

    assert created(result) == "incidents/2026/INC-2026-0002-checkout-down.md"
    assert broken.read_bytes() == b"---\nid: [\n"


def test_ids_on_other_branches_are_not_reused(git_repo: GitRepo, cli: Cli) -> None:
    root = git_repo.path
    (root / "pmctl.yaml").write_text("", encoding="utf-8")
    write_record(root, None, make_incident())
    git_repo.commit_all("INC-2026-0001")
    git_repo("switch", "--quiet", "-c", "feature")
    write_record(
        root,
        "incidents/2026/INC-2026-0005-on-a-branch.md",
        make_incident(id="INC-2026-0005"),
    )
    git_repo.commit_all("INC-2026-0005 on a branch")
    git_repo("switch", "--quiet", "main")
    assert not (root / "incidents/2026/INC-2026-0005-on-a-branch.md").exists()

    result = new_incident(cli, root).expect(0)

    assert created(result) == "incidents/2026/INC-2026-0006-checkout-down.md"


def test_ids_on_remote_tracking_branches_are_not_reused(
    git_repo: GitRepo, tmp_path: Path, cli: Cli
) -> None:
    (git_repo.path / "pmctl.yaml").write_text("", encoding="utf-8")
    git_repo.commit_all("start")
    clone = GitRepo(tmp_path / "clone")
    git_repo("clone", "--quiet", str(git_repo.path), str(clone.path))
    write_record(
        git_repo.path,
        "incidents/2026/INC-2026-0003-upstream.md",
        make_incident(id="INC-2026-0003"),
    )
    git_repo.commit_all("upstream incident")
    clone("fetch", "--quiet")

    result = new_incident(cli, clone.path).expect(0)

    assert created(result) == "incidents/2026/INC-2026-0004-checkout-down.md"


def test_duplicate_id_after_a_merge_names_both_files_and_the_next_id(
    git_repo: GitRepo, cli: Cli
) -> None:
    root = git_repo.path
    (root / "pmctl.yaml").write_text("", encoding="utf-8")
    write_record(root, None, make_incident())
    git_repo.commit_all("start")
    # Two people each took the next id on their own branch, unaware of the other.
    for branch, slug in (("alice", "search-slow"), ("bob", "login-errors")):
        git_repo("switch", "--quiet", "-c", branch, "main")
        path = f"incidents/2026/INC-2026-0002-{slug}.md"
        write_record(root, path, make_incident(id="INC-2026-0002", title=slug))
        git_repo.commit_all(f"{slug}")
    git_repo("switch", "--quiet", "main")
    git_repo("merge", "--quiet", "--no-edit", "alice")
    git_repo("merge", "--quiet", "--no-edit", "bob")

    result = cli("validate", "--root", root, "--format", "json").expect(1)

    found = {p["path"]: p for p in result.json()["problems"]}
    alice = "incidents/2026/INC-2026-0002-search-slow.md"
    bob = "incidents/2026/INC-2026-0002-login-errors.md"
    assert set(found) == {alice, bob}
    for mine, other in ((alice, bob), (bob, alice)):
        assert found[mine]["rule"] == "duplicate-id"
        assert found[mine]["field"] == "id"
        assert found[mine]["line"] == 2
        assert other in found[mine]["message"]
        assert "the next free id is INC-2026-0003" in found[mine]["message"]


# --- slugs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Checkout down", "checkout-down"),
        ("Paiements refusés à Zürich", "paiements-refuses-a-zurich"),
        ("API 5xx: /v2/orders (EU) -- 40%!", "api-5xx-v2-orders-eu-40"),
        ("  --  ", "untitled"),
        ("支付失败", "untitled"),
        ("🔥🔥🔥", "untitled"),
        ("", "untitled"),
        ("../../etc/passwd", "etc-passwd"),
        ("a" * 300, "a" * 48),
        (
            "Very long title that keeps going well past any sensible file name length",
            "very-long-title-that-keeps-going-well-past-any",
        ),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slugify(title))
    assert len(slugify(title)) <= 48


@pytest.mark.parametrize(
    "title",
    ["支付失败", "x" * 500, "CON", "a/b\\c", ".hidden"],
)
def test_any_title_gives_a_safe_file_name(title: str, root: Path, cli: Cli) -> None:
    result = new_incident(cli, root, title).expect(0)

    path = created(result)
    assert re.fullmatch(r"incidents/2026/INC-2026-0001-[a-z0-9-]+\.md", path), path
    assert load(root, path).data["title"] == title


# --- titles that must not break the front matter --------------------------------------

HOSTILE_TITLES = [
    'He said "stop" and it\'s done',
    "---",
    "a\n---\nkind: postmortem",
    "line one\nline two",
    "{{id}} {{title}} {{ severity }}",
    "key: value # not a comment",
    "- a list item",
    "[1, 2] {a: b} & * ! | > % @ `",
    "yes",
    "12:30",
    "2026-11-03",
    "null",
    "~",
    "\\ backslash \\n",
    "tab\there",
    "del\x7f nel\x85 ls\u2028 ps\u2029 bom\ufeff",
    "[bold red]x[/] [link=https://evil.example]y[/link]",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_titles_never_break_the_front_matter(title: str, root: Path, cli: Cli) -> None:
    result = new_incident(cli, root, title).expect(0)

    path = created(result)
    record = load(root, path)
    assert record.data["title"] == title
    assert record.data["timeline"][0]["text"] == f"Incident declared: {title}"
    assert record.data["kind"] == "incident"
    assert {(f, r) for _, f, r in problems(cli, root)} == INCIDENT_TO_FILL


def test_title_with_bytes_that_are_not_utf8_is_refused(root: Path, cli: Cli) -> None:
    title = b"caf\xe9".decode("utf-8", "surrogateescape")

    result = new_incident(cli, root, title).expect(2)

    assert "UTF-8" in result.stderr
    assert not (root / "incidents").exists()


def test_render_template_encodes_values_in_front_matter_only() -> None:
    template = "---\ntitle: {{title}}\nlist: {{items}}\n---\n# {{title}}\n"

    text = render_template(
        template, {"title": 'a "b"\n---', "items": [{"at": "x", "kind": "note"}]}
    )

    assert text == (
        '---\ntitle: "a \\"b\\"\\n---"\nlist:\n  - at: "x"\n    kind: "note"\n'
        '---\n# a "b"\n---\n'
    )


def test_unknown_placeholder_is_a_clear_error() -> None:
    with pytest.raises(UsageError, match=re.escape("`{{nope}}`")):
        render_template("---\na: {{nope}}\n---\n", {})


# --- each kind ------------------------------------------------------------------------


def test_new_incident_validates_with_only_fill_me_in_problems(
    root: Path, cli: Cli
) -> None:
    result = new_incident(
        cli, root, "Checkout down", "--detected-at", "2026-11-03T15:07:00+01:00"
    ).expect(0)

    record = load(root, created(result))
    assert record.data["id"] == "INC-2026-0001"
    assert record.data["severity"] == "SEV2"
    assert record.data["status"] == "investigating"
    assert record.data["commander"] == "Ada Lovelace"
    assert record.data["teams"] == ["payments"]
    assert record.data["started_at"] == STARTED
    assert record.data["detected_at"] == "2026-11-03T15:07:00+01:00"
    assert "# Checkout down" in record.body
    assert problems(cli, root) == {(created(result), f, r) for f, r in INCIDENT_TO_FILL}


def test_new_exercise_validates_with_only_fill_me_in_problems(
    root: Path, cli: Cli
) -> None:
    result = cli(
        "new", "exercise", "--root", root, "--title", "Ledger corrupted",
        "--scenario", "data-corruption", "--held-on", "2026-10-02",
        "--facilitator", "Grace Hopper",
    ).expect(0)  # fmt: skip

    path = created(result)
    assert path == "exercises/2026/EX-2026-0001-ledger-corrupted.md"
    record = load(root, path)
    assert record.data["held_on"] == "2026-10-02"
    assert record.data["scenario"] == "data-corruption"
    assert record.data["facilitator"] == "Grace Hopper"
    assert problems(cli, root) == {(path, f, r) for f, r in EXERCISE_TO_FILL}


def test_new_exercise_is_held_today_in_the_configured_timezone(
    root: Path, cli: Cli
) -> None:
    # UTC+14: for fourteen hours of every UTC day its date is already tomorrow.
    zone = ZoneInfo("Pacific/Kiritimati")
    (root / "pmctl.yaml").write_text("timezone: Pacific/Kiritimati\n", "utf-8")
    before = datetime.now(zone).date().isoformat()

    result = cli(
        "new", "exercise", "--root", root, "--title", "Ledger corrupted",
        "--scenario", "data-corruption", "--facilitator", "Grace Hopper",
    ).expect(0)  # fmt: skip

    held_on = load(root, created(result)).data["held_on"]
    assert held_on in {before, datetime.now(zone).date().isoformat()}


def test_new_postmortem_is_prefilled_from_its_incident(root: Path, cli: Cli) -> None:
    incident = make_incident(title='Checkout "down" again')
    write_record(root, None, incident)

    result = cli(
        "new", "postmortem", "--root", root, "--incident", "INC-2026-0001",
        "--author", "Ada Lovelace",
    ).expect(0)  # fmt: skip

    path = created(result)
    assert re.fullmatch(
        r"postmortems/\d{4}/PM-\d{4}-0001-postmortem-checkout-down-again\.md", path
    )
    record = load(root, path)
    assert record.data["title"] == 'Postmortem: Checkout "down" again'
    assert record.data["incidents"] == ["INC-2026-0001"]
    assert record.data["impact"] == incident["impact"]["summary"]
    assert record.data["timeline"] == incident["timeline"]
    assert record.data["authors"] == ["Ada Lovelace"]
    assert record.data["status"] == "draft"
    assert record.data["actions"][0]["team"] == "payments"
    assert problems(cli, root) == {(path, f, r) for f, r in POSTMORTEM_TO_FILL}


def test_new_postmortem_title_and_author_defaults(
    git_repo: GitRepo, tmp_path: Path, cli: Cli
) -> None:
    root = git_repo.path
    git_repo("config", "user.name", "Repo Person")
    write_record(root, None, make_incident())

    result = cli(
        "new", "postmortem", "--root", root, "--incident", "INC-2026-0001",
        "--title", "Why checkout failed", cwd=tmp_path,
    ).expect(0)  # fmt: skip

    record = load(root, created(result))
    assert record.data["title"] == "Why checkout failed"
    assert record.data["authors"] == ["Repo Person"]


def test_new_postmortem_of_an_incident_without_a_timeline(root: Path, cli: Cli) -> None:
    data = make_incident(status="investigating")
    for name in ("timeline", "mitigated_at", "resolved_at", "communicated_at"):
        del data[name]
    write_record(root, None, data)

    result = cli(
        "new", "postmortem", "--root", root, "--incident", "INC-2026-0001",
        "--author", "Ada",
    ).expect(0)  # fmt: skip

    record = load(root, created(result))
    assert record.data["timeline"] == []


# --- refusals -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (
            ("incident", "--severity", "SEV1", "--commander", "A", "--team", "t"),
            "--title",
        ),
        (("incident", "--title", "T", "--commander", "A", "--team", "t"), "--severity"),
        (
            ("incident", "--title", "T", "--severity", "SEV1", "--team", "t"),
            "--commander",
        ),
        (
            ("incident", "--title", "T", "--severity", "SEV1", "--commander", "A"),
            "--team",
        ),
        (("postmortem",), "--incident"),
        (("exercise", "--scenario", "data-corruption"), "--title"),
        (("exercise", "--title", "T"), "--scenario"),
    ],
)
def test_missing_flag_without_a_terminal_exits_2_naming_it(
    args: tuple[str, ...], flag: str, root: Path, cli: Cli
) -> None:
    write_record(root, None, make_incident())
    before = snapshot(root)

    result = cli("new", *args, "--root", root).expect(2)

    assert flag in result.stderr
    assert result.stdout == ""
    assert snapshot(root) == before


def test_on_a_terminal_missing_values_are_asked_for(
    root: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pmctl.commands import new

    terminal = types.SimpleNamespace(stdin=types.SimpleNamespace(isatty=lambda: True))
    monkeypatch.setattr(new, "sys", terminal)

    result = cli(
        "new", "incident", "--root", root, "--started-at", STARTED,
        input="Checkout down\nSEV3\nAda\npayments\n",
    ).expect(0)  # fmt: skip

    assert "Severity (SEV1, SEV2, SEV3, SEV4)" in result.stdout
    record = load(root, created(result))
    assert (record.data["title"], record.data["severity"]) == ("Checkout down", "SEV3")
    assert record.data["teams"] == ["payments"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--severity", "SEV9"), ["`SEV9`", "SEV1, SEV2, SEV3, SEV4"]),
        (("--started-at", "2026-11-03T14:00:00"), ["--started-at", "offset"]),
        (("--started-at", "12:30"), ["--started-at"]),
        (("--detected-at", "2026-11-03T13:00:00Z"), ["--detected-at", "before"]),
    ],
)
def test_bad_incident_flags_exit_2(
    args: tuple[str, ...], words: list[str], root: Path, cli: Cli
) -> None:
    result = new_incident(cli, root, "Checkout down", *args).expect(2)

    for word in words:
        assert word in result.stderr
    assert not (root / "incidents").exists()


def test_team_outside_the_allow_list_exits_2(root: Path, cli: Cli) -> None:
    (root / "pmctl.yaml").write_text("teams: [platform]\n", encoding="utf-8")

    result = new_incident(cli, root).expect(2)

    assert "`payments`" in result.stderr and "platform" in result.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--scenario", "alien-invasion"), ["`alien-invasion`", "dependency-outage"]),
        (("--scenario", "data-corruption", "--held-on", "2026-02-30"), ["--held-on"]),
    ],
)
def test_bad_exercise_flags_exit_2(
    args: tuple[str, ...], words: list[str], root: Path, cli: Cli
) -> None:
    result = cli("new", "exercise", "--root", root, "--title", "T", *args).expect(2)

    for word in words:
        assert word in result.stderr


def test_postmortem_of_an_unknown_incident_exits_2(root: Path, cli: Cli) -> None:
    result = cli("new", "postmortem", "--root", root, "--incident", "INC-2026-0404")

    result.expect(2)
    assert "INC-2026-0404" in result.stderr


def test_postmortem_of_an_unreadable_incident_says_why(root: Path, cli: Cli) -> None:
    broken = root / "incidents/2026/INC-2026-0404-broken.md"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text("---\nid: INC-2026-0404\ntitle: [unclosed\n---\n")

    result = cli("new", "postmortem", "--root", root, "--incident", "INC-2026-0404")

    result.expect(2)
    # Worded as `show` and the action edits word an unreadable record.
    assert "INC-2026-0404-broken.md:4: the record cannot be read" in result.stderr
    assert "[yaml-syntax]" in result.stderr
    assert "does not exist" not in result.stderr


# --- never overwrite ------------------------------------------------------------------


def test_write_new_file_never_replaces_a_file(tmp_path: Path) -> None:
    path = tmp_path / "incidents/2026/INC-2026-0001-x.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"precious\r\n")

    with pytest.raises(UsageError, match="already exists"):
        write_new_file(path, "new text")

    assert path.read_bytes() == b"precious\r\n"
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_write_new_file_refuses_to_follow_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep", encoding="utf-8")
    path = tmp_path / "new.md"
    path.symlink_to(target)

    with pytest.raises(UsageError):
        write_new_file(path, "new text")

    assert target.read_text(encoding="utf-8") == "keep"


def test_new_leaves_no_temporary_files(root: Path, cli: Cli) -> None:
    new_incident(cli, root).expect(0)
    new_incident(cli, root).expect(0)

    names = sorted(p.name for p in (root / "incidents/2026").iterdir())
    assert names == [
        "INC-2026-0001-checkout-down.md",
        "INC-2026-0002-checkout-down.md",
    ]


def test_repository_templates_override_pmctl_templates(root: Path, cli: Cli) -> None:
    template = Path(__file__).parents[1] / "templates/incident.md"
    own = template.read_text(encoding="utf-8").replace("## Summary", "## Our summary")
    (root / "templates").mkdir()
    (root / "templates/incident.md").write_text(own, encoding="utf-8")

    result = new_incident(cli, root).expect(0)

    assert "## Our summary" in load(root, created(result)).body
