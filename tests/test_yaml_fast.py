"""The rapidyaml fast path gives exactly what the strict reader gives, or stays out.

The one invariant every test here checks: `load_fast(text)` is either `UNSURE`,
or `load_yaml(text)` succeeds and returns the same data, types and key order
included.
"""

from __future__ import annotations

import contextlib
import math
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from core_support import PROJECT, TESTS, make_benchmark_corpus
from pmctl.records import yaml_fast
from pmctl.records.loader import NotARecord, decode
from pmctl.records.yaml_fast import UNSURE, load_fast
from pmctl.records.yaml_strict import YamlProblem, load_yaml

ryml = pytest.importorskip("ryml")


def same(fast: Any, strict: Any) -> bool:
    """Equal data of equal types: `True` is not `1`, NaN equals NaN, key order."""
    if type(fast) is not type(strict):
        return False
    if isinstance(fast, dict):
        return list(fast) == list(strict) and all(
            same(fast[key], strict[key]) for key in fast
        )
    if isinstance(fast, list):
        return len(fast) == len(strict) and all(map(same, fast, strict))
    if isinstance(fast, float) and math.isnan(fast):
        return math.isnan(strict)
    return bool(fast == strict)


def takes_fast_path(text: str) -> bool:
    """Check the invariant for `text`; True when the fast path answered."""
    fast = load_fast(text)
    if fast is UNSURE:
        return False

    try:
        strict = load_yaml(text)
    except YamlProblem as problem:
        pytest.fail(f"fast path accepted what load_yaml refuses ({problem}): {text!r}")
    assert same(fast, strict), f"{text!r}: fast {fast!r} != strict {strict!r}"
    return True


def front_matter(text: str) -> str | None:
    """The front matter as the loader cuts it: between `---` and `---`/`...`."""
    lines = text.split("\n")
    if lines[0].rstrip(" \t") != "---":
        return None
    for end in range(1, len(lines)):
        if lines[end].rstrip(" \t") in ("---", "..."):
            return "\n".join(lines[1:end]) + "\n"
    return None


def front_matters(root: Path) -> dict[str, str]:
    found = {}
    for path in sorted(root.rglob("*.md")):
        try:
            text = decode(path.read_bytes())
        except NotARecord:
            continue
        cut = front_matter(text)
        if cut is not None:
            found[path.relative_to(root).as_posix()] = cut
    return found


def words(text: str) -> list[str]:
    return text.split()


# Every spelling of a scalar the core schema types, and its neighbours that
# stay text; each is tried plain, quoted both ways, as a key and in a list.
SCALARS = [
    *words("~ null Null NULL nULL true True TRUE tRUE false False FALSE"),
    *words("yes no on off y n Yes NO"),
    *words("0 -0 +0 7 -7 +7 010 -010 00 0o17 0o8 0x1F 0x1f 0xG 0b101 1_000"),
    *words("1.5 -2.5 .5 -.5 +.5 5. -5. 1e3 1E3 1e+3 1e-3 1.e5 .e5 0e0 1.0e 01.5"),
    *words(".inf -.inf +.inf .Inf .INF .nan .NaN .NAN NaN Infinity -Infinity inf"),
    *words("12:30 1:30:00 2026-11-03 2026-11-03T14:09:00Z 1.2.3 0.0.0"),
    "2026-11-03 14:09:00",
    "1e400",
    "-1e400",
    "9" * 1000,
    "9" * 1001,
    "1." + "5" * 2000,
]

SCALAR_SNIPPETS = [
    snippet
    for value in SCALARS
    for snippet in (
        f"a: {value}\n",
        f'a: "{value}"\n',
        f"a: '{value}'\n",
        f"{value}: a\n",
        f"a: [{value}, x]\n",
        f"a:\n  - {value}\n",
        f"a: {{b: {value}}}\n",
    )
]

