"""Keeping record text from steering the terminal it is printed to.

Records come from anyone's pull request. An escape sequence in a title could
recolour, retitle or rewrite a reviewer's terminal, so control characters are
dropped from record text before it is shown; tab and newline stay.
"""

from __future__ import annotations

_CONTROL_CODES = (
    *range(0x00, 0x09),
    0x0B,
    0x0C,
    *range(0x0D, 0x20),
    0x7F,
    *range(0x80, 0xA0),
)
_DROP = dict.fromkeys(_CONTROL_CODES)


def terminal_safe(text: str) -> str:
    """`text` without control characters other than tab and newline."""
    # Printable text holds no control character; asking costs a tenth of
    # translating, and long listings ask for every cell.
    return text if text.isprintable() else text.translate(_DROP)


def harden_rich() -> None:
    """Make Rich drop every control character from Text, not only a few.

    Rich strips bell, backspace and a few others from the text it is given but
    passes ESC through; extending its table covers every console pmctl makes.
    """
    from rich import control

    table = getattr(control, "_CONTROL_STRIP_TRANSLATE", None)
    if isinstance(table, dict):
        table.update(_DROP)
