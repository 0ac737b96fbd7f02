"""Top-level field lines read off the text: the lines PyYAML gives, or none."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from core_support import PROJECT, TESTS, make_benchmark_corpus
from pmctl.problems import nearest_line
from pmctl.records.model import Record
from pmctl.records.top_level import top_level_line
from pmctl.records.yaml_strict import YamlProblem, key_lines, load_yaml
from yaml_samples import TABLE, front_matters


def agreeing(texts: list[str]) -> tuple[int, int]:
    """How many top-level fields of `texts` get a line, and of how many;
    every line given is asserted to be the one PyYAML gives."""
    answered = fields = 0
    for text in texts:
        lines = key_lines(text)
        for path, line in lines.items():
            if len(path) != 1 or not isinstance(path[0], str):
                continue
            fields += 1
            found = top_level_line(text, path[0])
            if found is not None:
                assert found == line, (text, path)
                answered += 1
    return answered, fields


def test_every_example_field_gets_its_line() -> None:
    texts = list(front_matters(PROJECT / "examples").values())

    answered, fields = agreeing(texts)

    assert fields > 300 and answered == fields


def loads(text: str) -> bool:
    """Whether a text read from a file would be a record's front matter."""
    try:
        text.encode()
        return isinstance(load_yaml(text), dict)
    except (UnicodeEncodeError, YamlProblem):
        return False


def test_every_test_case_field_gets_its_line() -> None:
    texts = [t for t in front_matters(TESTS / "cases").values() if loads(t)]

    answered, fields = agreeing(texts)

    assert fields > 1000 and answered == fields


def test_hostile_texts_get_the_line_pyyaml_gives_or_none() -> None:
    answered, fields = agreeing([text for text in TABLE if loads(text)])

    # Most are one odd value under an ordinary key.
    assert fields > answered > fields / 2


def test_every_benchmark_corpus_field_gets_its_line(tmp_path: Path) -> None:
    make_benchmark_corpus(tmp_path, 200)

    answered, fields = agreeing(list(front_matters(tmp_path).values()))

    assert fields > 2000 and answered == fields


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("kind: incident\nid: INC-1\n", 2),
        ("# a comment\n\nid : INC-1\nkind: x\n", 3),
        ("id:\n  - a\nkind: x\n", 1),
        ("a: |\n  id: not a key\nid: INC-1\n", 3),
        ("a:\n  id: nested\nid: INC-1\n", 3),
        # PyYAML writes the items of a list under a key at the key's column.
        ("teams:\n- a\n- id: x\n-\n  id: y\nid: INC-1\n", 6),
        ("- id: x\n", None),
        # A quoted scalar over several lines may hold a line like an entry.
        ('a: "x\nid: y"\nid: INC-1\n', None),
        # The field's own line is not a plain entry: it would not be counted.
        ('a: "x\nid: y"\n"id": INC-1\n', None),
        ("a: 'x\nid: y'\n? id\n: INC-1\n", None),
        # The root mapping indented: its entries are not at column 0.
        ('  a: "x\nid: y"\n  id: INC-1\n', None),
        ("\tid: INC-1\n", None),
        ("{id: INC-1}\n", None),
        ("kind: incident\n", None),
        # YAML ends a line at these too; the text is not read then.
        ("a: x\rb: y\nid: INC-1\n", None),
        ("a: x\x85b: y\nid: INC-1\n", None),
        ("a: x\u2028b: y\nid: INC-1\n", None),
        ('a: "x\u2029y"\nid: INC-1\n', None),
    ],
)
def test_the_line_is_read_off_the_text_only_where_certain(
    text: str, line: int | None
) -> None:
    assert top_level_line(text, "id") == line


def record(front_matter: str) -> Record:
    data = load_yaml(front_matter)
    return Record("r.md", data, "", front_matter, first_line=2)


