"""The C scans (`pmctl._speedups`) answer exactly what their Python twins do.

Each scan runs beside its twin on thousands of texts, real ones cut and
mutated with the characters the guards look for, and on every short text over
a small alphabet. Each test also asserts that both answers occur many times
over: a comparison on texts that never reach a branch would prove nothing.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from itertools import product
from pathlib import Path
from typing import Any

import pytest

from core_support import EXAMPLES, TESTS, c_compiler, make_benchmark_corpus
from pmctl.checks import rules as check_rules
from pmctl.lint import rules as lint_rules
from pmctl.lint.rules import RuleSet, load_rules
from pmctl.records import yaml_fast
from pmctl.records.model import Record
from pmctl.speedups import Scans, native
from pmctl.timeparse import parse_timestamp
from yaml_samples import SCALARS, TABLE, front_matters

needs_native = pytest.mark.skipif(native is None, reason="the C scans are not built")


@pytest.mark.skipif(c_compiler() is None, reason="no C compiler")
def test_the_c_scans_are_built_where_a_compiler_is_found() -> None:
    # Otherwise every comparison below would be skipped without a word.
    assert native is not None, (
        f"{c_compiler()} is installed but pmctl._speedups was not built: "
        "see the warning of `pip install -e .` (hatch_build.py)"
    )


def scans() -> Scans:
    assert native is not None
    return native


# --- texts to cut and mutate -------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small corpus from the benchmark's generator."""
    root = tmp_path_factory.mktemp("speedups") / "corpus"
    make_benchmark_corpus(root, 50)
    return root


def record_roots(corpus: Path) -> list[Path]:
    return [TESTS / "cases", EXAMPLES, corpus]


@pytest.fixture(scope="module")
def documents(corpus: Path) -> list[bytes]:
    """Whole Markdown records: the test cases, the examples and the corpus."""
    return [
        path.read_bytes()
        for root in record_roots(corpus)
        for path in sorted(root.rglob("*.md"))
    ]


@pytest.fixture(scope="module")
def yaml_texts(corpus: Path) -> list[bytes]:
    """Front matter: cut from the records, and the YAML samples."""
    cuts = [
        text for root in record_roots(corpus) for text in front_matters(root).values()
    ]
    return [encoded(text) for text in [*cuts, *TABLE]]


def encoded(text: str) -> bytes:
    # A sample holds a lone surrogate, which no record can: the scans see its
    # bytes as any others.
    return text.encode("utf-8", "surrogatepass")


# What mutations insert: every character the guards look at, characters of
# several bytes, and pieces of YAML's syntax.
ALPHABET = " \n\t\r:-?,[]{}|>\"'#!&*%@`.~+0123456789eExXoOnNtTfFlsuI\\"
WIDE = ["é", "\u2028", "\u00a0", "\x85", "日", "😀", "\ufeff"]
PIECES = [
    *(": ", "- ", "\n- ", "\n  ", "|\n", ">\n", "|-\n", ">+ \n", "|2\n", "| x\n"),
    *("'x'", '"x"', '"a\\"b"', "'it''s'", "[a, b]", "{a: 1}", "[]", "{}", " #"),
    *("'a\n  b': c", '"k": v', "'x' - y", '"x" k: v', "] x: y", "} - z"),
    *("[:a]", "{a: :b}", ": :", ", :"),
]


def mutate(rng: random.Random, text: bytes) -> bytes:
    for _ in range(rng.randint(1, 5)):
        text = edit(rng, text)
    return text


def edit(rng: random.Random, text: bytes) -> bytes:
    """One insertion where the guards look, a deletion or a duplication."""
    at = rng.randrange(len(text) + 1)
    line = text.rfind(b"\n", 0, at) + 1
    choice = rng.random()
    if choice < 0.35:
        return text[:at] + rng.choice(ALPHABET).encode() + text[at:]
    if choice < 0.45:
        return text[:at] + rng.choice(WIDE).encode() + text[at:]
    if choice < 0.6:
        return text[:at] + rng.choice(PIECES).encode() + text[at:]
    if choice < 0.7:
        return text[:line] + far_run(rng) + text[line:]
    if choice < 0.75:
        marker = rng.choice([b"---", b"..."]) + rng.choice([b"", b" ", b"\n", b"x"])
        return text[:line] + marker + text[line:]
    if choice < 0.8:
        return indented_start(rng) + text
    if choice < 0.85:
        comment = b" " * rng.randint(0, 3) + rng.choice([b"#", b"# c", b"#: x"])
        return text[:line] + comment + b"\n" + text[line:]
    if choice < 0.95:
        return text[:at] + text[at + rng.randint(1, 4) :]
    return text[:at] + text[at : at + rng.randint(1, 8)] + text[at:]


