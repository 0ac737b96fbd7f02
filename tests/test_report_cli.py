"""`pmctl report` end to end: windows, formats, the examples, bad input."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from core_support import EXAMPLES, Cli
from report_helpers import action, incident, postmortem, write_records

TODAY = {"PMCTL_TODAY": "2026-12-01"}
CONTRACT_KEYS = {
    "window",
    "incidents",
    "by_severity",
    "overall",
    "rollback_frequency",
    "change_failure_rate",
    "slo_breach_share",
    "repeat_incidents",
    "recurring_categories",
    "actions",
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Three November incidents, one October, a postmortem with actions."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "pmctl.yaml").write_text(
        'deployments:\n  "2026-10": 80\n  "2026-11": 100\n', encoding="utf-8"
    )
    write_records(
        root,
        incident(1, "2026-10-20T09:00:00Z", detect=60),
        incident(2, "2026-11-02T09:00:00-05:00", detect=120, mitigation="hotfix"),
        incident(3, "2026-11-15T09:00:00+01:00", detect=240, change_induced=False),
        incident(4, "2026-11-30T23:00:00Z", detect=600, severity="SEV1"),
        postmortem(
            1,
            [1, 2, 4],
            ["capacity", "testing-gap"],
            actions=[
                action("A1", "2026-11-20", owner="[red]Eve[/red]"),
                action("A2", "2026-12-20", "in-progress"),
                action("A3", "2026-11-10", "done", closed_on="2026-11-09"),
            ],
        ),
    )
    return root


def report_json(cli: Cli, root: Path, *args: str) -> dict[str, Any]:
    result = cli("report", "--root", root, "--format", "json", *args, env=TODAY)
    result.expect(0)
    document: dict[str, Any] = result.json()
    return document


def test_json_has_the_contract_shape_with_hand_computed_figures(
    cli: Cli, repo: Path
) -> None:
    document = report_json(cli, repo, "--month", "2026-11")

    assert set(document) >= CONTRACT_KEYS
    assert document["window"] == {"since": "2026-11-01", "until": "2026-11-30"}
    assert document["incidents"] == 3
    assert list(document["by_severity"]) == ["SEV1", "SEV2", "SEV3", "SEV4"]
    sev2 = document["by_severity"]["SEV2"]
    assert sev2["count"] == 2
    assert sev2["time_to_detect"] == {"median_s": 180, "p90_s": 240, "samples": 2}
    assert document["by_severity"]["SEV3"]["time_to_mitigate"]["median_s"] is None
    assert document["overall"]["time_to_detect"]["median_s"] == 240
    # Two of three mitigated by rollback; two change-induced of 100 deploys.
    assert document["rollback_frequency"] == 0.6667
    assert document["change_failure_rate"] == 0.02
    assert document["slo_breach_share"] == 1.0
    assert document["repeat_incidents"] == ["INC-2026-0002", "INC-2026-0004"]
    assert document["recurring_categories"] == [
        {
            "category": "capacity",
            "incidents": ["INC-2026-0001", "INC-2026-0002", "INC-2026-0004"],
        },
        {
            "category": "testing-gap",
            "incidents": ["INC-2026-0001", "INC-2026-0002", "INC-2026-0004"],
        },
    ]
    actions = document["actions"]
    assert (actions["open"], actions["overdue"], actions["stale"]) == (2, 1, 1)
    assert actions["closed_on_time_share"] == 1.0


def test_incidents_just_outside_the_window_are_left_out(cli: Cli, repo: Path) -> None:
    # INC-0004 starts at 23:00 UTC on 30 November: in a window ending that day,
    # out of one ending the day before.
    inclusive = report_json(cli, repo, "--since", "2026-11-02", "--until", "2026-11-30")
    before = report_json(cli, repo, "--since", "2026-11-02", "--until", "2026-11-29")

    assert inclusive["incidents"] == 3
    assert before["incidents"] == 2
    assert inclusive["by_severity"]["SEV1"]["count"] == 1
    assert before["by_severity"]["SEV1"]["count"] == 0
    assert before["by_severity"]["SEV1"]["time_to_detect"]["median_s"] is None


def test_change_failure_rate_is_null_when_a_month_has_no_count(
    cli: Cli, repo: Path
) -> None:
    document = report_json(cli, repo, "--quarter", "2026-Q4")

    assert document["change_failure_rate"] is None
    assert document["counts"]["months_without_deployments"] == ["2026-12"]
    assert document["rollback_frequency"] is not None


def test_the_default_window_is_the_last_full_month(cli: Cli, repo: Path) -> None:
    assert report_json(cli, repo)["window"] == {
        "since": "2026-11-01",
        "until": "2026-11-30",
    }
    result = cli("report", "--root", repo, "--format", "json", "--today", "2027-01-05")
    assert result.expect(0).json()["window"]["since"] == "2026-12-01"


def test_trend_covers_n_months_in_json(cli: Cli, repo: Path) -> None:
    document = report_json(cli, repo, "--month", "2026-11", "--trend", "2")

    assert [(m["month"], m["incidents"]) for m in document["trend"]] == [
        ("2026-10", 1),
        ("2026-11", 3),
    ]
    assert report_json(cli, repo, "--month", "2026-11")["trend"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--month", "2026-11", "--quarter", "2026-Q4"), "--month and --quarter"),
        (("--quarter", "2026-Q4", "--since", "2026-10-01"), "pass only one of"),
        (("--month", "11/2026"), "expected YYYY-MM"),
        (("--since", "2026-11-30", "--until", "2026-11-01"), "is before --since"),
        (("--format", "yaml"), "--format"),
    ],
)
def test_bad_flags_exit_2_with_a_clear_message(
    cli: Cli, repo: Path, args: tuple[str, ...], message: str
) -> None:
    result = cli("report", "--root", repo, *args, env=TODAY).expect(2)

    assert message in result.stderr
    assert result.stdout == ""


def test_table_shows_the_window_low_confidence_and_record_text_literally(
    cli: Cli, repo: Path
) -> None:
    result = cli("report", "--root", repo, "--month", "2026-11", env=TODAY).expect(0)

    out = result.stdout
    assert "Incident report 2026-11-01 to 2026-11-30" in out
    assert "low confidence" in out
    assert "1 *" in out  # SEV1 has one incident
    assert "3m / 4m" in out  # SEV2 time to detect, median / p90
    assert "[red]Eve[/red]" in out  # record text is never read as markup
    assert "—" in out


def test_csv_has_one_row_per_severity_and_overall(cli: Cli, repo: Path) -> None:
    result = cli(
        "report", "--root", repo, "--month", "2026-11", "--format", "csv", env=TODAY
    ).expect(0)

    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["severity"] for r in rows] == ["SEV1", "SEV2", "SEV3", "SEV4", "overall"]
    assert rows[1]["time_to_detect_median_s"] == "180"
    assert rows[3]["time_to_detect_median_s"] == ""  # no data is empty, not 0
    assert rows[4]["count"] == "3"


def november_markdown(cli: Cli, repo: Path) -> str:
    args = ("--root", repo, "--month", "2026-11", "--format", "markdown")
    return cli("report", *args, env=TODAY).expect(0).stdout


def test_markdown_is_a_publishable_document(cli: Cli, repo: Path) -> None:
    out = november_markdown(cli, repo)
    for heading in (
        "# Incident report: 2026-11",
        "## Headline figures",
        "## Recurring themes",
        "## Overdue postmortems",
        "### Stale actions",
    ):
        assert heading in out
    assert "| Incidents | 3 | 1 | +2 |" in out
    assert r"\[red\]Eve\[/red\]" in out


def test_markdown_data_quality_shows_record_text_literally(
    cli: Cli, repo: Path
) -> None:
    from markdown_it import MarkdownIt

    hostile = "x` <img src=x onerror=alert(1)> `"
    write_records(repo, incident(9, "2026-11-20T09:00:00Z", severity=hostile))

    section = november_markdown(cli, repo).split("## Data quality", 1)[1]
    assert "INC-2026-0009" in section
    html = MarkdownIt("commonmark").render(section)
    assert "<img" not in html


def test_unreadable_records_are_named_not_dropped(cli: Cli, repo: Path) -> None:
    broken = repo / "incidents" / "2026" / "INC-2026-0009-broken.md"
    broken.write_text("---\nid: [unclosed\n---\n", encoding="utf-8")

    result = cli("report", "--root", repo, "--format", "json", env=TODAY).expect(0)

    unreadable = result.json()["data_quality"]["unreadable"]
    assert [p["path"] for p in unreadable] == ["incidents/2026/INC-2026-0009-broken.md"]
    assert "could not be read" in result.stderr


def test_machine_formats_never_wrap(cli: Cli, repo: Path) -> None:
    result = cli(
        "report",
        "--root",
        repo,
        "--format",
        "json",
        env={**TODAY, "COLUMNS": "20"},
    ).expect(0)

    assert len(result.stdout.splitlines()) == 1


def test_the_examples_report_has_non_trivial_numbers(cli: Cli) -> None:
    document = report_json(
        cli, EXAMPLES, "--since", "2026-09-01", "--until", "2026-11-30"
    )

    assert document["incidents"] >= 10
    assert 0 < document["change_failure_rate"] < 1
    assert 0 < document["rollback_frequency"] < 1
    assert 0 < document["slo_breach_share"] < 1
    assert document["recurring_categories"]
    assert document["repeat_incidents"]
    assert document["actions"]["overdue"] > 0
    assert document["actions"]["teams_over_cap"]
    assert document["overdue_postmortems"]
    assert any(s["overdue"] for s in document["exercises"])
    assert document["data_quality"]["excluded"]
    assert document["trend"] and len(document["trend"]) == 3
    for row in [*document["by_severity"].values(), document["overall"]]:
        for metric in ("time_to_detect", "time_to_communicate", "time_to_mitigate"):
            value = row[metric]["median_s"]
            assert value is None or isinstance(value, int)


def test_the_report_shown_in_docs_metrics_md_is_current(cli: Cli) -> None:
    doc = (EXAMPLES.parent / "docs" / "metrics.md").read_text(encoding="utf-8")
    command = "pmctl report --root examples --since 2026-09-01 --until 2026-11-30"
    shown = doc.split(f"$ PMCTL_TODAY=2026-12-01 {command}\n", 1)[1].split("```", 1)[0]

    result = cli(
        *command.split()[1:],
        env={**TODAY, "COLUMNS": "100"},
        cwd=EXAMPLES.parent,
    ).expect(0)

    printed = "\n".join(line.rstrip() for line in result.stdout.splitlines())
    assert printed.strip() == shown.strip(), (
        "docs/metrics.md shows an outdated report; paste the new output in"
    )
