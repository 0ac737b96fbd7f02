"""Window-wide shares: rollback frequency, change failure rate, SLO breaches."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pmctl.metrics.incidents import Exclusion, Incident, missing_reason
from pmctl.metrics.stats import share


@dataclass(frozen=True)
class Rates:
    """Each share with the counts it was computed from."""

    rollback_frequency: float | None
    rollbacks: int
    mitigated: int
    change_failure_rate: float | None
    change_induced: int
    deployments: int | None
    months_without_deployments: tuple[str, ...]
    slo_breach_share: float | None
    slo_breached: int
    slo_known: int
    exclusions: list[Exclusion] = field(default_factory=list)


def compute_rates(
    incidents: Sequence[Incident],
    months: Sequence[str],
    deployments: Mapping[str, int],
) -> Rates:
    """Shares over the incidents of a window touching the given months."""
    exclusions: list[Exclusion] = []

    mitigated = [i for i in incidents if i.mitigated_at is not None]
    rollbacks = sum(i.mitigation == "rollback" for i in mitigated)
    exclusions.extend(
        _exclude(i, "rollback_frequency", "mitigated_at")
        for i in incidents
        if i.mitigated_at is None
    )

    change_induced = sum(i.change_induced is True for i in incidents)
    exclusions.extend(
        _exclude(i, "change_failure_rate", "change_induced")
        for i in incidents
        if i.change_induced is None
    )
    missing = tuple(month for month in months if month not in deployments)
    total = None if missing else sum(deployments[month] for month in months)

    known = [i for i in incidents if None not in (i.customer_facing, i.slo_breached)]
    breached = sum(bool(i.customer_facing and i.slo_breached) for i in known)
    exclusions.extend(
        Exclusion(
            i.id,
            i.path,
            "slo_breach_share",
            "`impact.customer_facing` or `impact.slo_breached` is missing",
        )
        for i in incidents
        if None in (i.customer_facing, i.slo_breached)
    )

    return Rates(
        rollback_frequency=share(rollbacks, len(mitigated)),
        rollbacks=rollbacks,
        mitigated=len(mitigated),
        change_failure_rate=share(change_induced, total) if total else None,
        change_induced=change_induced,
        deployments=total,
        months_without_deployments=missing,
        slo_breach_share=share(breached, len(known)),
        slo_breached=breached,
        slo_known=len(known),
        exclusions=exclusions,
    )


def _exclude(incident: Incident, metric: str, name: str) -> Exclusion:
    return Exclusion(incident.id, incident.path, metric, missing_reason(incident, name))
