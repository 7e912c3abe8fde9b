"""Applying fixes to a fixed point.

One pass: the fixes that apply (safe ones, unsafe ones with --unsafe-fixes, in files that may be
edited) are sorted by where they start; a fix whose edits overlap one already taken waits for
the next pass (edits identical to one taken are dropped); each file's edits are applied to its
text. Then every changed file is parsed again (a result that does not parse is reverted whole
and reported: a bug of the fix) and everything is linted again with the new texts in place of
the files (nothing is written yet). A file whose fixes add a diagnostic the original did not
have is reverted whole as well and left for the user, unless it is in an init_cfg value a fix
edited and not on text a fix wrote: the runtime stops at the first mistake of a value, and so
does what initlint can see (the arguments of an unknown `type` are not checked), so such a
diagnostic was not added but revealed (`type='Xaiver', std=0.01` fixed to Xavier, which takes
no `std`: the runtime raised before and raises now). The passes stop when no fix applies;
when they do not stop within `MAX_PASSES` that is an internal error and nothing is written.
Writing (atomically, only the files that changed, keeping a byte order mark) is the caller's
choice: `--diff` writes nothing.
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import json
import os
import re
import stat
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..diagnostics import Diagnostic, Edit, Fix
from .resolve import SourceText

MAX_PASSES = 20
BOM = "\ufeff"

# Lints with these texts in place of the files of those names; the diagnostics (after the
# settings), and which files each linted file read (file -> files), as diagnostics name them.
Lint = Callable[[Mapping[str, str]], tuple[list[Diagnostic], Mapping[str, list[str]]]]


@dataclass
class Reverted:
    filename: str
    reason: str
    codes: tuple[str, ...]
    bug: bool  # a fix made the file unparseable: initlint's fault


@dataclass
class FixRun:
    """What the passes did: the diagnostics found first and those left, each changed file's
    original and fixed text, how many fixes of each rule were applied in each file, and the
    files reverted."""

    diagnostics: list[Diagnostic]
    found: list[Diagnostic] = field(default_factory=list)
    originals: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    applied: dict[str, Counter[str]] = field(default_factory=dict)
    reverted: list[Reverted] = field(default_factory=list)
    converged: bool = True
    passes: int = 0

    @property
    def changed(self) -> dict[str, str]:
        """The fixed text of each file that differs from its original."""
        return {name: text for name, text in self.texts.items() if text != self.originals.get(name)}

    @property
    def fixed(self) -> dict[str, Counter[str]]:
        """The diagnostics found first that are gone, by file and rule: those a fix was for,
        and those it took along (an entry removed with the mistake in it)."""
        left = Counter(_identity(d) for d in self.diagnostics)
        gone: dict[str, Counter[str]] = {}
        for diagnostic in self.found:
            key = _identity(diagnostic)
            if left[key] > 0:
                left[key] -= 1
            else:
                gone.setdefault(diagnostic.filename or "", Counter())[diagnostic.code] += 1
        return gone

    @property
    def fixed_count(self) -> int:
        return sum(sum(counts.values()) for counts in self.fixed.values())


def fix_to_fixed_point(
    lint: Lint,
    applies: Callable[[Diagnostic], bool],
    editable: Callable[[str], bool],
    original: Callable[[str], Optional[str]],
) -> FixRun:
    """Lint, fix and lint again until no fix applies. `applies` says whether a diagnostic's
    fix is to be applied, `editable` whether a file may be edited, `original` gives a file's
    text as it is before any fix (None: it cannot be read, so it is not edited).

    A diagnostic a fix reveals on the way (the `type` fixed, its arguments are checked) may
    be fixed in a later pass; what counts is the end: a file behind a diagnostic the original
    did not have is reverted then."""
    run = FixRun([])
    baseline: Optional[Counter[tuple[str, ...]]] = None
    frozen: set[str] = set()
    changed: set[str] = set()  # files with edits that were not reverted
    fixed_sites: dict[str, set[tuple[str, str]]] = defaultdict(set)  # edited file -> sites
    for number in range(MAX_PASSES + 1):
        run.passes = number + 1
        diagnostics, reached = lint(run.texts)
        run.diagnostics = diagnostics
        if baseline is None:
            baseline = Counter(_identity(d) for d in diagnostics)
        _seen(run, diagnostics)
        chosen = _choose(
            diagnostics,
            applies,
            lambda name: (
                editable(name) and name not in frozen and _text(run, name, original) is not None
            ),
        )
        if chosen and number == MAX_PASSES:
            run.converged = False
            break
        if chosen and _apply(run, chosen, frozen, changed, original, fixed_sites):
            continue
        # Nothing more to fix: the end, unless the fixes added a diagnostic.
        sites = {site for name in changed for site in fixed_sites[name]}
        written = {name: _written(run.originals[name], run.texts[name]) for name in changed}
        added = [
            d
            for d in _added(diagnostics, baseline)
            if not _revealed(d, sites, reached) or _on_written(d, run, written)
        ]
        culprits = (_culprits(added, changed, reached) or changed) if added else set()
        if not culprits:
            break
        shown = ", ".join(sorted({d.code for d in added}))
        for name in sorted(culprits):
            codes = tuple(sorted(run.applied.get(name, {})))
            _revert(
                run, name, frozen, Reverted(name, f"its fixes would add {shown}", codes, bug=False)
            )
        changed -= culprits  # and lint again with the originals back
    else:
        run.converged = False
    # What a reverted file showed on the way was never fixed: found is what it shows now.
    reverted = {r.filename for r in run.reverted}
    run.found = [d for d in run.found if d.filename not in reverted] + [
        d for d in run.diagnostics if d.filename in reverted
    ]
    return run


def _seen(run: FixRun, diagnostics: list[Diagnostic]) -> None:
    """Add to what was found the diagnostics of this pass that no earlier pass had (those a
    fix revealed)."""
    known = Counter(_identity(d) for d in run.found)
    for diagnostic in diagnostics:
        key = _identity(diagnostic)
        if known[key] > 0:
            known[key] -= 1
        else:
            run.found.append(diagnostic)


def _apply(
    run: FixRun,
    chosen: dict[str, list[tuple[Diagnostic, Fix]]],
    frozen: set[str],
    changed: set[str],
    original: Callable[[str], Optional[str]],
    fixed_sites: dict[str, set[tuple[str, str]]],
) -> bool:
    """Apply one pass's fixes to the texts; whether any text changed (or was reverted)."""
    applied = False
    for name, fixes in chosen.items():
        current = _text(run, name, original)
        assert current is not None
        edits = [e for _, fix in fixes for e in fix.edits if e.filename == name]
        new = apply_edits(current, name, edits)
        if new is None or new == current or parse_problem(name, current) is not None:
            continue  # a file that does not parse as it is gets no fix
        problem = parse_problem(name, new)
        if problem is not None:
            codes = tuple(sorted({d.code for d, _ in fixes}))
            _revert(
                run,
                name,
                frozen,
                Reverted(name, f"a fix made it unparseable ({problem})", codes, bug=True),
            )
            changed.discard(name)
            applied = True  # the revert changes what is found: lint again
            continue
        run.texts[name] = new
        counts = run.applied.setdefault(name, Counter())
        for diagnostic, _ in fixes:
            counts[diagnostic.code] += 1
            site = _site(diagnostic)
            if site is not None:
                fixed_sites[name].add(site)
        changed.add(name)
        applied = True
    return applied


