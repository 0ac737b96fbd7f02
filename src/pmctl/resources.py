"""Where the schemas and templates that ship with pmctl are found."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the folder `schemas` or `templates`, installed or in a checkout."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed

    # An editable install or a plain checkout keeps them at the project's top.
    checkout = _PACKAGE.parents[1] / name
    if checkout.is_dir():
        return checkout

    raise FileNotFoundError(f"pmctl's {name} folder is missing from {_PACKAGE}")
