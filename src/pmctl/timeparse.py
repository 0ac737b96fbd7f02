"""Reading the record format's timestamps and dates, which YAML leaves as text."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from pmctl.errors import UsageError

_TIMESTAMP = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MEMO_UP_TO = 40
# The shapes nearly every timestamp has, each digit written as 0. An ASCII
# text that zeroes into one of them matches `_TIMESTAMP`, and this costs a third
# of asking the pattern; any other text is still asked.
_ZEROED = bytes(0x30 if 0x30 <= code <= 0x39 else code for code in range(256))
_COMMON_SHAPES = frozenset(
    {
        b"0000-00-00T00:00:00Z",
        b"0000-00-00T00:00:00+00:00",
        b"0000-00-00T00:00:00-00:00",
    }
)


def parse_timestamp(value: object) -> datetime | None:
    """An aware datetime for a valid RFC 3339 timestamp with offset, else None."""
    if not isinstance(value, str):
        return None
    # Long texts (many fraction digits, or not timestamps at all) are read
    # each time, so a hostile record cannot fill the memo with big strings.
    return _timestamp(value) if len(value) <= _MEMO_UP_TO else _read(value)


def _read(value: str) -> datetime | None:
    common = value.isascii() and value.encode().translate(_ZEROED) in _COMMON_SHAPES
    if not common and not _TIMESTAMP.match(value):
        return None
    text = value[:-1] + "+00:00" if value.endswith("Z") else value
    # Python 3.10's fromisoformat takes at most six fraction digits.
    if "." in text:
        head, rest = text.split(".", 1)
        digits = re.match(r"\d+", rest)
        assert digits is not None
        text = f"{head}.{digits.group()[:6].ljust(6, '0')}{rest[digits.end() :]}"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


# Every date rule of a record reads the same few timestamps, and validate runs
# them all on every record: each text is parsed once. Datetimes are immutable,
# so handing out the same one twice is safe.
_timestamp = lru_cache(maxsize=4096)(_read)


def parse_date(value: object) -> date | None:
    """A date for a valid `YYYY-MM-DD` text, else None."""
    return _date(value) if isinstance(value, str) and len(value) == 10 else None


@lru_cache(maxsize=4096)
def _date(value: str) -> date | None:
    if not _DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def flag_date(flag: str, value: str) -> date:
    """The date a flag gives as `YYYY-MM-DD`, or a `UsageError` naming the flag."""
    found = parse_date(value)
    if found is None:
        raise UsageError(f"{flag} `{value}` is not a date; expected YYYY-MM-DD")
    return found


def looks_like_timestamp(value: object) -> bool:
    return isinstance(value, str) and bool(_TIMESTAMP.match(value))


def looks_like_date(value: object) -> bool:
    return isinstance(value, str) and bool(_DATE.match(value))
