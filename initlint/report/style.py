"""ANSI colours for the text formats, and whether a stream should get them."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Optional, TextIO

RESET = "\x1b[0m"
BOLD = "1"
RED = "31"
YELLOW = "33"
BLUE = "34"
CYAN = "36"

SEVERITY_COLORS = {"error": RED, "warning": YELLOW, "info": CYAN}


def paint(text: str, *codes: str, enabled: bool) -> str:
    """`text` wrapped in the SGR `codes` when `enabled`, else unchanged."""
    if not enabled or not codes or not text:
        return text
    return f"\x1b[{';'.join(codes)}m{text}{RESET}"


def use_color(stream: TextIO, environ: Optional[Mapping[str, str]] = None) -> bool:
    """Colour for a terminal, none when piped. `NO_COLOR` (non-empty, no-color.org) turns it
    off; `FORCE_COLOR` (non-empty) turns it on when piped; `NO_COLOR` wins over both."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or stream-like object
        return False
