"""Reports: one module per output format. Each writer takes the diagnostics (sorted), a
`ReportContext` and a text stream; `FORMATS` maps `--output-format` names to writers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from ..diagnostics import Diagnostic
from .json_format import write_json
from .text import write_concise


@dataclass(frozen=True)
class ReportContext:
    files_checked: int
    color: bool = False  # ANSI colours (a terminal, and NO_COLOR unset)


Writer = Callable[[list[Diagnostic], ReportContext, TextIO], None]

FORMATS: dict[str, Writer] = {
    "concise": lambda diagnostics, ctx, out: write_concise(diagnostics, ctx.files_checked, out),
    "json": lambda diagnostics, ctx, out: write_json(diagnostics, out),
}
