"""Record text reaches the terminal without control characters."""

from __future__ import annotations

import pytest

from pmctl.terminal import _CONTROL_CODES, terminal_safe


def test_control_characters_are_dropped_and_tab_and_newline_kept() -> None:
    assert terminal_safe("a\x1b[31mb\tc\nd\x9be\x7f") == "a[31mb\tc\nde"


@pytest.mark.parametrize("code", _CONTROL_CODES)
def test_no_control_character_passes_as_printable(code: int) -> None:
    # The fast path keeps printable text as it is: that must never let one
    # of the dropped characters through.
    assert terminal_safe(f"title {chr(code)} here") == "title  here"


def test_other_text_is_kept_whole() -> None:
    text = "Zahlungsausfall \u00a0in eu-west \u2014 \u65e5\u672c \U0001f525"

    assert terminal_safe(text) == text
