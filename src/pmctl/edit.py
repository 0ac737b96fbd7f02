"""Lossless edits of action items: `actions close`, `reopen` and `set`.

Records are written by people, so an edit changes only what it must: it
replaces a value where it stands, adds a line, or drops one, and keeps every
other byte (comments, key order, quoting, blank lines, LF or CRLF line
endings, a byte-order mark, the whole body). The text is edited where the YAML
parser says each value sits; then the result is proven: it must load to
exactly the data intended, and validate must find no error in it that the
record did not have before. Only then is it written, atomically.

Action items must be in block style (one `key: value` per line); a flow-style
item (`- {id: A1, ...}`) is refused rather than rewritten.
"""

from __future__ import annotations

import copy
import difflib
import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pmctl.config import Config
from pmctl.errors import RecordError, UsageError
from pmctl.problems import Problem
from pmctl.records.loader import NotARecord, parse_record
from pmctl.records.lookup import find_record
from pmctl.records.model import ACTION_STATUSES, Record
from pmctl.records.nodes import (
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    compose,
    is_block_style,
    lookup,
)
from pmctl.records.yaml_strict import YamlProblem, load_yaml
from pmctl.timeparse import flag_date

ACTION_REF = re.compile(r"^((?:INC|PM|EX)-\d{4}-\d{4,})/(A\d+)$")
# The record format's order of action fields: a field that is added goes
# right after the last present field that comes before it in this order.
FIELD_ORDER = (
    "id",
    "title",
    "owner",
    "team",
    "due",
    "status",
    "systemic",
    "acceptance",
    "tracker",
    "closed_on",
    "verified",
)
_BOM = "\ufeff"

# A new value; None drops the field.
Value = str | bool | None


@dataclass(frozen=True)
class Change:
    """One field of the action item, before and after (None: absent)."""

    field: str
    old: object
    new: object

    def describe(self) -> str:
        if self.new is None:
            return f"{self.field}: removed (was {_show(self.old)})"
        if self.old is None:
            return f"{self.field}: {_show(self.new)} (added)"
        return f"{self.field}: {_show(self.old)} -> {_show(self.new)}"