STRINGS = [
    # Quotes, backslashes and escapes, and how rapidyaml writes them as JSON.
    'a: "q\\"uote"\n',
    "a: 'it''s'\n",
    'a: "back\\\\slash"\n',
    "a: 'back\\slash'\n",
    "a: back\\slash\n",
    "a: 'a\\nb'\n",
    'a: "tab\\there"\n',
    'a: "uni\\u00e9 \\U0001F600 \\x41 \\/ \\  \\_ \\N \\L \\P"\n',
    'a: "\\xc3\\xa9"\n',
    'a: "nul\\0 bell\\a esc\\e vt\\v bs\\b ff\\f cr\\r"\n',
    'a: "\\ud800"\n',
    'a: "\\U00110000"\n',
    'a: "\\q"\n',
    'a: "\\u12"\n',
    'a: "\\"\\\\\\""\n',
    "a: '\"'\n",
    'a: "x\\" "\n',
    'a: "x\\""\nb: ""\n',
    "a: é ü 日本 😀\n",
    "é: ü\n",
    "a: x\u00a0\n",
    "a: \u00a0b\n",
    "a:\u00a0b\n",
    '"a\\tb": 1\n',
    "a b: c\n",
    "a#b: c\n",
    "a  : b\n",
    "a: ''\n",
    'a: ""\n',
    '"": 1\n',
    # Multi-line scalars: quoted, plain, literal and folded.
    'a: "line1\\nline2"\n',
    'a: "multi\n  line\n\n  para"\n',
    'a: "q  \n   more  \n\n  x\\\n  y"\n',
    'a: "x\\\n  y"\n',
    'a: "\\\n  "\n',
    "a: 'multi\n  line'\n",
    "a: 'q  \n   more  \n\n  x'\n",
    "a: plain\n  multi\n\n  line\n",
    "a: plain  \n  more   \n\n   \n  last\n",
    "a: |\n  lit\n  eral\n",
    "a: |-\n  lit\n\n",
    "a: |+\n  lit\n\n",
    "a: |+\n  x\n\n\n",
    "a: >\n  fold\n  ed\n\n  x\n",
    "a: >-\n  f\n   more\n  x\n",
    "a: >+\n  x\n\n",
    "a: >\n  one\n    more\n  two\n\n\n  three\n",
    "a: >\n  x  \n  y\n",
    "a: >\n\n  x\n\n   y\n  z\n",
    "a: |\n  x  \n   \n  y\n",
    "a: |\n    \n  x\n",
    "a: |\n\n\n  x\n",
    "a: |\n  x\n    \n",
    "a: |\n  x\n\n# c\nb: 1\n",
    "a: |\nb: 1\n",
    "a: |\n",
    "a: >\n",
    "a: | # c\n  x\n",
    "a: |2\n   x\n",
    "a: |2kind: x\n  y\n",
    "a: | junk\n  x\n",
    "a: >-3\n   x\n",
    "a: |\n  # not a comment\n",
    "a:\n  b: |\n    x\n    y\n  c: 1\n",
    "a:\n  - |\n    x\n  - y\n",
    "a: >\n  x\n b\n",
    "a: |\n  x\n b: 1\n",
    # A block scalar at the very end, with and without the final line break.
    "a: |\n  x",
    "a: |\n\n  x",
    "a: x",
]

