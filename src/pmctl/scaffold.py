"""Creating records from templates: ids, slugs, rendering, safe writes."""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pmctl.errors import ConfigError, UsageError
from pmctl.ids import next_free_id
from pmctl.records.model import ID_PREFIXES, Kind
from pmctl.resources import data_dir

_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
_FOLDERS: dict[Kind, str] = {
    "incident": "incidents",
    "postmortem": "postmortems",
    "exercise": "exercises",
}
TemplateValue = str | int | bool | None | list[dict[str, str]]
_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSAFE_IN_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


@dataclass(frozen=True)
class NewRecord:
    """A record ready to be written: where it goes, and its text."""

    record_id: str
    path: str
    text: str


def slugify(title: str, max_length: int = 48) -> str:
    """A file-name-safe slug from any title: ascii, lowercase, dashes."""
    ascii_title = (
        unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    )
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or (words[0][:max_length] if words else "untitled")


def template_text(root: Path, name: str) -> str:
    """A repository's own `templates/<name>` wins over pmctl's."""
    own = root / "templates" / name
    source = own if own.is_file() else data_dir("templates") / name
    try:
        return source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8"
        raise ConfigError(f"cannot read the template {source}: {reason}") from None


def render_template(text: str, values: Mapping[str, TemplateValue]) -> str:
    """Fill `{{name}}` placeholders: as YAML in front matter, as text in the body.

    Values are encoded, never pasted, so a title cannot add YAML keys or close
    the front matter early.
    """
    lines = text.split("\n")
    closing = next(
        (i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), len(lines)
    )
    rendered = []
    for number, line in enumerate(lines):
        in_front_matter = 0 < number < closing
        indent = len(line) - len(line.lstrip(" ")) + 2

        def fill(
            match: re.Match[str], yaml: bool = in_front_matter, indent: int = indent
        ) -> str:
            name = match.group(1)
            if name not in values:
                raise UsageError(f"template placeholder `{{{{{name}}}}}` is unknown")
            value = _checked(name, values[name])
            return _yaml_value(value, indent) if yaml else _plain(value)

        filled = _PLACEHOLDER.sub(fill, line)
        # A list value starts on the next line: no space left after its key.
        rendered.append(filled.replace(" \n", "\n") if in_front_matter else filled)
    return "\n".join(rendered)


def plan_record(
    root: Path,
    kind: Kind,
    year: int,
    title: str,
    values: Mapping[str, TemplateValue],
    taken: Iterable[str],
) -> NewRecord:
    """Pick the next free id and render the template for a new record."""
    record_id = next_free_id(ID_PREFIXES[kind], year, taken)
    path = f"{_FOLDERS[kind]}/{year}/{record_id}-{slugify(title)}.md"
    text = render_template(
        template_text(root, f"{kind}.md"), {**values, "id": record_id, "title": title}
    )
    return NewRecord(record_id, path, text)


def write_new_file(path: Path, text: str) -> None:
    """Write atomically and never replace an existing file."""
    make_folder(path.parent)
    try:
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".pmctl-")
    except OSError as error:
        raise _cannot("write", path, error) from None

    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        _publish(Path(temporary), path)
    except OSError as error:
        raise _cannot("write", path, error) from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def make_folder(path: Path) -> None:
    """Create a folder and its parents, if missing."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _cannot("create", path, error) from None


def _cannot(verb: str, path: Path, error: OSError) -> UsageError:
    return UsageError(f"cannot {verb} {path}: {error.strerror or error}")


def _publish(temporary: Path, path: Path) -> None:
    exists = UsageError(f"{path} already exists; pmctl never overwrites a file")
    try:
        # A hard link fails when the target exists, so two writers never clash.
        os.link(temporary, path)
    except FileExistsError:
        raise exists from None
    except OSError:
        # Some file systems have no hard links; renaming is still atomic.
        if path.exists():
            raise exists from None
        os.replace(temporary, path)


def _checked(name: str, value: TemplateValue) -> TemplateValue:
    # Bytes that are not UTF-8 reach flags as lone surrogates; they cannot be
    # written, and would make a record no tool can read.
    texts = [value] if isinstance(value, str) else []
    if isinstance(value, list):
        texts = [text for item in value for text in item.values()]
    if any(_SURROGATE.search(text) for text in texts):
        raise UsageError(
            f"the {name} holds bytes that are not UTF-8 text; pass it as UTF-8"
        )
    return value


def _plain(value: TemplateValue) -> str:
    return "" if value is None else str(value)


def _yaml_value(value: TemplateValue, indent: int) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        # JSON strings are YAML double-quoted scalars; YAML also refuses DEL
        # and C1 controls, and folds U+0085/U+2028/U+2029 as line breaks.
        return _UNSAFE_IN_YAML.sub(
            lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False)
        )
    if not value:
        return "[]"

    pad = " " * indent
    lines = []
    for item in value:
        prefix = "- "
        for key, field_value in item.items():
            lines.append(f"{pad}{prefix}{key}: {_yaml_value(field_value, indent)}")
            prefix = "  "
    return "\n" + "\n".join(lines)