@pytest.mark.parametrize(
    "front_matter",
    [
        "kind: incident\nid: INC-1\nseverity: SEV9\n",
        'title: "a\u2028b"\nseverity: SEV9\nid: INC-1\n',
        'kind: incident\ntitle: "x\nseverity: y"\n',
    ],
)
def test_record_lines_are_pyyamls_in_any_order_of_asking(front_matter: str) -> None:
    paths = [("severity",), ("id",), ("title", 0), ("missing",)]

    forwards = [record(front_matter).line_of(path) for path in paths]
    one = record(front_matter)
    backwards = [one.line_of(path) for path in reversed(paths)][::-1]

    lines = key_lines(front_matter)
    composed = [(nearest_line(lines, path) or 1) + 1 for path in paths]
    assert forwards == backwards == composed


DUPLICATES = """
import sys
from pmctl import pipeline
from pmctl.cli import main
# Records are read in workers, as in a large repository: only naming the
# lines of cross-record problems is left to this process.
pipeline._PARALLEL_FROM = 1
sys.argv = ["pmctl", "validate", "--root", sys.argv[1], "--format", "json"]
try:
    main()
finally:
    print("yaml" in sys.modules, file=sys.stderr)
"""


def test_a_cold_run_names_duplicate_ids_without_pyyaml(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    make_benchmark_corpus(root, 60)
    cache = tmp_path / "cache"

    done = subprocess.run(
        [sys.executable, "-c", DUPLICATES, root],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PMCTL_CACHE_DIR": str(cache)},
    )

    assert done.returncode == 1, done.stderr
    duplicates = [
        problem
        for problem in json.loads(done.stdout)["problems"]
        if problem["rule"] == "duplicate-id"
    ]
    assert duplicates, done.stdout
    for problem in duplicates:
        text = (root / problem["path"]).read_text().split("\n")
        assert text[problem["line"] - 1].startswith("id:"), problem
    assert done.stderr.splitlines()[-1] == "False"


# Values that put lines like entries at column 0 without being entries.
COLUMN_ZERO = ["id: 1", "severity: x", "kind", "- x", "# c", "", " id: 2", "a:"]
BREAKS = ["\n"] * 8 + ["\r", "\r\n", "\x85", "\u2028", "\u2029"]


def generated_value(rng: random.Random) -> str:
    odd = rng.choice(COLUMN_ZERO)
    gap = rng.choice(BREAKS)
    return rng.choice(
        [
            rng.choice(["x", "1", "true", "~", "'q'", '"q"', "[]", "{}"]),
            f'"v{gap}{odd}{gap}w"',
            f"'v{gap}{odd}'",
            f"[v,{gap}{odd.replace(':', '')}]",
            f"{{p: 1,{gap}{rng.choice(['id: 3', 'q: 4'])}}}",
            f"|{gap}  {odd}{gap}  z",
            f"{gap}- {odd.replace(':', '')}",
        ]
    )


def generated_front_matter(rng: random.Random) -> str:
    entries = []
    for _ in range(rng.randint(1, 5)):
        key = rng.choice(["id", "kind", "title", "severity", "a"])
        entries.append(f"{key}{rng.choice([': ', ' : '])}{generated_value(rng)}")
        if rng.random() < 0.1:
            entries.append(rng.choice(["# id: c", "", "  # x"]))
    return rng.choice(BREAKS).join(entries) + "\n"


def test_generated_front_matter_gets_pyyamls_lines() -> None:
    rng = random.Random(11)
    read_off = 0
    for _ in range(2000):
        text = generated_front_matter(rng)
        if not loads(text):
            continue
        lines = key_lines(text)

        for key in ("id", "kind", "title", "severity", "a", "missing"):
            expected = (nearest_line(lines, (key,)) or 1) + 1
            assert record(text).line_of((key,)) == expected, (text, key)
            read_off += top_level_line(text, key) is not None

    # Most fields of ordinary shape are read off the text, not composed.
    assert read_off > 250
