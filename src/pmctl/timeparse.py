"""Reading the record format's timestamps and dates, which YAML leaves as text."""

from __future__ import annotations

import re
from datetime import date, datetime

from pmctl.errors import UsageError

_TIMESTAMP = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_timestamp(value: object) -> datetime | None:
    """An aware datetime for a valid RFC 3339 timestamp with offset, else None."""
    if not isinstance(value, str) or not _TIMESTAMP.match(value):
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


def parse_date(value: object) -> date | None:
    """A date for a valid `YYYY-MM-DD` text, else None."""
    if not isinstance(value, str) or not _DATE.match(value):
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
