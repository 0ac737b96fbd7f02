"""`pmctl severities`: the configured severity levels, worst first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from pmctl.config import Config, SeverityPolicy, not_configured
from pmctl.errors import UsageError


def pick_severities(config: Config, names: Sequence[str] = ()) -> list[SeverityPolicy]:
    """The named levels in the configured order, or all of them."""
    unknown = [name for name in names if name not in config.severities]
    if unknown:
        raise UsageError(
            not_configured("severity", unknown[0], config.severities, "severities")
        )
    return [p for name, p in config.severities.items() if not names or name in names]


def severity_data(policy: SeverityPolicy) -> dict[str, Any]:
    found = asdict(policy)
    found["customer_impact_examples"] = list(policy.customer_impact_examples)
    return found
