"""The metrics' view of a record: the prose it leaves out changes no output."""

from __future__ import annotations

import copy
import pickle
import shutil
from pathlib import Path

import pytest

from core_support import (
    EXAMPLES,
    Cli,
    init_git_repo,
    make_benchmark_corpus,
    make_incident,
    make_postmortem,
)
from pmctl import pipeline
from pmctl.metrics import inputs
from pmctl.metrics.inputs import metrics_view
from pmctl.records.model import Record

TODAY = {"PMCTL_TODAY": "2026-12-01"}
# Whole-history windows, one month, and a trend: every figure the report has.
REPORTS = [
    ("--since", "2023-01-01", "--until", "2026-12-01"),
    ("--month", "2026-10"),
    ("--quarter", "2026-Q3", "--trend", "12"),
]
LISTINGS = [(), ("--stale",), ("--overdue",), ("--status", "done")]


def whole_record(record: Record) -> Record:
    """What `metrics_view` replaces: the record without body and text only."""
    return Record(record.path, record.data, "", "", record.first_line)


def outputs(cli: Cli, root: Path) -> list[str]:
    found = []
    for args in REPORTS:
        result = cli("report", "--root", root, "--format", "json", *args, env=TODAY)
        found.append(result.expect(0).output)
    for args in LISTINGS:
        result = cli("actions", "--root", root, "--format", "json", *args, env=TODAY)
        assert result.exit_code in (0, 1), result.describe()
        found.append(result.output)
    return found


def same_either_way(cli: Cli, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    viewed = outputs(cli, root)
    with monkeypatch.context() as patched:
        patched.setattr(inputs, "metrics_view", whole_record)
        whole = outputs(cli, root)

    assert viewed == whole
    # The full listing names action items: the comparison covered some.
    assert '"owner"' in viewed[len(REPORTS)]


def test_reports_and_listings_of_the_examples_are_the_same_with_the_view(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    repo = init_git_repo(root)
    repo.commit_all("records", date="2026-06-01T12:00:00Z")

    same_either_way(cli, root, monkeypatch)


def test_reports_and_listings_of_a_generated_corpus_are_the_same_with_the_view(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "corpus"
    make_benchmark_corpus(root, 300)

    same_either_way(cli, root, monkeypatch)


def test_records_read_in_worker_processes_give_the_same_outputs(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "corpus"
    make_benchmark_corpus(root, 120)
    in_one = outputs(cli, root)

    # Every file then goes to a worker, one per task, and comes back pickled.
    monkeypatch.setattr(pipeline, "_PARALLEL_FROM", 1)
    monkeypatch.setattr(pipeline, "_CHUNK", 1)

    assert outputs(cli, root) == in_one


def test_a_record_survives_pickling_without_the_lines_found() -> None:
    text = "id: PM-2026-0001\nkind: postmortem\ntimeline:\n  - at: x\n"
    record = Record("postmortems/pm.md", make_postmortem(), "# Body\n", text, 2)
    assert record.line_of(("timeline", 0, "at")) == 5
    assert record._lines is not None, "a nested field's line was looked up"

    copied = pickle.loads(pickle.dumps(record))

    assert copied == record
    assert copied._lines is None
    assert copied.line_of(("timeline", 0, "at")) == 5


def test_the_view_leaves_out_prose_and_keeps_the_rest() -> None:
    data = make_postmortem()
    data["links"] = [{"kind": "runbook", "url": "https://example.com/r"}]
    record = Record("postmortems/pm.md", data, "# Body\n", "id: x\n", 2)
    before = copy.deepcopy(data)

    viewed = metrics_view(record)

    assert record.data == before, "the record it was given is unchanged"
    assert (viewed.body, viewed.front_matter) == ("", "")
    assert viewed.data["timeline"] == [{"at": e["at"]} for e in data["timeline"]]
    assert "links" not in viewed.data
    assert viewed.data["impact"] == ""
    assert [f.get("description") for f in viewed.data["contributing_factors"]] == [
        None
    ] * len(data["contributing_factors"])
    assert [f["category"] for f in viewed.data["contributing_factors"]] == [
        f["category"] for f in data["contributing_factors"]
    ]
    for kept, action in zip(viewed.data["actions"], data["actions"], strict=True):
        assert kept == {k: v for k, v in action.items() if k != "acceptance"}
    untouched = set(data) - {
        "timeline",
        "links",
        "impact",
        "contributing_factors",
        "actions",
    }
    assert {k: viewed.data[k] for k in untouched} == {k: data[k] for k in untouched}


def test_the_view_keeps_an_incidents_impact_flags_and_odd_shapes() -> None:
    data = make_incident()
    data["timeline"] = [{"text": "no time"}, "not a mapping", *data["timeline"]]
    record = Record("incidents/inc.md", data, "", "", 2)

    viewed = metrics_view(record).data

    assert viewed["impact"] == {
        k: v for k, v in data["impact"].items() if k != "summary"
    }
    assert viewed["impact"]["slo_breached"] == data["impact"]["slo_breached"]
    assert viewed["timeline"][:2] == [{}, "not a mapping"]