def far_run(rng: random.Random) -> bytes:
    """A run that takes the line's next `:` past where the guard starts to
    look for the end of a key (`_FAR`), or just short of it."""
    run = rng.choice([b" ", b"a", b"a b", b"'"]) * rng.randint(190, 210)
    return run[: rng.randint(185, 210)] + rng.choice([b"", b":", b": ", b":x", b'":'])


def indented_start(rng: random.Random) -> bytes:
    """Blank and comment lines, then maybe an indented line."""
    lines = [rng.choice([b"\n", b"  \n", b"# c\n", b"  # c\n"])]
    lines *= rng.randint(0, 2)
    return b"".join(lines) + b" " * rng.randint(0, 2) + rng.choice([b"", b"k: v\n"])


def cut(rng: random.Random, text: bytes) -> bytes:
    """A random part of `text`, mostly whole lines."""
    starts = [0, *(found.end() for found in re.finditer(rb"\n", text))]
    start = rng.choice(starts) if rng.random() < 0.8 else rng.randrange(len(text) + 1)
    return text[start : start + rng.randint(0, 3000)]


def texts(rng: random.Random, bases: list[bytes], count: int) -> Iterator[bytes]:
    """`count` texts: as they are, cut, mutated, or both."""
    for _ in range(count):
        text = rng.choice(bases)
        choice = rng.random()
        if choice < 0.2:
            yield text
        elif choice < 0.4:
            yield cut(rng, text)
        elif choice < 0.7:
            yield mutate(rng, text)
        else:
            yield mutate(rng, cut(rng, text))


def with_line_break(text: bytes) -> bytes:
    # As `load_fast` passes them: the twin may index past a text without.
    return text if text.endswith(b"\n") else text + b"\n"


def every_text(alphabet: bytes, longest: int) -> Iterator[bytes]:
    for length in range(longest + 1):
        yield from map(bytes, product(alphabet, repeat=length))


def disagreements(
    inputs: list[bytes], answers: list[Any], expected: list[Any]
) -> list[tuple[bytes, Any, Any]]:
    """The inputs the two scans answer differently, shortest first."""
    found = [
        (given, answer, twin)
        for given, answer, twin in zip(inputs, answers, expected, strict=True)
        if answer != twin
    ]
    return sorted(found, key=lambda disagreement: len(disagreement[0]))[:3]


def tally(answers: list[Any]) -> tuple[int, int]:
    """How many answers are true (or not empty), and how many are not."""
    yes = sum(1 for answer in answers if answer)
    return yes, len(answers) - yes


# --- risky: the scan that sends a text to the strict reader ------------------


def risky_answers(sources: list[bytes]) -> tuple[list[bool], list[bool]]:
    """The C scan's answers and its twin's."""
    answers = [scans().risky(source, yaml_fast._FAR) for source in sources]
    return answers, [yaml_fast._risky_bytes(source) for source in sources]


@needs_native
def test_risky_answers_as_its_twin(
    documents: list[bytes], yaml_texts: list[bytes]
) -> None:
    rng = random.Random(20261201)
    sources = [
        with_line_break(text)
        for bases in (yaml_texts, documents)
        for text in texts(rng, bases, 4000)
    ]

    answers, expected = risky_answers(sources)

    assert not disagreements(sources, answers, expected)
    risky, plain = tally(answers)
    assert risky > 1000 and plain > 1000, (risky, plain)


@needs_native
@pytest.mark.parametrize(
    ("alphabet", "longest", "line_start"),
    [
        (b" \n:-?,[]{}|>\"'#!.a", 4, b""),
        (b" \n-.#a:", 6, b""),
        # At the end of a long line, where a `:` may end a key too far in.
        (b" \n:,]\"'a", 5, b"x" * 196),
    ],
    ids=["indicators", "markers-and-indents", "far-into-a-line"],
)
def test_risky_answers_as_its_twin_on_every_short_text(
    alphabet: bytes, longest: int, line_start: bytes
) -> None:
    sources = [line_start + text + b"\n" for text in every_text(alphabet, longest)]

    answers, expected = risky_answers(sources)

    assert not disagreements(sources, answers, expected)
    risky, plain = tally(answers)
    assert risky > 5000 and plain > 5000, (risky, plain)


