"""Median, nearest-rank p90 and shares, exactly as cli.md defines them."""

from __future__ import annotations

import pytest

from pmctl.metrics.stats import median, p90, share


def test_median_of_an_odd_count_is_the_middle_value() -> None:
    assert median([300, 60, 120]) == 120


def test_median_of_an_even_count_is_the_mean_of_the_middle_two_rounded_down() -> None:
    # Middle values 120 and 301: mean 210.5, rounded down to 210.
    assert median([601, 60, 301, 120]) == 210
    assert median([1, 2]) == 1


def test_p90_of_ten_values_is_the_ninth() -> None:
    values = [60 * minute for minute in range(10, 0, -1)]  # unsorted on purpose

    # ceil(0.9 * 10) = 9: the ninth smallest value, 9 minutes.
    assert p90(values) == 540


@pytest.mark.parametrize(
    ("count", "rank"),
    [(1, 1), (2, 2), (9, 9), (11, 10), (20, 18), (21, 19)],
)
def test_p90_uses_the_nearest_rank(count: int, rank: int) -> None:
    assert p90(list(range(1, count + 1))) == rank


def test_no_values_give_none_never_zero() -> None:
    assert median([]) is None
    assert p90([]) is None


def test_zero_is_a_real_duration() -> None:
    assert median([0]) == 0
    assert p90([0, 0]) == 0


def test_shares_are_rounded_to_four_places() -> None:
    assert share(1, 3) == 0.3333
    assert share(2, 3) == 0.6667
    assert share(0, 5) == 0.0


def test_a_share_of_nothing_is_none() -> None:
    assert share(0, 0) is None
