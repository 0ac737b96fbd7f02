"""`pmctl.yaml`: finding the records repository and reading its settings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmctl.errors import ConfigError, UsageError
from pmctl.problems import FieldPath, format_field, nearest_line

CONFIG_NAME = "pmctl.yaml"


@dataclass(frozen=True)
class SeverityPolicy:
    """What one severity level means and what it obliges the team to do."""

    name: str
    description: str = ""
    customer_impact_examples: tuple[str, ...] = ()
    on_call: str = ""
    status_update_minutes: int | None = None
    executive_summary: bool = False
    postmortem_due_days: int | None = None


DEFAULT_SEVERITIES: tuple[SeverityPolicy, ...] = (
    SeverityPolicy(
        "SEV1",
        "Critical: a core customer journey is down or data is at risk.",
        ("Checkout fails for most customers", "Data loss or corruption"),
        "Page the primary on-call at once; incident commander within 5 minutes.",
        30,
        True,
        5,
    ),
    SeverityPolicy(
        "SEV2",
        "Major: a core journey is degraded or a subset of customers is down.",
        ("Elevated error rate on login", "One region unavailable"),
        "Page the primary on-call; acknowledge within 15 minutes.",
        60,
        True,
        10,
    ),
    SeverityPolicy(
        "SEV3",
        "Minor: limited customer impact with a workaround.",
        ("A non-critical feature is slow", "Delayed emails"),
        "Handle in business hours; acknowledge within 4 hours.",
        240,
        False,
        30,
    ),
    SeverityPolicy(
        "SEV4",
        "Low: no customer impact; an internal tool or a near miss.",
        ("An internal dashboard is down", "A failed job retried on its own"),
        "Ticket for the owning team.",
        None,
        False,
        None,
    ),
)

DEFAULT_CATEGORIES: tuple[str, ...] = (
    "change-management",
    "testing-gap",
    "monitoring-gap",
    "capacity",
    "dependency-failure",
    "configuration",
    "runbook-gap",
    "communication",
    "software-defect",
    "infrastructure",
)

DEFAULT_SCENARIOS: tuple[str, ...] = ("dependency-outage", "data-corruption")


@dataclass(frozen=True)
class Config:
    """Settings of one records repository, defaults filled in."""

    root: Path
    severities: dict[str, SeverityPolicy] = field(
        default_factory=lambda: {s.name: s for s in DEFAULT_SEVERITIES}
    )
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    teams: tuple[str, ...] | None = None
    timezone: str = "UTC"
    stale_after_days: int = 30
    max_open_per_team: int = 10
    recurrence_threshold: int = 3
    recurrence_window_days: int = 90
    exercise_every_days: int = 182
    scenarios: tuple[str, ...] = DEFAULT_SCENARIOS
    deployments: dict[str, int] = field(default_factory=dict)
    lint: dict[str, Any] = field(default_factory=dict)
    source: Path | None = None


def not_configured(
    what: str,
    value: object,
    known: Iterable[str],
    setting: str,
    fault: str = "is not configured",
) -> str:
    """The message for a value a setting does not list, naming what it does."""
    return (
        f"{what} `{value}` {fault}; known: {', '.join(known)} "
        f"(see {CONFIG_NAME} `{setting}`)"
    )


def find_root(start: Path, near: Sequence[Path] = ()) -> Path:
    """The nearest folder holding `pmctl.yaml`, else the git top-level.

    Without one above `start`, the folders holding the paths `near` are tried
    next, so `pmctl validate examples` uses `examples/pmctl.yaml`.
    """
    start = start.resolve()
    for origin in (start, *(path.resolve() for path in near)):
        found = _config_folder(origin)
        if found is not None:
            return found

    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    raise UsageError(
        f"no records repository found at or above {start}: no {CONFIG_NAME} and "
        "no git repository; run `pmctl init` there or pass --root PATH"
    )


def resolve_root(root: Path | None, near: Sequence[Path] = ()) -> Path:
    """The `--root` a user gave, checked, or the one found from here."""
    if root is None:
        return find_root(Path.cwd(), near)
    if not root.is_dir():
        raise UsageError(f"--root `{root}` is not a readable folder")
    return root.resolve()


def _config_folder(origin: Path) -> Path | None:
    start = origin if origin.is_dir() else origin.parent
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def load_config(root: Path, use_cache: bool = True) -> Config:
    """Read and validate `pmctl.yaml` under `root`; defaults when it is absent."""
    path = root / CONFIG_NAME
    if not path.exists():
        return Config(root=root)

    from pmctl.records.loader import NotARecord, read_text

    try:
        text = read_text(path)
    except NotARecord as problem:
        raise _config_error(problem.message, problem.rule, problem.line) from None
    data = _settings(root, text, use_cache)
    return Config(root=root, source=path) if data is None else _build(root, path, data)


def _settings(root: Path, text: str, use_cache: bool) -> dict[str, Any] | None:
    """The checked settings in `text`. Settings found valid before are taken
    from the cache: most runs then import neither a YAML reader nor a schema
    validator. Time zones are checked every time, against this machine."""
    from pmctl.records.cache import remember_settings, remembered_settings

    known = remembered_settings(root, text) if use_cache else None
    if known is not None:
        _check_zone(known, lambda: _key_lines(text))
        return known

    from pmctl.records.yaml_fast import read_yaml

    data = read_yaml(text, lambda p: _config_error(p.message, p.rule, p.line))
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ConfigError(f"{CONFIG_NAME}:1: expected a mapping of settings")

    _check(data, lambda: _key_lines(text))
    if use_cache:
        remember_settings(root, text, data)
    return data


def _key_lines(text: str) -> dict[FieldPath, int]:
    from pmctl.records.yaml_strict import key_lines

    return key_lines(text)


def _config_error(message: str, rule: str, line: int | None) -> ConfigError:
    where = f":{line}" if line else ""
    return ConfigError(f"{CONFIG_NAME}{where}: {message} [{rule}]")


def _check(data: dict[str, Any], lines: Callable[[], dict[FieldPath, int]]) -> None:
    """Raise a `ConfigError` listing every fault; `lines` is called only then."""
    from pmctl.checks.schema import violations

    found = violations("config", data)
    messages = []
    if found:
        line_map = lines()
        for v in found:
            line = nearest_line(line_map, v.line_path) or 1
            messages.append(
                f"{CONFIG_NAME}:{line}: {format_field(v.path) or '(top)'}: "
                f"{v.message} [{v.rule}]"
            )

    messages.extend(_zone_problems(data, lines))
    if messages:
        raise ConfigError("invalid configuration:\n" + "\n".join(messages))


def _check_zone(
    data: dict[str, Any], lines: Callable[[], dict[FieldPath, int]]
) -> None:
    messages = _zone_problems(data, lines)
    if messages:
        raise ConfigError("invalid configuration:\n" + "\n".join(messages))


def _zone_problems(
    data: dict[str, Any], lines: Callable[[], dict[FieldPath, int]]
) -> list[str]:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    zone = data.get("timezone")
    if not isinstance(zone, str):
        return []
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        line = lines().get(("timezone",), 1)
        return [
            f"{CONFIG_NAME}:{line}: timezone: unknown time zone {zone!r}; "
            "expected an IANA name such as UTC or Europe/Berlin"
        ]
    return []


def _build(root: Path, path: Path, data: dict[str, Any]) -> Config:
    defaults = Config(root=root)
    actions = data.get("actions") or {}
    recurrence = data.get("recurrence") or {}
    exercises = data.get("exercises") or {}

    severities = defaults.severities
    if data.get("severities"):
        severities = {
            name: SeverityPolicy(
                name=name,
                description=spec.get("description", ""),
                customer_impact_examples=tuple(
                    spec.get("customer_impact_examples") or ()
                ),
                on_call=spec.get("on_call", ""),
                status_update_minutes=spec.get("status_update_minutes"),
                executive_summary=spec.get("executive_summary", False),
                postmortem_due_days=spec.get("postmortem_due_days"),
            )
            for name, spec in data["severities"].items()
        }

    teams = data.get("teams")
    return Config(
        root=root,
        severities=severities,
        categories=tuple(data.get("contributing_factor_categories") or ())
        or defaults.categories,
        teams=tuple(teams) if teams else None,
        timezone=data.get("timezone", defaults.timezone),
        stale_after_days=actions.get("stale_after_days", defaults.stale_after_days),
        max_open_per_team=actions.get("max_open_per_team", defaults.max_open_per_team),
        recurrence_threshold=recurrence.get("threshold", defaults.recurrence_threshold),
        recurrence_window_days=recurrence.get(
            "window_days", defaults.recurrence_window_days
        ),
        exercise_every_days=exercises.get("every_days", defaults.exercise_every_days),
        scenarios=tuple(exercises.get("scenarios") or defaults.scenarios),
        deployments=dict(data.get("deployments") or {}),
        lint=dict(data.get("lint") or {}),
        source=path,
    )
