"""The one exception family the core raises; the CLI maps it to exit codes."""

from __future__ import annotations


class PmctlError(Exception):
    """A fault the user can fix; the message is ready to print as it is."""

    exit_code = 2


class UsageError(PmctlError):
    """A bad flag value, an unreadable root, or a similar mistake in the call."""


class ConfigError(PmctlError):
    """`pmctl.yaml` is missing pieces, malformed or fails its schema."""


class RecordError(PmctlError):
    """A record a command needs cannot be used (not found, invalid, clashing)."""

    exit_code = 1
