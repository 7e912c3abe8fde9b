"""What the command line needs around the fix loop: which files a fix may edit, writing the
fixed files, the diffs of `--diff` and the table of `--show-fixes`."""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Optional

from ..catalog import rules
from ..diagnostics import Diagnostic
from ..discover import absolute
from .apply import BOM, FixRun, unified_diff, write_atomically

INSTALLED = ("site-packages", "dist-packages")


def editable(files: Iterable[Path], roots: Iterable[Path]) -> Callable[[str], bool]:
    """Whether a fix may edit a file (as diagnostics name it): one the run lints, or one it
    read on the way (a `_base_` file) inside the working directory; never a file of an
    installed package or of a `--config-root` (those are not the user's to change)."""
    files = list(files)
    linted: set[str] = set()  # resolved when a fix first asks (most runs have none)
    cwd = os.path.realpath(os.getcwd())
    fenced = [os.path.realpath(absolute(root)) for root in roots] + [
        os.path.realpath(p) for p in {sys.prefix, sys.base_prefix, sys.exec_prefix}
    ]

    def allowed(name: str) -> bool:
        if not linted:
            linted.update(os.path.realpath(absolute(path)) for path in files)
        path = os.path.realpath(absolute(Path(name)))
        if path in linted:
            return True
        if any(part in INSTALLED for part in Path(path).parts):
            return False
        if any(_inside(path, fence) for fence in fenced if fence != cwd):
            return False
        return _inside(path, cwd) and os.path.isfile(path)

    return allowed


def only_editable(
    diagnostics: list[Diagnostic], allowed: Callable[[str], bool]
) -> list[Diagnostic]:
    """The diagnostics without the fixes that would edit a file that may not be edited."""
    return [
        d
        if d.fix is None or all(e.filename is not None and allowed(e.filename) for e in d.fix.edits)
        else dataclasses.replace(d, fix=None)
        for d in diagnostics
    ]


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def original_text(name: str) -> Optional[str]:
    """A file's text as the linter reads it (without a byte order mark); None if it is not
    UTF-8 text."""
    try:
        return absolute(Path(name)).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def write_changed(run: FixRun) -> list[str]:
    """Write each changed file (atomically; a byte order mark it had stays); the names."""
    written = []
    for name, text in sorted(run.changed.items()):
        path = absolute(Path(name))
        with open(path, "rb") as handle:
            bom = handle.read(3) == BOM.encode("utf-8")
        write_atomically(path, (BOM if bom else "") + text)
        written.append(name)
    return written


def diffs(run: FixRun) -> str:
    return "".join(
        unified_diff(name, run.originals[name], text) + "\n"
        for name, text in sorted(run.changed.items())
    )


def fix_table(run: FixRun, applied: bool) -> str:
    """`--show-fixes`: what was fixed in each file by rule, as ruff lists it."""
    fixed = run.fixed
    total = sum(sum(c.values()) for c in fixed.values())
    if not total:
        return ""
    known = rules()
    width = len(str(max(max(c.values()) for c in fixed.values() if c)))
    lines = [
        f"{'Fixed' if applied else 'Would fix'} {total} diagnostic{'s' if total != 1 else ''}:"
    ]
    for name in sorted(fixed):
        counts = fixed[name]
        if not counts:
            continue
        lines.append(f"- {name}:")
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            rule = known.get(code)
            lines.append(f"    {count:>{width}} × {code} ({rule.name if rule else code})")
    return "\n".join(lines) + "\n"
