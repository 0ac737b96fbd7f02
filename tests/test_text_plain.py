"""The text report written without Rich is byte for byte what Rich writes.

`pmctl validate` writes its text report as plain text when Rich would write no
escape codes and would print every line as it is; these tests render the same
results both ways, check which way each one goes, and run the real command.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

import pytest

from ci_support import clean_env
from core_support import Cli, make_incident, write_record
from pmctl.problems import Problem, ValidationResult
from pmctl.reporters import text
from pmctl.reporters.text import Line

# Each case: a name, its result, and whether it can be written plainly.
CASES: list[tuple[str, ValidationResult, bool]] = []


def case(name: str, plain: bool, *problems: Problem, **options: bool) -> None:
    result = ValidationResult(checked=7, rule_problems=list(problems), **options)
    CASES.append((name, result, plain))


def problem(
    message: str = "must not be empty",
    path: str = "incidents/2026/INC-2026-0001-x.md",
    **changes: Any,
) -> Problem:
    return replace(Problem(path, 4, "title", "empty-value", message), **changes)


WARNING = {"severity": "warning", "rule": "stale-action"}
CASES.append(("no records", ValidationResult(checked=0), True))
CASES.append(("one record, no problems", ValidationResult(checked=1), True))
case("errors", True, problem(), problem(path="b.md", line=9, field="impact.summary"))
case("warnings only", True, problem(**WARNING), problem(line=12, **WARNING))
case("strict with warnings", True, problem(**WARNING), strict=True)
case("errors and warnings", True, problem(), problem(line=8, **WARNING))
case("no line, column or field", True, problem(line=None, field=None))
case("line and column", True, problem(line=123456, column=78))
case("column without line", True, problem(line=None, column=3))
case("message over 80 columns", True, problem("long " * 20))
case("message over 200 columns", True, problem("x" * 250))
case("accents", True, problem("Titre déjà vu: «é»", path="incidents/é/Ça.md"))
case("CJK", True, problem("決済が失敗しました" * 10, path="インシデント/記録.md"))
case("emoji", True, problem("fire 🔥 here", path="😀/🔥.md", field="🔥"))
case("combining accent", True, problem("e\u0301te\u0301", path="e\u0301.md"))
case("variation selector", True, problem("love \u2764\ufe0f", path="\u2764\ufe0f.md"))
case("markup-like text", True, problem("[bold red]x[/] :smile:", path="[b]x[/b].md"))
case("trailing spaces", True, problem("end   ", path="spaced.md  "))
case("path of 80 columns", True, problem(path="p" * 77 + ".md"))
case("path of 81 columns", True, problem(path="p" * 78 + ".md"))
case("wide path of 80 columns", True, problem(path="記" * 40))
case("wide path of 82 columns", True, problem(path="記" * 41))
case("path with spaces over 80", True, problem(path="a long folder/" * 7 + ".md"))
case("newline in message", False, problem("two\nlines"))
case("newline in path", False, problem(path="a\nb.md"))
case("tab in message", False, problem("a\tb"))
case("tab in field", False, problem(field="a\tb"))
case("ESC sequence", False, problem("red \x1b[31mred\x1b[0m \x1b]0;title\x07"))
case("C1 controls", False, problem("csi \x9b31m and \x85 next line"))
case("NUL", False, problem("nul \x00 here", path="n\x00.md"))
case("DEL", False, problem("del \x7f"))
case("carriage return", False, problem("over\rwrite"))
case("zero-width joiner", False, problem("family 👨\u200d👩\u200d👧"))
case("no-break space", False, problem("50\u00a0%"))
case("line separator", False, problem("a\u2028b"))
case("lone surrogate", False, problem(path="bad-\udcff.md"))
case(
    "many files and problems",
    True,
    *[
        problem(f"problem {n} in file {n // 4}", path=f"f{n // 4:03}.md", line=n)
        for n in range(120)
    ],
)


@pytest.fixture(autouse=True)
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing in the environment that makes Rich treat output as a terminal."""
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "80")


@pytest.fixture
def rich_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[Line]]:
    """The lines of each report handed to Rich."""
    calls: list[list[Line]] = []
    real = text._render_rich

    def spy(lines: list[Line], out: TextIO) -> None:
        calls.append(lines)
        real(lines, out)

    monkeypatch.setattr(text, "_render_rich", spy)
    return calls


def through_rich(result: ValidationResult) -> str:
    out = io.StringIO()
    text._render_rich(text.report_lines(result), out)
    return out.getvalue()


def rendered(result: ValidationResult, out: TextIO | None = None) -> str:
    out = out or io.StringIO()
    text.render(result, out)
    assert isinstance(out, io.StringIO)
    return out.getvalue()