def _text(run: FixRun, name: str, original: Callable[[str], Optional[str]]) -> Optional[str]:
    if name in run.texts:
        return run.texts[name]
    if name not in run.originals:
        text = original(name)
        if text is None:
            return None
        run.originals[name] = text
    return run.originals[name]


def _revert(run: FixRun, name: str, frozen: set[str], why: Reverted) -> None:
    if name in run.texts:
        run.texts[name] = run.originals[name]
    run.applied.pop(name, None)
    frozen.add(name)
    run.reverted.append(why)


def _site(diagnostic: Diagnostic) -> Optional[tuple[str, str]]:
    """The init_cfg value a diagnostic is in, with the file it is in: its place in the
    config, or in a model source the first row of the value (the outermost of the rows its
    containers start on). None for what is in no init_cfg value (a suppression comment)."""
    name = diagnostic.filename or ""
    if diagnostic.config_path is not None:
        match = re.match(r".*?\binit_cfg\b", diagnostic.config_path)
        return (name, match.group(0)) if match else None
    if diagnostic.suppress_rows and not diagnostic.code.startswith("IL4"):
        return name, f"row {min(diagnostic.suppress_rows)}"
    return None


def _revealed(
    diagnostic: Diagnostic, sites: set[tuple[str, str]], reached: Mapping[str, list[str]]
) -> bool:
    """Whether the diagnostic is in an init_cfg value a fix edited: the same value, in the
    same file or in a file one of them read (a `_base_` file and its config)."""
    site = _site(diagnostic)
    if site is None:
        return False
    name, where = site
    return any(
        where == other
        and (name == file or file in reached.get(name, ()) or name in reached.get(file, ()))
        for file, other in sites
    )


