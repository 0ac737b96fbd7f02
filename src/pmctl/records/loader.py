"""Turn one file into a `Record`, or a `Problem` that says why it cannot be."""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmctl.problems import Problem, format_field
from pmctl.records.model import Record

if TYPE_CHECKING:
    from pmctl.records.yaml_strict import YamlProblem

MAX_RECORD_BYTES = 4 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"
_CONFLICT = re.compile(r"^(<{7}|>{7})(?: |$)", re.MULTILINE)
_FENCE = re.compile(r"^---[ \t]*$")
_CODE_FENCE = re.compile(r"^ {0,3}(?:```|~~~)")
# Searched for from the newline that ends the opening line; the leading `\n`
# lets the regex engine skip ahead to line starts, several times faster than `^`.
_CLOSE = re.compile(r"\n(?:---|\.\.\.)[ \t]*(?=\n|\Z)")
# Binary on Windows; elsewhere not inherited by git or workers, and never
# blocking on a named pipe. Flags a platform lacks are left out.
_OPEN_FLAGS = os.O_RDONLY | sum(
    getattr(os, flag, 0) for flag in ("O_BINARY", "O_CLOEXEC", "O_NONBLOCK")
)
_FIELD_RULES = frozenset({"duplicate-key", "yaml-tag", "yaml-alias", "yaml-key"})


class NotARecord(Exception):
    """The file cannot be read as a record; carries the problem to report,
    and the file's stat when it was opened (`read_file` sets it)."""

    def __init__(
        self,
        rule: str,
        message: str,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.line = line
        self.field = field
        self.info: os.stat_result | None = None

    def problem(self, path: str) -> Problem:
        return Problem(path, self.line, self.field, self.rule, self.message)


def read_text(path: Path | str) -> str:
    """Read a record file as text, or raise `NotARecord` saying why not."""
    return read_file(path)[0]


def read_file(path: Path | str) -> tuple[str, os.stat_result]:
    """A record file's text and its stat, taken before it was read (what a
    cache may key the text by); `NotARecord` saying why it cannot be read."""
    # One descriptor for the checks and the read: nothing can swap the file
    # between them, and O_NONBLOCK keeps a named pipe from hanging the run.
    try:
        handle = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        raise NotARecord("unreadable", _os_reason(error)) from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise NotARecord("unreadable", "not a regular file")
        if info.st_size > MAX_RECORD_BYTES:
            raise NotARecord(
                "file-too-large",
                f"the file is {info.st_size / 1_048_576:.1f} MB; a record may be "
                f"at most {MAX_RECORD_BYTES // 1_048_576} MB",
            )
        raw = _read_all(handle, info.st_size)
        text = decode(raw)
    except OSError as error:
        raise NotARecord("unreadable", _os_reason(error)) from None
    except NotARecord as failure:
        # A cache may keep the failure by the stat, as it keeps records.
        failure.info = info
        raise
    finally:
        os.close(handle)
    return text, info


def _read_all(handle: int, size: int) -> bytes:
    raw = os.read(handle, size + 1)
    if len(raw) <= size:
        return raw
    # The file grew after fstat: read on to its end or past the size limit.
    chunks = [raw]
    while (chunk := os.read(handle, 65536)) and len(raw) <= MAX_RECORD_BYTES:
        chunks.append(chunk)
        raw = b"".join(chunks)
    return raw


def decode(raw: bytes) -> str:
    """UTF-8 (an optional BOM allowed) with line endings normalised to LF."""
    if raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise NotARecord(
            "encoding",
            f"the file is not UTF-8 (byte 0x{raw[error.start]:02x} cannot be "
            "decoded); save it as UTF-8",
            line,
        ) from None
    return text.replace("\r\n", "\n") if "\r" in text else text


def parse_record(path: str, text: str) -> Record:
    """Split and parse one record's text; raise `NotARecord` when it is not one."""
    if not text or text.isspace():
        raise NotARecord("empty-file", "the file is empty; expected front matter", 1)

    conflict = _conflict_marker(text)
    if conflict:
        marker, line = conflict
        raise NotARecord(
            "conflict-markers",
            f"unresolved git merge conflict marker `{marker}`; "
            "resolve the conflict and remove the markers",
            line,
        )

    first_break = text.find("\n")
    opening = text if first_break < 0 else text[:first_break]
    if not _FENCE.match(opening):
        raise NotARecord(
            "no-front-matter",
            "expected the file to start with a `---` line that opens the YAML "
            "front matter",
            1,
        )
    closing = _CLOSE.search(text, first_break) if first_break >= 0 else None
    if closing is None:
        raise NotARecord(
            "unterminated-front-matter",
            "the front matter opened on line 1 is never closed by a `---` line",
            1,
        )

    front_matter = text[len(opening) + 1 : closing.start() + 1] or "\n"
    data = _read_front_matter(front_matter)
    if not isinstance(data, dict):
        raise NotARecord(
            "front-matter-not-mapping",
            "the front matter must be a YAML mapping of `field: value` lines, "
            f"not {_describe(data)}",
            2,
        )

    body = text[closing.end() + 1 :]
    return Record(path, data, body, front_matter, first_line=2)


def _read_front_matter(front_matter: str) -> Any:
    """The front matter's data, or `NotARecord` saying where and why not."""
    # Imported here: runs that find every record in the cache need neither
    # reader, and most others only the fast one.
    from pmctl.records.yaml_fast import read_yaml

    def refused(problem: YamlProblem) -> NotARecord:
        where = problem.line + 1 if problem.line is not None else None
        field = _field_on_line(front_matter, problem.rule, problem.line)
        return NotARecord(problem.rule, problem.message, where, field)

    return read_yaml(front_matter, refused)


def _conflict_marker(text: str) -> tuple[str, int] | None:
    """The first merge conflict marker and its line, outside fenced code.

    A postmortem may quote markers in a code block to explain a bad merge.
    """
    # Plain substring tests first: far faster than the regex on clean files,
    # and a single character is searched for fastest of all.
    marked = ("<" in text and "<" * 7 in text) or (">" in text and ">" * 7 in text)
    if not marked or not _CONFLICT.search(text):
        return None

    fenced = False
    for number, line in enumerate(text.split("\n"), 1):
        if _CODE_FENCE.match(line):
            fenced = not fenced
        elif not fenced and (found := _CONFLICT.match(line)):
            return found.group(1), number
    return None


def load_record(root: Path, path: str) -> Record | Problem:
    """Read and parse the record at `path` (relative to `root`)."""
    try:
        return parse_record(path, read_text(os.path.join(root, path)))
    except NotARecord as failure:
        return failure.problem(path)


def _field_on_line(front_matter: str, rule: str, line: int | None) -> str | None:
    """The field a YAML problem sits on: the duplicated key, the tagged value."""
    # Only problems found after the text parsed: a syntax error has no fields.
    if line is None or rule not in _FIELD_RULES:
        return None

    from pmctl.records.yaml_strict import key_lines

    on_line = [
        path for path, at in key_lines(front_matter).items() if path and at == line
    ]
    # `title: !tag [a]` puts `title` and `title[0]` on one line: the key is meant.
    keyed = [path for path in on_line if isinstance(path[-1], str)]
    chosen = min(keyed or on_line, key=len, default=None)
    return format_field(chosen) if chosen else None


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    return f"a single value ({type(value).__name__})"


def _os_reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "cannot read the file: a symbolic link loop"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "cannot read the file: permission denied"
    if error.errno == errno.ENOENT:
        return "cannot read the file: it does not exist (a dangling link?)"
    return f"cannot read the file: {os.strerror(error.errno or 0)}"
