"""JSON and YAML configs: value trees with exact positions, read as MMEngine reads them.

MMEngine loads `.json` configs with `json.load` and `.yaml/.yml` ones with
`yaml.load(Loader=yaml.CLoader)` (`yaml.Loader` without libyaml): JSON numbers, duplicate keys
and NaN/Infinity follow `json`, and YAML follows PyYAML's YAML 1.1 resolver and constructors
(`1e-2` is a string in YAML, a float in JSON). Only plain scalars are constructed (and dates,
to fail where the runtime fails); tags that build other objects (`!!python/object...`, local
tags, `!!set`, `!!omap`) and dates are Unknown.

Work is bounded by `initlint.limits` (file size, nesting, values a document expands to through
YAML aliases): beyond a bound the file is IL904 and read no further. What the runtime cannot
load (malformed text, an integer `int()` refuses, a recursive alias, an unhashable key) is
IL901. Neither reader recurses with the input's nesting beyond MAX_NESTING.
"""

from __future__ import annotations

import gc
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Optional, Union

import yaml
from yaml.constructor import Constructor, ConstructorError, FullConstructor
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from ..checks.files import TooLargeToAnalyse, UnreadableFile
from ..findings import Finding
from ..limits import MAX_DATA_NODES, MAX_FILE_BYTES, MAX_INT_DIGITS, MAX_NESTING
from ..values import DictValue, Entry, Node, Scalar, SeqKind, SeqValue, Span, Unknown

FileRule = Union[type[TooLargeToAnalyse], type[UnreadableFile]]

Refs = list[tuple[Scalar, list[str]]]
Result = tuple[Optional[Node], Refs, Optional[Finding]]


def parse_data(
    path: str,
    text: str,
    base_refs: frozenset[tuple[int, int]] = frozenset(),
) -> Result:
    """The document's value tree and the `{{_base_.x}}` references in it (pre-substituted to
    `"{_base_.x}"` at `base_refs`), or why it cannot be read (IL901) or analysed (IL904)."""
    size = len(text) if len(text) > MAX_FILE_BYTES else len(text.encode("utf-8", "replace"))
    if size > MAX_FILE_BYTES:
        return _failed(
            TooLargeToAnalyse,
            f"the file is {size / 2**20:.1f} MB, beyond the "
            f"{MAX_FILE_BYTES // 2**20} MB initlint reads; it is not analysed",
            Span(path, 1, 1, 1, 1),
        )
    reader = (
        _JsonReader(path, text, base_refs)
        if path.endswith(".json")
        else _YamlReader(path, text, base_refs)
    )
    try:
        with _no_gc():
            node = reader.read()
    except _Stop as stop:
        if stop.finding.code == UnreadableFile.code and _TEMPLATE.search(text):
            # The runtime parses the text with its templates replaced (`{{$N:80}}` may be a
            # number): what fails here may load there. Its keys are unknown.
            return DictValue(Span(path, 1, 1, 1, 1), {}, open=True), [], None
        return None, [], stop.finding
    except RecursionError:  # a safety net: both readers recurse at most MAX_NESTING deep
        return _failed(TooLargeToAnalyse, "nested too deeply to analyse", Span(path, 1, 1, 1, 1))
    return node, reader.refs.found(), None


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic collector off while a tree without cycles is built: its passes over the
    growing heap would make reading superlinear (0.6 s/MB instead of 0.3 at 8 MB)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _failed(rule: FileRule, message: str, span: Span) -> Result:
    return None, [], rule.at(span, message)


class _Stop(Exception):
    """Reading ends here with a finding."""

    def __init__(self, rule: FileRule, message: str, span: Span) -> None:
        super().__init__(message)
        self.finding = rule.at(span, message)


def _too_deep(span: Span) -> _Stop:
    return _Stop(
        TooLargeToAnalyse,
        f"nested deeper than {MAX_NESTING} levels; initlint analyses the file no further",
        span,
    )


def _too_many(span: Span) -> _Stop:
    return _Stop(
        TooLargeToAnalyse,
        f"holds more than {MAX_DATA_NODES:,} values (aliases "
        "expanded); initlint analyses the file no further",
        span,
    )


