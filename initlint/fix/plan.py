"""What a rule attaches to a finding when it can fix it: a `FixPlan`, one or more operations on
the source that wrote the offending key or value, each named by that node's span (which is in
the file that wrote it, a `_base_` file included).

The operations say what to change, not how: `resolve.py` turns them into exact text edits
against the file's text (checking that the text there is what the rule believes it is, and
dropping the fix when it is not), so a rule never deals with quotes, commas or comments.

    Replace(span, text)             the source text at span becomes `text`
    ReplaceString(span, old, new)   the string literal at span, holding `old`, holds `new`
                                    (its quotes, prefix and any escapes elsewhere are kept)
    Rename(span, old, new)          the key written at span (`std=` in `dict()`, `'std':`, a
                                    JSON or YAML key) is called `new`
    Remove(span)                    the item written at span (a keyword argument, a dict
                                    entry from its key to its value, a list element) goes,
                                    with its comma; comments on other lines are kept
    RewriteEntry(key, value, new_key, template)
                                    the entry whose key and value are written at these spans
                                    (the value right after its key) becomes `new_key` with
                                    `template` as its value, `{value}` in it standing for the
                                    value's source: `pretrained='x'` ->
                                    `init_cfg=dict(type='Pretrained', checkpoint='x')`
    MakeTuple(span)                 the literal at span as a one-item tuple (`('cat')` ->
                                    `('cat',)`, `'cat'` -> `('cat',)`; a list in JSON/YAML)
    AddEntry(span, key, value)      `key=value` added to the `dict(...)` or `{...}` written at
                                    span (value as Python source), after its last entry
    InsertRow(span, text)           a new row after the row where span ends, indented as it
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional, Union

from ..values import Entry, Span

Applicability = Literal["safe", "unsafe", "display-only"]


@dataclass(frozen=True)
class Replace:
    span: Span
    text: str


@dataclass(frozen=True)
class ReplaceString:
    span: Span
    old: str
    new: str


@dataclass(frozen=True)
class Rename:
    span: Span
    old: str
    new: str


@dataclass(frozen=True)
class Remove:
    span: Span

    @classmethod
    def entry(cls, entry: Entry) -> Optional[Remove]:
        """The dict entry from its key to the end of its value; None without both spans in
        one file."""
        key, value = entry.key_span, entry.value.span
        if (
            key is None
            or value is None
            or key.file != value.file
            or (value.end_row, value.end_column) < (key.row, key.column)
        ):
            return None
        return cls(Span(key.file, key.row, key.column, value.end_row, value.end_column))


@dataclass(frozen=True)
class RewriteEntry:
    key: Span
    value: Span
    new_key: str
    template: str

    @property
    def span(self) -> Span:
        return self.key

    @classmethod
    def of(cls, entry: Entry, new_key: str, template: str) -> Optional[RewriteEntry]:
        if entry.key_span is None or entry.value.span is None:
            return None
        return cls(entry.key_span, entry.value.span, new_key, template)


@dataclass(frozen=True)
class MakeTuple:
    span: Span


@dataclass(frozen=True)
class AddEntry:
    span: Span
    key: str
    value: str


@dataclass(frozen=True)
class InsertRow:
    span: Span
    text: str


Operation = Union[
    Replace, ReplaceString, Rename, Remove, RewriteEntry, MakeTuple, AddEntry, InsertRow
]


@dataclass(frozen=True)
class FixPlan:
    """A fix as a rule states it: what it does (shown as `help:`), how safe it is, and the
    operations, applied together or not at all."""

    message: str
    applicability: Applicability
    operations: tuple[Operation, ...]