@pytest.mark.parametrize("columns", ["80", "200", "20", "0", None])
@pytest.mark.parametrize(("name", "result", "plain"), CASES, ids=[c[0] for c in CASES])
def test_the_report_is_what_rich_prints(
    columns: str | None,
    name: str,
    result: ValidationResult,
    plain: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if columns is None:
        # Rich then takes the width of whichever standard stream is a terminal.
        monkeypatch.delenv("COLUMNS")
    else:
        monkeypatch.setenv("COLUMNS", columns)

    assert rendered(result) == through_rich(result)


@pytest.mark.parametrize(("name", "result", "plain"), CASES, ids=[c[0] for c in CASES])
def test_only_text_rich_prints_as_it_is_is_written_plainly(
    name: str, result: ValidationResult, plain: bool, rich_calls: list[list[Line]]
) -> None:
    output = rendered(result)

    assert (not rich_calls) == plain
    if plain:
        assert "\x1b" not in output
        assert output.endswith("\n") and output.count("\n") == len(
            text.report_lines(result)
        )


@pytest.mark.parametrize("through", [rendered, through_rich])
def test_no_line_is_wrapped_at_the_width(
    through: Callable[[ValidationResult], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A path cut in two could not be searched for or copied from a CI log.
    monkeypatch.setenv("COLUMNS", "20")
    path = "a long folder/" * 7 + ".md"

    output = through(ValidationResult(checked=1, rule_problems=[problem(path=path)]))

    assert output.startswith(f"{path}\n       4  error   title: ")
    assert output.endswith("\n✗ 1 error, 0 warnings in 1 of 1 record\n")


def test_the_plain_report_keeps_grouping_and_wording(
    rich_calls: list[list[Line]],
) -> None:
    result = ValidationResult(
        checked=3,
        rule_problems=[
            problem(path="b.md", line=None, field=None, rule="r1", message="m1"),
            problem(path="a.md", line=7, column=2, rule="r2", message="m2"),
            problem(path="a.md", line=3, field="f", message="m3", **WARNING),
        ],
    )

    output = rendered(result)

    assert not rich_calls
    assert output == (
        "a.md\n"
        "       3  warning f: m3  [stale-action]\n"
        "     7:2  error   title: m2  [r2]\n"
        "\n"
        "b.md\n"
        "       -  error   m1  [r1]\n"
        "\n"
        "✗ 2 errors, 1 warning in 2 of 3 records\n"
    )


class TtyStream(io.StringIO):
    def isatty(self) -> bool:
        return True


class ProxyStream(io.StringIO):
    """Looks like Rich's stdout proxy: Rich writes to the file it proxies."""

    def __init__(self) -> None:
        super().__init__()
        self.rich_proxied_file = io.StringIO()


def latin1_stream() -> io.StringIO:
    class Latin1(io.StringIO):
        encoding = "latin-1"  # type: ignore[assignment]

    return Latin1()


@pytest.mark.parametrize(
    ("variable", "value", "make_out"),
    [
        ("FORCE_COLOR", "1", io.StringIO),
        ("FORCE_COLOR", "", io.StringIO),
        ("FORCE_COLOR", "0", io.StringIO),
        ("TTY_COMPATIBLE", "1", io.StringIO),
        ("TTY_COMPATIBLE", "yes", io.StringIO),
        (None, None, TtyStream),
        (None, None, latin1_stream),
    ],
)
def test_a_terminal_or_doubt_sends_the_report_to_rich(
    variable: str | None,
    value: str | None,
    make_out: Callable[[], io.StringIO],
    rich_calls: list[list[Line]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if variable is not None and value is not None:
        monkeypatch.setenv(variable, value)
    result = ValidationResult(checked=1, rule_problems=[problem()])

    output = rendered(result, make_out())

    assert len(rich_calls) == 1
    assert "must not be empty" in output


def test_rich_s_stdout_proxy_gets_the_report_as_before(
    rich_calls: list[list[Line]],
) -> None:
    out = ProxyStream()

    text.render(ValidationResult(checked=1), out)

    assert len(rich_calls) == 1
    assert out.getvalue() == ""
    assert out.rich_proxied_file.getvalue() == "✓ 1 record checked, no problems\n"


def test_a_notebook_sends_the_report_to_rich(
    rich_calls: list[list[Line]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rich looks for IPython's get_ipython() among the builtins.
    monkeypatch.setattr("builtins.get_ipython", lambda: None, raising=False)

    rendered(ValidationResult(checked=1))

    assert len(rich_calls) == 1


def test_a_tty_gets_rich_colours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    result = ValidationResult(checked=1, rule_problems=[problem()])

    output = rendered(result, TtyStream())

    assert "\x1b[" in output


def test_tty_compatible_0_is_still_plain(
    rich_calls: list[list[Line]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "0")

    rendered(ValidationResult(checked=1))

    assert not rich_calls


# --- in a process of its own ---------------------------------------------------

RENDER = """
import sys
from pmctl.problems import Problem, ValidationResult
from pmctl.reporters.text import render

path = sys.argv[1]
problem = Problem(path, 3, "title", "empty-value", "déjà 決済 🔥", "error")
render(ValidationResult(checked=2, rule_problems=[problem]), sys.stdout)
print("rich" in sys.modules, file=sys.stderr)
"""
EXPECTED = (
    "{path}\n"
    "       3  error   title: déjà 決済 🔥  [empty-value]\n"
    "\n"
    "✗ 1 error, 0 warnings in 1 of 2 records\n"
)


def render_elsewhere(
    env: dict[str, str], path: str = "a.md", stdin: int | None = subprocess.DEVNULL
) -> tuple[str, bool]:
    """Render in a new Python process; its stdout and whether it imported Rich."""
    done = subprocess.run(
        [sys.executable, "-c", RENDER, path],
        env=env,
        stdin=stdin,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode("utf-8"), done.stderr.decode().strip() == "True"


def subprocess_env(**extra: str) -> dict[str, str]:
    env = clean_env(**{"TERM": "xterm-256color", "PYTHONIOENCODING": "utf-8", **extra})
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR"):
        if name not in extra:
            env.pop(name, None)
    return env


@pytest.mark.parametrize("extra", [{}, {"TTY_COMPATIBLE": "0"}, {"TERM": "dumb"}])
def test_a_pipe_gets_plain_text_without_importing_rich(extra: dict[str, str]) -> None:
    output, imported_rich = render_elsewhere(subprocess_env(**extra))

    assert output == EXPECTED.format(path="a.md")
    assert not imported_rich


@pytest.mark.parametrize("extra", [{"FORCE_COLOR": "1"}, {"TTY_COMPATIBLE": "1"}])
def test_forcing_a_terminal_leaves_the_report_to_rich(extra: dict[str, str]) -> None:
    output, imported_rich = render_elsewhere(subprocess_env(**extra))

    assert imported_rich
    # Rich reads TTY_COMPATIBLE from version 14 on, FORCE_COLOR in all.
    if "FORCE_COLOR" in extra:
        assert "\x1b[" in output


# --- the real command --------------------------------------------------------


@pytest.fixture
def broken_repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "pmctl.yaml").write_text("", encoding="utf-8")
    incident = make_incident(severity="SEV9", title="Paiement refusé 決済")
    write_record(root, "incidents/2026/INC-2026-0001-x.md", incident)
    return root


def test_validate_prints_the_same_text_either_way(
    broken_repo: Path,
    cli: Cli,
    rich_calls: list[list[Line]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plain = cli("validate", "--root", broken_repo).expect(1)
    assert not rich_calls
    with monkeypatch.context() as patch:
        patch.setattr(text, "_writes_plain", lambda out: False)
        through_rich = cli("validate", "--root", broken_repo).expect(1)

    assert len(rich_calls) == 1
    assert plain.stdout == through_rich.stdout
    lines = plain.stdout.split("\n")
    assert lines[0] == "incidents/2026/INC-2026-0001-x.md"
    assert " severity: " in lines[1] and lines[1].endswith("[unknown-severity]")
    assert lines[2:] == ["", "✗ 1 error, 0 warnings in 1 of 1 record", ""]


def run_validate(root: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = (
        "import sys\n"
        "from pmctl.cli import main\n"
        "sys.argv = ['pmctl', *sys.argv[1:]]\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    print('rich' in sys.modules, file=sys.stderr)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script, "validate", "--root", str(root)],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def test_validate_in_ci_does_not_import_rich(broken_repo: Path) -> None:
    plain = run_validate(broken_repo, subprocess_env())
    through_rich = run_validate(broken_repo, subprocess_env(FORCE_COLOR="1"))

    assert plain.returncode == 1, plain.stderr
    assert plain.stderr.strip() == "False"
    assert through_rich.stderr.strip() == "True"
    assert plain.stdout.startswith("incidents/2026/INC-2026-0001-x.md\n")
    assert plain.stdout.endswith("\n\n✗ 1 error, 0 warnings in 1 of 1 record\n")


@pytest.mark.parametrize("actions", [False, True])
def test_a_closed_pipe_ends_validate_quietly_as_rich_does(
    broken_repo: Path, actions: bool
) -> None:
    endings = []
    for extra in ({}, {"FORCE_COLOR": "1"}):
        env = subprocess_env(**extra)
        if actions:
            env["GITHUB_ACTIONS"] = "true"
        read, write = os.pipe()
        command = [sys.executable, "-m", "pmctl", "validate", "--root", broken_repo]
        running = subprocess.Popen(
            command, stdout=write, stderr=subprocess.PIPE, env=env
        )
        # Nobody reads: the first write fails with EPIPE.
        os.close(write)
        os.close(read)
        _, stderr = running.communicate()
        endings.append((running.returncode, stderr.decode()))

    assert endings[0] == endings[1] == (1, "")