class _BaseRefs:
    """Which string scalars are `{{_base_.x}}` placeholders. `substitute_base_refs` names them
    by (row, column), rows counted at '\\n' only; candidates are kept by offset and matched at
    the end, in one pass over the text."""

    def __init__(self, text: str, positions: frozenset[tuple[int, int]]) -> None:
        self.text = text
        self.positions = positions
        self._candidates: dict[int, tuple[int, Scalar]] = {}

    def check(self, scalar: Scalar, start: int) -> None:
        """`scalar` (a string) was written as a double-quoted literal starting at `start`."""
        value = scalar.value
        if self.positions and isinstance(value, str) and value.startswith("{"):
            self._candidates.setdefault(id(scalar), (start, scalar))

    def found(self) -> Refs:
        rows = _Rows(self.text, crlf=False)
        return [
            (scalar, str(scalar.value).strip("{} \t").split(".")[1:])
            for start, scalar in sorted(self._candidates.values(), key=lambda c: c[0])
            if rows.at(start) in self.positions
        ]


class _Rows:
    """(row, column) of offsets, 1-based, found by scanning forward from the last one asked
    (a table of line starts would hold 8 million rows for 8 MB of newlines). Rows break at
    '\\n', '\\r\\n' and '\\r' (`crlf`), or at '\\n' only."""

    def __init__(self, text: str, crlf: bool = True) -> None:
        self.text = text
        self.crlf = crlf and "\r" in text
        self.offset = self.line_start = 0
        self.row = 1

    def at(self, offset: int) -> tuple[int, int]:
        text = self.text
        if offset < self.offset:
            self.offset = self.line_start = 0
            self.row = 1
        if self.crlf:
            for match in _LINE_BREAK.finditer(text, self.offset, offset):
                if not (
                    match.start() == self.offset > 0
                    and match.group() == "\n"
                    and text[self.offset - 1] == "\r"
                ):  # not a '\\r\\n' split here
                    self.row += 1
                self.line_start = match.end()
        else:
            breaks = text.count("\n", self.offset, offset)
            if breaks:
                self.row += breaks
                self.line_start = text.rfind("\n", self.offset, offset) + 1
        self.offset = offset
        return self.row, offset - self.line_start + 1

    def span(self, path: str, start: int, end: int) -> Span:
        row, column = self.at(start)
        end_row, end_column = self.at(end)
        return Span(path, row, column, end_row, end_column)


def _int_limit() -> int:
    """The digits `int()` converts from a decimal string (0: no limit), here as at runtime."""
    get: Optional[Callable[[], int]] = getattr(sys, "get_int_max_str_digits", None)
    return get() if get is not None else 0


def _unsafe_text(value: str) -> bool:
    """A string holding a lone surrogate (`"\\ud800"`): legal in a str, but it cannot be
    written out as UTF-8, so initlint keeps it Unknown."""
    if value.isascii():
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


_BIG = 10**MAX_INT_DIGITS
# The templates `Config.fromfile` replaces in the text before parsing it (its
# `_substitute_predefined_vars` and `_substitute_env_variables`).
_TEMPLATE = re.compile(
    r"\{\{\s*(?:fileDirname|fileBasename|fileBasenameNoExtension|fileExtname)"
    r"\s*\}\}|\{\{['\"]?\s*\$\w+\s*\:\s*\S*?\s*['\"]?\}\}"
)
_LINE_BREAK = re.compile(r"\r\n?|\n")


def _scalar(span: Span, value: Any) -> Node:
    """A plain value, or Unknown when printing it could fail (a huge int, a lone surrogate)."""
    if isinstance(value, int) and not isinstance(value, bool) and not -_BIG < value < _BIG:
        return Unknown(span, f"an integer of more than {MAX_INT_DIGITS} digits")
    if isinstance(value, str):
        if _unsafe_text(value):
            return Unknown(span, "a string with a lone surrogate")
        if "{{" in value and _TEMPLATE.search(value):
            return Unknown(span, "a `{{ }}` template the runtime replaces")
    return Scalar(span, value)


# -- JSON ----------------------------------------------------------------------------------------

