"""Reading the record format's timestamps and dates, which YAML leaves as text."""

from __future__ import annotations

import re
import sys
from datetime import date, datetime

from pmctl.errors import UsageError

_TIMESTAMP = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FROMISOFORMAT_TAKES_Z = sys.version_info >= (3, 11)
_MEMO_UP_TO = 40
# Every date rule of a record reads the same few timestamps, and validate runs
# them all on every record: each text is parsed once. Datetimes and dates are
# immutable, so handing out the same one twice is safe. A plain dict, emptied
# when full, costs a tenth of lru_cache's bookkeeping on a miss, and nearly
# every timestamp of a cold run is new.
MEMO_SIZE = 4096
_TIMESTAMPS: dict[str, datetime | None] = {}
_DATES: dict[str, date | None] = {}
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
    if len(value) > _MEMO_UP_TO:
        return _read(value)
    if value in _TIMESTAMPS:
        return _TIMESTAMPS[value]
    if len(_TIMESTAMPS) >= MEMO_SIZE:
        _TIMESTAMPS.clear()
    found = _TIMESTAMPS[value] = _read(value)
    return found


def _read(value: str) -> datetime | None:
    common = value.isascii() and value.encode().translate(_ZEROED) in _COMMON_SHAPES
    if not common and not _TIMESTAMP.match(value):
        return None
    text = value if _FROMISOFORMAT_TAKES_Z else _for_python_3_10(value)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _for_python_3_10(value: str) -> str:
    """Python 3.10's fromisoformat takes neither `Z` nor more than six
    fraction digits; from 3.11 it takes both, as here."""
    text = value[:-1] + "+00:00" if value.endswith("Z") else value
    if "." in text:
        head, rest = text.split(".", 1)
        digits = re.match(r"\d+", rest)
        assert digits is not None
        text = f"{head}.{digits.group()[:6].ljust(6, '0')}{rest[digits.end() :]}"
    return text


def parse_date(value: object) -> date | None:
    """A date for a valid `YYYY-MM-DD` text, else None."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    if value in _DATES:
        return _DATES[value]
    if len(_DATES) >= MEMO_SIZE:
        _DATES.clear()
    found = _DATES[value] = _read_date(value)
    return found


def _read_date(value: str) -> date | None:
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
