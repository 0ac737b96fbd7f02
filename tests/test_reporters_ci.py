"""The CI formats: GitHub annotations and step summary, JUnit XML and SARIF.

Each format is read back with a real parser: the GitHub runner's own command
parser (replicated below from actions/runner), CommonMark for the summary,
an XML parser for JUnit, and the official SARIF 2.1.0 schema.
"""

from __future__ import annotations

import ast
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator
from markdown_it import MarkdownIt

from ci_support import PROJECT, clean_env, example, make_records_repo, pmctl, with_id
from pmctl.checks.catalog import RULES
from pmctl.checks.schema import iter_rules
from pmctl.lint.rules import BUILTIN_NAMES
from pmctl.problems import Problem, ValidationResult
from pmctl.reporters import VALIDATION_FORMATS, get_reporter
from pmctl.reporters.github import escape_data, escape_property, markdown_text

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
HOSTILE = [
    "x%0A::error::pwned",
    "a\n::error::pwned",
    "a\r::warning::pwned\r\n::error::again",
    "##[error]old-style command",
    "a,line=1,title=forged::error::pwned",
    "::stop-commands::token",
    "100%25 sure %",
]


# --- the runner's parser ---------------------------------------------------
# Replicates ActionCommand.TryParseV2 / TryParse and the stop-commands state
# of ActionCommandManager in actions/runner, which is what acts on a step's
# output lines.

_REGISTERED = {
    "error", "warning", "notice", "debug", "group", "endgroup", "add-mask",
    "set-output", "save-state", "add-matcher", "remove-matcher", "echo",
    "add-path", "set-env", "stop-commands",
}  # fmt: skip
_DATA_ESCAPES = [("\r", "%0D"), ("\n", "%0A"), ("%", "%25")]
_PROPERTY_ESCAPES = [
    ("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25"),
]  # fmt: skip
_V1_ESCAPES = [
    (";", "%3B"), ("\r", "%0D"), ("\n", "%0A"), ("]", "%5D"), ("%", "%25"),
]  # fmt: skip


@dataclass
class Command:
    name: str
    data: str
    properties: dict[str, str] = field(default_factory=dict)


def _unescape(text: str, mappings: list[tuple[str, str]]) -> str:
    for token, replacement in mappings:
        text = text.replace(replacement, token)
    return text


def _parse_v2(line: str, registered: set[str]) -> Command | None:
    line = line.lstrip()
    if not line.startswith("::"):
        return None
    end = line.find("::", 2)
    if end < 0:
        return None
    info = line[2:end]
    name, _, props = info.partition(" ")
    if name not in registered:
        return None
    command = Command(name, _unescape(line[end + 2 :], _DATA_ESCAPES))
    for pair in (p for p in props.strip().split(",") if p):
        key, sep, value = pair.partition("=")
        if sep and key and value:
            command.properties[key] = _unescape(value, _PROPERTY_ESCAPES)
    return command


def _parse_v1(line: str, registered: set[str]) -> Command | None:
    start = line.find("##[")
    if start < 0:
        return None
    close = line.find("]", start)
    if close < 0:
        return None
    name, _, props = line[start + 3 : close].partition(" ")
    if name not in registered:
        return None
    command = Command(name, _unescape(line[close + 1 :], _V1_ESCAPES))
    for pair in (p for p in props.split(";") if p):
        key, sep, value = pair.partition("=")
        if sep and key and value:
            command.properties[key] = _unescape(value, _V1_ESCAPES)
    return command


def runner_commands(output: str) -> list[Command]:
    """The workflow commands the runner would act on in a step's output."""
    registered = set(_REGISTERED)
    stop_token: str | None = None
    acted: list[Command] = []
    # .NET's ReadLine ends a line at CR, LF or CRLF.
    for line in re.split(r"\r\n|\r|\n", output):
        command = _parse_v2(line, registered) or _parse_v1(line, registered)
        if command is None:
            continue
        if stop_token is not None:
            if command.name == stop_token:
                registered.discard(stop_token)
                stop_token = None
            continue
        if command.name == "stop-commands":
            stop_token = command.data
            registered.add(stop_token)
            continue
        acted.append(command)
    return acted


