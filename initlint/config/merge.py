"""MMEngine's three ways of merging config dicts, on value trees (grammar.md §10).

* `merge_into_base`: `Config._merge_a_into_b(child, base)`, how a child config overrides its
  `_base_` files: dicts merge recursively, anything else replaces, `_delete_=True` drops the
  base value only when the base has the key, a child dict over a base non-dict is an error.
* `config_merge`: `ConfigDict.merge`, used by lazy (`read_base`) configs: a dict may replace a
  non-dict, `_delete_` is honoured and removed.
* `dict_update`: `ConfigDict.update` (recursive) or `dict.update` (shallow).

Every entry keeps the span of the file that wrote it: that is the provenance of a merged value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Optional

from ..checks.configs import BaseMergeType
from ..findings import Finding
from ..values import (
    DictValue,
    Entry,
    Node,
    PathPart,
    Scalar,
    SeqValue,
    Span,
    Unknown,
    truthiness,
)

DELETE_KEY = "_delete_"


def open_deep(node: Node) -> Node:
    """The value with every dict marked open: a base we cannot read may add keys anywhere."""
    if isinstance(node, DictValue):
        return replace(
            node,
            open=True,
            entries={k: Entry(e.key_span, open_deep(e.value)) for k, e in node.entries.items()},
        )
    return node


@dataclass(frozen=True)
class ListReplacement:
    """A child's list that replaced a base's list at `path` (lists are not merged: IL207)."""

    path: tuple[PathPart, ...]
    base: SeqValue
    child: SeqValue
    key_span: Optional[Span]


def merge_into_base(
    child: DictValue,
    base: DictValue,
    problems: list[Finding],
    where: str = "",
    replaced: Optional[list[ListReplacement]] = None,
    keys: tuple[PathPart, ...] = (),
) -> DictValue:
    """`replaced`, when given, collects every base list a child list replaces."""
    entries: dict[Any, Entry] = (
        dict(base.entries)
        if not child.open
        else {
            # A key the child may hold but we cannot see may replace or merge into any of these.
            k: Entry(e.key_span, Unknown(e.value.span, "may be changed by keys we cannot see"))
            for k, e in base.entries.items()
        }
    )
    for key, entry in child.entries.items():
        value = entry.value
        path = f"{where}.{key}" if where else str(key)
        if not isinstance(value, DictValue):
            old = base.entries.get(key)
            if (
                replaced is not None
                and isinstance(value, SeqValue)
                and old is not None
                and isinstance(old.value, SeqValue)
            ):
                replaced.append(ListReplacement((*keys, key), old.value, value, entry.key_span))
            entries[key] = entry
            continue
        in_base: Optional[bool] = key in base.entries or (None if base.open else False)
        if in_base is None:
            # The base may or may not hold this key: what it adds is unknown.
            entries[key] = Entry(entry.key_span, open_deep(value))
            continue
        if not in_base:
            entries[key] = entry  # `_delete_` is not even looked at: it stays (IL202)
            continue
        delete = value.get(DELETE_KEY)
        value = value.without(DELETE_KEY)
        wants_delete = truthiness(delete) if delete is not None else False
        if wants_delete is None:
            entries[key] = Entry(entry.key_span, open_deep(value))
            continue
        if wants_delete:
            entries[key] = Entry(entry.key_span, value)
            continue
        base_value = base.entries[key].value
        if isinstance(base_value, DictValue):
            entries[key] = Entry(
                entry.key_span,
                merge_into_base(value, base_value, problems, path, replaced, (*keys, key)),
            )
        elif isinstance(base_value, Unknown):
            entries[key] = Entry(entry.key_span, open_deep(value))
        else:
            span = entry.key_span or value.span
            if span is not None:
                problems.append(BaseMergeType.conflict(span, path, _kind(base_value)))
            entries[key] = Entry(entry.key_span, value)
    return DictValue(
        child.span or base.span, entries, open=child.open or base.open, config_dict=True
    )


def config_merge(other: DictValue, target: DictValue) -> DictValue:
    """`target.merge(other)` (ConfigDict.merge)."""
    merged = _lazy_merge(other, target)
    assert isinstance(merged, DictValue)
    return merged


_MISSING = Unknown(None, "missing")


def _lazy_merge(a: Node, b: Node) -> Node:
    if isinstance(a, DictValue):
        if not isinstance(b, DictValue):
            return a.without(DELETE_KEY)
        delete = a.get(DELETE_KEY)
        if delete is not None and truthiness(delete) is None:
            return open_deep(a.without(DELETE_KEY))
        if delete is not None and truthiness(delete):
            b = replace(b, entries={})
        keys = list(dict.fromkeys([*b.entries, *a.entries]))
        entries = {}
        for key in keys:
            if key == DELETE_KEY:
                continue
            a_entry, b_entry = a.entries.get(key), b.entries.get(key)
            value = _lazy_merge(
                a_entry.value if a_entry else _MISSING, b_entry.value if b_entry else _MISSING
            )
            if a_entry is None and a.open:  # `a` may hold the key where we cannot see it
                value = Unknown(value.span, "may be changed by keys we cannot see")
            source = a_entry or b_entry
            assert source is not None
            entries[key] = Entry(source.key_span, value)
        return DictValue(a.span or b.span, entries, open=a.open or b.open, config_dict=True)
    return b if a is _MISSING else a


def dict_update(target: DictValue, other: DictValue, recursive: bool) -> DictValue:
    """`target.update(other)`: recursive for a ConfigDict, shallow for a plain dict."""
    entries = dict(target.entries)
    for key, entry in other.entries.items():
        old = entries.get(key)
        if (
            recursive
            and old is not None
            and isinstance(old.value, DictValue)
            and isinstance(entry.value, DictValue)
        ):
            entries[key] = Entry(entry.key_span, dict_update(old.value, entry.value, True))
        else:
            entries[key] = entry
    return replace(target, entries=entries, open=target.open or other.open)


def with_scope(node: Node, scope: Optional[str]) -> Node:
    """`Config._dict_to_config_dict(cfg, scope)`: a base read from another package (`mmdet::`)
    gets `_scope_` on its outermost dicts that have a `type`."""
    if scope is None:
        return node
    return _scoped(node, scope, has_scope=True)


def _scoped(node: Node, scope: str, has_scope: bool) -> Node:
    if isinstance(node, DictValue):
        entries = dict(node.entries)
        if has_scope and "type" in entries:
            has_scope = False
            current = entries.get("_scope_")
            if current is None or (
                isinstance(current.value, Scalar) and current.value.value is None
            ):
                entries["_scope_"] = Entry(None, Scalar(None, scope))
        return replace(
            node,
            entries={
                k: Entry(e.key_span, _scoped(e.value, scope, has_scope)) for k, e in entries.items()
            },
        )
    if isinstance(node, SeqValue):
        return replace(node, items=tuple(_scoped(i, scope, has_scope) for i in node.items))
    return node


def _kind(node: Node) -> str:
    if isinstance(node, Scalar):
        return "None" if node.value is None else type(node.value).__name__
    if isinstance(node, SeqValue):
        return node.kind
    return type(node).__name__