STRUCTURE = [
    # Comments, empty values, trailing spaces, indentation.
    "a: b # c\n",
    "# c\na: b\n",
    "a: # c\n  b\n",
    "a:\n  # c\n  - x\n",
    "a: #\n",
    'a: "#"\n',
    "a: x #y #z\n",
    "a: x#notcomment\n",
    'a: "x" # c\n',
    'a: "x"#c\n',
    "a: 'x'#c\n",
    "a:\n",
    "a: \n",
    "a:   \n",
    "a: x  \n",
    "a: b\n\n\n",
    "\n\na: b\n",
    "a:\n- x\nb:\n  - y\n  - z\n",
    "a:\n    - x\n    - y\nb: 1\n",
    "a:\n  - x\n  -\n  - z\n",
    "a:\n  - x\n   - y\n",
    "a:\n  - x\n - y\n",
    "  a: b\n  c: d\n",
    "  a: b\nc: d\n",
    "a: b\n  c: d\n",
    "a:  b\n c: d\n",
    "a:\n b\nc: d\n",
    "a:\n  b\n  c: d\n",
    "a: b\n b: c\n",
    "- x # c\n",
    "- - a\n  - b\n- c\n",
    "- a: 1\n  b: 2\n- c\n",
    # Flow collections.
    'a: [a, "b", 1, ~, {c: d}]\n',
    "a: {b: 1, c: [x]}\n",
    "{a: 1}\n",
    "{a: 1, b: 2}\n",
    "a: []\n",
    "a: {}\n",
    "a: [ ]\n",
    "a: [ a, b ]\n",
    "a: [[b]]\n",
    "a: {b: [c]}\n",
    "a: [a,]\n",
    "a: {a: 1,}\n",
    "a: [a, , b]\n",
    "a: [a, # c\n  b]\n",
    "a: {b: 1,\n  c: 2}\n",
    "a: [\n  1,\n  2\n  ]\n",
    "a: [\n  1,\n  2\n]\n",
    "a:\n  [1, 2]\n",
    "a:\n  {b: 1}\n",
    "a: {b}\n",
    "a: [b: c]\n",
    "a: [b: c, d]\n",
    'a: {"b":1}\n',
    "a: {b:1}\n",
    "a: [b:c]\n",
    'a: ["b":c]\n',
    "a: [b]]\n",
    "a: [b] ]\n",
    "a: [b]}\n",
    "a: {b: 1}}\n",
    'a: "x"]\n',
    "a: [b]x\n",
    "a: [b],\n",
    "[a]: b\n",
    "{a: b}: c\n",
    "a: {[b]: c}\n",
    # Plain scalars with indicators inside, and at their start.
    "a: x:y\n",
    "a: x :y\n",
    "a: -x\n",
    "a: x,y\n",
    "a: x]\n",
    "a: x}\n",
    "a: ]x\n",
    "a: }x\n",
    "a: ,x\n",
    "a: @x\n",
    "a: `x`\n",
    "a: %x\n",
    "a: x % y\n",
    "a: <<\n",
    "<<: {a: 1}\nb: 2\n",
    # Document shapes: empty, scalar, list, markers, several documents.
    "",
    "\n",
    "# only a comment\n",
    "x\n",
    '"x"\n',
    "- 1\n- x\n",
    "[1, 2]\n",
    "---\na: 1\n",
    "--- a: 1\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n...\n",
    "a: 1\n--- \n",
    "%YAML 1.2\n---\na: 1\n",
    "a: b\r\nc: d\r\n",
    "a: b\rc: d\n",
    "\ufeffa: b\n",
    # More flow collections, comments, quoted keys and other spaces.
    '"a":b\n',
    "'a':b\n",
    "a:: b\n",
    "-\n  x\n",
    "a:\n-\n  x\n",
    "a: [a\n  b]\n",
    "'a\n  b': c\n",
    '"a\n  b": c\n',
    "a: b\n  - c\n",
    "a:\n  b: |\n  x\n",
    'a: "b"\n  c: d\n',
    "a:\n  - b\n  -\n    c: d\n    e: f\n",
    "a: [{b: c}, {d: e}]\n",
    "a: {b: {c: {d: e}}}\n",
    "a:\n  b:\n    c:\n      d: e\n  f: g\n",
    "a: b\n\n# c\n\nd: e\n",
    "a: 'x\n\n\n  y'\n",
    'a: "x\n\n\n  y"\n',
    'a: "x \\\n  y"\n',
    'a: "\\\n"\n',
    "a:\n  \"b\": c\n  'd': e\n",
    "a: { b: c , d: e }\n",
    "a: [ 'x' , \"y\" ]\n",
    "a: {b: \"c\",d: 'e'}\n",
    "a: {b: c\n  }\n",
    "a: b\n...\n",
    'a: "b\\"c"\n',
    "a: x\n  y: z\n",
    "a: -\n",
    "a: -- x\n",
    "- -\n",
    "- -x\n",
    "a: x\n\n  y\n",
    "a: |\n  x\n  \n",
    "a: |-\n  x\n  \n  \n",
    "a: >\n  x\n  \n  y\n",
    "a: >\n    x\n  y\n",
    "a: |\n   x\n  y\n",
    "a:\n  - >\n    x\n\n    y\n  - z\n",
    "k: |\n  trailing  \n",
    "k: >\n  a\n   b\n  c\n",
    "k: >\n  \n  a\n",
    "k: |\n \n  a\n",
    "k: 'a' \n",
    'k: "a"   # c\n',
    "k:  # c\n  # d\n  v\n",
    "k:\n\n  v\n",
    "k:\n  v # c\n  w\n",
    "a: [a, #b]\n",
    "a: {b: #c}\n",
    "a: [#b]\n",
    "a: [a #b]\n",
    "a: {b: c #d}\n",
    "a: [ #x\n  b]\n",
    "a: [b] #c\n",
    "a: {b: '#c'}\n",
    'a: ["x #y"]\n',
    "a: x\u3000y\n",
    "a:\u3000y\n",
    "\u3000a: y\n",
    "a: \u2003\n",
    "a: [a,\u3000b]\n",
    "a: {b: , c: d}\n",
    "a: {b:, c: d}\n",
    "a: [a, b: , c]\n",
]