def _written(before: str, after: str) -> list[tuple[int, int]]:
    """The ranges of `after` that the fixes wrote (a deletion: an empty range where it was):
    the rows that differ, then the characters that differ on each row changed in place."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    starts = [0]
    for line in new:
        starts.append(starts[-1] + len(line))
    out = []
    rows = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in rows.get_opcodes():
        if tag == "equal":
            continue
        if tag != "replace" or i2 - i1 != j2 - j1:
            out.append((starts[j1], starts[j2]))
            continue
        for a, b, at in zip(old[i1:i2], new[j1:j2], starts[j1:j2]):
            chars = difflib.SequenceMatcher(None, a, b, autojunk=False)
            out += [
                (at + c1, at + c2) for tag2, _, _, c1, c2 in chars.get_opcodes() if tag2 != "equal"
            ]
    return out


def _on_written(
    diagnostic: Diagnostic, run: FixRun, written: Mapping[str, list[tuple[int, int]]]
) -> bool:
    name = diagnostic.filename or ""
    if name not in written or diagnostic.location is None:
        return False
    src = SourceText(name, run.texts[name])
    end_location = diagnostic.end_location or diagnostic.location
    start = src.offset(diagnostic.location.row, diagnostic.location.column)
    end = src.offset(end_location.row, end_location.column)
    if start is None or end is None:
        return True  # cannot tell: count it as added
    return any(a < end and start < b if a < b else start < a < end for a, b in written[name])


def _identity(diagnostic: Diagnostic) -> tuple[str, ...]:
    """What a diagnostic is, wherever it moved: edits move rows and columns, and removing a
    list entry renumbers the ones after it."""

    def plain(text: Optional[str]) -> str:
        return re.sub(r"\d+", "#", text or "")

    return (
        diagnostic.filename or "",
        diagnostic.code,
        plain(diagnostic.message),
        plain(diagnostic.config_path),
        plain(diagnostic.path),
    )


def _added(diagnostics: list[Diagnostic], baseline: Counter[tuple[str, ...]]) -> list[Diagnostic]:
    counts = Counter(_identity(d) for d in diagnostics)
    added = {key for key, count in counts.items() if count > baseline.get(key, 0)}
    return [d for d in diagnostics if _identity(d) in added]


def _culprits(
    added: list[Diagnostic], changed: set[str], reached: Mapping[str, list[str]]
) -> set[str]:
    """The changed files that can be behind the added diagnostics: their own file, and the
    files read by the files that read it."""
    found: set[str] = set()
    for diagnostic in added:
        name = diagnostic.filename or ""
        if name in changed:
            found.add(name)
            continue
        for linted, files in reached.items():
            if linted == name or name in files:
                found |= changed & {linted, *files}
    return found


def _choose(
    diagnostics: Iterable[Diagnostic],
    applies: Callable[[Diagnostic], bool],
    editable: Callable[[str], bool],
) -> dict[str, list[tuple[Diagnostic, Fix]]]:
    """The fixes of this pass by file, in order: none overlapping (nor touching) another."""
    candidates = []
    for diagnostic in diagnostics:
        fix = diagnostic.fix
        if fix is None or not fix.edits or not applies(diagnostic):
            continue
        if not all(e.filename is not None and editable(e.filename) for e in fix.edits):
            continue
        first = min(fix.edits, key=_start)
        candidates.append((first.filename or "", _start(first), diagnostic.code, diagnostic))
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    taken: dict[str, list[Edit]] = defaultdict(list)
    chosen: dict[str, list[tuple[Diagnostic, Fix]]] = defaultdict(list)
    for name, _, _, diagnostic in candidates:
        fix = diagnostic.fix
        assert fix is not None
        new = [e for e in fix.edits if e not in taken[e.filename or ""]]
        if not new:
            continue  # the same edits as a fix already taken
        if any(_overlaps(e, other) for e in new for other in taken[e.filename or ""]):
            continue  # next pass
        for edit in new:
            taken[edit.filename or ""].append(edit)
        chosen[name].append((diagnostic, Fix(fix.message, fix.applicability, tuple(new))))
    return dict(chosen)


def _start(edit: Edit) -> tuple[int, int]:
    return edit.location.row, edit.location.column


def _overlaps(a: Edit, b: Edit) -> bool:
    a_start, a_end = _start(a), (a.end_location.row, a.end_location.column)
    b_start, b_end = _start(b), (b.end_location.row, b.end_location.column)
    return a_start <= b_end and b_start <= a_end  # touching counts: which goes first matters


def apply_edits(text: str, name: str, edits: list[Edit]) -> Optional[str]:
    """`text` with the edits (not overlapping) applied; None when one is outside it."""
    src = SourceText(name, text.removeprefix(BOM))
    bom = BOM if text.startswith(BOM) else ""
    ranges = []
    for edit in edits:
        start = src.offset(edit.location.row, edit.location.column)
        end = src.offset(edit.end_location.row, edit.end_location.column)
        if start is None or end is None or end < start:
            return None
        ranges.append((start, end, edit.content))
    out = src.text
    for start, end, content in sorted(ranges, reverse=True):
        out = out[:start] + content + out[end:]
    return bom + out


def parse_problem(name: str, text: str) -> Optional[str]:
    """Why `text` does not parse as the file `name` is (None: it parses)."""
    import yaml  # only when a fix is checked: most runs fix nothing

    body = text.removeprefix(BOM)
    lower = name.lower()
    try:
        if lower.endswith(".json"):
            json.loads(body)
        elif lower.endswith((".yaml", ".yml")):
            yaml.compose(body, Loader=yaml.SafeLoader)
        else:
            ast.parse(body, filename=name)
    except SyntaxError as exc:
        return f"{exc.msg} at row {exc.lineno}"
    except (ValueError, yaml.YAMLError) as exc:
        return " ".join(str(exc).split())[:200]
    except (RecursionError, MemoryError) as exc:
        return type(exc).__name__
    return None


def unified_diff(name: str, before: str, after: str) -> str:
    """The change as a unified diff (as `ruff --diff` prints it: the file name on both sides)."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=name,
        tofile=name,
    )
    out = []
    for line in lines:
        out.append(
            line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
        )
    return "".join(out)


def write_atomically(path: Path, text: str) -> None:
    """Replace the file with `text` (UTF-8, its line ends as they are in `text`) through a
    temporary file in the same folder, keeping its permissions."""
    folder = path.parent
    mode = stat.S_IMODE(os.stat(path).st_mode)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".initlint")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
