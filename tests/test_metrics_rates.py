"""Rollback frequency, change failure rate and SLO-breach share."""

from __future__ import annotations

from datetime import date
from typing import Any

from pmctl.metrics.compute import compute_report
from pmctl.metrics.rates import Rates
from pmctl.metrics.window import Window, choose_window, month_window
from report_helpers import incident, inputs

NOVEMBER = month_window("2026-11")
TODAY = date(2026, 12, 1)


def rates(*datas: dict[str, Any], window: Window = NOVEMBER, **config: Any) -> Rates:
    return compute_report(inputs(datas, **config), window).figures.rates


def test_rollback_frequency_counts_only_mitigated_incidents() -> None:
    datas = [
        incident(1, "2026-11-02T09:00:00Z", mitigation="rollback"),
        incident(2, "2026-11-03T09:00:00Z", mitigation="feature-flag"),
        incident(3, "2026-11-04T09:00:00Z", mitigation="hotfix"),
        incident(
            4,
            "2026-11-05T09:00:00Z",
            mitigate=None,
            resolve=None,
            status="investigating",
        ),
    ]

    found = rates(*datas)

    assert (found.rollbacks, found.mitigated) == (1, 3)
    assert found.rollback_frequency == 0.3333


def test_shares_are_null_without_incidents() -> None:
    found = rates()

    assert found.rollback_frequency is None
    assert found.slo_breach_share is None
    assert found.change_failure_rate is None


def test_change_failure_rate_divides_by_every_month_the_window_touches() -> None:
    window = choose_window(TODAY, since="2026-10-20", until="2026-11-10")
    datas = [
        incident(1, "2026-10-25T09:00:00Z", change_induced=True),
        incident(2, "2026-11-02T09:00:00Z", change_induced=True),
        incident(3, "2026-11-03T09:00:00Z", change_induced=False),
    ]

    found = rates(*datas, window=window, deployments={"2026-10": 100, "2026-11": 300})

    # Two change-induced incidents over 100 + 300 deployments.
    assert found.change_failure_rate == 0.005
    assert (found.change_induced, found.deployments) == (2, 400)


def test_change_failure_rate_is_null_when_any_month_lacks_a_count() -> None:
    window = choose_window(TODAY, since="2026-10-20", until="2026-11-10")
    datas = [incident(1, "2026-11-02T09:00:00Z", change_induced=True)]

    found = rates(*datas, window=window, deployments={"2026-11": 300})

    assert found.change_failure_rate is None
    assert found.deployments is None
    assert found.months_without_deployments == ("2026-10",)


def test_change_failure_rate_is_null_without_any_deployment_counts() -> None:
    found = rates(incident(1, "2026-11-02T09:00:00Z", change_induced=True))

    assert found.change_failure_rate is None


def test_change_failure_rate_is_zero_when_nothing_failed() -> None:
    datas = [incident(1, "2026-11-02T09:00:00Z", change_induced=False)]

    assert rates(*datas, deployments={"2026-11": 50}).change_failure_rate == 0.0


def test_slo_breach_share_needs_customer_facing_and_breached() -> None:
    def impact(facing: bool, breached: bool) -> dict[str, Any]:
        return {"summary": "x", "customer_facing": facing, "slo_breached": breached}

    datas = [
        incident(1, "2026-11-02T09:00:00Z", impact=impact(True, True)),
        incident(2, "2026-11-03T09:00:00Z", impact=impact(False, True)),
        incident(3, "2026-11-04T09:00:00Z", impact=impact(True, False)),
        incident(4, "2026-11-05T09:00:00Z", impact=impact(False, False)),
    ]

    found = rates(*datas)

    assert found.slo_breach_share == 0.25
    assert (found.slo_breached, found.slo_known) == (1, 4)
