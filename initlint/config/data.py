"""JSON and YAML configs: value trees with exact positions, read without constructing objects.

Both are read with PyYAML's composer (JSON is YAML as far as configs go), so every mapping,
sequence and scalar keeps the line and column it was written at. Tags that would construct
Python objects (`!!python/tuple`, ...) become Unknown. When the composer rejects a JSON file
that `json` accepts, the values are kept without positions.
"""

from __future__ import annotations

import json
from typing import Any, Optional

import yaml

from ..checks.files import UnreadableFile
from ..findings import Finding
from ..values import DictValue, Entry, Node, Scalar, SeqValue, Span, Unknown

_STANDARD = "tag:yaml.org,2002:"


def _span(path: str, node: yaml.Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(path, start.line + 1, start.column + 1, end.line + 1, end.column + 1)


class _Reader:
    def __init__(self, path: str, base_refs: frozenset[tuple[int, int]]) -> None:
        self.path = path
        self.base_refs = base_refs
        self.loader = yaml.SafeLoader("")
        self.refs: list[tuple[Scalar, list[str]]] = []

    def node(self, node: yaml.Node) -> Node:
        span = _span(self.path, node)
        if isinstance(node, yaml.MappingNode):
            entries: dict[Any, Entry] = {}
            for key_node, value_node in node.value:
                key = self.node(key_node)
                if not isinstance(key, Scalar):
                    return Unknown(span, "mapping with a complex key")
                if key_node.tag == _STANDARD + "merge":
                    return Unknown(span, "YAML merge key")
                entries[key.value] = Entry(key.span, self.node(value_node))
            return DictValue(span, entries)
        if isinstance(node, yaml.SequenceNode):
            if node.tag not in (_STANDARD + "seq",):
                return Unknown(span, f"YAML tag {node.tag}")
            return SeqValue(span, tuple(self.node(item) for item in node.value), "list")
        assert isinstance(node, yaml.ScalarNode)
        if not node.tag.startswith(_STANDARD):
            return Unknown(span, f"YAML tag {node.tag}")
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.YAMLError:
            return Unknown(span, f"YAML scalar {node.value!r}")
        if not isinstance(value, (str, int, float, bool, type(None))):
            return Unknown(span, f"YAML {type(value).__name__}")
        scalar = Scalar(span, value)
        if (span.row, span.column) in self.base_refs and isinstance(value, str):
            self.refs.append((scalar, value.strip("{} \t").split(".")[1:]))
        return scalar


def parse_data(path: str, text: str, base_refs: frozenset[tuple[int, int]] = frozenset(),
               ) -> tuple[Optional[Node], list[tuple[Scalar, list[str]]],
                          Optional[Finding]]:
    """The document's value tree, the `{{_base_.x}}` references in it, or why it is unreadable."""
    reader = _Reader(path, base_refs)
    try:
        document = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        if path.endswith(".json"):
            return _plain_json(path, text)
        mark = getattr(exc, "problem_mark", None)
        row, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [], UnreadableFile.at(Span(path, row, column, row, column + 1),
                                           f"cannot parse: {problem}")
    if document is None:
        return DictValue(Span(path, 1, 1, 1, 1), {}), [], None
    return reader.node(document), reader.refs, None


def _plain_json(path: str, text: str) -> tuple[Optional[Node], list[tuple[Scalar, list[str]]],
                                               Optional[Finding]]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [], UnreadableFile.at(
            Span(path, exc.lineno, exc.colno, exc.lineno, exc.colno + 1),
            f"cannot parse: {exc.msg}")
    from ..values import from_python

    return from_python(value, Span(path, 1, 1, 1, 1)), [], None