HOSTILE = [
    # Tags, anchors and aliases.
    "a: !!str 1\n",
    "a: !!int '1'\n",
    "a: !custom x\n",
    "a: !!python/object/apply:os.system ['echo pwned']\n",
    "!!map {a: 1}\n",
    "a: !<tag:yaml.org,2002:str> x\n",
    "a: &x 1\nb: *x\n",
    "a: &x [1, 2]\nb: *x\n",
    "a: *x\n",
    "? a\n: b\n",
    "a: ? b\n",
    "a: [&x 1, *x]\n",
    "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 8)),
    # Keys that are not text, and keys given twice.
    "1: a\n",
    "true: a\n",
    "null: a\n",
    "~: a\n",
    ": a\n",
    "1.5: a\n",
    "a: 1\na: 2\n",
    "a: 1\nb:\n  c: 1\n  c: 2\n",
    "a: {b: 1, b: 2}\n",
    'a: 1\n"a": 2\n',
    "a: [{b: 1, b: 1}]\n",
    # Numbers too long to read.
    "a: " + "1" * 1001 + "\n",
    "a: -" + "1" * 1001 + "\n",
    # Characters libyaml's reader refuses or reads differently.
    "a: x\x00\n",
    "a: x\x01\n",
    "a: x\x7f\n",
    "a: x\x85y\n",
    'a: "x\x85y"\n',
    "a: x\u2028y\n",
    "a: x\u2029y\n",
    "a: x\ufeff\n",
    "a: x\ufffe\n",
    "a: x\ud800\n",
    "a:\tb\n",
    "a:\n\t- b\n",
    'a: "x\ty"\n',
    # Very long keys: libyaml allows 1024 characters, rapidyaml any length.
    "a" * 1100 + ": b\n",
    "a" + " " * 1100 + ": b\n",
    '"' + "a" * 1100 + '": b\n',
    "a: {" + "b" * 1100 + ": c}\n",
    "a: " + "x" * 1100 + "\n",
    # Deep nesting, in flow and block style, shallow and past every limit.
    "a: " + "[" * 99 + "]" * 99 + "\n",
    "a: " + "[" * 101 + "]" * 101 + "\n",
    "a: " + "[" * 3997 + "]" * 3997 + "\n",
    "a: " + "[" * 20000 + "]" * 20000 + "\n",
    "a: " + "[" * 7000 + "\n",
    "a: " + "{b: " * 1999 + "1" + "}" * 1999 + "\n",
    "".join(" " * i + "k:\n" for i in range(120)) + " " * 120 + "k: 1\n",
    "".join(" " * i + "k:\n" for i in range(60)) + " " * 60 + "k: 1\n",
    "a:\n" + "- " * 2000 + "x\n",
    "a:\n" + "".join("  " * (i + 1) + "-\n" for i in range(150)),
    # Invalid YAML of many shapes.
    "a: - x\n",
    "a: - \n",
    "a: b: c\n",
    "a: 'x''\n",
    'a: "x\n',
    "a: [x\n",
    "a: {x: 1\n",
    "a: [b\n]\n",
    "a: 'b'\n  c\n",
    'a: "b" c\n',
    "a: b\n- c\n",
    "- a\nb: c\n",
    "a: ]\n",
    "]\n",
    "}\n",
    "a: x\n  - y\n",
    "a:\n  - b\n  c: d\n",
    ":\n",
    "-\n-\n:\n",
    "a: |\n x\n  y\n z\n",
    # Texts the fuzzers found rapidyaml to accept and libyaml to refuse.
    "a:\n  b: |2kind: x\n    y\n",
    "-k: > #-\n  \n  no! # c\n",
    "a: | # -#\n  x\n",
    "a: > # # c\n\n\n   more\n",
    "a:\n  - {} -\n   b: # c\n",
    "k:\n- a\n- [a] - b\n",
    "k:\n- a\n- {} -\n",
    "k:\n- a\n- 'x' - y\n",
    "a:\n  - 'x'    - y\n",
    "c: 'a\n b-': # 'c\n",
    "c: [a\n b: c]\n",
    "c: {a\n b: c}\n",
    "c: ['a\n b': c]\n",
    "a: {s: a #b}\n",
    "a: [{k: a #bnull, t: x}]\n",
    "a: [:a]\n",
    "a: {b: :a}\n",
    "%id: 1\nk: v\n",
    "k:\n- {} l: x\n",
    "k:\n- 'a' l: x\n",
    'k:\n- "a" "l": x\n',
    "  k:\n  - {}\n   l: x\n",
    ' k:\n - "a"\n  l: x\n',
    'a: "' + "[" * 200 + '"\n',
    '"' + "[" * 200 + '"\n',
    # Implicit keys over several lines, which libyaml refuses.
    "a\n  b: c\n",
    "k:\n  a\n  b: c\n",
    "k:\n  a\n   b: c\n",
    "- a\n  b: c\n",
    "- a\n  b\n  c: d\n",
    "k:\n  - a\n    b: c\n",
    "k: v\nl:\n  a\n  b: c\n",
    "k:\n  x: 1\n  a\n  b: c\n",
    "k:\n  x: 1\n  a\n    b: c\n",
    "k:\n  - x: 1\n    a\n    b: c\n",
    "k: 'a\n  b': c\n",
    "- 'a\n  b': c\n",
    "k:\n  'a\n  b': c\n",
    "k:\n  x: 1\n  'a\n  b': c\n",
    'k: "a\n  b": c\n',
    "k: |\n  a\n  b: c\n",
    "k: a\n  b: c\n",
    "k:\n  a: b\n   c\n",
    "k:\n  a: b\n    c: d\n",
]