@needs_native
def test_risky_answers_as_its_twin_past_a_long_line() -> None:
    # A `:` at every offset around where the guard starts to look, with what
    # may stand on each side of it.
    sources = [
        b"k: " + b"x" * (width - 4) + before + b":" + after + b"\n"
        for width in range(190, 215)
        for before in (b"x", b" ", b'"', b"'")
        for after in (b"", b" ", b"x", b",", b"]", b"{", b":", b"\n", b"x: ")
    ]

    answers, expected = risky_answers(sources)

    assert not disagreements(sources, answers, expected)
    risky, plain = tally(answers)
    assert risky > 200 and plain > 200, (risky, plain)


# --- not_text: JSON strings the core schema may read otherwise ---------------

# Strings that may be numbers, booleans or nulls, in every spelling, and their
# near misses, as they stand between the quotes of rapidyaml's JSON.
NUMBERS = [
    *SCALARS,
    *("0x1F", "0o17", "-1.5e3", ".inf", "-.Inf", "+.INF", ".NaN", "+12", "1."),
    *(".5", "1e", "0x", "0o", "+0x1", "-0o1", "1_000", "1e+", ".", "-", "+", "-."),
    *("1.5.1", "0x1G", "0o8", "01.5e-3", "1E3", "+.5e+5", ".e5", "e5", "1ee5"),
]
WORDS = [
    *("true", "True", "TRUE", "false", "False", "FALSE", "tRUE", "fALSE"),
    *("null", "Null", "NULL", "nULL", "~", "", "tru", "nulls", "Null ", "~~"),
    *(" ", " true", "true ", "yes", "x", "é", "\\", '\\"', 'true\\"', "\\n"),
]
# Pieces to build more of them from.
BITS = [
    *"-+.019eExoaF_~ é",
    *("inf", "Inf", "nan", "NaN", "true", "null", '\\"', "\\\\", "\\n"),
]


def string_content(rng: random.Random) -> str:
    choice = rng.random()
    if choice < 0.4:
        return rng.choice([*NUMBERS, *WORDS])
    if choice < 0.8:
        return "".join(rng.choice(BITS) for _ in range(rng.randint(1, 5)))
    return rng.choice([*NUMBERS, *WORDS]) + rng.choice(BITS)


def json_like(rng: random.Random) -> bytes:
    """Keys and values in the shape rapidyaml writes, or near it."""
    items = []
    for _ in range(rng.randint(1, 4)):
        value = f'"{string_content(rng)}"'
        if rng.random() < 0.2:
            value = rng.choice(["1", "1.5", "true", "null", "[]", "{}"])
        key = rng.choice(['"key": ', '"key":', f'"{string_content(rng)}": ', ""])
        items.append(key + value)
    body = rng.choice([", ", ","]).join(items)
    return (rng.choice(["{", "[", ""]) + body + rng.choice(["}", "]", ""])).encode()


def emitted_json(rng: random.Random, yaml_texts: list[bytes]) -> list[bytes]:
    """rapidyaml's JSON for front matter, as `load_fast` searches it."""
    if yaml_fast.ryml is None:
        return []
    sources = (with_line_break(text) for text in texts(rng, yaml_texts, 3000))
    return [json for json in map(yaml_fast._emit_json, sources) if json is not None]


def assert_not_text_as_the_guard(emitted: list[bytes]) -> tuple[int, int]:
    """Compare the C scan with the guard, and with the guard's `re` form
    where RE2 compiles the guard; return the tally of the answers."""
    words = yaml_fast._NOT_TEXT_WORDS
    for_re = re.compile(yaml_fast._NOT_TEXT_RE)

    answers = [scans().not_text(json, words) for json in emitted]

    guard = [yaml_fast._NOT_TEXT.search(json) is not None for json in emitted]
    assert not disagreements(emitted, answers, guard)
    with_re = [for_re.search(json) is not None for json in emitted]
    assert not disagreements(emitted, answers, with_re)
    return tally(answers)


