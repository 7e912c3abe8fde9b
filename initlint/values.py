"""StaticValue: what an expression evaluates to without running it.

A value tree is made of `Scalar`, `DictValue`, `SeqValue`, `ClassRef` and `Unknown` nodes.
Every node keeps the source span that wrote it (None for values that come from Python,
e.g. through `validate_init_cfg`). Unknown is never reported: a check that meets one stays
silent.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Optional, Union, cast

ScalarType = Union[str, int, float, bool, None, bytes, complex]
# What a sequence is: a list or tuple of a config, or a set or range handed in from Python.
SeqKind = Literal["list", "tuple", "set", "frozenset", "range"]


@dataclass(frozen=True)
class Span:
    """A range in a file: 1-based rows and columns, end exclusive (as ruff reports them)."""

    file: str
    row: int
    column: int
    end_row: int
    end_column: int


@dataclass(frozen=True, eq=False)
class Node:
    span: Optional[Span]


@dataclass(frozen=True, eq=False)
class Scalar(Node):
    value: ScalarType


@dataclass(frozen=True, eq=False)
class Entry:
    """One key of a dict: where the key is written, and its value."""

    key_span: Optional[Span]
    value: Node


@dataclass(frozen=True, eq=False)
class DictValue(Node):
    entries: Mapping[Any, Entry]
    # True when keys may exist that we cannot see (`dict(**unknown)`): a missing key is then
    # Unknown, not absent.
    open: bool = False
    # A ConfigDict (what `_base_` values and read_base imports are): `.update()` merges
    # recursively where a plain dict's replaces.
    config_dict: bool = False

    def get(self, key: Any) -> Optional[Node]:
        entry = self.entries.get(key)
        return entry.value if entry is not None else None

    def has(self, key: Any) -> Optional[bool]:
        """True or False when known; None when the dict is open and the key is not written."""
        if key in self.entries:
            return True
        return None if self.open else False

    def without(self, *keys: Any) -> DictValue:
        kept = {k: e for k, e in self.entries.items() if k not in keys}
        return replace(self, entries=kept)


@dataclass(frozen=True, eq=False)
class SeqValue(Node):
    items: tuple[Node, ...]
    kind: SeqKind = "list"


@dataclass(frozen=True, eq=False)
class ClassRef(Node):
    """A class or function named through an import, as in lazy configs (`type=PretrainedInit`)."""

    module: str
    name: str
    is_module: bool = False  # `import x` binds a module: the runtime drops it from the config

    @property
    def qualname(self) -> str:
        return f"{self.module}.{self.name}" if self.module else self.name


@dataclass(frozen=True, eq=False)
class Unknown(Node):
    reason: str = "not statically known"


@dataclass(frozen=True, eq=False)
class PyObject(Node):
    """A Python object handed to `validate_init_cfg` that is none of the above (a class, a
    partial, ...). Judged by what it is, never by its repr."""

    obj: Any = field(default=None)


def contains_unknown(node: Node) -> bool:
    if isinstance(node, Unknown):
        return True
    if isinstance(node, DictValue):
        return node.open or any(contains_unknown(e.value) for e in node.entries.values())
    if isinstance(node, SeqValue):
        return any(contains_unknown(item) for item in node.items)
    return False


def truthiness(node: Node) -> Optional[bool]:
    """Python truthiness of a value, None when it depends on something unknown."""
    if isinstance(node, Scalar):
        return bool(node.value)
    if isinstance(node, DictValue):
        return True if node.entries else (None if node.open else False)
    if isinstance(node, SeqValue):
        return bool(node.items)
    if isinstance(node, (ClassRef, PyObject)):
        return True
    return None


def from_python(value: Any, span: Optional[Span] = None) -> Node:
    """Wrap a plain Python value (dicts, lists, scalars, classes...) as a value tree."""
    if isinstance(value, Node):
        return value
    if value is None or isinstance(value, (str, int, float, bool, bytes, complex)):
        return Scalar(span, value)
    if isinstance(value, Mapping):
        return DictValue(span, {k: Entry(None, from_python(v)) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        kind: SeqKind = "tuple" if isinstance(value, tuple) else "list"
        return SeqValue(span, tuple(from_python(v) for v in value), kind)
    if isinstance(value, (set, frozenset, range)):
        # BaseModule iterates any truthy value; these can be iterated without side effects.
        return SeqValue(
            span, tuple(from_python(v) for v in value), cast(SeqKind, type(value).__name__)
        )
    return PyObject(span, value)


def to_python(node: Node) -> Any:
    """The plain value, with Unknown parts shown as `{"__unknown__": reason}` (for inspect)."""
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, DictValue):
        out = {k: to_python(e.value) for k, e in node.entries.items()}
        if node.open:
            out["__unknown__"] = "keys from an unknown mapping"
        return out
    if isinstance(node, SeqValue):
        items = [to_python(i) for i in node.items]
        return tuple(items) if node.kind == "tuple" else items
    if isinstance(node, ClassRef):
        return {"__class__": node.qualname}
    if isinstance(node, PyObject):
        return {"__object__": repr(node.obj)}
    assert isinstance(node, Unknown)
    return {"__unknown__": node.reason}


def number(node: Optional[Node]) -> Optional[float]:
    """The value as a real number if it is a known int/float/bool, else None."""
    if isinstance(node, Scalar) and isinstance(node.value, (int, float)):
        value = float(node.value)
        return value if not math.isnan(value) else None
    return None


def walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, DictValue):
        for entry in node.entries.values():
            yield from walk(entry.value)
    elif isinstance(node, SeqValue):
        for item in node.items:
            yield from walk(item)


PathPart = Union[str, int]


def format_path(path: tuple[PathPart, ...]) -> str:
    """A path inside a value as users write it: `[1].override.name`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def containers_along(value: Node, path: tuple[PathPart, ...]) -> list[Span]:
    """Spans of the dicts and lists a path goes through, from the value inwards."""
    spans = []
    node: Optional[Node] = value
    for part in (*path, None):
        if node is None:
            break
        if node.span is not None and isinstance(node, (DictValue, SeqValue)):
            spans.append(node.span)
        if isinstance(node, DictValue) and part is not None:
            node = node.get(part)
        elif isinstance(node, SeqValue) and isinstance(part, int) and part < len(node.items):
            node = node.items[part]
        else:
            node = None
    return spans