TABLE = SCALAR_SNIPPETS + STRINGS + STRUCTURE + HOSTILE


@pytest.mark.parametrize("text", TABLE, ids=[repr(text)[:50] for text in TABLE])
def test_fast_path_agrees_or_stays_out(text: str) -> None:
    takes_fast_path(text)


@pytest.mark.parametrize(
    "text",
    [
        # Ordinary record content must not fall back: the fast path is for it.
        "title: Rollback now!\nnote: 'Rollback now!'\ncheer: \"Done!\"\n",
        "text: R&D spend rose 5*3 = 15 times; 34% of requests, why? because\n",
        "url: https://x.example/a?b=1&c=2#frag\nat: 12:30\nid: INC-2026-0001\n",
        "text: see x, y and z (a > b, a | b); it's a 5\" screen\n",
        "tags: []\nmore: {}\nlist: [ a, b ]\nnested: {b: [c, 'd'], e: 1.5}\n",
        'started_at: "2026-11-03T14:09:00Z"\non: 2026-11-30\nflag: yes\n',
        "n: 7\nf: -2.5e3\nok: true\nno: false\nnothing: null\nempty:\n",
        "a: |\n  literal\n  text\nb: >-\n  folded\n  text\nc: |+\n  kept\n\n",
        "timeline:\n  - at: x\n    text: y # comment\n  -\n  - z\n",
        "q: \"tab\\t quote\\\" backslash\\\\ \\u00e9\"\nr: 'it''s'\n",
        "é: ü 日本 😀\n",
    ],
)
def test_ordinary_front_matter_takes_the_fast_path(text: str) -> None:
    assert takes_fast_path(text), text


FAR = "x" * 196


