"""What every writer may need besides the diagnostics."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, TextIO

from ..diagnostics import Diagnostic
from .notes import Note


@dataclass(frozen=True)
class FixStatus:
    """What the text formats say about fixes: whether unsafe fixes count (`--unsafe-fixes`),
    whether to mark fixable diagnostics with `[*]` (not once fixes were applied: what is left
    could not be), how many fixes were applied (or, with `--diff`, would be: `applied` False),
    whether the diagnostics are reported at all (not with --fix-only and --diff), and the
    table of --show-fixes."""

    unsafe: bool = False
    mark: bool = True
    fixed: int = 0
    applied: bool = True
    report: bool = True
    table: str = ""  # --show-fixes: the fixes by file and rule, shown before the summary


@dataclass(frozen=True)
class ReportContext:
    files_checked: int
    color: bool = False  # ANSI colours (a terminal, and NO_COLOR unset): see `use_color`
    # The project root that SARIF `uri`s are relative to (`%SRCROOT%`); None: the repository
    # around the working directory (the nearest folder with `.git`), else the working directory.
    root: Optional[Path] = None
    # The files checked, as diagnostics name them (for junit's passing test cases); None: only
    # the files that have diagnostics are known.
    files: Optional[tuple[str, ...]] = None
    # Texts that were linted instead of the file on disk (standard input with
    # --stdin-filename), by file name: `full` shows its snippets from these.
    sources: Optional[Mapping[str, str]] = None
    fixes: FixStatus = FixStatus()
    # What the run could not see (report/notes.py says where each format puts them).
    notes: tuple[Note, ...] = ()


Writer = Callable[[list[Diagnostic], ReportContext, TextIO], None]
