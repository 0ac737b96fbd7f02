"""The blameless-language rules, and the rule set a repository configures.

A rule is a list of phrases, a level and a suggestion. Phrases match whole
words, case-insensitively, and may wrap across a line break. The built-in
rules have stable names; `pmctl.yaml` may change their level, turn them off,
add or drop phrases, and add rules of the team's own:

    lint:
      in_validate: warning        # warning | error | off
      rules:
        minimiser: {level: warning, words: [basically], ignore: [merely]}
        counterfactual: {enabled: false}
        heroics: {words: [hero, heroic], suggestion: credit the process}
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal

from pmctl.byte_search import BytePattern, compile_bytes
from pmctl.config import CONFIG_NAME
from pmctl.errors import ConfigError
from pmctl.speedups import native

Level = Literal["suggestion", "warning", "error"]
InValidate = Literal["warning", "error", "off"]
LEVELS: tuple[Level, ...] = ("suggestion", "warning", "error")
DIRECTIVE_RULE = "lint-directive"

# Between the words of a phrase: spaces, or one line break (prose wraps).
_GAP = r"(?:[ \t]*\n[ \t]*|[ \t]+)"
# A typed apostrophe, or the typographic one editors put in its place.
_APOSTROPHE = "['\u2019]"
# For the fast scan's view of a phrase (`_folded_prefix`).
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
_NOT_WORD = re.compile(r"[^a-z0-9_-]+")


@dataclass(frozen=True)
class Phrase:
    """What a user names (`text`), the pattern that finds it, and how every match
    starts as the fast scan sees it (`prefix`): lower-case ASCII words with one
    space for each gap or run of other characters ("shouldn't have" is
    "shouldn t have")."""

    text: str
    pattern: str
    prefix: str


@dataclass(frozen=True)
class Hit:
    """One finding, at a 1-based file line and column."""

    rule: str
    level: Level
    line: int
    column: int
    field: str | None
    message: str


@dataclass(frozen=True)
class Rule:
    name: str
    level: Level
    phrases: tuple[Phrase, ...]
    # Completes `"<hit>" <summary>; <suggestion>`.
    summary: str
    suggestion: str
    # Only for records that list at least two contributing factors.
    needs_factors: bool = False


def phrase(text: str, pattern: str | None = None, prefix: str | None = None) -> Phrase:
    """A phrase matched literally (apostrophes either way), or by `pattern`."""
    if pattern is None:
        words = [
            re.escape(word).replace("'", _APOSTROPHE).replace("\u2019", _APOSTROPHE)
            for word in text.split()
        ]
        pattern = _GAP.join(words)
    if prefix is None:
        prefix = _folded_prefix(text)
    return Phrase(text, pattern, prefix)


def _folded_prefix(text: str) -> str:
    """The start of a literal phrase as `_FOLD` shows it, up to the first
    character that is not ASCII (the fold turns those into spaces); empty
    unless the phrase starts with an ASCII letter or digit."""
    lower = text.lower()
    if not (lower[:1].isascii() and lower[:1].isalnum()):
        return ""
    ascii_start = _NOT_ASCII.split(lower, maxsplit=1)[0]
    return _NOT_WORD.sub(" ", ascii_start).rstrip()


BUILTIN_RULES: tuple[Rule, ...] = (
    Rule(
        "blame-label",
        "error",
        (
            phrase("human error"),
            phrase("operator error"),
            phrase("user error"),
            phrase("engineer error"),
            phrase("pilot error"),
            phrase("careless"),
            phrase("carelessly"),
            phrase("carelessness"),
            phrase("negligence"),
            phrase("negligent"),
            phrase("negligently"),
            phrase("sloppy"),
            phrase("reckless"),
            phrase("recklessly"),
            phrase("incompetent"),
            phrase("incompetence"),
            phrase("fat-fingered", rf"fat(?:-|{_GAP})?finger(?:ed|ing)?", "fat"),
            phrase("dropped the ball"),
            phrase("at fault"),
        ),
        "labels a person instead of explaining what happened",
        "describe the conditions that made the action possible and reasonable "
        "at the time, and the safeguard that was missing",
    ),
    Rule(
        "counterfactual",
        "warning",
        (
            phrase("should have"),
            phrase("should've"),
            phrase("should not have"),
            phrase("shouldn't have"),
            phrase("could have"),
            phrase("could've"),
            phrase("ought to have"),
            phrase("failed to"),
            phrase("neglected to"),
            phrase("forgot to"),
            phrase("if only"),
        ),
        "is counterfactual: it describes what did not happen",
        "describe what did happen and why it made sense at the time",
    ),
    Rule(
        "single-cause",
        "warning",
        (
            phrase("the root cause"),
            phrase("the sole cause"),
            phrase("the single cause"),
            phrase("the only cause"),
            phrase("the real cause"),
        ),
        "frames the incident as having one cause",
        'name the contributing factor you mean ("one contributing factor '
        'was ...") and how it combined with the others',
        needs_factors=True,
    ),
    Rule(
        "minimiser",
        "suggestion",
        (
            # "just before", "just under 40%": time and amount, not minimising.
            phrase(
                "just",
                r"just(?![ \t]+(?:before|after|as|now|then|in[ \t]+time|under"
                r"|over|below|above|about|enough|like)\b)",
                "just",
            ),
            phrase("simply"),
            phrase("obviously"),
            phrase("obvious"),
            phrase("merely"),
            phrase("of course"),
            phrase("trivially"),
        ),
        "minimises: it makes a step sound easier than it was",
        "drop the word, or say what the step involves",
    ),
)
BUILTIN_NAMES: tuple[str, ...] = tuple(rule.name for rule in BUILTIN_RULES)


@dataclass(frozen=True)
class RuleSet:
    """The enabled rules, compiled into one pattern with a group per phrase."""

    rules: tuple[Rule, ...]
    in_validate: InValidate
    known: frozenset[str]
    pattern: re.Pattern[str] | None
    # Group name of each phrase -> its rule.
    groups: dict[str, Rule]
    # Finds, in the folded text, the space before every place a phrase may
    # start; None when some phrase has no ASCII start to look for.
    scanner: BytePattern | None
    # What the scanner looks for: every phrase's folded prefix, as bytes;
    # empty when there is no scanner.
    prefixes: tuple[bytes, ...]

    def rule_of(self, match: re.Match[str]) -> Rule:
        return self.groups[str(match.lastgroup)]

    def finditer(self, text: str) -> list[re.Match[str]]:
        """Every phrase in `text`, left to right, not overlapping: the matches
        `pattern.finditer(text)` finds.

        A case-insensitive search for many phrases is slow in Python's `re`
        (a few MB/s), and validate runs it on every record. So a literal
        pattern over the folded text (`_candidates`) finds the few places a
        phrase may start, and the exact pattern confirms each of them.
        """
        if self.pattern is None:
            return []
        if self.scanner is None:
            return list(self.pattern.finditer(text))

        found: list[re.Match[str]] = []
        for start in _candidates(self.scanner, self.prefixes, text):
            if found and start < found[-1].end():
                continue
            match = self.pattern.match(text, start)
            if match:
                found.append(match)
        return found


# Folding for the fast scan: ASCII letters to lower case, and every byte that
# cannot be part of a word (as the exact pattern sees it) to a space, so one
# literal space before the phrases finds them after any punctuation too.
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789_-")
_FOLD = bytes(
    code + 32 if 65 <= code <= 90 else code if code in _WORD_BYTES else 32
    for code in range(256)
)
# The letters beyond ASCII that `re.IGNORECASE` matches to ASCII ones (dotted
# and dotless I, long s, Kelvin sign); the fold alone would see spaces.
_LOOKALIKES = (("\u0130", "i"), ("\u0131", "i"), ("\u017f", "s"), ("\u212a", "k"))


def _candidates(
    scanner: BytePattern, prefixes: tuple[bytes, ...], text: str
) -> list[int]:
    """Every offset in `text` where the scanner sees a phrase start, in order."""
    scanned = _without_lookalikes(text)
    # The space in front finds a phrase at the very start like any other.
    raw = (" " + scanned).encode("utf-8")
    if native is None:
        starts = _scan(scanner, raw)
    else:
        starts = native.phrase_starts(raw, prefixes)

    if not scanned.isascii():
        # Byte offsets to character offsets; each start is an ASCII letter.
        starts = [len(raw[1 : start + 1].decode("utf-8")) for start in starts]
    return starts


def _scan(scanner: BytePattern, raw: bytes) -> list[int]:
    """Where the scanner finds a match in the folded `raw`, in order."""
    folded = raw.translate(_FOLD)
    # Each search starts just past the last candidate, not past its match: a
    # prefix the exact pattern turns down ("human.error") may hold another
    # phrase ("error").
    starts = []
    found = scanner.search(folded)
    while found:
        starts.append(found.start())
        found = scanner.search(folded, found.start() + 1)
    return starts


def _without_lookalikes(text: str) -> str:
    """`text` with its `_LOOKALIKES` made ASCII, one character for one, so the
    offsets stay those of `text`."""
    if text.isascii():
        return text
    for letter, ascii_letter in _LOOKALIKES:
        if letter in text:
            text = text.replace(letter, ascii_letter)
    return text


# Rule sets by the repr of their settings. Validate asks once per record; for
# YAML data repr is as exact a key as sorted JSON (it tells 1 from true from "1")
# at a tenth of the cost.
_RULE_SETS: dict[str, RuleSet] = {}


def load_rules(settings: dict[str, Any]) -> RuleSet:
    """The rule set for a repository's `lint:` settings (already schema-checked)."""
    key = repr(settings)
    found = _RULE_SETS.get(key)
    if found is None:
        found = _load_rules(json.dumps(settings, sort_keys=True))
        if len(_RULE_SETS) >= 8:
            _RULE_SETS.clear()
        _RULE_SETS[key] = found
    return found


