"""A fast path for front matter: rapidyaml, only where it agrees with `load_yaml`.

rapidyaml (`ryml`) reads front matter several times faster than libyaml, but
it keeps every scalar as text, does not expand aliases and accepts texts that
libyaml refuses. `load_fast` answers only when it is certain to give exactly
what `yaml_strict.load_yaml` gives (values, types and key order); otherwise it
answers `UNSURE`, and the caller asks `load_yaml`, which also words the
problems. Three layers keep the answers exact:

- a scan leaves to the strict reader every text that could hold something
  `load_yaml` refuses or that the two parsers read differently: tags, anchors,
  aliases, directives, explicit keys, tabs and unusual line breaks, indicators
  where a plain scalar would start, block scalar headers other than `|`, `>`
  and their chomping, keys over several lines or far into a long line;
- after rapidyaml has parsed the text: flow collections over several lines,
  nesting deeper than `_FAST_DEPTH`, and any JSON string that the core schema
  would read as a number, boolean or null (rapidyaml writes only some plain
  scalars bare, such as `1.5`, `true`, `null`, and quotes the others, so such
  a string may have been plain);
- bare numbers are read again from their digits by the strict reader's rules;
  duplicate keys, non-finite constants and invalid JSON are not judged.

Without `ryml` installed every text is `UNSURE`.
"""

from __future__ import annotations

import enum
import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, partial
from itertools import accumulate
from typing import TYPE_CHECKING, Any, Final

from pmctl.byte_search import compile_bytes
from pmctl.records.scalars import (
    BOOLS,
    FLOAT,
    INT,
    MAX_DEPTH,
    MAX_DIGITS,
    NULLS,
    NUMBER_START,
    SHALLOW_TEXT,
    float_value,
    int_value,
)
from pmctl.speedups import native

if TYPE_CHECKING:
    from pmctl.records.yaml_strict import YamlProblem

try:
    import ryml
except ImportError:  # an optional speed-up: the strict reader does it all
    ryml = None


class _Unsure(enum.Enum):
    UNSURE = "unsure"


UNSURE: Final = _Unsure.UNSURE
"""`load_fast`'s answer when only `load_yaml` can say what the text holds."""

# Characters libyaml's reader refuses, and those the parsers read differently:
# tab, CR, NEL, LS and PS are whitespace or line breaks to libyaml, BOM a
# marker. For an ASCII text `_CONTROL` says the same about its bytes.
_BAD_CHARACTERS = (
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
    "\U00010000-\U0010ffff]"
)
_CONTROL = bytes([*range(0x20), 0x7F]).replace(b"\n", b"")
# Where a token may start, these begin a tag, an anchor, an alias, a
# directive or an explicit key, or are reserved. Inside a plain scalar
# ("Rollback now!", "34%") they are text.
_PROPERTIES = b"!&*%@`?"
_TOKEN_END = frozenset(b" \n[]{},:?'\"#-|>" + _PROPERTIES)
# These cannot start a plain scalar in block context, but rapidyaml takes
# `key: ]x` as text. After a value or inside a flow collection they are fine:
# the character before them, spaces skipped, tells the two apart.
_FLOW = b",]}"
_BEFORE_VALUE = frozenset(b"\n:-?")
# Where a value starts, these begin a block scalar. rapidyaml accepts text
# after the header that libyaml refuses, reads a chomping indicator in its
# comment, and treats indentation indicators (`|2`) differently.
_BLOCK = b"|>"
_BEFORE_NODE = _BEFORE_VALUE | frozenset(b",[{")
_BLOCK_HEADER = re.compile(rb"[|>][-+]? *\n")
_SUSPECT = _CONTROL + _PROPERTIES + _FLOW + _BLOCK
_ORDINARY = bytes(b for b in range(256) if b not in _SUSPECT)
# After a quoted scalar or a flow collection rapidyaml accepts another entry
# on the same line (`- 'a' - b`, `- 'a' b: c`), and a quoted implicit key
# over several lines; libyaml refuses them all. A literal first character
# keeps these searches fast; a quoted key's line is checked (group 1).
_AFTER_CLOSE = {
    closer: re.compile(
        re.escape(closer) + rb"(?: *-[ \n]| +[^\s:#,\]}][^\n]*:[ \n]|( *):[ \n])"
    )
    for closer in (b'"', b"'", b"]", b"}")
}
# rapidyaml takes `[:a]` and `{a: :b}` as text; libyaml refuses a plain
# scalar starting with `:` in a flow collection.
_FLOW_COLON = re.compile(rb"[\[{,] *:|: *:")
# rapidyaml misreads some documents indented as a whole (its first line
# indented): a key can come out with spaces in front.
_INDENTED = re.compile(rb"(?: *(?:#[^\n]*)?\n)* +[^ #\n]")
# The text must be one document: no line starts with a document marker.
# (One search for both markers after a line break costs half of two.)
_MARKERS = (b"---", b"...")
_LINE_MARKER = re.compile(rb"\n(?:---|\.\.\.)")
# libyaml allows 1024 characters (bytes, in some versions) from an implicit
# key to its `:`; rapidyaml has no limit. No `:` that may end a key is left
# 200 bytes or more into its line. (Searched with a line break put in front
# of the text.)
_FAR = 200
# The first `:` that far into its line: a long line without one (prose, most
# often) is turned down in the regex engine, without a step in Python.
_FAR_COLON = re.compile(rb"\n[^\n]{%d}[^\n:]*:" % (_FAR - 1))
_AFTER_KEY = frozenset(b" \n,[]{}")