@dataclass(frozen=True)
class ActionEdit:
    """An edit ready to write: the file's bytes before and after."""

    ref: str
    path: str
    before: bytes
    after: bytes
    changes: tuple[Change, ...]
    # Warnings validate finds after the edit that it did not find before.
    warnings: tuple[Problem, ...] = field(default=())

    def diff(self) -> str:
        """A unified diff of the file, as `git diff` would show it."""
        lines = difflib.unified_diff(
            _split_lines(self.before.decode("utf-8")),
            _split_lines(self.after.decode("utf-8")),
            f"a/{self.path}",
            f"b/{self.path}",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def parse_ref(ref: str) -> tuple[str, str]:
    """`PM-2026-0042/A1` -> (`PM-2026-0042`, `A1`)."""
    match = ACTION_REF.match(ref.strip().upper())
    if not match:
        raise UsageError(
            f"`{ref}` does not name an action item; write the record id, a "
            "slash and the action id, e.g. PM-2026-0042/A1 or EX-2026-0003/A2"
        )
    return match.group(1), match.group(2)


def plan_close(
    config: Config, ref: str, on: date, verified: bool = False, wont_do: bool = False
) -> ActionEdit:
    updates: dict[str, Value] = {
        "status": "wont-do" if wont_do else "done",
        "closed_on": on.isoformat(),
    }
    if verified:
        updates["verified"] = True
    return plan_action_edit(config, ref, updates)


def plan_reopen(config: Config, ref: str) -> ActionEdit:
    """Status back to open; `closed_on` and `verified` described the closure."""
    return plan_action_edit(
        config, ref, {"status": "open", "closed_on": None, "verified": None}
    )


def plan_set(
    config: Config,
    ref: str,
    owner: str | None = None,
    due: str | None = None,
    status: str | None = None,
) -> ActionEdit:
    updates: dict[str, Value] = {}
    if owner is not None:
        updates["owner"] = owner
    if due is not None:
        updates["due"] = flag_date("--due", due).isoformat()
    if status is not None:
        if status not in ACTION_STATUSES:
            raise UsageError(
                f"--status `{status}` is not an action status; "
                f"expected one of {', '.join(ACTION_STATUSES)}"
            )
        updates["status"] = status
    if not updates:
        raise UsageError("nothing to set; pass --owner, --due or --status")
    return plan_action_edit(config, ref, updates)


def plan_action_edit(
    config: Config, ref: str, updates: Mapping[str, Value]
) -> ActionEdit:
    """Work out the edit of one action item, proven but not yet written."""
    record_id, action_id = parse_ref(ref)
    path = find_record(config.root, record_id).path
    before = _read(config.root / path)
    bom, text = _decode(path, before)
    record = _parse(path, text.replace("\r\n", "\n"))

    item, index = _find_item(record, action_id)
    current = record.data["actions"][index]
    changes = tuple(
        Change(key, current.get(key), value)
        for key, value in updates.items()
        if not _same(current.get(key), value) and (value is not None or key in current)
    )
    if not changes:
        return ActionEdit(f"{record_id}/{action_id}", path, before, before, ())

    edited = _apply(text, item, changes)
    after_record = _prove(record, index, edited.replace("\r\n", "\n"), changes)
    warnings = _check(config, record, after_record, f"{record_id}/{action_id}")
    after = ((_BOM if bom else "") + edited).encode("utf-8")
    return ActionEdit(
        f"{record_id}/{action_id}", path, before, after, changes, tuple(warnings)
    )


def write_edit(root: Path, edit: ActionEdit) -> None:
    """Replace the file atomically, unless it changed since it was read."""
    target = (root / edit.path).resolve()
    if _read(target) != edit.before:
        raise RecordError(
            f"{edit.path} changed while pmctl was editing it; nothing was "
            "written, run the command again"
        )

    descriptor, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=".pmctl-", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(edit.after)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, target.stat().st_mode & 0o7777)
        os.replace(temporary, target)
    except OSError as error:
        raise RecordError(
            f"cannot write {edit.path}: {error.strerror}; nothing was changed"
        ) from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


# --- reading -----------------------------------------------------------------


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise RecordError(f"cannot read {path}: {error.strerror}") from None