# The tokens of a valid JSON text that carry a value or open/close one; `,`, `:` and
# whitespace are implied by the structure (the text is validated by `json.loads` first).
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]|[^ \t\n\r,:\[\]{}"]+')
_JSON_CONSTANTS = {
    "true": True,
    "false": False,
    "null": None,
    "NaN": float("nan"),
    "Infinity": float("inf"),
    "-Infinity": float("-inf"),
}
# json's own string decoder (C), for strings with escapes: the same str `json.load` gives.
_scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]  # not in typeshed


@dataclass
class _OpenJson:
    start: int
    row: int
    column: int
    items: Union[list[Node], dict[Any, Entry]]
    key: Optional[tuple[Any, Span]] = None
    keyed: bool = False  # the key of the next entry has been read
    open: bool = False  # an entry whose key initlint cannot keep was dropped


class _JsonReader:
    def __init__(self, path: str, text: str, base_refs: frozenset[tuple[int, int]]) -> None:
        self.path = path
        self.text = text
        self.refs = _BaseRefs(text, base_refs)

    def read(self) -> Node:
        self._validate()
        return self._build()

    def _validate(self) -> None:
        """Whether `json.loads` accepts the text, as the runtime's JsonHandler calls it."""
        try:
            json.loads(self.text, parse_int=_checked_int)
        except json.JSONDecodeError as exc:
            raise _Stop(
                UnreadableFile,
                f"cannot parse: {exc.msg}",
                _Rows(self.text).span(self.path, exc.pos, exc.pos + 1),
            ) from None
        except RecursionError:  # json's own bound (about 1,000 levels): where ours is passed
            raise _too_deep(self._first(lambda depth, _: depth > MAX_NESTING)) from None
        except ValueError as exc:  # int() refuses a decimal this long, as at runtime
            raise _Stop(
                UnreadableFile,
                f"cannot parse: {exc} (json.load raises ValueError)",
                self._first(lambda _, token: _is_long_int(token)),
            ) from None

    def _first(self, where: Callable[[int, str], bool]) -> Span:
        """The span of the first token `where(nesting, token)` holds for."""
        depth = 0
        for match in _JSON_TOKEN.finditer(self.text):
            token = match.group()
            depth += 1 if token in ("[", "{") else -1 if token in ("]", "}") else 0
            if where(depth, token):
                return _Rows(self.text).span(self.path, match.start(), match.end())
        return Span(self.path, 1, 1, 1, 1)

    def _build(self) -> Node:
        path, text = self.path, self.text
        rows = _Rows(text)
        stack: list[_OpenJson] = []
        top: Optional[_OpenJson] = None
        count = 0
        for match in _JSON_TOKEN.finditer(text):
            token = match.group()
            start = match.start()
            first = token[0]
            node: Node
            if first == "[" or first == "{":
                if len(stack) >= MAX_NESTING:
                    raise _too_deep(rows.span(path, start, start + 1))
                row, column = rows.at(start)
                top = _OpenJson(start, row, column, [] if first == "[" else {})
                stack.append(top)
                continue
            if first == "]" or first == "}":
                done = stack.pop()
                top = stack[-1] if stack else None
                end_row, end_column = rows.at(match.end())
                span = Span(path, done.row, done.column, end_row, end_column)
                if isinstance(done.items, dict):
                    node = DictValue(span, done.items, open=done.open)
                else:
                    node = SeqValue(span, tuple(done.items), "list")
            else:
                row, column = rows.at(start)
                span = Span(path, row, column, row, column + len(token))
                if first != '"':
                    node = self._number(token, span)
                else:
                    value = (
                        token[1:-1] if "\\" not in token else _scanstring(text, start + 1, True)[0]
                    )
                    if top is not None and not top.keyed and isinstance(top.items, dict):
                        top.keyed = True
                        top.key = None if _unsafe_text(value) else (value, span)
                        continue
                    node = _scalar(span, value)
                    if self.refs.positions and isinstance(node, Scalar):
                        self.refs.check(node, start)
            count += 1
            if count > MAX_DATA_NODES:
                raise _too_many(rows.span(path, start, start + 1))
            if top is None:
                return node
            if isinstance(top.items, list):
                top.items.append(node)
            else:
                top.keyed = False
                if top.key is None:
                    top.open = True
                else:
                    # A repeated key: its last value and key span, in the first one's place.
                    top.items[top.key[0]] = Entry(top.key[1], node)
        raise _Stop(UnreadableFile, "cannot parse: no value", Span(path, 1, 1, 1, 1))

    @staticmethod
    def _number(token: str, span: Span) -> Node:
        if token in _JSON_CONSTANTS:
            return Scalar(span, _JSON_CONSTANTS[token])
        if "." in token or "e" in token or "E" in token:
            return Scalar(span, float(token))
        if len(token) > MAX_INT_DIGITS + 1:  # only where int() has no limit (see _checked_int)
            return Unknown(span, f"an integer of {len(token.lstrip('-'))} digits")
        return Scalar(span, int(token))


