"""`pmctl new`: scaffold an incident, postmortem or exercise from its template."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from pmctl.commands.completion import complete_incident_ids
from pmctl.commands.options import RootOption

app = typer.Typer(no_args_is_help=True, help="Create a record from its template.")


def _ask(value: str | None, flag: str, question: str) -> str:
    """A flag's value, asked for only when a person is at a terminal."""
    if value:
        return value
    if sys.stdin.isatty():
        answer: str = typer.prompt(question)
        return answer
    from pmctl.errors import UsageError

    raise UsageError(f"missing {flag}; pass it, or run on a terminal to be asked")


def _write(root: Path, plan_path: str, text: str) -> None:
    from pmctl.scaffold import write_new_file

    write_new_file(root / plan_path, text)
    typer.echo(plan_path)


@app.command("incident")
def new_incident(
    title: Annotated[str | None, typer.Option(help="What is broken, briefly.")] = None,
    severity: Annotated[
        str | None, typer.Option(help="A configured severity, e.g. SEV2.")
    ] = None,
    commander: Annotated[
        str | None, typer.Option(help="The one incident commander.")
    ] = None,
    team: Annotated[str | None, typer.Option(help="The owning team.")] = None,
    started_at: Annotated[
        str | None,
        typer.Option(help="When customer impact began (default: now, UTC)."),
    ] = None,
    detected_at: Annotated[
        str | None, typer.Option(help="When it was detected (default: started-at).")
    ] = None,
    root: RootOption = None,
) -> None:
    """Declare an incident: allocate the next id and write the record."""
    from pmctl.config import load_config, resolve_root
    from pmctl.create import IncidentDraft, plan_incident, utc_now

    config = load_config(resolve_root(root))
    draft = IncidentDraft(
        title=_ask(title, "--title", "Title"),
        severity=_ask(
            severity, "--severity", f"Severity ({', '.join(config.severities)})"
        ),
        commander=_ask(commander, "--commander", "Incident commander"),
        team=_ask(team, "--team", "Team"),
        started_at=started_at,
        detected_at=detected_at,
    )
    plan = plan_incident(config, draft, utc_now())
    _write(config.root, plan.path, plan.text)


@app.command("postmortem")
def new_postmortem(
    incident: Annotated[
        str | None,
        typer.Option(
            help="The incident id, e.g. INC-2026-0042.",
            autocompletion=complete_incident_ids,
        ),
    ] = None,
    title: Annotated[
        str | None, typer.Option(help="Title (default: from the incident).")
    ] = None,
    author: Annotated[
        str | None, typer.Option(help="Author (default: git user.name).")
    ] = None,
    root: RootOption = None,
) -> None:
    """Start a postmortem pre-filled from its incident's title, impact and timeline."""
    from pmctl.create import plan_postmortem
    from pmctl.metrics.inputs import load_settings

    # Today where the team is (pmctl.yaml's timezone), not in UTC.
    config, today = load_settings(root, None)
    incident_id = _ask(incident, "--incident", "Incident id")
    plan = plan_postmortem(config, incident_id, title, author, today)
    _write(config.root, plan.path, plan.text)


@app.command("exercise")
def new_exercise(
    title: Annotated[str | None, typer.Option(help="The exercise's title.")] = None,
    scenario: Annotated[str | None, typer.Option(help="A configured scenario.")] = None,
    held_on: Annotated[
        str | None,
        typer.Option(
            help="Date held, YYYY-MM-DD (default: today in the configured timezone)."
        ),
    ] = None,
    facilitator: Annotated[
        str | None, typer.Option(help="Who ran it (default: git user.name).")
    ] = None,
    root: RootOption = None,
) -> None:
    """Record a tabletop exercise."""
    from pmctl.create import plan_exercise
    from pmctl.metrics.inputs import load_settings

    config, today = load_settings(root, None)
    plan = plan_exercise(
        config,
        _ask(title, "--title", "Title"),
        _ask(scenario, "--scenario", f"Scenario ({', '.join(config.scenarios)})"),
        held_on or today.isoformat(),
        facilitator,
    )
    _write(config.root, plan.path, plan.text)
