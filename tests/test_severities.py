"""`pmctl severities`: the configured taxonomy as a table and as JSON."""

from __future__ import annotations

from pathlib import Path

from core_support import EXAMPLES, Cli


def test_table_shows_every_configured_level(cli: Cli) -> None:
    result = cli("severities", "--root", EXAMPLES)

    result.expect(0)
    out = result.stdout
    assert "Severities, worst first (pmctl.yaml)" in out
    for name in ("SEV1", "SEV2", "SEV3", "SEV4"):
        assert name in out
    assert out.index("SEV1") < out.index("SEV2") < out.index("SEV4")
    assert "every 30 min" in out
    assert "exec summary" in out
    assert "within 5 days" in out
    assert "not required" in out
    assert "• Payouts or settlements" in out


def test_json_lists_the_levels_in_order(cli: Cli) -> None:
    document = cli("severities", "--root", EXAMPLES, "--format", "json").json()

    levels = document["severities"]
    assert [level["name"] for level in levels] == ["SEV1", "SEV2", "SEV3", "SEV4"]
    assert levels[0]["status_update_minutes"] == 30
    assert levels[0]["executive_summary"] is True
    assert levels[0]["postmortem_due_days"] == 5
    assert levels[3]["postmortem_due_days"] is None
    assert levels[0]["customer_impact_examples"][0].startswith("Card authorizations")
    assert set(levels[0]) == {
        "name",
        "description",
        "customer_impact_examples",
        "on_call",
        "status_update_minutes",
        "executive_summary",
        "postmortem_due_days",
    }


def test_one_level(cli: Cli) -> None:
    document = cli("severities", "SEV2", "--root", EXAMPLES, "-f", "json").json()

    assert [level["name"] for level in document["severities"]] == ["SEV2"]


def test_unknown_level_is_a_usage_error(cli: Cli) -> None:
    result = cli("severities", "SEV9", "--root", EXAMPLES)

    result.expect(2)
    assert "severity `SEV9` is not configured; known: SEV1, SEV2, SEV3, SEV4" in (
        result.stderr
    )


def test_defaults_without_configuration(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()

    result = cli("severities", "--root", tmp_path)

    result.expect(0)
    assert "Severities, worst first (pmctl's defaults)" in result.stdout
    assert "Checkout fails for most customers" in result.stdout


def test_configured_text_is_never_markup(cli: Cli, root: Path) -> None:
    (root / "pmctl.yaml").write_text(
        "severities:\n  P1:\n    description: '[red]Bad[/red]'\n", encoding="utf-8"
    )

    result = cli("severities", "--root", root)

    result.expect(0)
    assert "[red]Bad[/red]" in result.stdout
