"""pmctl: incident, postmortem and exercise records kept in git."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pmctl")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
