"""One module per command: options in, one core call, a reporter, an exit code."""
