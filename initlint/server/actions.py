"""Code actions, in initlint's coordinates: the fix a diagnostic carries, "ignore ILxxx on this
line" (a `# initlint: ignore[ILxxx]` comment, or the code added to the one already there) and
"fix all" (the safe fixes, applied and linted again until nothing more is fixed)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Optional

from ..diagnostics import Diagnostic, Edit
from ..discover import absolute
from .cursor import at
from .positions import Text
from .session import Session

ActionKind = Literal["quickfix", "source.fixAll"]
# The passes of "fix all": a fix may make another one possible (ruff stops at 100).
MAX_PASSES = 20
IGNORE = re.compile(r"#\s*initlint\s*:\s*ignore\s*\[(?P<codes>[^\]]*)\]", re.I)


@dataclass(frozen=True)
class Change:
    """Replace a range of a file (initlint's rows and columns, end exclusive)."""

    path: Path
    row: int
    column: int
    end_row: int
    end_column: int
    content: str


@dataclass(frozen=True)
class Action:
    title: str
    kind: ActionKind
    changes: tuple[Change, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    preferred: bool = False


def _file(diagnostic: Diagnostic, edit: Optional[Edit] = None) -> Optional[Path]:
    name = getattr(edit, "filename", None) or diagnostic.filename
    return absolute(Path(name)) if name else None


def fix_changes(diagnostic: Diagnostic) -> tuple[Change, ...]:
    fix = diagnostic.fix
    if fix is None:
        return ()
    changes = []
    for edit in fix.edits:
        path = _file(diagnostic, edit)
        if path is None:
            return ()
        changes.append(
            Change(
                path,
                edit.location.row,
                edit.location.column,
                edit.end_location.row,
                edit.end_location.column,
                edit.content,
            )
        )
    return tuple(changes)


def quick_fixes(diagnostics: list[Diagnostic]) -> list[Action]:
    """One action per diagnostic with a fix; preferred when the fix is safe."""
    found = []
    for diagnostic in diagnostics:
        fix = diagnostic.fix
        changes = fix_changes(diagnostic)
        if fix is None or not changes or fix.applicability == "display-only":
            continue
        found.append(
            Action(
                f"{diagnostic.code}: {fix.message}",
                "quickfix",
                changes,
                (diagnostic,),
                preferred=fix.applicability == "safe",
            )
        )
    return found


def ignore_actions(session: Session, path: Path, diagnostics: list[Diagnostic]) -> list[Action]:
    """ "Ignore ILxxx on this line": the comment goes on the diagnostic's row (where `--output-
    format json` says `noqa_row`), or the code joins the ignore comment already there. JSON has
    no comments; a row that ends inside a string cannot take one."""
    text = session.text_of(path)
    if text is None or path.suffix == ".json":
        return []
    lines = Text(text)
    found: list[Action] = []
    done: set[tuple[int, str]] = set()
    for diagnostic in diagnostics:
        if not diagnostic.code or diagnostic.location is None or _file(diagnostic) != path:
            continue
        row = diagnostic.location.row
        if (row, diagnostic.code) in done or row > lines.line_count:
            continue
        done.add((row, diagnostic.code))
        change = _ignore_change(path, lines, row, diagnostic.code)
        if change is not None:
            found.append(
                Action(
                    f"Ignore {diagnostic.code} on this line", "quickfix", (change,), (diagnostic,)
                )
            )
    return found


def _ignore_change(path: Path, lines: Text, row: int, code: str) -> Optional[Change]:
    line = lines.line(row - 1)
    existing = IGNORE.search(line)
    if existing is not None and path.suffix == ".py":
        in_comment = at(lines.text, lines.offset(row, existing.start() + 2)).token
        if in_comment is None or in_comment.kind != "comment":
            existing = None
    if existing is not None:
        codes = [c.strip() for c in existing.group("codes").split(",") if c.strip()]
        if code in codes:
            return None
        inner = ", ".join([*codes, code])
        start, end = existing.span("codes")
        return Change(path, row, start + 1, row, end + 1, inner)
    content = line.rstrip()
    if path.suffix == ".py":
        cursor = at(lines.text, lines.offset(row, len(content) + 1))
        token = cursor.token
        if (
            token is not None
            and token.kind == "string"
            and token.end > lines.offset(row, len(content) + 1)
        ):
            return None  # the row ends inside a (triple-quoted) string
    return Change(path, row, len(content) + 1, row, len(line) + 1, f"  # initlint: ignore[{code}]")


def fix_all(session: Session, path: Path, unsafe: bool = False) -> Optional[Action]:
    """Every safe fix (unsafe ones too with `unsafe`) of the document, applied in passes (each
    pass linted again) until no fix is left; one change from the first to the last character
    that differ. A pass that leaves the file unparsable (IL901) is undone."""
    original = session.text_of(path)
    if original is None:
        return None
    text = original
    for _ in range(MAX_PASSES):
        diagnostics = session.preview(path, text)
        broken = any(d.code == "IL901" for d in diagnostics)
        picked: list[Change] = []
        for diagnostic in diagnostics:
            fix = diagnostic.fix
            if (
                fix is None
                or fix.applicability == "display-only"
                or (fix.applicability == "unsafe" and not unsafe)
            ):
                continue
            changes = fix_changes(diagnostic)
            if not changes or any(c.path != path for c in changes):
                continue  # a fix of another file (a `_base_`) is a quick fix of its own
            if any(_overlap(c, p) for c in changes for p in picked):
                continue  # the next pass gets it
            picked += changes
        if not picked:
            break
        fixed = _apply(text, picked)
        if not broken and any(d.code == "IL901" for d in session.preview(path, fixed)):
            break
        text = fixed
    if text == original:
        return None
    return Action("Fix all initlint problems", "source.fixAll", (_smallest(path, original, text),))


def _overlap(a: Change, b: Change) -> bool:
    return (
        (a.row, a.column) < (b.end_row, b.end_column)
        and (b.row, b.column) < (a.end_row, a.end_column)
        or (a.row, a.column) == (b.row, b.column)
    )


def _apply(text: str, changes: list[Change]) -> str:
    lines = Text(text)
    ordered = sorted(changes, key=lambda c: (c.row, c.column), reverse=True)
    for change in ordered:
        start = lines.offset(change.row, change.column)
        end = lines.offset(change.end_row, change.end_column)
        text = text[:start] + change.content + text[end:]
    return text


def _smallest(path: Path, old: str, new: str) -> Change:
    """One change turning `old` into `new`: from the first character that differs to the last."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    lines = Text(old)
    row, column = lines.location(start)
    end_row, end_column = lines.location(len(old) - end)
    return Change(path, row, column, end_row, end_column, new[start : len(new) - end])


__all__ = ["Action", "Change", "fix_all", "fix_changes", "ignore_actions", "quick_fixes"]
