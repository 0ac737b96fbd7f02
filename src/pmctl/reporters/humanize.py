"""Figures written for people: `7m`, `1h 12m`, `2d 3h`, `42.9%`, `—`."""

from __future__ import annotations

from datetime import date

MISSING = "—"
_UNITS = (("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1))


def duration(seconds: int | None) -> str:
    """The two largest non-zero units, rounded down: 4320 -> `1h 12m`."""
    if seconds is None:
        return MISSING
    if seconds == 0:
        return "0s"

    parts: list[tuple[int, str]] = []
    rest = seconds
    for unit, size in _UNITS:
        count, rest = divmod(rest, size)
        if count or parts:
            parts.append((count, unit))
        if len(parts) == 2:
            break
    return " ".join(f"{count}{unit}" for count, unit in parts if count)


def percent(share: float | None) -> str:
    """A share as a percentage; small ones (change failure rates) keep two
    decimals so 0.0054 reads 0.54%, not 0.5%."""
    if share is None:
        return MISSING
    return f"{share * 100:.{2 if share < 0.01 else 1}f}%"


def day(value: date | None) -> str:
    return value.isoformat() if value else MISSING


def count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def bar(value: int | None, largest: int, width: int = 20) -> str:
    """A horizontal bar of whole blocks, at least one for any non-zero value."""
    if not value or largest <= 0:
        return ""
    return "█" * max(1, round(width * value / largest))
