"""The line of a top-level field, read off the text where that is certain.

Naming the line of a problem otherwise means composing the front matter with
PyYAML (`yaml_strict.key_lines`), and importing PyYAML first: about 15 ms in a
run that would not need it, such as a cold validate that finds two records
sharing an id. Most problems are about top-level fields (`id`, `severity`),
and in the usual front matter every line that starts at column 0 is a plain
`key: value` entry of the root mapping, or an item of a list that is the
value of one (`- payments`). Then the field's line is the one column-0 line
that starts with its key.

A line can look like an entry without being one: inside a quoted scalar or a
flow collection that goes on over several lines, which YAML lets start at
column 0. Such a line and the field's own line make two candidates, and no
answer. The field's own line always takes part, because the root mapping
starts at column 0 and no column-0 line is anything but a plain entry or a
list item (not a quoted, explicit or aliased key, a tag, a directive, a
document marker, a tab): where either is not so, there is no answer and the
caller composes the front matter. So the caller asks only for a key the
root mapping holds. Lines are counted as YAML counts them: a text with line
breaks other than `\n` (CR, NEL, LS, PS) gets no answer.
"""

from __future__ import annotations

import re

_ENTRY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*) *:(?: |$)")
_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")


def top_level_line(front_matter: str, key: str) -> int | None:
    """The 1-based line of `key`, which the root mapping of `front_matter`
    holds, or None when the text alone cannot say for certain."""
    if _OTHER_BREAKS.search(front_matter):
        return None

    found = None
    root_seen = False
    for number, line in enumerate(front_matter.split("\n"), 1):
        if not line or line.startswith("#"):
            continue
        if line.startswith(" ") or line == "-" or line.startswith("- "):
            if not root_seen and not line.isspace():
                return None  # the root is indented, or not a mapping
            continue
        entry = _ENTRY.match(line)
        if entry is None:
            return None
        root_seen = True
        if entry.group(1) == key:
            if found is not None:
                return None
            found = number
    return found