@needs_native
def test_not_text_answers_as_the_guard(yaml_texts: list[bytes]) -> None:
    rng = random.Random(1103)
    emitted = [
        *emitted_json(rng, yaml_texts),
        *(json_like(rng) for _ in range(6000)),
    ]

    found, text = assert_not_text_as_the_guard(emitted)

    assert found > 1000 and text > 1000, (found, text)


@needs_native
@pytest.mark.parametrize(
    ("alphabet", "longest"),
    [(b'"\\ 1.e-x0o+', 5), (b'"\\ tT~nN.1Ee', 4), (b'"0ox7F9', 5)],
    ids=["numbers", "words", "hex-and-octal"],
)
def test_not_text_answers_as_the_guard_on_every_short_text(
    alphabet: bytes, longest: int
) -> None:
    emitted = [b"{" + text for text in every_text(alphabet, longest)]

    found, text = assert_not_text_as_the_guard(emitted)

    assert found > 500 and text > 5000, (found, text)


# --- json_shape and key_count: nesting and keys given twice -------------------

# Keys that collide once decoded (`\u0061` is `a`), and keys whose quotes,
# backslashes and brackets a scan could take for the end of the string.
JSON_KEYS = ["a", "b", "\\u0061", 'a\\"', "a\\\\", "\\\\", ":", "[{", '\\"]']
JSON_GAPS = ["", " ", "\n", " \t", "\r\n"]


def json_value(rng: random.Random, depth: int) -> str:
    """A JSON value as rapidyaml might write it, or with a key given twice."""
    choice = rng.random()
    gap = rng.choice(JSON_GAPS)
    if depth < 5 and choice < 0.3:
        members = [
            f'"{rng.choice(JSON_KEYS)}"{gap}:{gap}{json_value(rng, depth + 1)}'
            for _ in range(rng.randint(0, 4))
        ]
        return "{" + gap + f",{gap}".join(members) + gap + "}"
    if depth < 5 and choice < 0.5:
        items = [json_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
        return "[" + ",".join(items) + "]"
    if choice < 0.6:
        return rng.choice(["1", "-2.5", "true", "null", '""'])
    return f'"{string_content(rng)}{rng.choice(["", ":", "]", "}", "[{"])}"'


def nested(depth: int) -> list[bytes]:
    return [b"[" * depth + b"]" * depth, b'{"a":' * depth + b"1" + b"}" * depth]


def reference_shape(emitted: bytes) -> tuple[int, int]:
    """Keys and deepest nesting read with the regular expression the Python
    path removes strings with."""
    strings = list(yaml_fast._JSON_STRING.finditer(emitted))
    keys = sum(1 for s in strings if re.match(rb"[ \t\r\n]*:", emitted[s.end() :]))
    brackets = yaml_fast._JSON_STRING.sub(b"", emitted)
    depth = deepest = 0
    for byte in brackets:
        depth += {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}.get(byte, 0)
        deepest = max(deepest, depth)
    return keys, deepest


def pairs_refuse(emitted: bytes) -> bool:
    """Whether the Python path's decoder finds a key given twice."""
    try:
        json.loads(emitted.decode(), object_pairs_hook=yaml_fast._pairs)
    except yaml_fast._NotSure:
        return True
    return False


def decodable(emitted: bytes) -> bool:
    """Whether `load_fast` would decode the JSON, as UTF-8 and as JSON."""
    try:
        json.loads(emitted.decode())
    except (ValueError, RecursionError):
        return False
    return True


@needs_native
def test_json_shape_and_key_count_find_what_the_python_path_finds(
    yaml_texts: list[bytes],
) -> None:
    rng = random.Random(2612)
    candidates = [
        *emitted_json(rng, yaml_texts),
        *(json_value(rng, 0).encode() for _ in range(6000)),
        *(text for depth in range(95, 106) for text in nested(depth)),
    ]
    emitted = [text for text in candidates if decodable(text)]

    shapes = [scans().json_shape(text) for text in emitted]
    assert not disagreements(emitted, shapes, list(map(reference_shape, emitted)))
    too_deep = [depth > yaml_fast._FAST_DEPTH for _, depth in shapes]
    twin_too_deep = list(map(yaml_fast._too_deep, emitted))
    assert not disagreements(emitted, too_deep, twin_too_deep)

    shallow = [text for text, deep in zip(emitted, too_deep, strict=True) if not deep]
    twice = [
        scans().key_count(json.loads(text.decode())) != scans().json_shape(text)[0]
        for text in shallow
    ]
    assert not disagreements(shallow, twice, list(map(pairs_refuse, shallow)))
    assert sum(too_deep) >= 10
    found, none = tally(twice)
    assert found > 500 and none > 1000, (found, none)


@needs_native
def test_json_shape_on_every_short_text() -> None:
    texts = [t for t in every_text(b'{}[]"\\:a ,', 6) if decodable(t)]

    shapes = [scans().json_shape(text) for text in texts]

    assert not disagreements(texts, shapes, list(map(reference_shape, texts)))
    assert len(texts) > 500


@needs_native
def test_key_count_stops_at_the_stack_limit() -> None:
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]

    with pytest.raises(RecursionError):
        scans().key_count(deep)
    assert scans().key_count([{"a": {"b": [{}, {"c": 1}]}}, "d", {"e": None}]) == 4