def _unanchored(pattern: re.Pattern[str]) -> str:
    return pattern.pattern.removeprefix("^").removesuffix("$")


# A JSON string the strict reader may read otherwise, searched in
# rapidyaml's bytes: one that the core schema would not read as text (from
# the strict reader's own rules), and one starting with a space, never a plain
# scalar in libyaml's reading (rapidyaml writes no space after a closing
# quote). An opening quote never follows a backslash; false hits (a string
# ending in an escaped quote) only cost speed. Every record's JSON is
# searched, in C (`_not_text`) or, without the C scans, at half the cost
# with RE2 (`byte_search`).
_NOT_TEXT_STRINGS = [*BOOLS, *NULLS]
_NOT_TEXT_BODY = (
    "|".join(map(re.escape, _NOT_TEXT_STRINGS))
    + f"|{_unanchored(INT)}|{_unanchored(FLOAT)}"
).encode("ascii")
_NOT_TEXT_RE2 = rb'[^\\]"(?:\x20|(?:' + _NOT_TEXT_BODY + rb')")'
# For `re`, the same texts found faster: the look-ahead (every character such
# a string or a space can start with, or the closing quote of an empty one)
# first turns away most quotes, every closing one among them, at a third of
# the cost of the look-behind first.
_STARTS = {text[0] for text in _NOT_TEXT_STRINGS if text} | NUMBER_START | {'"', " "}
_NOT_TEXT_RE = (
    b'"(?=['
    + re.escape("".join(sorted(_STARTS))).encode("ascii")
    + rb'])(?<=[^\\]")(?:\x20|(?:'
    + _NOT_TEXT_BODY
    + rb')")'
)
_NOT_TEXT = compile_bytes(_NOT_TEXT_RE2, for_re=_NOT_TEXT_RE)
_NOT_TEXT_WORDS = tuple(text.encode("ascii") for text in _NOT_TEXT_STRINGS)
_OPEN_AT_END = re.compile(rb"[\[{] *\n")
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NESTING = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_NOT_NESTING = bytes(b for b in range(256) if b not in _NESTING)
# Far below the depth at which `load_yaml` runs out of Python stack.
_FAST_DEPTH = 100


