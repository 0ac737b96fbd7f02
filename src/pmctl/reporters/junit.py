"""`--format junit`: JUnit XML, one test case per checked record.

CI systems (GitLab, Jenkins, Azure) list the test cases: a record passes, or
fails with its problems as the failure text. Warnings fail a record only under
`--strict`, as they fail the run; otherwise they go to the case's system-out.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby
from typing import TextIO

from pmctl.problems import Problem, ValidationResult
from pmctl.reporters.locations import repo_paths

SUITE_NAME = "pmctl validate"
# Characters XML 1.0 cannot carry at all, even escaped (C0 controls, lone
# surrogates from undecodable file names, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(result: ValidationResult, out: TextIO) -> None:
    paths = repo_paths(result)
    by_path = {
        path: list(problems)
        for path, problems in groupby(result.problems, key=lambda p: p.path)
    }
    checked = sorted({*result.paths, *by_path})

    suite = ET.Element("testsuite", name=SUITE_NAME)
    failures = 0
    for path in checked:
        failed = _add_case(suite, paths[path], by_path.get(path, []), result.strict)
        failures += failed

    counts = {"tests": str(len(checked)), "failures": str(failures), "errors": "0"}
    suite.attrib.update({**counts, "skipped": "0"})
    suites = ET.Element("testsuites", {"name": SUITE_NAME, **counts})
    suites.append(suite)

    ET.indent(suites)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(suites, encoding="unicode") + "\n")


def _add_case(
    suite: ET.Element, path: str, problems: list[Problem], strict: bool
) -> bool:
    """Add one record's test case; return whether it failed."""
    folder = path.rpartition("/")[0]
    case = ET.SubElement(
        suite,
        "testcase",
        name=xml_text(path),
        classname=xml_text(folder.replace("/", ".") or "records"),
        file=xml_text(path),
    )

    failing = [p for p in problems if _fails(p, strict)]
    others = [p for p in problems if not _fails(p, strict)]
    if failing:
        first = failing[0]
        failure = ET.SubElement(
            case,
            "failure",
            message=xml_text(f"{len(failing)} problem(s); first: {first.message}"),
            type=xml_text(first.rule),
        )
        failure.text = xml_text("\n".join(map(_line, failing)))
    if others:
        ET.SubElement(case, "system-out").text = xml_text("\n".join(map(_line, others)))
    return bool(failing)


def _fails(problem: Problem, strict: bool) -> bool:
    """As the run fails: on errors, and on warnings under `--strict`."""
    return problem.severity == "error" or (strict and problem.severity == "warning")


def _line(problem: Problem) -> str:
    where = f"line {problem.line}" if problem.line else "file"
    field = f" {problem.field}:" if problem.field else ""
    return f"{where}: {problem.severity}{field} {problem.message} [{problem.rule}]"


def xml_text(text: str) -> str:
    """Text XML can hold: characters XML forbids become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)
