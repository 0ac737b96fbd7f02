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
from pmctl.records.loader import decode
from pmctl.records.yaml_fast import UNSURE, load_fast
from pmctl.records.yaml_strict import YamlProblem, load_yaml
from yaml_samples import TABLE, front_matters, words

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


@pytest.mark.skipif(yaml_fast.native is None, reason="the C scans are not built")
def test_the_c_scans_and_their_twins_give_the_same_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(7)
    # Generated keys are often given twice: both ways must turn those down.
    documents = [block_node(rng, 0, 0) + "\n" for _ in range(3000)]
    documents += [mutate(rng, FUZZ_BASE) for _ in range(1000)]

    with_c = [load_fast(text) for text in documents]
    monkeypatch.setattr(yaml_fast, "native", None)
    without = [load_fast(text) for text in documents]

    differ = [
        text
        for text, fast, twin in zip(documents, with_c, without, strict=True)
        if not (fast is twin is UNSURE or same(fast, twin))
    ]
    assert not differ[:3]
    answered = sum(1 for fast in with_c if fast is not UNSURE)
    assert answered > 300 and len(documents) - answered > 300, answered