# --- plain_timeline: timelines the Python rules need not read ----------------

YEARS = ["0000", "0001", "0002", "1900", "1970", "2000", "2023", "2024", "9998", "9999"]
OFFSETS = ["Z", "+00:00", "-00:00", "+05:30", "-23:59", "+23:59", "+24:00", "+05:60"]
OFFSETS += ["-12:75", "z", "+0530", "+05:30:00", "", " Z", ".5Z", ".123456+01:00"]


def timestamp(rng: random.Random) -> str:
    """A timestamp that may not exist, or not have the shape of one."""
    year = rng.choice(YEARS)
    month, day = rng.choice([(2, 29), (2, 28), (4, 31), (12, 31), (1, 0), (13, 1)])
    if rng.random() < 0.6:
        month, day = rng.randint(1, 12), rng.randint(1, 28)
    clock = [rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)]
    if rng.random() < 0.1:
        clock[rng.randrange(3)] = rng.choice([24, 60, 61])
    offset = rng.choice(OFFSETS) if rng.random() < 0.4 else rng.choice(OFFSETS[:6])
    text = f"{year}-{month:02d}-{day:02d}T{clock[0]:02d}:{clock[1]:02d}:{clock[2]:02d}"
    text += offset
    if rng.random() < 0.03:
        text = text.replace(rng.choice("0123456789-T:"), rng.choice(["٣", "x", " "]))
    return text


def timeline(rng: random.Random) -> list[Any]:
    """Entries mostly in order, some not, some not mappings or without `at`."""
    moment = datetime(2026, 11, 3, 14, tzinfo=timezone.utc)
    entries: list[Any] = []
    for _ in range(rng.randint(0, 12)):
        choice = rng.random()
        if choice < 0.05:
            entries.append(rng.choice(["text", None, ["at"], {"text": "no time"}]))
        elif choice < 0.15:
            entries.append({"at": rng.choice([timestamp(rng), 5, None, "2026-11-03"])})
        else:
            # Written with another offset at times: order is of the instants.
            moment += timedelta(seconds=rng.choice([-3660, -60, -1, 0, 1, 1800, 36000]))
            zone = timezone(timedelta(minutes=rng.choice([0, 330, -720, 59])))
            at = moment.astimezone(zone).isoformat()
            entries.append({"at": at.replace("+00:00", rng.choice(["Z", "+00:00"]))})
    return entries


def twin_finds_nothing(entries: list[Any], monkeypatch: pytest.MonkeyPatch) -> bool:
    with monkeypatch.context() as patched:
        patched.setattr(check_rules, "native", None)
        record = Record("x.md", {"timeline": entries}, "", "", 2)
        return check_rules._timeline_problems(record) == ([], [])


def common_shape(value: object) -> bool:
    """Whether `plain_timeline` judges `at` itself rather than leaving it."""
    if not isinstance(value, str) or not re.fullmatch(COMMON_SHAPE, value):
        return False
    year, offset = int(value[:4]), value[19:]
    return 2 <= year <= 9998 and (offset == "Z" or int(offset[4:]) < 60)


COMMON_SHAPE = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:Z|[+-][0-9]{2}:[0-9]{2})"
)