class _NotSure(Exception):
    """Raised while decoding the JSON to give up on the text."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise _NotSure("a duplicate key")
    return mapping


def _json_int(digits: str) -> int:
    if len(digits) > MAX_DIGITS:
        raise _NotSure("too many digits")
    return int_value(digits)


def _constant(name: str) -> Any:
    raise _NotSure(name)


# Numbers as the strict reader reads them; keys given twice found by `_pairs`
# on every object, or, with the C scans, by counting keys (`_decode`).
_reading_numbers = partial(
    json.JSONDecoder,
    parse_int=_json_int,
    parse_float=float_value,
    parse_constant=_constant,
)
_PLAIN_DECODER = _reading_numbers()
_DECODER = _reading_numbers(object_pairs_hook=_pairs)


def read_yaml(text: str, refused: Callable[[YamlProblem], Exception]) -> Any:
    """What `yaml_strict.load_yaml(text)` gives: from rapidyaml where it is
    sure to agree, else from the strict reader, which also words the
    problems; `refused` turns its problem into the caller's error. PyYAML is
    imported only for the texts that need it."""
    data = load_fast(text)
    if data is not UNSURE:
        return data

    from pmctl.records.yaml_strict import YamlProblem, load_yaml

    try:
        return load_yaml(text)
    except YamlProblem as problem:
        raise refused(problem) from None


def load_fast(text: str) -> Any:
    """What `load_yaml(text)` returns when that is a mapping, or `UNSURE`.

    Never raises and never writes anything. `UNSURE` stands for every text
    `load_yaml` refuses, every text that is not a mapping at the top, and
    every text this path cannot prove it reads the same way.
    """
    # rapidyaml ends a block scalar at the very end of the text with a line
    # break where libyaml does not; the loader always passes one.
    if ryml is None or not text.endswith("\n"):
        return UNSURE
    try:
        source = text.encode()
    except UnicodeEncodeError:  # a lone surrogate
        return UNSURE
    if _risky(text, source):
        return UNSURE

    emitted = _emit_json(source)
    if emitted is None or _read_differently(source, emitted):
        return UNSURE
    if _not_text(emitted):
        return UNSURE
    try:
        data = _decode(emitted)
    except (ValueError, _NotSure, RecursionError):
        return UNSURE
    return data if isinstance(data, dict) else UNSURE


def _decode(emitted: bytes) -> Any:
    """rapidyaml's JSON as Python data; `_NotSure` when it nests deeper than
    `_FAST_DEPTH` or gives a key twice."""
    if native is None:
        if _too_deep(emitted):
            raise _NotSure("nested too deep")
        return _DECODER.decode(emitted.decode())

    # Counting keys in C, in the text and in the dicts decoded from it, finds
    # a key given twice at a fifth of the cost of `_pairs` on every object.
    keys, depth = native.json_shape(emitted)
    if depth > _FAST_DEPTH:
        raise _NotSure("nested too deep")
    data = _PLAIN_DECODER.decode(emitted.decode())
    if native.key_count(data) != keys:
        raise _NotSure("a duplicate key")
    return data


def _not_text(emitted: bytes) -> bool:
    """Whether `_NOT_TEXT` finds a string in rapidyaml's JSON."""
    if native is None:
        return _NOT_TEXT.search(emitted) is not None
    return native.not_text(emitted, _NOT_TEXT_WORDS)


def _risky(text: str, source: bytes) -> bool:
    """Whether the text may hold something only the strict reader judges."""
    if not source.isascii() and _bad_character().search(text):
        return True
    risky = _risky_bytes(source) if native is None else native.risky(source, _FAR)
    # Deep nesting could exhaust rapidyaml's stack, as it would libyaml's.
    return risky or (
        len(text) > SHALLOW_TEXT and sum(map(text.count, "[{-?:")) > MAX_DEPTH
    )


