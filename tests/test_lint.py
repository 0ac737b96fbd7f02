"""Blameless-language lint: each rule, where it does not look, suppression,
configuration, and lint inside validate."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from core_support import (
    EXAMPLES,
    PROJECT,
    Cli,
    dump_front_matter,
    make_incident,
    make_postmortem,
    write_record,
)
from pmctl.lint import BUILTIN_RULES, RuleSet, load_rules
from pmctl.lint.rules import BUILTIN_NAMES

PM_PATH = "postmortems/2026/PM-2026-0001-checkout.md"


def write_pm(root: Path, body: str, **changes: Any) -> Path:
    return write_record(root, PM_PATH, make_postmortem(**changes), body)


def lint(
    cli: Cli, root: Path, *args: str, code: int | None = None
) -> list[dict[str, Any]]:
    """`pmctl lint --format json`: its problems (exit code checked when given)."""
    result = cli("lint", "--root", root, "--format", "json", *args)
    assert result.exit_code == (code if code is not None else result.exit_code), (
        result.describe()
    )
    assert result.exit_code in (0, 1), result.describe()
    problems: list[dict[str, Any]] = result.json()["problems"]
    return problems


def position(path: Path, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """1-based line and column of a phrase in a file."""
    found = [
        (number, line.index(needle) + 1)
        for number, line in enumerate(path.read_text("utf-8").split("\n"), 1)
        if needle in line
    ]
    return found[occurrence]


def hits(problems: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    return [(p["rule"], p["line"], p["column"]) for p in problems]


# --- each rule -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "sentence", "phrase", "severity"),
    [
        (
            "blame-label",
            "The outage was caused by human error.",
            "human error",
            "error",
        ),
        ("blame-label", "A careless change went out.", "careless", "error"),
        (
            "counterfactual",
            "The on-call should have paged earlier.",
            "should have",
            "warning",
        ),
        (
            "counterfactual",
            "The deploy tool failed to warn anyone.",
            "failed to",
            "warning",
        ),
        ("single-cause", "The root cause was the deploy.", "The root cause", "warning"),
        ("minimiser", "We just restarted the pods.", "just", "warning"),
        ("minimiser", "Obviously the cache was cold.", "Obviously", "warning"),
    ],
)
def test_each_rule_reports_the_phrase_where_it_is(
    cli: Cli, root: Path, rule: str, sentence: str, phrase: str, severity: str
) -> None:
    path = write_pm(root, f"\n# Summary\n\nAfter the deploy. {sentence}\n")

    [problem] = lint(cli, root, code=1 if severity == "error" else 0)

    assert (problem["rule"], problem["severity"]) == (rule, severity)
    assert (problem["line"], problem["column"]) == position(path, phrase)
    assert problem["field"] is None
    assert f'"{phrase}"' in problem["message"]


def test_minimiser_is_a_suggestion_marked_in_the_message(cli: Cli, root: Path) -> None:
    write_pm(root, "\nWe simply restarted it.\n")

    [problem] = lint(cli, root, code=0)

    assert problem["severity"] == "warning"
    assert problem["message"].startswith('suggestion: "simply" minimises')


def test_just_as_time_or_amount_is_not_a_minimiser(cli: Cli, root: Path) -> None:
    write_pm(root, "\nIt began just before 09:00 and cost just under 4%.\n")

    assert lint(cli, root, code=0) == []


def test_a_phrase_may_wrap_across_lines(cli: Cli, root: Path) -> None:
    path = write_pm(root, "\nIt was not operator\nerror at all.\n")

    [problem] = lint(cli, root, code=1)

    assert hits([problem]) == [("blame-label", *position(path, "operator"))]


def test_single_cause_only_where_several_factors_are_listed(
    cli: Cli, root: Path
) -> None:
    body = "\nWe think the root cause was the deploy.\n"
    write_record(root, None, make_incident(), body)
    write_pm(root, body)

    problems = lint(cli, root)

    assert [(p["path"], p["rule"]) for p in problems] == [(PM_PATH, "single-cause")]


# --- where lint does not look ---------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "\n```\n$ deploy --force  # should have been human error\n```\n",
        "\n~~~text\nthe root cause: just a timeout\n~~~\n",
        "\nThe log said `failed to connect` twice.\n",
        '\nThe alert read "failed to reach upstream" for an hour.\n',
        "\nThe alert read “failed to reach upstream” for an hour.\n",
        "\n> The on-call wrote: we should have rolled back.\n",
        "\n> A quoted paragraph goes on\nlazily: we should have rolled back.\n",
        "\n2026-11-03T14:05:09Z ERROR failed to connect to db\n",
        "\nERROR: failed to connect to db\n",
        "\n    $ kubectl rollout undo  # should have\n",
        "\n<!-- a note: should have checked -->\n",
        "\nSee [the runbook](https://wiki.example/just-do-it) for details.\n",
        "\nSee https://wiki.example/should-have for details.\n",
    ],
    ids=[
        "fenced",
        "tilde-fenced",
        "inline-code",
        "double-quoted",
        "curly-quoted",
        "block-quote",
        "lazy-quote",
        "log-line",
        "log-level",
        "indented-code",
        "html-comment",
        "link-target",
        "bare-url",
    ],
)
def test_code_quotes_and_logs_are_not_prose(cli: Cli, root: Path, body: str) -> None:
    write_pm(root, body)

    assert lint(cli, root, code=0) == []


def test_text_after_a_code_block_is_prose_again(cli: Cli, root: Path) -> None:
    path = write_pm(
        root, "\n```\nshould have\n```\n\n> quoted: should have\n\nWe should have.\n"
    )

    assert hits(lint(cli, root)) == [
        ("counterfactual", *position(path, "should have", 2))
    ]


def test_indented_text_in_a_list_item_is_prose(cli: Cli, root: Path) -> None:
    path = write_pm(root, "\n- First item\n\n    We should have paged.\n")

    assert hits(lint(cli, root)) == [("counterfactual", *position(path, "should have"))]


# --- front matter prose ------------------------------------------------------------


def test_front_matter_prose_fields_are_linted_with_their_field(
    cli: Cli, root: Path
) -> None:
    data = make_postmortem(
        title="Checkout simply broke",
        impact="Customers saw errors because of operator error.",
    )
    data["timeline"][0]["text"] = "The deployer should have waited."
    data["contributing_factors"][1]["description"] = "The root cause was a gap."
    data["actions"][1]["title"] = "Just add a test"
    # Not prose: names and criteria are left alone.
    data["actions"][1]["owner"] = "Just Ice"
    data["actions"][1]["acceptance"] = "CI should have a test for it."
    path = write_record(root, PM_PATH, data, "\nClean body.\n")

    problems = lint(cli, root, code=1)

    assert [(p["field"], p["rule"], p["line"], p["column"]) for p in problems] == [
        ("title", "minimiser", *position(path, "simply")),
        ("impact", "blame-label", *position(path, "operator error")),
        ("timeline[0].text", "counterfactual", *position(path, "should have")),
        (
            "contributing_factors[1].description",
            "single-cause",
            *position(path, "The root cause"),
        ),
        ("actions[1].title", "minimiser", *position(path, "Just add")),
    ]


def test_incident_impact_summary_and_quoted_yaml(cli: Cli, root: Path) -> None:
    text = dump_front_matter(make_incident()).replace(
        "  summary: One in five checkout attempts failed with a 500 error.",
        '  summary: "Failed requests logged \\"failed to connect\\"; simply bad."',
    )
    path = write_record(root, "incidents/2026/INC-2026-0001-x.md", text, "\n")

    assert hits(lint(cli, root)) == [("minimiser", *position(path, "simply"))]


# --- suppression --------------------------------------------------------------------


def test_disable_next_line(cli: Cli, root: Path) -> None:
    path = write_pm(
        root,
        "\n<!-- pmctl-lint disable-next-line counterfactual -->\n"
        "We should have paged.\nWe should have paged again.\n",
    )

    assert hits(lint(cli, root)) == [
        ("counterfactual", *position(path, "should have", 1))
    ]


def test_disable_and_enable_a_block_for_named_rules(cli: Cli, root: Path) -> None:
    path = write_pm(
        root,
        "\n<!-- pmctl-lint disable counterfactual, minimiser -->\n"
        "We should have just paged.\n\nAnd we should have.\n"
        "<!-- pmctl-lint enable counterfactual -->\n"
        "We should have. Just so.\n",
    )

    assert hits(lint(cli, root)) == [
        ("counterfactual", *position(path, "should have", 2))
    ]


def test_disable_without_enable_lasts_to_the_end(cli: Cli, root: Path) -> None:
    write_pm(
        root,
        "\n<!-- pmctl-lint disable minimiser -->\n"
        "Just this.\n\n## Later\n\nJust that.\n",
    )

    assert lint(cli, root) == []


def test_disable_line_in_body_and_front_matter(cli: Cli, root: Path) -> None:
    text = dump_front_matter(make_postmortem(title="Just a title")).replace(
        "title: Just a title",
        "title: Just a title  # pmctl-lint disable-line minimiser",
    )
    write_record(
        root,
        PM_PATH,
        text,
        "\nJust this. <!-- pmctl-lint disable-line minimiser -->\n",
    )

    assert lint(cli, root) == []


def test_suppression_names_the_rule(cli: Cli, root: Path) -> None:
    path = write_pm(
        root,
        "\n<!-- pmctl-lint disable-next-line minimiser -->\nWe should have.\n",
    )

    assert hits(lint(cli, root)) == [("counterfactual", *position(path, "should"))]


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("<!-- pmctl-lint disable minimizer -->", "unknown lint rule `minimizer`"),
        ("<!-- pmctl-lint disabel minimiser -->", "unknown pmctl-lint directive"),
        ("<!-- pmctl-lint disable-next-line -->", "names no rule"),
    ],
)
def test_a_faulty_suppression_is_reported(
    cli: Cli, root: Path, comment: str, message: str
) -> None:
    path = write_pm(root, f"\n{comment}\nWe simply did.\n")

    problems = lint(cli, root)

    assert (problems[0]["rule"], problems[0]["line"]) == (
        "lint-directive",
        position(path, "pmctl-lint")[0],
    )
    assert message in problems[0]["message"]


def test_directive_inside_a_code_block_is_only_an_example(cli: Cli, root: Path) -> None:
    write_pm(
        root,
        "\n```markdown\n<!-- pmctl-lint disable minimiser -->\n```\n\nJust so.\n",
    )

    assert [p["rule"] for p in lint(cli, root)] == ["minimiser"]


# --- configuration -------------------------------------------------------------------


def configure(root: Path, settings: str) -> None:
    (root / "pmctl.yaml").write_text(f"lint:\n{settings}", encoding="utf-8")


def test_level_can_be_raised(cli: Cli, root: Path) -> None:
    configure(root, "  rules:\n    minimiser: {level: error}\n")
    write_pm(root, "\nWe just restarted.\n")

    [problem] = lint(cli, root, code=1)

    assert (problem["severity"], problem["message"][:6]) == ("error", '"just"')


def test_rule_can_be_turned_off(cli: Cli, root: Path) -> None:
    configure(root, "  rules:\n    counterfactual: {enabled: false}\n")
    write_pm(root, "\nWe should have.\n")

    assert lint(cli, root, code=0) == []


def test_words_added_and_ignored(cli: Cli, root: Path) -> None:
    configure(
        root,
        "  rules:\n    minimiser: {words: [basically, no big deal], ignore: [just]}\n",
    )
    path = write_pm(root, "\nWe just restarted; basically it was no big\ndeal.\n")

    assert hits(lint(cli, root)) == [
        ("minimiser", *position(path, "basically")),
        ("minimiser", *position(path, "no big")),
    ]


def test_a_rule_of_the_teams_own(cli: Cli, root: Path) -> None:
    configure(
        root,
        "  rules:\n"
        "    heroics:\n"
        "      level: suggestion\n"
        "      words: [hero, heroic effort]\n"
        "      suggestion: credit the process that helped\n",
    )
    write_pm(root, "\nA heroic effort by the on-call saved the day.\n")

    [problem] = lint(cli, root, code=0)

    assert problem["rule"] == "heroics"
    assert problem["message"] == (
        'suggestion: "heroic effort" is on this team\'s `heroics` list; '
        "credit the process that helped"
    )


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ("  rules:\n    minimiser: {level: fatal}\n", "lint.rules.minimiser.level"),
        ("  in_validate: sometimes\n", "lint.in_validate"),
        (
            "  rules:\n    heroics: {level: warning}\n",
            "a rule of your own needs `words`",
        ),
        ("  colour: red\n", "lint"),
    ],
)
def test_bad_lint_settings_are_configuration_errors(
    cli: Cli, root: Path, settings: str, message: str
) -> None:
    configure(root, settings)
    write_pm(root, "\nText.\n")

    result = cli("lint", "--root", root)

    result.expect(2)
    assert message in result.stderr


# --- inside validate ------------------------------------------------------------------


def test_validate_reports_lint_as_warnings_without_suggestions(
    cli: Cli, root: Path
) -> None:
    write_record(root, None, make_incident())
    write_pm(root, "\nIt was human error; we should have just checked.\n")

    result = cli("validate", "--root", root, "--format", "json")

    result.expect(0)
    problems = result.json()["problems"]
    assert [(p["rule"], p["severity"]) for p in problems] == [
        ("blame-label", "warning"),
        ("counterfactual", "warning"),
    ]
    assert all("column" in p for p in problems)


@pytest.mark.parametrize(
    ("in_validate", "code", "rules"),
    [
        ("error", 1, [("blame-label", "error"), ("counterfactual", "warning")]),
        ("off", 0, []),
    ],
)
def test_in_validate_setting(
    cli: Cli, root: Path, in_validate: str, code: int, rules: list[tuple[str, str]]
) -> None:
    configure(root, f"  in_validate: {in_validate}\n")
    write_record(root, None, make_incident())
    write_pm(root, "\nIt was human error; we should have just checked.\n")

    result = cli("validate", "--root", root, "--format", "json")

    result.expect(code)
    assert [(p["rule"], p["severity"]) for p in result.json()["problems"]] == rules


def test_examples_are_clean(cli: Cli) -> None:
    result = cli("lint", "--root", EXAMPLES)

    result.expect(0)
    assert "no problems" in result.stdout


def test_lint_named_paths_and_text_output(cli: Cli, root: Path) -> None:
    write_pm(root, "\nWe should have.\n")
    other = write_record(root, None, make_incident(), "\nIt was human error.\n")

    result = cli("lint", "--root", root, root / PM_PATH)

    result.expect(0)
    assert PM_PATH in result.stdout
    assert other.name not in result.stdout
    assert "[counterfactual]" in result.stdout


def test_lint_reports_a_file_that_is_not_a_record(cli: Cli, root: Path) -> None:
    path = root / "postmortems/2026/PM-2026-0009-broken.md"
    path.parent.mkdir(parents=True)
    path.write_text("no front matter\n", encoding="utf-8")

    result = cli("lint", "--root", root, "--format", "json")

    result.expect(1)
    assert [p["rule"] for p in result.json()["problems"]] == ["no-front-matter"]


# --- the fast scan finds what the exact pattern finds ---------------------------


# The built-in phrases; a team's words, some inside built-in phrases ("error",
# "root cause") or not all ASCII; and a word that does not start in ASCII, which
# leaves the fast scan out.
SCAN_SETTINGS: list[dict[str, Any]] = [
    {},
    {
        "rules": {
            "minimiser": {"words": ["no big deal"]},
            "extra": {
                "words": ["x-ray", "error", "root cause", "naïve", "Straße", "c++"]
            },
        }
    },
    {"rules": {"extra": {"words": ["élan"]}}},
]
SAMPLES = [
    "Human  error, HUMAN ERROR and human\nerror. (just) *just* _just_ 'just' -just",
    "should've shouldn\u2019t have; Could have—if only.\tFailed to. the\n  root cause",
    "justice just-in-time adjust unjust fat-fingered fat fingering À just é just",
    "Émile simply said “obviously”, naïvely: of course of  course, merely trivially",
    # Letters beyond ASCII that match ASCII ones: long s, Kelvin sign, dotless I.
    "\u017fhould have, \u212aept carele\u017f\u017f, \u0131f only, \u0130F ONLY",
    # A phrase inside a longer prefix that the exact pattern turns down.
    "a human.error; the root-cause. so user.error, the.root cause",
]
# What prose around the phrases may hold besides their words: other words, the
# words that make `just` a time or an amount, pieces of words, letters beyond
# ASCII, and the letters `re` takes for ASCII ones (dotted and dotless I, long s,
# Kelvin sign).
FILLER = ["a", "would", "unjust", "justice", "fingered", "ve", "t", "7"]
FILLER += ["before", "in", "time", "under", "now", "naïve", "é", "ß", "Ω"]
LOOKALIKES = {"i": "\u0130\u0131", "s": "\u017f", "k": "\u212a"}
GAPS = [" ", " ", " ", "  ", "\t", " \t ", "\n", " \n  ", "\n\n", "\r\n"]
PUNCTUATION = ["-", "_", "'", "\u2019", ".", ", ", "(", ")", '"', "—", "é", ""]


def scan_rules(settings: dict[str, Any]) -> RuleSet:
    rules = load_rules(settings)
    # Only the last settings leave the fast scan out.
    assert (rules.scanner is None) == (settings is SCAN_SETTINGS[-1])
    return rules


def found(matches: Iterable[re.Match[str]]) -> list[tuple[Any, ...]]:
    return [(m.span(), m.lastgroup, m.groups()) for m in matches]


def random_prose(rng: random.Random, words: list[str]) -> str:
    """Phrase words and filler in any case, with gaps, punctuation and wraps."""
    parts = []
    for _ in range(rng.randint(1, 40)):
        word = rng.choice(words)
        case = rng.randrange(4)
        if case == 1:
            word = word.upper()
        elif case == 2:
            word = word.title()
        elif case == 3:
            word = "".join(
                rng.choice([char, char.swapcase(), *LOOKALIKES.get(char.lower(), "")])
                for char in word
            )
        parts += [word, rng.choice(rng.choice([GAPS, PUNCTUATION]))]
    return "".join(parts)


@pytest.mark.parametrize("settings", SCAN_SETTINGS)
@pytest.mark.parametrize(
    "text", [*SAMPLES, *(p.read_text("utf-8") for p in sorted(EXAMPLES.rglob("*.md")))]
)
def test_fast_scan_agrees_with_the_exact_pattern(
    settings: dict[str, Any], text: str
) -> None:
    rules = scan_rules(settings)
    assert rules.pattern is not None

    assert found(rules.finditer(text)) == found(rules.pattern.finditer(text))


@pytest.mark.parametrize("settings", SCAN_SETTINGS)
@pytest.mark.parametrize("seed", range(10))
def test_fast_scan_agrees_on_random_prose(settings: dict[str, Any], seed: int) -> None:
    rules = scan_rules(settings)
    assert rules.pattern is not None
    words = sorted(
        {
            word
            for rule in rules.rules
            for phrase in rule.phrases
            for word in re.split("[\\s'\u2019-]+", phrase.text)
        }
    )
    rng = random.Random(seed)

    hits = 0
    for _ in range(300):
        text = random_prose(rng, [*words, *FILLER])
        exact = found(rules.pattern.finditer(text))
        assert found(rules.finditer(text)) == exact, text
        hits += len(exact)

    # The prose is made to hold phrases, so the comparison means something.
    assert hits > 50


def test_rule_names_are_stable() -> None:
    assert BUILTIN_NAMES == (
        "blame-label",
        "counterfactual",
        "single-cause",
        "minimiser",
    )


def test_json_keeps_the_contract_keys(cli: Cli, root: Path) -> None:
    write_pm(root, "\nWe should have.\n")

    result = cli("lint", "--root", root, "--format", "json")

    document = json.loads(result.stdout)
    assert set(document) == {"valid", "checked", "problems"}
    assert set(document["problems"][0]) == {
        "path",
        "line",
        "column",
        "field",
        "rule",
        "severity",
        "message",
    }


def test_strict_fails_on_any_hit(cli: Cli, root: Path) -> None:
    write_pm(root, "\nWe simply restarted it.\n")

    cli("lint", "--root", root).expect(0)
    cli("lint", "--root", root, "--strict").expect(1)


def test_docs_list_every_rule_with_its_level_and_suggestion() -> None:
    docs = (PROJECT / "docs" / "workflow.md").read_text("utf-8")

    for rule in BUILTIN_RULES:
        assert f"| `{rule.name}` | {rule.level} |" in docs
        assert rule.suggestion in docs


def test_hits_on_one_line_are_in_column_order(cli: Cli, root: Path) -> None:
    path = write_pm(root, "\nSimply put, we should have.\n")

    assert hits(lint(cli, root)) == [
        ("minimiser", *position(path, "Simply")),
        ("counterfactual", *position(path, "should have")),
    ]