def test_the_replica_parser_sees_injected_commands() -> None:
    # Without escaping, every hostile text would start a command of its own.
    naive = "\n".join(f"::error file=a.md::{text}" for text in HOSTILE)

    assert len(runner_commands(naive)) > len(HOSTILE)


# --- escaping --------------------------------------------------------------


def test_escaping_is_exactly_the_runners() -> None:
    assert escape_data("50% a\r\nb: c, d") == "50%25 a%0D%0Ab: c, d"
    assert escape_property("50% a\r\nb: c, d") == "50%25 a%0D%0Ab%3A c%2C d"
    assert escape_data("x%0A::error::pwned") == "x%250A::error::pwned"


def hostile_result(root: Path | None = None) -> ValidationResult:
    problems = [
        Problem(f"incidents/{text}.md", index + 1, text, f"rule-{index}", text)
        for index, text in enumerate(HOSTILE)
    ]
    problems.append(Problem("incidents/plain.md", None, None, "yaml-syntax", "bad"))
    problems.append(Problem("incidents/prose.md", 7, None, "minimiser", "m", column=12))
    paths = sorted({p.path for p in problems})
    return ValidationResult(
        checked=len(paths), rule_problems=problems, paths=paths, root=root
    )


def test_each_problem_is_exactly_one_annotation() -> None:
    result = hostile_result()
    out = _render("github", result)

    commands = runner_commands(out)

    assert len(commands) == len(result.problems), out
    for command, problem in zip(commands, result.problems, strict=True):
        assert command.name == "error"
        assert command.data == problem.message
        assert command.properties["file"] == problem.path
        assert command.properties.get("line") == (
            str(problem.line) if problem.line else None
        )
        assert problem.rule in command.properties["title"]
        assert command.properties.get("col") == (
            str(problem.column) if problem.column else None
        )
        assert set(command.properties) <= {"file", "line", "col", "title"}


def _render(name: str, result: ValidationResult) -> str:
    from io import StringIO

    out = StringIO()
    get_reporter(name)(result, out)
    return out.getvalue()


# --- the whole command under GitHub Actions ----------------------------------


@pytest.fixture
def hostile_repo(tmp_path: Path) -> Path:
    """Records whose text and file names try to inject workflow commands."""
    root = make_records_repo(tmp_path / "repo")
    incident = (root / "incidents/2026").glob("INC-2026-0001-*.md").__next__()
    text = with_id(incident.read_text(), "INC-2026-0001", "INC-2026-0090")
    text = re.sub(
        r"(?m)^title: .*$", 'title: "x%0A::error::pwned\\n::error::pwned"', text
    )
    text = text.replace("severity: SEV3", 'severity: "SEV9\\n::error::pwned %0A"')
    text = text.replace("status: resolved", 'status: "##[error]v1"')
    (root / "incidents/2026/INC-2026-0090-x%0A::error::pwned.md").write_text(text)
    newline_name = "incidents/2026/INC-2026-0091-a\n::error::pwned,line=1.md"
    (root / newline_name).write_text(with_id(text, "INC-2026-0090", "INC-2026-0091"))
    return root


def json_problems(root: Path, *args: str) -> list[dict[str, Any]]:
    done = pmctl(root, "validate", "--format", "json", *args)
    assert done.returncode == 1, done.stdout + done.stderr
    problems: list[dict[str, Any]] = json.loads(done.stdout)["problems"]
    return problems


def test_actions_run_prints_text_and_one_annotation_per_problem(
    hostile_repo: Path, tmp_path: Path
) -> None:
    expected = json_problems(hostile_repo)
    summary = tmp_path / "summary.md"
    env = clean_env(GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary))

    done = pmctl(hostile_repo, "validate", env=env)

    assert done.returncode == 1, done.stdout + done.stderr
    commands = runner_commands(done.stdout)
    assert [(c.properties["file"], c.data) for c in commands] == [
        (p["path"], p["message"]) for p in expected
    ]
    assert "errors" in done.stdout or "error" in done.stdout  # the text report
    assert "✗" in done.stdout
    assert summary.exists()


def test_format_github_prints_only_annotations(hostile_repo: Path) -> None:
    expected = json_problems(hostile_repo)

    done = pmctl(hostile_repo, "validate", "--format", "github")

    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(expected)
    assert all(line.startswith(("::error ", "::warning ")) for line in lines)
    assert len(runner_commands(done.stdout)) == len(expected)