@lru_cache(maxsize=8)
def _load_rules(key: str) -> RuleSet:
    settings: dict[str, Any] = json.loads(key)
    configured: dict[str, dict[str, Any]] = settings.get("rules") or {}
    builtin = {rule.name: rule for rule in BUILTIN_RULES}

    rules = []
    for name in dict.fromkeys([*builtin, *configured]):
        rule = _configure(builtin.get(name), name, configured.get(name) or {})
        if rule is not None and rule.phrases:
            rules.append(rule)

    known = frozenset([*builtin, *configured])
    return _compile(tuple(rules), settings.get("in_validate", "warning"), known)


def _configure(base: Rule | None, name: str, spec: dict[str, Any]) -> Rule | None:
    if spec.get("enabled") is False:
        return None
    if base is None:
        if not spec.get("words"):
            raise ConfigError(
                f"{CONFIG_NAME}: lint.rules.{name}: `{name}` is not a built-in rule "
                f"({', '.join(BUILTIN_NAMES)}); a rule of your own needs `words`"
            )
        base = Rule(
            name,
            "warning",
            (),
            f"is on this team's `{name}` list",
            "rephrase it",
        )

    ignored = {text.casefold() for text in spec.get("ignore") or ()}
    phrases = [p for p in base.phrases if p.text.casefold() not in ignored]
    known = {p.text.casefold() for p in phrases}
    phrases.extend(
        phrase(text) for text in spec.get("words") or () if text.casefold() not in known
    )
    return replace(
        base,
        level=spec.get("level", base.level),
        phrases=tuple(phrases),
        suggestion=spec.get("suggestion", base.suggestion),
    )


