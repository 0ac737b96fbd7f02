"""Reading timestamps and dates: what counts as one, and the fast paths
(remembered answers, common shapes checked without the pattern) agreeing with
the plain reading everywhere."""

from __future__ import annotations

import random
import re
from datetime import date, datetime, timedelta, timezone

import pytest

from pmctl import timeparse
from pmctl.timeparse import (
    looks_like_date,
    looks_like_timestamp,
    parse_date,
    parse_timestamp,
)

# The plain reading, as timeparse did it before its fast paths: the pattern
# first, then fromisoformat with at most six fraction digits (Python 3.10).
_PLAIN_PATTERN = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$"
)


def plain_timestamp(value: object) -> datetime | None:
    if not isinstance(value, str) or not _PLAIN_PATTERN.match(value):
        return None
    text = value[:-1] + "+00:00" if value.endswith("Z") else value
    if "." in text:
        head, rest = text.split(".", 1)
        digits = re.match(r"\d+", rest)
        assert digits is not None
        text = f"{head}.{digits.group()[:6].ljust(6, '0')}{rest[digits.end() :]}"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def same(found: datetime | None, expected: datetime | None) -> bool:
    """Equal, and equal in offset too (aware datetimes compare as instants)."""
    if found is None or expected is None:
        return found is expected
    return found == expected and found.utcoffset() == expected.utcoffset()


UTC = timezone.utc
# A digit (FULLWIDTH DIGIT TWO) that `\d` takes and fromisoformat does not.
WIDE_DIGIT_TIMESTAMP = "\uff12026-11-03T14:05:00Z"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-03T14:05:00Z", datetime(2026, 11, 3, 14, 5, tzinfo=UTC)),
        (
            "2026-11-03T14:05:00+05:30",
            datetime(2026, 11, 3, 14, 5, tzinfo=timezone(timedelta(hours=5.5))),
        ),
        (
            "2026-11-03T14:05:00-03:00",
            datetime(2026, 11, 3, 14, 5, tzinfo=timezone(timedelta(hours=-3))),
        ),
        (
            "2026-11-03T14:05:00.1234567890Z",
            datetime(2026, 11, 3, 14, 5, 0, 123456, tzinfo=UTC),
        ),
        ("2024-02-29T00:00:00+00:00", datetime(2024, 2, 29, tzinfo=UTC)),
    ],
)
def test_real_timestamps_are_read(text: str, expected: datetime) -> None:
    assert same(parse_timestamp(text), expected)


@pytest.mark.parametrize(
    "value",
    [
        "2023-02-29T00:00:00Z",  # no leap day in 2023
        "2026-11-03T25:00:00Z",
        "2026-11-03T14:05:00",  # no offset
        "2026-11-03",
        "2026-11-03 14:05:00Z",
        "2026-11-03T14:05:00Z\n",
        WIDE_DIGIT_TIMESTAMP,
        "2026-11-03T14:05:00\ud800",
        "",
        None,
        12,
        ["2026-11-03T14:05:00Z"],
        {"at": "2026-11-03T14:05:00Z"},
    ],
)
def test_other_values_are_not_timestamps(value: object) -> None:
    assert parse_timestamp(value) is None


def test_asking_twice_gives_the_same_answer() -> None:
    text = "2026-11-03T14:05:00+01:00"

    first, second = parse_timestamp(text), parse_timestamp(text)

    assert first is not None
    assert first == second
    assert parse_timestamp("2026-11-03T14:05:00+02:00") != first


def near_timestamps(count: int) -> list[str]:
    """Timestamps with a few characters changed, added or removed: texts on
    both sides of every shape the fast path knows."""
    rng = random.Random(2026)
    seeds = [
        "2026-11-03T14:05:00Z",
        "2026-11-03T14:05:00+05:30",
        "2026-11-03T14:05:00-03:00",
        "2026-11-03T14:05:00.25Z",
        "2026-11-03T14:05:00.123456789-01:00",
        "2026-11-03T14:05:00.5+14:00",
        "2024-02-29T23:59:59+00:00",
    ]
    alphabet = [*"0123456789-T:Z+.zt \n", "\u0663", "\uff12", "\u00e9", "\x00"]
    texts = []
    for _ in range(count):
        chars = list(rng.choice(seeds))
        for _ in range(rng.randint(0, 3)):
            where = rng.randrange(len(chars))
            change = rng.random()
            if change < 0.4:
                chars[where] = rng.choice(alphabet)
            elif change < 0.7:
                chars.insert(where, rng.choice(alphabet))
            else:
                del chars[where]
        texts.append("".join(chars))
    return texts


@pytest.mark.parametrize("native", [True, False], ids=["3.11+", "3.10 rewriting"])
def test_fast_paths_agree_with_the_plain_reading(
    native: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both readings run on any Python from 3.11, whichever it uses itself.
    monkeypatch.setattr(timeparse, "_FROMISOFORMAT_TAKES_Z", native)
    monkeypatch.setattr(timeparse, "_TIMESTAMPS", {})
    texts = near_timestamps(20_000)

    # Twice: the second round answers from what the first remembered.
    for _ in range(2):
        differ = [t for t in texts if not same(parse_timestamp(t), plain_timestamp(t))]
        assert differ == []
    assert any(parse_timestamp(t) is not None for t in texts)
    assert any(plain_timestamp(t) is None and looks_like_timestamp(t) for t in texts)


def test_remembered_answers_are_bounded() -> None:
    # Records are untrusted: however many distinct texts they hold, the memo
    # stays small.
    start = datetime(2020, 1, 1, tzinfo=UTC)
    texts = [
        (start + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        for i in range(3 * timeparse.MEMO_SIZE)
    ]

    assert all(parse_timestamp(text) is not None for text in texts)
    assert len(timeparse._TIMESTAMPS) <= timeparse.MEMO_SIZE
    assert parse_timestamp(texts[0]) == start


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-03", date(2026, 11, 3)),
        ("2024-02-29", date(2024, 2, 29)),
        ("2026-02-29", None),
        ("2026-13-01", None),
        ("2026-1-3", None),
        ("2026-11-03T00:00:00Z", None),
        ("\u0968\u0966\u0968\u096c-11-03", None),
        (None, None),
        (20261103, None),
        (["2026-11-03"], None),
    ],
)
def test_dates(value: object, expected: date | None) -> None:
    assert parse_date(value) == expected
    assert parse_date(value) == expected


def test_looking_like_one_is_about_the_shape_only() -> None:
    assert looks_like_timestamp("2023-02-29T00:00:00Z")
    assert looks_like_timestamp(WIDE_DIGIT_TIMESTAMP)
    assert not looks_like_timestamp("2026-11-03")
    assert looks_like_date("2026-02-30")
    assert not looks_like_date(["2026-02-30"])