@needs_native
def test_plain_timeline_says_yes_only_where_the_rules_find_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(1414)
    timelines = [timeline(rng) for _ in range(6000)]

    answers = [scans().plain_timeline(entries) for entries in timelines]

    nothing = [twin_finds_nothing(entries, monkeypatch) for entries in timelines]
    wrong = [
        t
        for t, yes, fine in zip(timelines, answers, nothing, strict=True)
        if yes and not fine
    ]
    assert not wrong[:3]
    # Where every `at` has a shape it judges, it must not leave the timeline.
    judged = [
        (entries, yes, fine)
        for entries, yes, fine in zip(timelines, answers, nothing, strict=True)
        if all(
            common_shape(e["at"]) for e in entries if isinstance(e, dict) and "at" in e
        )
    ]
    assert not [entries for entries, yes, fine in judged if yes != fine][:3]
    found, none = tally(answers)
    assert found > 1000 and none > 1000, (found, none)
    assert sum(1 for _, yes, fine in judged if not fine) > 500


@needs_native
def test_plain_timeline_on_every_day_of_a_few_years() -> None:
    days = [
        f"{year}-{month:02d}-{day:02d}T23:59:59+01:00"
        for year in ("1900", "2000", "2023", "2024")
        for month in range(14)
        for day in range(33)
    ]

    answers = [scans().plain_timeline([{"at": day}]) for day in days]

    assert answers == [parse_timestamp(day) is not None for day in days]
    assert sum(answers) == 4 * 365 + 1 + 1


# --- phrase_starts: where a lint phrase may start ----------------------------

RULE_SETTINGS: list[dict[str, Any]] = [
    {},
    {
        "rules": {
            "ours": {"words": ["root cause analysis", "x-ray", "a_b", "9lives", "the"]}
        }
    },
    {
        "rules": {
            "minimiser": {"words": ["no big deal"]},
            "extra": {"words": ["c++", "naïve", "Straße", "error"]},
        }
    },
]
FILLER = ["a", "would", "unjust", "justice", "fingered", "ve", "t", "7", "them"]
FILLER += ["rootcause", "ray", "b", "lives", "9", "x", "cause", "naïve", "ß", "Ω"]
GAPS = [" ", " ", "  ", " " * 7, "\t", "\n", " \n  ", "\r\n", "-", "_", "'"]
GAPS += ["\u2019", ".", ", ", "(", '"', "—", "é", "", "\u0130", "\u212a", "9"]


def scanned_rules() -> list[RuleSet]:
    found = [load_rules(settings) for settings in RULE_SETTINGS]
    assert all(rules.scanner is not None and rules.prefixes for rules in found)
    return found


def phrase_words(rule_sets: list[RuleSet]) -> list[str]:
    return sorted(
        {
            word
            for rules in rule_sets
            for rule in rules.rules
            for phrase in rule.phrases
            for word in phrase.text.split()
        }
    )


def prose(rng: random.Random, words: list[str]) -> bytes:
    """Words of the phrases and filler, in any case, between gaps."""
    parts = []
    for _ in range(rng.randint(1, 12)):
        word = rng.choice(words)
        parts += [rng.choice([word, word.upper(), word.title(), word.swapcase()])]
        parts += [rng.choice(GAPS)]
    return "".join(parts).encode()


def twin_starts(rules: RuleSet, raw: bytes) -> list[int]:
    assert rules.scanner is not None
    return lint_rules._scan(rules.scanner, raw)


def copied(prefixes: tuple[bytes, ...]) -> tuple[bytes, ...]:
    """A tuple equal to `prefixes`, neither it nor its items the same objects."""
    return tuple(bytes(bytearray(prefix)) for prefix in prefixes)


@needs_native
def test_phrase_starts_answers_as_its_twin(documents: list[bytes]) -> None:
    rng = random.Random(404)
    rule_sets = scanned_rules()
    words = [*phrase_words(rule_sets), *FILLER]
    bodies = [*(prose(rng, words) for _ in range(4000)), *texts(rng, documents, 2000)]
    # As `_candidates` passes them, and a few without the space in front.
    raws = [b" " + body if rng.random() < 0.9 else body for body in bodies]

    answers, expected = [], []
    for number, raw in enumerate(raws):
        # The rule sets in turn, call by call, and copies of their prefixes:
        # the C scan keeps the trie of the last tuple it was given.
        rules = rule_sets[number % len(rule_sets)]
        prefixes = rules.prefixes if rng.random() < 0.5 else copied(rules.prefixes)
        answers.append(scans().phrase_starts(raw, prefixes))
        expected.append(twin_starts(rules, raw))

    assert not disagreements(raws, answers, expected)
    found, none = tally(answers)
    assert found > 1000 and none > 500, (found, none)