def test_outside_actions_there_are_no_annotations(hostile_repo: Path) -> None:
    done = pmctl(hostile_repo, "validate")

    assert done.returncode == 1, done.stdout + done.stderr
    assert "::stop-commands::" not in done.stdout
    assert not any(line.startswith("::error ") for line in done.stdout.splitlines())


class _Table(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.tags: set[str] = set()
        self.in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append("")
            self.in_cell = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self.in_cell = False

    def handle_data(self, data: str) -> None:
        if self.in_cell:
            self.rows[-1][-1] += data


def test_step_summary_lists_every_problem_as_literal_text(
    hostile_repo: Path, tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("Earlier step's summary.\n\n")
    env = clean_env(GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary))
    expected = json_problems(hostile_repo)

    done = pmctl(hostile_repo, "validate", env=env)

    assert done.returncode == 1, done.stdout + done.stderr
    text = summary.read_text()
    assert text.startswith("Earlier step's summary.\n")
    html = MarkdownIt("commonmark").enable("table").render(text)
    table = _Table()
    table.feed(html)
    assert table.tags <= {"p", "h3", "table", "thead", "tbody", "tr", "th", "td"}
    header, *rows = table.rows
    assert header == ["File", "Line", "Severity", "Rule", "Field", "Message"]
    assert [(r[0], r[3], r[5]) for r in rows] == [
        (p["path"].replace("\n", " "), p["rule"], " ".join(p["message"].splitlines()))
        for p in expected
    ]


def test_format_github_writes_the_summary_and_survives_a_bad_one(
    hostile_repo: Path, tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    env = clean_env(GITHUB_STEP_SUMMARY=str(summary))

    written = pmctl(hostile_repo, "validate", "--format", "github", env=env)
    env["GITHUB_STEP_SUMMARY"] = str(tmp_path)  # a folder: cannot be appended to
    unwritable = pmctl(hostile_repo, "validate", "--format", "github", env=env)

    assert written.returncode == 1, written.stderr
    assert summary.read_text().startswith("### ❌ pmctl validate")
    assert unwritable.returncode == 1, unwritable.stderr
    assert "warning: cannot write the step summary" in unwritable.stderr
    assert unwritable.stdout == written.stdout


def test_markdown_text_escapes_markup_and_html() -> None:
    text = "<script>alert(1)</script> **bold** | [x](javascript:y) &amp;"
    html = MarkdownIt("commonmark").enable("table").render(markdown_text(text))

    assert "<script>" not in html
    assert "<strong>" not in html and "<a " not in html
    assert html == f"<p>{_html_escape(text)}</p>\n"


def _html_escape(text: str) -> str:
    from html import escape

    return escape(text, quote=True)


# --- JUnit ---------------------------------------------------------------


@pytest.fixture
def mixed_repo(tmp_path: Path) -> Path:
    """The examples plus one invalid record and one with only a warning."""
    root = make_records_repo(tmp_path / "repo")
    source = example("incidents", "INC-2026-0001").read_text()
    broken = with_id(source, "INC-2026-0001", "INC-2026-0030")
    broken = broken.replace("severity: SEV3", "severity: SEV9")
    (root / "incidents/2026/INC-2026-0030-broken & <odd>.md").write_text(broken)
    warned = with_id(source, "INC-2026-0001", "INC-2026-0031")
    (root / "incidents/2026/misnamed\x01record.md").write_text(warned)
    return root


def junit(root: Path, *args: str) -> tuple[int, ET.Element]:
    done = pmctl(root, "validate", "--format", "junit", *args)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, ET.fromstring(done.stdout.encode("utf-8"))


def test_junit_has_one_test_case_per_checked_record(mixed_repo: Path) -> None:
    code, suites = junit(mixed_repo)

    assert code == 1
    (suite,) = suites.findall("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == 25 == int(suite.get("tests", ""))
    assert len({case.get("name") for case in cases}) == 25
    failed = [case for case in cases if case.find("failure") is not None]
    assert [case.get("name") for case in failed] == [
        "incidents/2026/INC-2026-0030-broken & <odd>.md"
    ]
    assert suite.get("failures") == suites.get("failures") == "1"
    failure = failed[0].find("failure")
    assert failure is not None and failure.text is not None
    assert "[unknown-severity]" in failure.text
    assert "severity" in failure.get("message", "")


def test_junit_warnings_fail_only_under_strict(mixed_repo: Path) -> None:
    _, plain = junit(mixed_repo)
    code, strict = junit(mixed_repo, "--strict")

    misnamed = "incidents/2026/misnamed\ufffdrecord.md"
    case = plain.find(f".//testcase[@name='{misnamed}']")
    assert case is not None and case.find("failure") is None
    system_out = case.find("system-out")
    assert system_out is not None and "[filename-mismatch]" in (system_out.text or "")

    assert code == 1
    case = strict.find(f".//testcase[@name='{misnamed}']")
    assert case is not None and case.find("failure") is not None
    assert strict.get("failures") == "2"


def test_junit_of_a_valid_repository_has_no_failures(tmp_path: Path) -> None:
    root = make_records_repo(tmp_path / "repo")

    code, suites = junit(root)

    assert code == 0
    assert suites.get("tests") == "23" and suites.get("failures") == "0"
    assert not suites.findall(".//failure")


# --- SARIF ---------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator() -> Draft4Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)


def test_vendored_schema_is_the_shared_copy() -> None:
    shared = PROJECT.parent / "shared" / "data" / "sarif-schema-2.1.0.json"
    if shared.exists():
        assert json.loads(shared.read_text()) == json.loads(SARIF_SCHEMA.read_text())
    assert "2.1.0" in json.loads(SARIF_SCHEMA.read_text())["title"]


def test_sarif_is_valid_and_locates_every_problem(
    mixed_repo: Path, sarif_validator: Draft4Validator
) -> None:
    expected = json_problems(mixed_repo)

    done = pmctl(mixed_repo, "validate", "--format", "sarif")

    assert done.returncode == 1, done.stderr
    log = json.loads(done.stdout)
    errors = sorted(sarif_validator.iter_errors(log), key=str)
    assert not errors, "\n".join(e.message for e in errors[:5])
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "pmctl" and driver["version"]
    rules = driver["rules"]
    assert {rule["id"] for rule in rules} >= set(RULES)
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["help"]["text"]
        assert rule["fullDescription"]["text"]

    results = run["results"]
    assert len(results) == len(expected)
    for result, problem in zip(results, expected, strict=True):
        assert result["ruleId"] == problem["rule"]
        assert rules[result["ruleIndex"]]["id"] == problem["rule"]
        assert result["level"] == problem["severity"]
        assert problem["message"] in result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert physical["region"]["startLine"] == problem["line"]
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in results
    }
    assert "incidents/2026/INC-2026-0030-broken%20%26%20%3Codd%3E.md" in uris
    assert "incidents/2026/misnamed%01record.md" in uris


def test_sarif_paths_are_relative_to_the_git_repository(
    tmp_path: Path, sarif_validator: Draft4Validator
) -> None:
    top = tmp_path / "repo"
    root = make_records_repo(top, subfolder="records")
    source = example("incidents", "INC-2026-0001").read_text()
    broken = with_id(source, "INC-2026-0001", "INC-2026-0030").replace("SEV3", "SEV9")
    (root / "incidents/2026/INC-2026-0030-broken.md").write_text(broken)

    done = pmctl(top, "validate", "--root", "records", "--format", "sarif")

    assert done.returncode == 1, done.stderr
    log = json.loads(done.stdout)
    assert not list(sarif_validator.iter_errors(log))
    (result,) = log["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == "records/incidents/2026/INC-2026-0030-broken.md"


def test_sarif_of_a_hand_made_result_is_valid(sarif_validator: Draft4Validator) -> None:
    result = hostile_result()
    result.rule_problems.append(
        Problem("x.md", 3, None, "not-in-the-catalogue", "m", "warning")
    )

    log = json.loads(_render("sarif", result))

    assert not list(sarif_validator.iter_errors(log))
    (prose,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "minimiser"]
    region = prose["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 7, "startColumn": 12}
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert {"not-in-the-catalogue", "rule-0"} <= {rule["id"] for rule in rules}


def test_every_format_is_registered() -> None:
    assert set(VALIDATION_FORMATS) >= {"text", "json", "github", "junit", "sarif"}
    for name in VALIDATION_FORMATS:
        assert callable(get_reporter(name))


# --- the rule catalogue ------------------------------------------------------

SOURCE = PROJECT / "src" / "pmctl"


def _rule_position(node: ast.stmt) -> int | None:
    """Where a top-level function or class takes a parameter named `rule`.

    For a class, its `__init__` (less `self`) or its dataclass fields, as for
    Problem.
    """
    if isinstance(node, ast.FunctionDef):
        names = [a.arg for a in node.args.args]
    elif isinstance(node, ast.ClassDef):
        init = next(
            (
                s
                for s in node.body
                if isinstance(s, ast.FunctionDef) and s.name == "__init__"
            ),
            None,
        )
        if init is not None:
            names = [a.arg for a in init.args.args][1:]
        else:
            names = [
                s.target.id
                for s in node.body
                if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
            ]
    else:
        return None
    return names.index("rule") if "rule" in names else None


def _definitions(tree: ast.Module) -> dict[str, int | None]:
    return {
        node.name: _rule_position(node)
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef)
    }


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level `NAME = "text"` assignments."""
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _literals(node: ast.expr, constants: dict[str, str]) -> list[str] | None:
    """The rule names an argument can take, or None when it is not literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name) and node.id in constants:
        return [constants[node.id]]
    if isinstance(node, ast.IfExp):
        body = _literals(node.body, constants)
        orelse = _literals(node.orelse, constants)
        return None if body is None or orelse is None else body + orelse
    return None


def _forwarded(node: ast.expr) -> bool:
    """An argument that passes on a rule named elsewhere.

    `failure.rule`, `hit.rule` or a `rule` variable pass on a name made where
    the test looks too; `rule.name` is a lint rule, listed by the lint rule set.
    """
    if isinstance(node, ast.Name):
        return node.id == "rule"
    if isinstance(node, ast.Attribute):
        owner = node.value
        lint_rule = node.attr == "name" and isinstance(owner, ast.Name)
        return node.attr == "rule" or (lint_rule and owner.id == "rule")
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Name) and node.func.id == "_rule"
    return False


def rule_names_in_code() -> set[str]:
    trees = {path: ast.parse(path.read_text()) for path in SOURCE.rglob("*.py")}
    # A name defined in the module calling it means that definition; any other
    # is imported, from the one module that defines it with a `rule` parameter.
    everywhere: dict[str, int] = {}
    all_constants: dict[str, str] = {}
    for tree in trees.values():
        everywhere.update(
            (name, at) for name, at in _definitions(tree).items() if at is not None
        )
        all_constants.update(_constants(tree))

    names: set[str] = set()
    unclear: list[str] = []
    for path, tree in trees.items():
        constants, local = {**all_constants, **_constants(tree)}, _definitions(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            callee = node.func.id
            index = local[callee] if callee in local else everywhere.get(callee)
            argument = next((k.value for k in node.keywords if k.arg == "rule"), None)
            if argument is None and index is not None and index < len(node.args):
                argument = node.args[index]
            if argument is None or _forwarded(argument):
                continue
            literal = _literals(argument, constants)
            if literal is None:
                unclear.append(f"{path.relative_to(PROJECT)}:{node.lineno}")
            else:
                names.update(literal)
    assert not unclear, (
        "rule names must be string literals where a Problem is made, so the "
        f"catalogue test can see them: {unclear}"
    )
    return names


def test_every_rule_in_the_code_is_in_the_catalogue() -> None:
    in_code = rule_names_in_code() | set(iter_rules()) | {"schema"}
    in_code |= set(BUILTIN_NAMES)

    missing = sorted(in_code - set(RULES))
    assert not missing, f"add these rules to pmctl/checks/catalog.py: {missing}"
    stale = sorted(set(RULES) - in_code)
    assert not stale, f"the catalogue names rules nothing reports: {stale}"


def test_the_code_scan_finds_rules_of_every_origin() -> None:
    found = rule_names_in_code()

    # loader, strict YAML, discovery, schema, per-record and cross-record rules
    for rule in (
        "encoding",
        "duplicate-key",
        "not-a-record",
        "unknown-kind",
        "timeline-order",
        "duplicate-id",
        "lint-directive",
    ):
        assert rule in found


def test_catalogue_entries_are_complete() -> None:
    for name, info in RULES.items():
        assert info.name == name
        assert info.summary.endswith(".") and info.help.endswith(".")
        assert "\n" not in info.summary
