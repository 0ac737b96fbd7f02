"""Searching bytes with RE2 where it is installed, else with Python's `re`.

Validate runs a few searches over every record's whole text: the lint
scanner's many phrases and the YAML fast path's guard. Python's `re` tries
such a pattern at every candidate byte, several times slower than RE2's
automaton. pmctl depends on `google-re2`, and still runs without it (when
installed without its dependencies, say): every pattern is then compiled by
`re`, which finds the same.

Only patterns both engines read alike come here: literals, classes, groups,
alternation and counted repeats `{n}`. Not look-around or back-references
(RE2 refuses them: `re` takes over), and not what RE2 reads otherwise
without a word: `\\s` (RE2 leaves out vertical tab), `$` (RE2: only the very
end), `{,n}` (RE2: literal text), `[[:alpha:]]`, `\\Q...\\E` and `\\pL`.
"""

from __future__ import annotations

import re
from typing import Protocol

try:
    import re2
except ImportError:
    re2 = None
# Other packages on PyPI install a module of the same name, with another API:
# Google's is known by the names used here.
if not (
    hasattr(re2, "compile")
    and hasattr(re2, "error")
    and hasattr(getattr(re2, "Options", None), "Encoding")
):
    re2 = None


class ByteMatch(Protocol):
    def start(self) -> int: ...


class BytePattern(Protocol):
    def search(self, text: bytes, pos: int = ..., /) -> ByteMatch | None: ...


# RE2 keeps a bounded amount of memory for its automaton and is slower, not
# wrong, past it; a team's long list of lint phrases may need more than the
# default 8 MB.
_MAX_MEMORY = 64 << 20


def compile_bytes(pattern: bytes, for_re: bytes | None = None) -> BytePattern:
    """`pattern` compiled by RE2, or by `re` when RE2 is missing or refuses
    it. `for_re`, if given, is compiled by `re` instead: a pattern that finds
    a match in exactly the texts `pattern` does (look-around is fine there),
    one `re` runs faster."""
    if re2 is not None:
        options = re2.Options()
        options.max_mem = _MAX_MEMORY
        # One character per byte, as `re` reads bytes: in RE2's default UTF-8
        # a class would take a whole multi-byte character.
        options.encoding = re2.Options.Encoding.LATIN1
        options.never_capture = True
        options.log_errors = False
        try:
            found: BytePattern = re2.compile(pattern, options)
            return found
        except re2.error:
            pass
    return re.compile(pattern if for_re is None else for_re)