def _compile(
    rules: tuple[Rule, ...], in_validate: InValidate, known: frozenset[str]
) -> RuleSet:
    entries = [(p, rule) for rule in rules for p in rule.phrases]
    # Longest first: where a team's phrases overlap, the longer one is reported.
    entries.sort(key=lambda entry: len(entry[0].text), reverse=True)

    groups: dict[str, Rule] = {}
    alternatives = []
    for index, (found, rule) in enumerate(entries):
        groups[f"p{index}"] = rule
        alternatives.append(f"(?P<p{index}>{found.pattern})")

    pattern = None
    if alternatives:
        pattern = re.compile(
            r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE
        )
    scanner = None
    prefixes: tuple[bytes, ...] = ()
    folded = [found.prefix for found, _ in entries]
    if all(prefix and prefix.isascii() for prefix in folded):
        scanner = compile_bytes(b" " + _trie(folded).encode("ascii"))
        prefixes = tuple(dict.fromkeys(prefix.encode("ascii") for prefix in folded))
    return RuleSet(rules, in_validate, known, pattern, groups, scanner, prefixes)


def _trie(prefixes: list[str]) -> str:
    """One pattern for many literals, sharing their common beginnings."""
    tree: dict[str, Any] = {}
    for prefix in prefixes:
        node = tree
        for char in prefix:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branch(tree)


def _branch(node: dict[str, Any]) -> str:
    if "" in node:
        # A shorter literal already matches: the longer ones add nothing.
        return ""
    parts = [
        (" +" if char == " " else re.escape(char)) + _branch(child)
        for char, child in sorted(node.items())
    ]
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