def _risky_bytes(source: bytes) -> bool:
    """`_risky`'s search of the bytes, where the C scan is not built."""
    suspects = source.translate(None, _ORDINARY)
    for suspect in set(suspects):
        if suspect in _CONTROL:
            return True
        if suspect in _FLOW:
            if next(_value_starts(source, suspect, _BEFORE_VALUE), -1) >= 0:
                return True
        elif suspect in _BLOCK:
            starts = _value_starts(source, suspect, _BEFORE_NODE)
            if not all(_BLOCK_HEADER.match(source, at) for at in starts):
                return True
        elif next(_token_starts(source, suspect), -1) >= 0:
            return True

    for closer, after_close in _AFTER_CLOSE.items():
        for found in after_close.finditer(source) if closer in source else ():
            if found[1] is None or _key_starts_before(source, found.start(), closer):
                return True
    if _has_flow(source) and _FLOW_COLON.search(source):
        return True
    if _INDENTED.match(source):
        return True
    if source.startswith(_MARKERS) or _LINE_MARKER.search(source):
        return True
    lines = b"\n" + source
    for found in _FAR_COLON.finditer(lines):
        if _far_key_indicator(lines, found.end() - 1):
            return True
    return False


@cache
def _bad_character() -> re.Pattern[str]:
    # Compiled on the first text that is not ASCII: its ranges take about
    # 6 ms to compile, a cost a run of ASCII records need not pay.
    return re.compile(_BAD_CHARACTERS)


def _far_key_indicator(lines: bytes, colon: int) -> bool:
    """Whether the `:` at `colon`, or one after it on its line, may end a key."""
    end = lines.find(b"\n", colon)
    while colon >= 0:
        if lines[colon + 1] in _AFTER_KEY or lines[colon - 1] in b"\"'":
            return True
        colon = lines.find(b":", colon + 1, end)
    return False


def _token_starts(source: bytes, indicator: int) -> Iterator[int]:
    """Where `indicator` follows a space, a line break or another indicator."""
    # No byte of a multi-byte UTF-8 character is ASCII, so the byte before
    # the indicator is a whole character whenever it is in `_TOKEN_END`.
    found = source.find(indicator)
    while found >= 0:
        if found == 0 or source[found - 1] in _TOKEN_END:
            yield found
        found = source.find(indicator, found + 1)


def _value_starts(
    source: bytes, indicator: int, after: frozenset[int]
) -> Iterator[int]:
    """Where `indicator` starts its line or follows one of `after` and spaces."""
    found = source.find(indicator)
    while found >= 0:
        before = found - 1
        while before >= 0 and source[before] == 0x20:
            before -= 1
        if before < 0 or source[before] in after:
            yield found
        found = source.find(indicator, found + 1)


def _key_starts_before(source: bytes, closing: int, quote: bytes) -> bool:
    """Whether the quoted key closing at `closing` opened on an earlier line.

    Its line then holds an even number of its quotes before this one. Escaped
    double quotes do not count; doubled single quotes count twice. A flow
    collection as a key is never judged.
    """
    if quote not in b"\"'":
        return True
    line = source[source.rfind(b"\n", 0, closing) + 1 : closing]
    quotes = line.count(quote) - (line.count(b'\\"') if quote == b'"' else 0)
    return quotes % 2 == 0


def _has_flow(source: bytes) -> bool:
    return b"[" in source or b"{" in source


def _read_differently(source: bytes, emitted: bytes) -> bool:
    """What shows only once rapidyaml has read the text, but for nesting and
    keys (`_decode`)."""
    # In a flow collection rapidyaml reads ` #` as text where libyaml sees a
    # comment; only quoted and block scalars hold one in libyaml's reading.
    return _has_flow(source) and (b" #" in emitted or b"\\n#" in emitted)


def _too_deep(emitted: bytes) -> bool:
    """Whether the JSON nests deeper than `_FAST_DEPTH`: `json_shape`'s twin."""
    if emitted.count(b"[") + emitted.count(b"{") <= _FAST_DEPTH:
        return False
    brackets = _JSON_STRING.sub(b"", emitted).translate(None, _NOT_NESTING)
    depth = max(accumulate(map(_NESTING.__getitem__, brackets)), default=0)
    return depth > _FAST_DEPTH