@pytest.mark.parametrize(
    ("text", "far"),
    [
        # The `:` after `t: ` and 196 more bytes is 199 bytes into its line.
        (f"t: {FAR}: b\n", True),
        (f"t: {FAR[1:]}: b\n", False),
        (f"t: {FAR}:\n", True),
        (f"t: {FAR}:[b]\n", True),
        # A quote just before it, as a quoted key ends.
        (f"t: {FAR[1:]}':b\n", True),
        (f"t: {FAR[2:]}':b\n", False),
        # Colons far in that cannot end a key, then one that can.
        (f"t: {FAR}:x\n", False),
        (f"t: {FAR}:x:x\n", False),
        (f"t: {FAR}:x:x: b\n", True),
        # Every long line is looked at, not only the first.
        (f"t: {FAR}\nu: {FAR}\nv: {FAR}: b\n", True),
        (f"t: {FAR}:x\nu: {FAR}x\n", False),
    ],
)
def test_a_key_far_into_its_line_is_left_to_the_strict_reader(
    text: str, far: bool
) -> None:
    assert yaml_fast._risky(text, text.encode()) is far


def test_every_example_and_test_case_record() -> None:
    examples = front_matters(PROJECT / "examples")
    cases = front_matters(TESTS / "cases")
    assert len(examples) >= 20 and len(cases) >= 50

    fast = {
        path for path, text in {**examples, **cases}.items() if takes_fast_path(text)
    }

    # Every example is ordinary front matter.
    assert set(examples) <= fast


def test_every_settings_file() -> None:
    # pmctl.yaml is read by the same two paths as front matter.
    found = [
        path
        for folder in ("examples", "templates", "tests")
        for path in (PROJECT / folder).rglob("pmctl.yaml")
    ]
    assert len(found) >= 3

    for path in found:
        text = decode(path.read_bytes())
        takes_fast_path(text)
        # Without its comments, which quote YAML, each is ordinary YAML.
        plain = "".join(
            x for x in text.splitlines(True) if not x.lstrip().startswith("#")
        )
        assert takes_fast_path(plain) or not plain.strip(), path


def test_benchmark_corpus(tmp_path: Path) -> None:
    target = tmp_path / "corpus"
    make_benchmark_corpus(target, 300)

    valid = fast = 0
    for text in front_matters(target).values():
        with contextlib.suppress(YamlProblem):
            valid += isinstance(load_yaml(text), dict)
        fast += takes_fast_path(text)

    assert valid >= 290
    # A fast path that quietly stops answering fails here, not in a benchmark.
    assert fast >= 0.9 * valid, (fast, valid)


