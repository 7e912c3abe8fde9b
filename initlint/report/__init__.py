"""Reports: one module per output format. Each writer takes the diagnostics (sorted), a
`ReportContext` and a text stream; `FORMATS` maps `--output-format` names to writers."""

from __future__ import annotations

from .context import FixStatus, ReportContext, Writer
from .full import write_full
from .github import write_github
from .json_format import write_json, write_json_lines, write_json_report
from .junit import write_junit
from .sarif import write_sarif
from .style import use_color
from .text import write_concise

FORMATS: dict[str, Writer] = {
    "concise": lambda diagnostics, ctx, out: write_concise(
        diagnostics, ctx.files_checked, out, ctx.notes, ctx.fixes
    ),
    "full": write_full,
    "json": lambda diagnostics, ctx, out: write_json(diagnostics, out),
    "json-report": write_json_report,
    "json-lines": lambda diagnostics, ctx, out: write_json_lines(diagnostics, out),
    "sarif": write_sarif,
    "github": write_github,
    "junit": write_junit,
}

# Formats whose writer reads `ReportContext.files`.
NEEDS_FILES = frozenset({"junit"})
# Formats that carry `ReportContext.notes` themselves; with any other, the command line says
# them on standard error.
SHOWS_NOTES = frozenset({"concise", "full", "json-report", "sarif"})

__all__ = [
    "FORMATS",
    "NEEDS_FILES",
    "SHOWS_NOTES",
    "FixStatus",
    "ReportContext",
    "Writer",
    "use_color",
]
