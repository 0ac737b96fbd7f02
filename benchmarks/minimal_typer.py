"""A minimal Typer application: the yardstick for pmctl's start-up time.

    python benchmarks/minimal_typer.py --help

Two commands and a callback, nothing imported beyond Typer: what any Typer CLI
pays to print its help.
"""

from __future__ import annotations

import typer

app = typer.Typer(help="A minimal Typer application.", no_args_is_help=True)


@app.callback()
def main() -> None:
    """A minimal Typer application."""


@app.command()
def hello(name: str = "world") -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


@app.command()
def goodbye(name: str = "world") -> None:
    """Say goodbye."""
    typer.echo(f"goodbye {name}")


if __name__ == "__main__":
    app()
