"""The text formats: one line per diagnostic (`path:row:col: CODE message`, `[*]` before the
message when a fix applies) and a summary, with a line under it for each note (what the run
could not see, report/notes.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from ..diagnostics import Diagnostic
from .context import FixStatus
from .notes import Note

NO_FIXES = FixStatus()


def line(diagnostic: Diagnostic, fixable: bool = False) -> str:
    loc = diagnostic.location
    where = f"{diagnostic.filename}:{loc.row}:{loc.column}" if loc else f"{diagnostic.filename}"
    mark = "[*] " if fixable else ""
    return f"{where}: {diagnostic.code} {mark}{diagnostic.message}"


def applies(diagnostic: Diagnostic, unsafe: bool) -> bool:
    """Whether `--fix` (with `--unsafe-fixes` when `unsafe`) applies the diagnostic's fix."""
    fix = diagnostic.fix
    return (
        fix is not None
        and bool(fix.edits)
        and (fix.applicability == "safe" or (unsafe and fix.applicability == "unsafe"))
    )


def _plural(count: int, word: str, many: str = "s") -> str:
    return f"{count} {word}{many if count != 1 else ''}"


def summary(
    diagnostics: list[Diagnostic],
    files: int,
    notes: Sequence[Note] = (),
    status: FixStatus = NO_FIXES,
) -> str:
    """What was found (and fixed), how many of the rest `--fix` would fix, and a line per
    note. With `status.report` False (--fix-only, --diff) only what was fixed."""
    return "\n".join([_counts(diagnostics, files, status), *(f"Note: {n.message}" for n in notes)])


def _counts(diagnostics: list[Diagnostic], files: int, status: FixStatus) -> str:
    checked = f"{_plural(files, 'file')} checked"
    counts = Counter(d.severity for d in diagnostics)
    parts = ", ".join(_plural(counts[s], s) for s in ("error", "warning", "info") if counts[s])
    total = len(diagnostics)
    fixable = sum(1 for d in diagnostics if applies(d, status.unsafe))
    hidden = 0 if status.unsafe else sum(1 for d in diagnostics if applies(d, True)) - fixable
    if not status.report:
        done = f"{'Fixed' if status.applied else 'Would fix'} {_plural(status.fixed, 'diagnostic')}"
        if not status.fixed:
            done = "No diagnostics fixed" if status.applied else "No diagnostics would be fixed"
        more = "more fix" if status.fixed else "fix"
        extra = (
            f" ({_plural(hidden, more, 'es')} available with `--unsafe-fixes`)" if hidden else ""
        )
        return f"{done}{extra}."
    if status.fixed:
        shown = f"{total} remaining" + (f": {parts}" if parts else "")
        lines = [
            f"Found {_plural(total + status.fixed, 'diagnostic')} ({status.fixed} fixed, "
            f"{shown}) in {checked}."
        ]
    elif not diagnostics:
        lines = [f"All checks passed! ({checked})"]
    else:
        lines = [f"Found {_plural(total, 'diagnostic')} ({parts}) in {checked}."]
    if fixable and hidden:
        lines.append(
            f"[*] {fixable} fixable with the `--fix` option "
            f"({_plural(hidden, 'hidden fix', 'es')} can be enabled with the "
            "`--unsafe-fixes` option)."
        )
    elif fixable:
        lines.append(f"[*] {fixable} fixable with the `--fix` option.")
    elif hidden:
        lines.append(
            f"No fixes available ({_plural(hidden, 'hidden fix', 'es')} can be enabled "
            "with the `--unsafe-fixes` option)."
        )
    return "\n".join(lines)


def write_concise(
    diagnostics: list[Diagnostic],
    files: int,
    out: TextIO,
    notes: Sequence[Note] = (),
    status: FixStatus = NO_FIXES,
) -> None:
    if status.report:
        for diagnostic in diagnostics:
            out.write(line(diagnostic, status.mark and applies(diagnostic, status.unsafe)) + "\n")
    if status.table:
        out.write("\n" + status.table + "\n")
    out.write(summary(diagnostics, files, notes, status) + "\n")
