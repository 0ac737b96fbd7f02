"""examples/ is a valid, realistic records repository: the demo and the spec."""

from __future__ import annotations

from collections import Counter

from core_support import EXAMPLES, Cli, snapshot
from pmctl.config import load_config
from pmctl.records.discovery import load_repository


def test_examples_validate(cli: Cli) -> None:
    before = snapshot(EXAMPLES)

    result = cli("validate", "--root", EXAMPLES, "--format", "json").expect(0)

    document = result.json()
    assert document["valid"] is True
    assert document["checked"] >= 20
    assert document["problems"] == []
    assert snapshot(EXAMPLES) == before


def test_examples_validate_strictly_from_inside(cli: Cli) -> None:
    result = cli("validate", "--strict", cwd=EXAMPLES / "incidents").expect(0)

    assert "no problems" in result.stdout


def test_examples_cover_every_kind_and_severity() -> None:
    repo = load_repository(EXAMPLES)
    config = load_config(EXAMPLES)

    assert repo.failures == []
    kinds = Counter(record.kind for record in repo.records)
    assert kinds["incident"] >= 10
    assert kinds["postmortem"] >= 6
    assert kinds["exercise"] >= 2
    used = {r.data["severity"] for r in repo.records if r.kind == "incident"}
    assert used == set(config.severities)
    months = {r.data["started_at"][:7] for r in repo.records if r.kind == "incident"}
    assert len(months) >= 3


def test_examples_config_documents_the_taxonomies() -> None:
    config = load_config(EXAMPLES)

    assert config.source == EXAMPLES / "pmctl.yaml"
    for policy in config.severities.values():
        assert policy.description
        assert policy.customer_impact_examples
        assert policy.on_call
    assert len(config.categories) >= 5
