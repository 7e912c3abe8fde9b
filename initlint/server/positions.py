"""The one place where positions change coordinates: initlint's (1-based rows, 1-based columns
counted in characters, ends exclusive) and the Language Server Protocol's (0-based lines,
columns counted in the code units of the encoding the client negotiated: UTF-16 unless it
asked for UTF-8 or UTF-32).

Lines end at `\\n`, `\\r\\n` or `\\r`, as the protocol says and as Python's tokenizer and
initlint's JSON/YAML readers count rows (not at the other breaks `str.splitlines` knows).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Literal

Encoding = Literal["utf-8", "utf-16", "utf-32"]
ENCODINGS: tuple[Encoding, ...] = ("utf-8", "utf-16", "utf-32")
_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Point:
    """A protocol position: 0-based line, column in the client's code units."""

    line: int
    character: int


def _units(text: str, encoding: Encoding) -> int:
    if encoding == "utf-32" or text.isascii():
        return len(text)
    if encoding == "utf-16":
        return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)
    return len(text.encode("utf-8", "surrogatepass"))


class Text:
    """A document's text with its line starts, to convert positions in it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in _BREAK.finditer(text)]

    def line(self, index: int) -> str:
        """Line `index` (0-based) without its line break ('' beyond the end)."""
        if not 0 <= index < len(self.starts):
            return ""
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[index] : end].rstrip("\r\n")

    @property
    def line_count(self) -> int:
        return len(self.starts)

    # -- offsets (characters into the text) ------------------------------------------------
    def offset(self, row: int, column: int) -> int:
        """The character offset of initlint's (row, column), clamped into the text."""
        index = min(max(row - 1, 0), len(self.starts) - 1)
        return self.starts[index] + min(max(column - 1, 0), len(self.line(index)))

    def location(self, offset: int) -> tuple[int, int]:
        """initlint's (row, column) of a character offset."""
        offset = min(max(offset, 0), len(self.text))
        index = bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1

    # -- the protocol's positions ----------------------------------------------------------
    def to_point(self, row: int, column: int, encoding: Encoding) -> Point:
        """initlint's (row, column) as a protocol position; a column beyond its line is the
        line's end, a row beyond the text is the text's end."""
        if row > len(self.starts):
            last = len(self.starts) - 1
            return Point(last, _units(self.line(last), encoding))
        index = max(row - 1, 0)
        line = self.line(index)
        return Point(index, _units(line[: max(column - 1, 0)], encoding))

    def from_point(self, point: Point, encoding: Encoding) -> tuple[int, int]:
        """A protocol position as initlint's (row, column), clamped into the text; a position
        inside a character (half a surrogate pair) is at that character."""
        if point.line >= len(self.starts):
            last = len(self.starts) - 1
            return last + 1, len(self.line(last)) + 1
        line = self.line(max(point.line, 0))
        wanted = max(point.character, 0)
        if encoding == "utf-32" or line.isascii():
            return point.line + 1, min(wanted, len(line)) + 1
        units = 0
        for index, char in enumerate(line):
            if units >= wanted:
                return point.line + 1, index + 1
            units += _units(char, encoding)
            if units > wanted:  # inside this character
                return point.line + 1, index + 1
        return point.line + 1, len(line) + 1

    def point_offset(self, point: Point, encoding: Encoding) -> int:
        return self.offset(*self.from_point(point, encoding))

    def offset_point(self, offset: int, encoding: Encoding) -> Point:
        return self.to_point(*self.location(offset), encoding)


def encoding_of(name: object) -> Encoding:
    """The encoding a negotiated `positionEncoding` names (UTF-16 when unknown)."""
    value = str(getattr(name, "value", name))
    return next((e for e in ENCODINGS if e == value), "utf-16")