def _is_long_int(token: str) -> bool:
    digits = token.lstrip("-")
    return digits.isdigit() and len(digits) > MAX_INT_DIGITS


def _checked_int(digits: str) -> int:
    """`json.loads`'s int() for validating: the runtime's ValueError where its `int()` refuses
    the digits, else no conversion (the values are read later, the long ones not at all)."""
    limit = _int_limit()
    if limit and len(digits) > limit and len(digits.lstrip("-")) > limit:
        int(digits)
    return 0


# -- YAML ----------------------------------------------------------------------------------------

_STANDARD = "tag:yaml.org,2002:"
_LOADER: Any = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
# Tags whose constructors build plain scalars (MMEngine's loader has these and more).
_SCALAR_TAGS = {
    _STANDARD + name
    for name in (
        "null",
        "bool",
        "int",
        "float",
        "binary",
        "str",
        "timestamp",
        "python/none",
        "python/bool",
        "python/str",
        "python/unicode",
        "python/bytes",
        "python/int",
        "python/long",
        "python/float",
        "python/complex",
    )
}
_INT_TAGS = {_STANDARD + name for name in ("int", "python/int", "python/long")}
_SEQUENCE_TAGS: dict[str, SeqKind] = {
    _STANDARD + "seq": "list",
    _STANDARD + "python/list": "list",
    _STANDARD + "python/tuple": "tuple",
}
_MAPPING_TAGS = {_STANDARD + "map", _STANDARD + "python/dict"}
_END_EVENTS = (SequenceEndEvent, MappingEndEvent)


def _runtime_knows(tag: str) -> bool:
    """Whether the runtime's loader (PyYAML's Constructor) has a constructor for `tag`."""
    return tag in Constructor.yaml_constructors or any(
        prefix is not None and tag.startswith(prefix)
        for prefix in Constructor.yaml_multi_constructors
    )


@dataclass
class _OpenYaml:
    node: yaml.CollectionNode
    anchor: Optional[str]
    size: int = 1
    key: Optional[yaml.Node] = None


