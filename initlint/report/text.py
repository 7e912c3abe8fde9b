"""The text formats: one line per diagnostic (`path:row:col: CODE message`) and a summary,
with a line under it for each note (what the run could not see, report/notes.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from ..diagnostics import Diagnostic
from .notes import Note


def line(diagnostic: Diagnostic) -> str:
    loc = diagnostic.location
    where = f"{diagnostic.filename}:{loc.row}:{loc.column}" if loc else f"{diagnostic.filename}"
    return f"{where}: {diagnostic.code} {diagnostic.message}"


def summary(diagnostics: list[Diagnostic], files: int, notes: Sequence[Note] = ()) -> str:
    """The summary line, and a line per note under it."""
    return "\n".join([_counts(diagnostics, files), *(f"Note: {n.message}" for n in notes)])


def _counts(diagnostics: list[Diagnostic], files: int) -> str:
    if not diagnostics:
        return f"All checks passed! ({files} file{'s' if files != 1 else ''} checked)"
    counts = Counter(d.severity for d in diagnostics)
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
             for s in ("error", "warning", "info") if counts[s]]
    total = len(diagnostics)
    return (f"Found {total} diagnostic{'s' if total != 1 else ''} ({', '.join(parts)}) "
            f"in {files} file{'s' if files != 1 else ''} checked.")


def write_concise(diagnostics: list[Diagnostic], files: int, out: TextIO,
                  notes: Sequence[Note] = ()) -> None:
    for diagnostic in diagnostics:
        out.write(line(diagnostic) + "\n")
    out.write(summary(diagnostics, files, notes) + "\n")