def _decode(path: str, raw: bytes) -> tuple[bool, str]:
    """Whether the file has a byte-order mark, and its text without it."""
    bom = raw.startswith(_BOM.encode("utf-8"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RecordError(f"{path} is not UTF-8; pmctl cannot edit it") from None
    if re.search(r"\r(?!\n)", text):
        raise RecordError(
            f"{path} has carriage returns that do not end a line; pmctl edits "
            "only files with LF or CRLF line endings"
        )
    return bom, text[1:] if bom else text


def _parse(path: str, text: str) -> Record:
    try:
        return parse_record(path, text)
    except NotARecord as failure:
        where = f"{path}:{failure.line}" if failure.line else path
        raise RecordError(
            f"{where}: the record cannot be read: {failure.message}; "
            "fix it first (nothing was written)"
        ) from None


def _find_item(record: Record, action_id: str) -> tuple[MappingNode, int]:
    """The action item's node and its index in `actions`."""
    label = f"{record.id}/{action_id}"
    if record.kind not in ("postmortem", "exercise"):
        raise RecordError(
            f"{record.id} is an {record.kind}; only postmortems and exercises "
            "have action items"
        )

    root = compose(record.front_matter)
    entry = lookup(root, "actions")
    if entry is None or not isinstance(entry[1], SequenceNode):
        raise RecordError(f"{record.path}: {record.id} has no `actions` list")
    actions = entry[1]
    if not is_block_style(actions):
        raise _flow_style(record, actions, label, "the `actions` list")

    ids: list[str] = []
    matches: list[int] = []
    for index, item in enumerate(actions.value):
        found = lookup(item, "id")
        if found and isinstance(found[1], ScalarNode):
            ids.append(found[1].value)
            if found[1].value == action_id:
                matches.append(index)
    if not matches:
        raise RecordError(
            f"{record.path}: {record.id} has no action `{action_id}`; its actions: "
            f"{', '.join(ids) or 'none'}"
        )
    if len(matches) > 1:
        raise RecordError(
            f"{record.path}: {record.id} has {len(matches)} actions with the id "
            f"`{action_id}`; give each its own id first"
        )

    item = actions.value[matches[0]]
    if not isinstance(item, MappingNode) or not is_block_style(item):
        raise _flow_style(record, item, label, "the action item")
    return item, matches[0]


def _flow_style(record: Record, node: Node, label: str, what: str) -> RecordError:
    line = node.start_mark.line + record.first_line
    return RecordError(
        f"{record.path}:{line}: {what} is written in flow style (`{{...}}` or "
        f"`[...]`); pmctl edits only block style, one `key: value` per line. "
        f"Rewrite it in block style, or edit {label} by hand"
    )


def _same(old: object, new: Value) -> bool:
    return type(old) is type(new) and old == new


# --- editing the text ----------------------------------------------------------


@dataclass(frozen=True)
class _Splice:
    start: int
    end: int
    text: str
    # Among splices at one offset, a higher order is placed later in the text.
    order: int = 0


class _Text:
    """The file's text (LF or CRLF) addressed by front matter line and column."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def offset(self, line: int, column: int) -> int:
        # Front matter line 0 is file line 2: the opening `---` comes first.
        return self.starts[line + 1] + column

    def line_start(self, line: int) -> int:
        return self.starts[line + 1]

    def line(self, line: int) -> str:
        """A front matter line's text, without its ending."""
        end = self.starts[line + 2] if line + 2 < len(self.starts) else len(self.text)
        return self.text[self.starts[line + 1] : end].rstrip("\r\n")

    def ending(self, line: int) -> str:
        """The line ending of a front matter line."""
        end = self.starts[line + 2] if line + 2 < len(self.starts) else len(self.text)
        return "\r\n" if self.text[end - 2 : end] == "\r\n" else "\n"


def _apply(text: str, item: MappingNode, changes: tuple[Change, ...]) -> str:
    source = _Text(text)
    keys = {key.value: (key, value) for key, value in item.value}
    splices = [_splice(source, item, keys, change) for change in changes]

    edited = text
    for splice in sorted(splices, key=lambda s: (s.start, s.order), reverse=True):
        edited = edited[: splice.start] + splice.text + edited[splice.end :]
    return edited


def _splice(
    source: _Text,
    item: MappingNode,
    keys: dict[str, tuple[ScalarNode, Node]],
    change: Change,
) -> _Splice:
    entry = keys.get(change.field)
    order = FIELD_ORDER.index(change.field) if change.field in FIELD_ORDER else 99
    if change.new is None:
        assert entry is not None
        return _remove(source, item, entry)
    assert isinstance(change.new, str | bool)
    if entry is not None:
        return _replace(source, change.field, entry[1], change.new)

    anchor = _anchor(item, keys, change.field)
    line = _next_line(source, anchor)
    indent = " " * item.value[0][0].start_mark.column
    rendered = _render(change.new, _new_style(keys, change.new))
    text = f"{indent}{change.field}: {rendered}{source.ending(line - 1)}"
    return _Splice(source.line_start(line), source.line_start(line), text, order)


def _replace(source: _Text, key: str, node: Node, value: str | bool) -> _Splice:
    if not isinstance(node, ScalarNode) or (node.style or "") in ("|", ">"):
        raise RecordError(
            f"`{key}` on line {node.start_mark.line + 2} does not hold a one-line "
            "value; pmctl replaces only one-line values, edit it by hand"
        )
    start = source.offset(node.start_mark.line, node.start_mark.column)
    end = source.offset(node.end_mark.line, node.end_mark.column)
    rendered = _render(value, node.style or "")
    if start == end:
        # `key:` with nothing after the colon: the value needs its space.
        rendered = " " + rendered
    return _Splice(start, end, rendered)


def _remove(
    source: _Text, item: MappingNode, entry: tuple[ScalarNode, Node]
) -> _Splice:
    key, value = entry
    first_key = item.value[0][0]
    if key is not first_key:
        start = source.line_start(key.start_mark.line)
        return _Splice(start, source.line_start(_next_line(source, value)), "")

    # The first key shares its line with the item's `- `: the next key moves up.
    if len(item.value) < 2:
        raise RecordError("pmctl will not remove the only field of an action item")
    following = item.value[1][0]
    return _Splice(
        source.offset(key.start_mark.line, key.start_mark.column),
        source.offset(following.start_mark.line, following.start_mark.column),
        "",
    )


def _anchor(
    item: MappingNode, keys: dict[str, tuple[ScalarNode, Node]], name: str
) -> Node:
    """The value a new field goes after."""
    before = (
        FIELD_ORDER[: FIELD_ORDER.index(name)] if name in FIELD_ORDER else FIELD_ORDER
    )
    present = [keys[k] for k in before if k in keys]
    if not present:
        last: Node = item.value[-1][1]
        return last
    _, value = max(present, key=lambda entry: entry[0].start_mark.line)
    return value


def _next_line(source: _Text, value: Node) -> int:
    """The front matter line right after a value's last line of text."""
    end = value.end_mark
    if end.column != 0 or end.line == value.start_mark.line:
        return int(end.line) + 1

    # A block scalar ends where the next key starts, after any blank lines;
    # those stay where they are, unless `|+` or `>+` makes them its text.
    line = int(end.line)
    header = source.line(value.start_mark.line)[value.start_mark.column :]
    keeps = isinstance(value, ScalarNode) and "+" in header.split("#")[0]
    while (
        not keeps
        and line - 1 > value.start_mark.line
        and not source.line(line - 1).strip()
    ):
        line -= 1
    return line


def _new_style(keys: dict[str, tuple[ScalarNode, Node]], value: str | bool) -> str:
    """Dates are quoted as `due` is; other text is plain where YAML allows."""
    due = keys.get("due")
    is_date = isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
    if is_date and due and isinstance(due[1], ScalarNode):
        return due[1].style or ""
    return ""


def _render(value: str | bool, style: str) -> str:
    """A YAML scalar for `value`, in the given quoting style where it can be."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if style == "'" and value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    if style == "" and _plain_reads_back(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _plain_reads_back(value: str) -> bool:
    if not value or value != value.strip() or not value.isprintable():
        return False
    try:
        return bool(load_yaml(f"key: {value}\n") == {"key": value})
    except YamlProblem:
        return False


# --- proving the result ----------------------------------------------------------


def _prove(
    record: Record, index: int, text: str, changes: tuple[Change, ...]
) -> Record:
    """The edited record, once it is shown to hold exactly the intended data."""
    expected = copy.deepcopy(record.data)
    action = expected["actions"][index]
    for change in changes:
        if change.new is None:
            action.pop(change.field, None)
        else:
            action[change.field] = change.new

    detail = "the result did not read back as intended"
    try:
        edited = parse_record(record.path, text)
    except NotARecord as failure:
        edited, detail = None, failure.message
    if edited is None or edited.data != expected or edited.body != record.body:
        raise RecordError(
            f"{record.path}: pmctl could not edit this record safely ({detail}); "
            "nothing was written. Edit it by hand"
        )
    return edited


def _check(config: Config, before: Record, after: Record, label: str) -> list[Problem]:
    """Refuse an edit that adds errors; return the warnings it adds."""
    from pmctl.checks.validate import check_record

    def key(problem: Problem) -> tuple[str | None, str, str]:
        return (problem.field, problem.rule, problem.message)

    known = {key(p) for p in check_record(before, config)}
    added = [p for p in check_record(after, config) if key(p) not in known]
    errors = [p for p in added if p.severity == "error"]
    if errors:
        lines = "\n".join(
            f"  {p.path}:{p.line}: {p.field or '-'}: {p.message} [{p.rule}]"
            for p in errors
        )
        hint = ""
        if any(p.rule == "closed-on-required" for p in errors):
            hint = f"\nTo close an action, use `pmctl actions close {label}`."
        raise RecordError(
            f"not written: the edit would make {label} invalid:\n{lines}{hint}"
        )
    return [p for p in added if p.severity == "warning"]


def _split_lines(text: str) -> list[str]:
    lines = text.split("\n")
    ended = [line + "\n" for line in lines[:-1]]
    return ended + ([lines[-1]] if lines[-1] else [])


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
