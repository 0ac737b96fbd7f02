"""`--format sarif`: SARIF 2.1.0, for GitHub code scanning and other viewers.

Every rule in the catalogue is described in `tool.driver.rules`, so viewers can
show its help next to a result. Locations are relative to the repository's top
level under the `%SRCROOT%` base, as GitHub code scanning expects.
"""

from __future__ import annotations

from typing import Any, TextIO
from urllib.parse import quote

from pmctl.checks.catalog import RULES, RuleInfo, rule_info
from pmctl.jsontext import dumps
from pmctl.problems import Problem, ValidationResult
from pmctl.reporters.locations import repo_paths

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
_LEVELS = {"error": "error", "warning": "warning"}
_URL_LABELS = ("homepage", "documentation", "repository", "source")


def render(result: ValidationResult, out: TextIO) -> None:
    out.write(dumps(sarif_log(result)) + "\n")


def sarif_log(result: ValidationResult) -> dict[str, Any]:
    rules = list(RULES.values())
    # A rule missing from the catalogue still gets metadata, so a result never
    # points at nothing.
    rules += [rule_info(name) for name in _rules_used(result) if name not in RULES]
    index = {rule.name: position for position, rule in enumerate(rules)}
    paths = repo_paths(result)

    run = {
        "tool": {"driver": _driver(rules)},
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(problem, index[problem.rule], paths[problem.path])
            for problem in result.problems
        ],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _driver(rules: list[RuleInfo]) -> dict[str, Any]:
    from pmctl import __version__

    driver: dict[str, Any] = {
        "name": "pmctl",
        "version": __version__,
        "rules": [_descriptor(rule) for rule in rules],
    }
    homepage = _homepage()
    if homepage:
        driver["informationUri"] = homepage
    return driver


def _descriptor(rule: RuleInfo) -> dict[str, Any]:
    return {
        "id": rule.name,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{rule.summary} {rule.help}"},
        "help": {"text": rule.help},
        "defaultConfiguration": {"level": _LEVELS.get(rule.severity, "note")},
        "properties": {"tags": ["pmctl", rule.group]},
    }


def _result(problem: Problem, rule_index: int, path: str) -> dict[str, Any]:
    message = (
        f"{problem.field}: {problem.message}" if problem.field else (problem.message)
    )
    location: dict[str, Any] = {
        "artifactLocation": {"uri": _uri(path), "uriBaseId": SRCROOT}
    }
    if problem.line is not None:
        location["region"] = {"startLine": problem.line}
        if problem.column is not None:
            location["region"]["startColumn"] = problem.column

    return {
        "ruleId": problem.rule,
        "ruleIndex": rule_index,
        "level": _LEVELS.get(problem.severity, "note"),
        "message": {"text": message},
        "locations": [{"physicalLocation": location}],
    }


def _uri(path: str) -> str:
    # Undecodable bytes in a file name arrive as surrogates: encode them back.
    return quote(path, safe="/", errors="surrogateescape")


def _rules_used(result: ValidationResult) -> list[str]:
    return sorted({problem.rule for problem in result.problems})


def _homepage() -> str | None:
    """The project's home page from the package metadata, when it names one."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("pmctl").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    labelled = dict(
        (label.strip().lower(), url.strip())
        for label, _, url in (entry.partition(",") for entry in urls)
    )
    return next((labelled[k] for k in _URL_LABELS if labelled.get(k)), None)