def test_refused_text_writes_nothing_to_stderr(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = ['a: "x"y\n', 'a: "x"#c\n', "a: b\n b: c\n", "a: [b]]\n"]
    # Left alone, rapidyaml reports a parse error on stderr itself.
    with pytest.raises(ryml.ExceptionBasic):
        ryml.parse_in_arena(refused[0].encode())
    assert "ERROR" in capfd.readouterr().err
    parsed: list[bytes] = []
    original = ryml.parse_in_arena

    def spy(source: bytes, tree: Any = None) -> Any:
        parsed.append(source)
        return original(source, tree)

    monkeypatch.setattr(ryml, "parse_in_arena", spy)

    results = [load_fast(text) for text in refused]
    os.write(2, b"stderr still works\n")

    assert results == [UNSURE] * len(refused)
    assert parsed == [text.encode() for text in refused]
    assert capfd.readouterr() == ("", "stderr still works\n")


@pytest.mark.parametrize(
    ("emitted", "expected"),
    [
        (b'{"a": "b c"}', {"a": "b c"}),
        (b'{"a": " b"}', UNSURE),  # a plain scalar never starts with a space
        (b'{"a": "b \\" c"}', {"a": 'b " c'}),
        (b'{" a": "b"}', UNSURE),
        (b'{"a": "1.5"}', UNSURE),  # may have been a plain number
        (b'{"a": ""}', UNSURE),  # may have been an empty plain scalar: null
        (b'{"a": "True"}', UNSURE),
        (b'{"a": "Trueish"}', {"a": "Trueish"}),
    ],
)
def test_json_strings_rapidyaml_may_have_read_otherwise_are_left_out(
    emitted: bytes, expected: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What rapidyaml writes is checked whatever the text it came from.
    monkeypatch.setattr(yaml_fast, "_emit_json", lambda source: emitted)

    assert load_fast("a: b\n") == expected


def test_quiet_parses_silences_once_and_gives_stderr_back(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = ['a: "x"y\n', "a: 1\n", "a: [b]]\n", "b: [1, 2]\n"]
    alone = [load_fast(text) for text in texts]
    silenced: list[int] = []
    original = yaml_fast._silence_stderr

    def counting() -> int | None:
        silenced.append(1)
        return original()

    monkeypatch.setattr(yaml_fast, "_silence_stderr", counting)

    with yaml_fast.quiet_parses():
        with yaml_fast.quiet_parses():
            inside = [load_fast(text) for text in texts]
        os.write(2, b"lost\n")
    os.write(2, b"stderr is back\n")

    assert inside == alone == [UNSURE, {"a": 1}, UNSURE, {"b": [1, 2]}]
    # Once for the outer block; the inner one and the parses add nothing.
    assert len(silenced) == 1
    assert capfd.readouterr() == ("", "stderr is back\n")


def test_quiet_parses_gives_stderr_back_after_an_exception(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(KeyError), yaml_fast.quiet_parses():
        raise KeyError("boom")
    os.write(2, b"still here\n")

    assert capfd.readouterr().err == "still here\n"
    assert load_fast('a: "x"y\n') is UNSURE
    assert capfd.readouterr().err == ""


def test_without_rapidyaml_every_text_is_unsure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(yaml_fast, "ryml", None)

    assert load_fast("a: 1\n") is UNSURE


def test_module_imports_without_rapidyaml() -> None:
    code = (
        "import sys; sys.modules['ryml'] = None\n"
        "from pmctl.records.yaml_fast import UNSURE, load_fast\n"
        "print(load_fast('a: 1\\n') is UNSURE)\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == "True\n"


# What the fuzzer puts in: YAML's indicators, and pieces of its syntax.
INSERTS = [
    *":-\"'#[]{},|>!&*?%@` \n~.0+\\",
    *("  ", "\n  ", ": ", "- ", "\n- ", "|\n", ">\n", "|-", "|+", "|2", "\\n"),
    *('\\"', " #", "true", "null", "1", "0x", "\t", "\r", "é", "\u00a0", "---"),
]


def mutate(rng: random.Random, text: str) -> str:
    """Delete, duplicate or insert a few characters, or re-indent a line."""
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(text) + 1)
        choice = rng.random()
        if choice < 0.3:
            text = text[:at] + text[at + rng.randint(1, 3) :]
        elif choice < 0.45:
            text = text[:at] + text[at : at + rng.randint(1, 5)] + text[at:]
        elif choice < 0.85:
            text = text[:at] + rng.choice(INSERTS) + text[at:]
        else:
            lines = text.split("\n")
            line = rng.randrange(len(lines))
            shift = rng.choice([-2, -1, 1, 2])
            if shift > 0:
                lines[line] = " " * shift + lines[line]
            elif lines[line][:-shift].strip() == "":
                lines[line] = lines[line][-shift:]
            text = "\n".join(lines)
    return text if text.endswith("\n") else text + "\n"


FUZZ_BASE = (
    "id: INC-2026-0001\n"
    "title: 'Checkout errors: 5% of card payments failed!'\n"
    "severity: SEV2\n"
    'started_at: "2026-11-03T14:09:00Z"\n'
    "resolved_at: 2026-11-03T15:30:00Z\n"
    "users_affected: 2200\n"
    "ratio: 0.05\n"
    "customer_facing: true\n"
    "tags: [payments, 'card-auth', {region: eu-west}]\n"
    "summary: |\n"
    "  Card payments failed.\n"
    "  Rolled back at 15:05.\n"
    "detail: >-\n"
    "  Folded text,\n"
    "  more of it.\n"
    "timeline:\n"
    '  - at: "2026-11-03T14:21:00Z"\n'
    "    kind: detection  # the first page\n"
    '    text: "Alert \\"checkout-5xx\\" fired"\n'
    "  -\n"
    "  - kind: note\n"
    "    text: plain text\n"
    "      over two lines\n"
)


def test_fuzzed_front_matter() -> None:
    rng = random.Random(20261103)
    bases = [FUZZ_BASE, *front_matters(PROJECT / "examples").values()][:4]

    fast = sum(takes_fast_path(mutate(rng, rng.choice(bases))) for _ in range(3000))

    # Most mutations keep the text ordinary: the fuzzer exercises the fast path.
    assert fast > 500


# Pieces of scalars for generated documents: indicators, look-alikes of
# numbers, booleans and nulls, escapes, quotes, line breaks, wide characters.
ATOMS = [
    *words("x a:b a#b a_#b 1 -1 1.5 .5 5. 1e3 true True null ~ yes 12:30 0x1F 010"),
    *words(".inf - -- a,b a] a} [ { \" ' \\ \\n \\\" '' % 50% why? R&D now! @x"),
    *words("a|b a>b é 日本 😀 # : ? -x"),
    *words("text more words Rollback 2026-11-03 42 v1.2 INC-2026-0001 ok") * 3,
    *("a b", "a\nb", "a\n\nb", "a \n b", " x", "x ", "", "\u00a0"),
]
KEYS = [*words("a b key id title x1 é 1 true null ~ -k k? a:b 'q' \"d\""), "a b"]


def scalar(rng: random.Random, indent: int, in_flow: bool) -> str:
    text = "".join(rng.choice(ATOMS) for _ in range(rng.randint(1, 3)))
    style = rng.choice(["plain", "plain", '"', "'"] + ([] if in_flow else ["|", ">"]))
    if style == "plain":
        return text.replace("\n", " ")
    if style in "\"'":
        escaped = text.replace(style, rng.choice(["\\" + style, style * 2, style]))
        return style + escaped.replace("\n", "\n" + " " * (indent + 1)) + style
    header = style + rng.choice(["", "-", "+", " ", " # c"])
    lines = text.split("\n") + [""] * rng.randint(0, 2)
    return header + "".join(f"\n{' ' * (indent + 2)}{line}" for line in lines)


def flow_node(rng: random.Random, depth: int) -> str:
    if depth > 2 or rng.random() < 0.5:
        return scalar(rng, 0, in_flow=True)
    if rng.random() < 0.5:
        items = [flow_node(rng, depth + 1) for _ in range(rng.randint(0, 3))]
        return "[" + rng.choice([", ", ",", " , "]).join(items) + "]"
    pairs = [f"{rng.choice(KEYS)}: {flow_node(rng, depth + 1)}" for _ in range(3)]
    return "{" + ", ".join(pairs[: rng.randint(0, 3)]) + "}"


def block_node(rng: random.Random, indent: int, depth: int) -> str:
    """Some lines of a mapping or a list, whose values may nest further."""
    entries = [
        rng.choice(KEYS) + ":" if depth > 3 or rng.random() < 0.6 else "-"
        for _ in range(rng.randint(1, 4))
    ]
    lines = []
    for entry in entries:
        choice = rng.random()
        if choice < 0.15 and depth < 4:
            deeper = indent + rng.choice([0, 1, 2, 2, 4])
            value = rng.choice(["", " # c"]) + "\n" + block_node(rng, deeper, depth + 1)
        elif choice < 0.3:
            value = " " + flow_node(rng, 0)
        elif choice < 0.35:
            value = rng.choice(["", " ", "  # c"])
        else:
            value = " " + scalar(rng, indent, in_flow=False) + rng.choice(["", " # c"])
        lines.append(" " * indent + entry + value)
    return "\n".join(lines)


def test_generated_documents() -> None:
    rng = random.Random(42)

    fast = 0
    for _ in range(4000):
        text = block_node(rng, rng.choice([0, 0, 0, 1]), 0) + "\n"
        fast += takes_fast_path(mutate(rng, text) if rng.random() < 0.5 else text)

    # About 260: the pieces are hostile on purpose, yet some documents must
    # take the fast path for the comparison to mean anything.
    assert fast > 150