@needs_native
def test_phrase_starts_answers_as_its_twin_on_every_short_text() -> None:
    words = ["ab c", "a b c", "b-a", "b_a", "9a", "ba b", "a c"]
    rules = load_rules({"rules": {"ours": {"words": words}}})
    raws = list(every_text(b" aAb-_.\n9c", 5))

    answers = [scans().phrase_starts(raw, rules.prefixes) for raw in raws]

    expected = [twin_starts(rules, raw) for raw in raws]
    assert not disagreements(raws, answers, expected)
    found, none = tally(answers)
    assert found > 1000 and none > 1000, (found, none)


@needs_native
def test_phrase_starts_follows_each_tuple_of_prefixes() -> None:
    default, ours, _ = scanned_rules()
    raw = b" The root  cause analysis: an X-ray of a_b, 9Lives. Just the root cause."

    for rules in (ours, default, ours, ours, default, default):
        expected = twin_starts(rules, raw)
        assert scans().phrase_starts(raw, rules.prefixes) == expected
        assert scans().phrase_starts(raw, copied(rules.prefixes)) == expected

    # Different starts for the two, or the test would prove nothing.
    assert twin_starts(ours, raw) != twin_starts(default, raw)


# --- arguments the scans refuse ----------------------------------------------

GUARD_WORDS = yaml_fast._NOT_TEXT_WORDS


@needs_native
@pytest.mark.parametrize(
    ("scan", "arguments"),
    [
        ("risky", ()),
        ("risky", (b"a: b\n",)),
        ("risky", ("a: b\n", 200)),
        ("risky", (bytearray(b"a: b\n"), 200)),
        ("risky", (memoryview(b"a: b\n"), 200)),
        ("risky", (b"a: b\n", "200")),
        ("risky", (b"a: b\n", 200.0)),
        ("risky", (b"a: b\n", None)),
        ("risky", (b"a: b\n", 200, 1)),
        ("not_text", (b'"1"',)),
        ("not_text", ('"1"', GUARD_WORDS)),
        ("not_text", (bytearray(b'"1"'), GUARD_WORDS)),
        ("not_text", (b'"1"', list(GUARD_WORDS))),
        ("not_text", (b'"1"', (*GUARD_WORDS, "true"))),
        ("not_text", (b'"1"', (b"true", None))),
        ("phrase_starts", (b" just",)),
        ("phrase_starts", (" just", (b"just",))),
        ("phrase_starts", (b" just", [b"just"])),
        ("phrase_starts", (b" just", b"just")),
        ("phrase_starts", (b" just", (b"",))),
        ("phrase_starts", (b" just", (b"just", b""))),
        ("phrase_starts", (b" just", ("just",))),
        ("phrase_starts", (b" just", (b"just", None))),
        ("phrase_starts", (b" just", (bytearray(b"just"),))),
    ],
)
def test_bad_arguments_are_refused(scan: str, arguments: tuple[Any, ...]) -> None:
    with pytest.raises(TypeError):
        getattr(scans(), scan)(*arguments)


@needs_native
def test_keyword_arguments_are_refused() -> None:
    with pytest.raises(TypeError):
        scans().risky(source=b"a: b\n", far=200)  # type: ignore[call-arg]


@needs_native
def test_a_far_too_large_for_a_size_is_refused() -> None:
    with pytest.raises(OverflowError):
        scans().risky(b"a: b\n", 2**80)


@needs_native
def test_refused_prefixes_leave_no_trie_behind() -> None:
    default, ours, _ = scanned_rules()
    raw = b" the root cause, just now"
    refused = (*ours.prefixes, "just")
    scans().phrase_starts(raw, default.prefixes)

    # Twice: a tuple refused once is refused again, not taken from a cache.
    for _ in range(2):
        with pytest.raises(TypeError):
            scans().phrase_starts(raw, refused)

        assert scans().phrase_starts(raw, default.prefixes) == twin_starts(default, raw)
        assert scans().phrase_starts(raw, ours.prefixes) == twin_starts(ours, raw)