def _emit_json(source: bytes) -> bytes | None:
    """rapidyaml's JSON for `source`, or None when it is not to be used."""
    saved = None if _QUIET.on else _silence_stderr()
    try:
        tree = _empty_tree()
        ryml.parse_in_arena(source, tree=tree)
        if _has_flow(source) and _multi_line_flow(tree, len(source)):
            return None
        # Into a buffer of our own: `emit_json`, which allocates its own,
        # leaks it on every call.
        size = _emit(ryml.emit_json_to_substr, tree, len(source))
    # rapidyaml raises its own errors; SWIG maps other C++ exceptions to these.
    except (ryml.ExceptionBasic, RuntimeError, IndexError, ValueError):
        return None
    finally:
        _restore_stderr(saved)
    return None if size is None else bytes(memoryview(_SCRATCH.buffer)[:size])


def _multi_line_flow(tree: Any, length: int) -> bool:
    """Whether a flow collection spans lines: inside one, rapidyaml accepts
    implicit keys over several lines, which libyaml refuses.

    rapidyaml marks such a collection and writes it back as YAML with a line
    break after its bracket (a scalar ending in a bracket only costs speed);
    asking each node instead costs several times as much.
    """
    size = _emit(ryml.emit_yaml_to_substr, tree, length)
    buffer = _SCRATCH.buffer
    return size is None or _OPEN_AT_END.search(buffer, 0, size) is not None


class _Scratch:
    """The tree and output buffer every parse of a process reuses: making
    them anew for each text costs about 3 µs. Not for two threads at once;
    pmctl's workers are processes."""

    tree: Any = None
    buffer = bytearray(16384)


_SCRATCH = _Scratch()


def _empty_tree() -> Any:
    if _SCRATCH.tree is None:
        _SCRATCH.tree = ryml.Tree()
    else:
        _SCRATCH.tree.clear()
        _SCRATCH.tree.clear_arena()
    return _SCRATCH.tree


def _emit(emit: Any, tree: Any, length: int) -> int | None:
    """Write `tree` into the scratch buffer: the size written, or None."""
    if len(_SCRATCH.buffer) < length * 2 + 64:
        _SCRATCH.buffer = bytearray(length * 2 + 64)
    failed, size = emit(tree, tree.root_id(), _SCRATCH.buffer)
    if failed:
        _SCRATCH.buffer = bytearray(size)
        failed, size = emit(tree, tree.root_id(), _SCRATCH.buffer)
    return None if failed else int(size)


# rapidyaml's C++ error handler writes to the process's stderr before it
# raises, so descriptor 2 points at the null device while it parses: four
# system calls, several microseconds on a virtual machine. Threads writing to
# descriptor 2 at that very moment lose their output; pmctl's workers are
# processes, and silence it once for a whole batch of texts (`quiet_parses`).
_null_device: int | None = None


class _Quiet:
    """Whether `quiet_parses` has silenced descriptor 2 in this process."""

    on = False


_QUIET = _Quiet()


@contextmanager
def quiet_parses() -> Iterator[None]:
    """Keep descriptor 2 silenced for every parse inside the block, instead of
    once per parse. Anything else the process writes to it meanwhile is lost,
    so this is for worker processes, whose failures reach the parent as
    exceptions."""
    if _QUIET.on:
        yield
        return

    saved = _silence_stderr()
    _QUIET.on = True
    try:
        yield
    finally:
        _QUIET.on = False
        _restore_stderr(saved)


def _silence_stderr() -> int | None:
    global _null_device
    try:
        if _null_device is None:
            _null_device = os.open(os.devnull, os.O_WRONLY)
        saved = os.dup(2)
    except OSError:  # no stderr to protect, or no way to: parse anyway
        return None
    os.dup2(_null_device, 2)
    return saved


def _restore_stderr(saved: int | None) -> None:
    if saved is not None:
        os.dup2(saved, 2)
        os.close(saved)
