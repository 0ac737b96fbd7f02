"""pmctl: incident, postmortem and exercise records kept in git."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # Reading package metadata is a quarter of start-up time; only --version,
    # SARIF and the record cache ask for it, so it is read on first use.
    if name != "__version__":
        raise AttributeError(f"module 'pmctl' has no attribute {name!r}")

    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("pmctl")
    except PackageNotFoundError:  # running from a source tree never installed
        found = "0+unknown"
    globals()["__version__"] = found
    return found
