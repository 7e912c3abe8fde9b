"""`--output-format full`: each diagnostic with the source lines of its span, an underline
under the span and the fix as `help:`, then the summary line.

```text
configs/a.py:5:54: IL004 [error] Normal takes no argument `stddev`; did you mean 'std'?
  |
5 |         init_cfg=dict(type='Normal', layer='Conv2d', stddev=0.01)))
  |                                                      ^^^^^^
  |

Found 1 diagnostic (1 error) in 1 file checked.
```

Columns are 1-based code points and the end column is exclusive (the column after the span),
as in the JSON output. Tabs are shown as four spaces, control characters as visible symbols,
and wide characters count two columns, so the underline stays under the span on a terminal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Optional, TextIO

from ..diagnostics import Diagnostic, Location
from ..read import read_regular
from .context import ReportContext
from .style import BLUE, BOLD, CYAN, SEVERITY_COLORS, paint
from .text import applies, summary

TAB = "    "
NEWLINE = re.compile(r"\r\n|\r|\n")  # the line ends the tokenizer (and so libcst) counts
HEAD, TAIL = 4, 2  # a span longer than HEAD + TAIL + 1 lines shows only these, with `...`


def write_full(diagnostics: list[Diagnostic], ctx: ReportContext, out: TextIO) -> None:
    sources = SourceCache(ctx.sources)
    status = ctx.fixes
    if status.report:
        for diagnostic in diagnostics:
            fixable = status.mark and applies(diagnostic, status.unsafe)
            for text in render(diagnostic, sources.lines(diagnostic.filename), ctx.color, fixable):
                out.write(text + "\n")
            out.write("\n")
    if status.table:
        out.write(status.table + "\n")
    out.write(summary(diagnostics, ctx.files_checked, ctx.notes, status) + "\n")


class SourceCache:
    """The lines of each file named by a diagnostic, read once; None when unreadable. `texts`
    (e.g. standard input, by its --stdin-filename) take the place of the files on disk."""

    def __init__(self, texts: Optional[Mapping[str, str]] = None) -> None:
        self._texts = texts or {}
        self._lines: dict[str, Optional[list[str]]] = {}

    def lines(self, filename: Optional[str]) -> Optional[list[str]]:
        if filename is None:
            return None
        if filename not in self._lines:
            text = self._texts.get(filename)
            if text is None:
                data, _ = read_regular(filename)  # a FIFO named by an IL901: never opened
                try:
                    text = data.decode("utf-8") if data is not None else None
                except UnicodeDecodeError:
                    text = None
            self._lines[filename] = (
                None if text is None else NEWLINE.split(text.removeprefix("\ufeff"))
            )
        return self._lines[filename]


def render(
    diagnostic: Diagnostic, lines: Optional[list[str]], color: bool, fixable: bool = False
) -> list[str]:
    out = [header(diagnostic, color, fixable)]
    if lines is not None and diagnostic.location is not None:
        out += snippet(
            lines,
            diagnostic.location,
            diagnostic.end_location,
            SEVERITY_COLORS.get(diagnostic.severity, BOLD),
            color,
        )
    if diagnostic.fix is not None:
        out.append(f"{paint('help', BOLD, CYAN, enabled=color)}: {diagnostic.fix.message}")
    for related in diagnostic.related:
        note = f"{paint('note', BOLD, enabled=color)}: {related.message}"
        if related.location is not None:
            loc = related.location
            note += f" ({related.filename}:{loc.row}:{loc.column})"
        elif related.filename not in related.message:
            note += f" ({related.filename})"
        out.append(note)
    return out


def header(diagnostic: Diagnostic, color: bool, fixable: bool = False) -> str:
    """`path:row:col: CODE [severity] message` (`[*]` before the message when fixable)."""
    loc = diagnostic.location
    where = paint(diagnostic.filename or "-", BOLD, enabled=color)
    if loc is not None:
        where += f":{loc.row}:{loc.column}"
    tint = SEVERITY_COLORS.get(diagnostic.severity, BOLD)
    code = paint(diagnostic.code, BOLD, tint, enabled=color)
    severity = paint(f"[{diagnostic.severity}]", tint, enabled=color)
    mark = paint("[*]", CYAN, enabled=color) + " " if fixable else ""
    return f"{where}: {code} {severity} {mark}{diagnostic.message}"


def snippet(
    lines: list[str], start: Location, end: Optional[Location], tint: str, color: bool
) -> list[str]:
    """The span's lines behind a gutter of line numbers, each underlined where the span covers
    it; nothing when the span is not inside the file (it changed since it was linted)."""
    if not 1 <= start.row <= len(lines):
        return []
    end = end if end is not None and end.row >= start.row else start
    last = min(end.row, len(lines))
    rows = list(range(start.row, last + 1))
    if len(rows) > HEAD + TAIL + 1:
        rows = rows[:HEAD] + [0] + rows[-TAIL:]  # 0 stands for the `...` line
    width = len(str(last))
    gutter = paint(" " * width + " |", BOLD, BLUE, enabled=color)
    out = [gutter]
    for row in rows:
        if row == 0:
            out.append(paint("." * max(width, 3), BOLD, BLUE, enabled=color))
            continue
        text = lines[row - 1]
        number = paint(f"{row:>{width}} |", BOLD, BLUE, enabled=color)
        shown = display(text)
        out.append(f"{number} {shown}" if shown else number)
        cols = underline(text, row, start, end)
        if cols is not None:
            offset, length = cols
            carets = paint("^" * length, BOLD, tint, enabled=color)
            out.append(f"{gutter} {' ' * offset}{carets}")
    out.append(gutter)
    return out


def underline(text: str, row: int, start: Location, end: Location) -> Optional[tuple[int, int]]:
    """(display offset, display width) of the underline on line `row`, whose text is `text`;
    None for a blank line inside a multi-line span."""
    if row == start.row:
        first = start.column
    else:
        stripped = len(text) - len(text.lstrip())
        if stripped == len(text):
            return None
        first = stripped + 1
    past = end.column if row == end.row else len(text) + 1
    first = max(1, min(first, len(text) + 1))
    past = max(first + 1, min(past, len(text) + 1))  # at least one caret, none past the end
    offset = display_width(text[: first - 1])
    covered = text[first - 1 : past - 1]
    return offset, max(1, display_width(covered))


def display(text: str) -> str:
    """The text as a terminal should show it: tabs as four spaces, control characters as their
    visible symbols (U+2400...), format characters (bidi overrides, zero-width) as U+FFFD, so
    nothing in a file can move the cursor or reorder the line."""
    out = []
    for char in text:
        if char == "\t":
            out.append(TAB)
        elif char < " ":
            out.append(chr(0x2400 + ord(char)))
        elif char == "\x7f":
            out.append("\u2421")
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs"):
            out.append("\ufffd")
        else:
            out.append(char)
    return "".join(out)


def display_width(text: str) -> int:
    """Terminal columns of `display(text)`: a wide (East Asian) character is two, a combining
    mark none."""
    width = 0
    for char in display(text):
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width