class _YamlReader:
    def __init__(self, path: str, text: str, base_refs: frozenset[tuple[int, int]]) -> None:
        self.path = path
        self.text = text
        self.refs = _BaseRefs(text, base_refs)
        self.constructor = FullConstructor()
        self.memo: dict[int, Node] = {}

    def read(self) -> Node:
        loader: Any = None
        try:
            loader = _LOADER(self.text)
            document = self._compose(loader)
            if document is None:
                raise _Stop(
                    UnreadableFile,
                    "the YAML document is empty: the runtime loads it as "
                    "None, and Config.fromfile fails (AttributeError)",
                    self._at(None),
                )
            root = self._value(document)
            if isinstance(root, Unknown):  # an object the runtime builds may be a mapping
                return DictValue(root.span, {}, open=True)
            return root
        except UnicodeError:  # a str that is not UTF-8 text (only from an editor buffer)
            raise _Stop(UnreadableFile, "cannot parse: not valid text", self._at(None)) from None
        except yaml.reader.ReaderError as exc:  # a character YAML does not allow
            offset = exc.position
            if _LOADER is not yaml.SafeLoader:  # libyaml counts bytes
                offset = len(self.text.encode()[:offset].decode("utf-8", "ignore"))
            raise _Stop(
                UnreadableFile,
                f"cannot parse: {str(exc).splitlines()[0]}",
                _Rows(self.text).span(self.path, offset, offset + 1),
            ) from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise _Stop(UnreadableFile, f"cannot parse: {problem}", self._at(mark)) from None
        finally:
            if loader is not None:
                loader.dispose()

    def _at(self, mark: Any, end: Any = None) -> Span:
        if mark is None:
            return Span(self.path, 1, 1, 1, 1)
        end = end or mark
        return Span(
            self.path, mark.line + 1, mark.column + 1, end.line + 1, end.column + 1 + (end is mark)
        )

    def _span(self, node: yaml.Node) -> Span:
        start, end = node.start_mark, node.end_mark
        return Span(self.path, start.line + 1, start.column + 1, end.line + 1, end.column + 1)

    # What `yaml.load` composes (Composer.get_single_node), without recursion, counting the
    # values aliases add and refusing recursive aliases (the runtime's Config then recurses
    # without end: RecursionError).
    def _compose(self, loader: Any) -> Optional[yaml.Node]:
        loader.get_event()  # stream start
        document: Optional[yaml.Node] = None
        if not loader.check_event(StreamEndEvent):
            loader.get_event()  # document start
            document = self._compose_node(loader)
            loader.get_event()  # document end
            if not loader.check_event(StreamEndEvent):
                event = loader.get_event()
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    "expected a single document in the stream, but found another document",
                    event.start_mark,
                )
        loader.get_event()  # stream end
        return document

    def _compose_node(self, loader: Any) -> yaml.Node:
        anchors: dict[str, tuple[yaml.Node, Optional[int]]] = {}  # anchor -> (node, size)
        stack: list[_OpenYaml] = []
        count = 0
        while True:
            event: Any = loader.get_event()
            kind = type(event)  # events are typed Any: libyaml's marks are not yaml.Mark
            node: yaml.Node
            if kind in _END_EVENTS:
                done = stack.pop()
                node = done.node
                node.end_mark = event.end_mark
                size = done.size
                if done.anchor is not None:
                    anchors[done.anchor] = (node, size)
            elif kind is AliasEvent:
                target = anchors.get(event.anchor)
                if target is None:
                    raise yaml.composer.ComposerError(
                        None, None, f"found undefined alias {event.anchor!r}", event.start_mark
                    )
                node, known = target
                if known is None:
                    raise _Stop(
                        UnreadableFile,
                        f"the alias *{event.anchor} is inside the node it "
                        "names: the runtime builds a recursive value and "
                        "Config.fromfile fails (RecursionError)",
                        self._at(event.start_mark, event.end_mark),
                    )
                size = known
                count += size
            else:
                if event.anchor is not None and event.anchor in anchors:
                    first = anchors[event.anchor][0].start_mark
                    raise yaml.composer.ComposerError(
                        None,
                        None,
                        f"found duplicate anchor {event.anchor!r} (first at line "
                        f"{first.line + 1 if first else '?'})",
                        event.start_mark,
                    )
                count += 1
                tag = event.tag
                if kind is ScalarEvent:
                    if tag is None or tag == "!":
                        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
                    node = yaml.ScalarNode(
                        tag, event.value, event.start_mark, event.end_mark, style=event.style
                    )
                    size = 1
                    if event.anchor is not None:
                        anchors[event.anchor] = (node, 1)
                else:
                    if len(stack) >= MAX_NESTING:
                        raise _too_deep(self._at(event.start_mark))
                    node_kind = (
                        yaml.SequenceNode if kind is SequenceStartEvent else yaml.MappingNode
                    )
                    if tag is None or tag == "!":
                        tag = loader.resolve(node_kind, None, event.implicit)
                    collection = node_kind(
                        tag, [], event.start_mark, None, flow_style=event.flow_style
                    )
                    if event.anchor is not None:
                        anchors[event.anchor] = (collection, None)
                    stack.append(_OpenYaml(collection, event.anchor))
                    if count > MAX_DATA_NODES:
                        raise _too_many(self._at(event.start_mark))
                    continue
            if count > MAX_DATA_NODES:
                raise _too_many(self._at(event.start_mark))
            if not stack:
                return node
            top = stack[-1]
            top.size += size
            if isinstance(top.node, yaml.SequenceNode):
                top.node.value.append(node)
            elif top.key is None:
                top.key = node
            else:
                top.node.value.append((top.key, node))
                top.key = None

    # What the runtime's constructor makes of the composed nodes, for the tags whose values are
    # plain (others are Unknown). Nodes an alias shares are read once and shared.
    def _node(self, node: yaml.Node) -> Node:
        known = self.memo.get(id(node))
        if known is None:
            known = self.memo[id(node)] = self._read_node(node)
        return known

    def _value(self, node: yaml.Node) -> Node:
        """A value (not a key): a `{{_base_.x}}` placeholder is a double-quoted string."""
        value = self._node(node)
        if isinstance(value, Scalar) and isinstance(node, yaml.ScalarNode) and node.style == '"':
            self.refs.check(value, node.end_mark.index - len(node.value) - 2)
        return value

    def _read_node(self, node: yaml.Node) -> Node:
        span = self._span(node)
        tag = node.tag
        if tag in _SCALAR_TAGS:
            return self._read_scalar(node, span)
        if tag in _SEQUENCE_TAGS or tag in _MAPPING_TAGS:
            kind = yaml.SequenceNode if tag in _SEQUENCE_TAGS else yaml.MappingNode
            if not isinstance(node, kind):  # the runtime's constructor refuses it so
                raise ConstructorError(
                    None,
                    None,
                    f"expected a {kind.id} node, but found {getattr(node, 'id', 'node')}",
                    node.start_mark,
                )
            if isinstance(node, yaml.MappingNode):
                return self._read_mapping(node, span)
            return SeqValue(
                span, tuple(self._value(item) for item in node.value), _SEQUENCE_TAGS[tag]
            )
        if tag.startswith(_STANDARD) and not _runtime_knows(tag):
            raise _Stop(
                UnreadableFile,
                "the runtime's YAML loader has no constructor for the "
                f"tag {tag!r} (ConstructorError)",
                span,
            )
        shown = "!!" + tag[len(_STANDARD) :] if tag.startswith(_STANDARD) else tag
        return Unknown(span, f"YAML tag {shown}: initlint does not construct it")

    def _read_scalar(self, node: yaml.Node, span: Span) -> Node:
        tag = node.tag
        if (
            tag in _INT_TAGS
            and isinstance(node, yaml.ScalarNode)
            and len(node.value) > MAX_INT_DIGITS
        ):
            digits = node.value.replace("_", "").lstrip("+-")
            limit = _int_limit()
            decimal = digits[:1] not in ("0", "") and ":" not in digits
            if not (decimal and limit and len(digits) > limit):
                # Too long to convert cheaply (sexagesimal is quadratic): legal, not analysed.
                return Unknown(span, f"an integer of {len(digits)} characters")
        try:
            value = FullConstructor.yaml_constructors[tag](self.constructor, node)
        except yaml.YAMLError:
            raise
        except Exception as exc:  # what the same constructor raises at runtime
            raise _Stop(
                UnreadableFile,
                f"the runtime's YAML loader fails on this value: {type(exc).__name__}: {exc}",
                span,
            ) from None
        if not isinstance(value, (str, int, float, bool, bytes, complex, type(None))):
            return Unknown(span, f"a YAML {type(value).__name__}")
        return _scalar(span, value)

    def _read_mapping(self, node: yaml.MappingNode, span: Span) -> Node:
        self.constructor.flatten_mapping(node)  # merge keys, as the runtime's constructor
        entries: dict[Any, Entry] = {}
        open_ = False
        for key_node, value_node in node.value:
            key = self._node(key_node)
            if isinstance(key, DictValue) or (isinstance(key, SeqValue) and key.kind == "list"):
                raise _Stop(
                    UnreadableFile,
                    "a mapping key that is a list or a dict: the runtime's "
                    "YAML loader fails (found unhashable key)",
                    self._span(key_node),
                )
            if not isinstance(key, Scalar):
                open_ = True  # a key we cannot know: its entry is left out, the dict is open
                continue
            entries[key.value] = Entry(key.span, self._value(value_node))
        return DictValue(span, entries, open=open_)
