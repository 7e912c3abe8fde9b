"""The static evaluator: a config module's statements and expressions to value trees.

It runs a config module's top-level statements the way `exec` would, but only for what it
can see: literals, `dict()` calls, displays, names bound earlier, arithmetic on known numbers
and strings, subscripts, attribute access on dicts (ConfigDict), and the in-place forms real
configs use (`model['backbone']['init_cfg'] = ...`, `x.update(...)`, `del _base_.model`).
Everything else is Unknown.

It reads Python's own `ast` (positions included), not libcst: on the mmdet 3.3.0 configs,
libcst's parse plus its position metadata cost 27x what `ast.parse` does, and nothing here
needs a lossless tree.
"""

from __future__ import annotations

import ast
import operator
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any, Literal, Optional, Union

from ..values import (
    ClassRef,
    DictValue,
    Entry,
    Node,
    Scalar,
    SeqValue,
    Span,
    Unknown,
    truthiness,
)
from .merge import config_merge, dict_update

BINARY_OPS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
UNARY_OPS: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Invert: operator.invert,
}
# A `{{_base_.x}}` written inside quotes: the runtime leaves a garbage string (IL205).
QUOTED_BASE_REF = re.compile(r'"\{\s*_base_\.[\w.]+\s*\}"')
# What a `def` binds: the runtime drops functions from the config.
FUNCTION = Unknown(None, "function")
# `{{_base_.x}}` is rewritten to the string literal "{_base_.x}" before parsing (same length,
# so positions hold); the evaluator hands such strings to a BaseLookup.
BaseLookup = Callable[[list[str], Span], Node]


class Namespace:
    """A module's names and their values, in binding order (a config's top-level keys)."""

    def __init__(self) -> None:
        self.values: dict[str, Node] = {}

    def get(self, name: str) -> Optional[Node]:
        return self.values.get(name)

    def bind(self, name: str, value: Node) -> None:
        self.values.pop(name, None)  # re-binding moves the key last, as in a module dict
        self.values[name] = value

    def delete(self, name: str) -> None:
        self.values.pop(name, None)

    def replace_everywhere(self, old: Node, new: Node) -> None:
        """Mutating a dict in place changes it wherever it is referenced (aliases, nesting)."""
        for name, value in list(self.values.items()):
            self.values[name] = _replace_identity(value, old, new)

    def items(self) -> Iterator[tuple[str, Node]]:
        return iter(list(self.values.items()))


def _replace_identity(node: Node, old: Node, new: Node) -> Node:
    if node is old:
        return new
    if isinstance(node, DictValue):
        changed = False
        entries = {}
        for key, entry in node.entries.items():
            value = _replace_identity(entry.value, old, new)
            changed |= value is not entry.value
            entries[key] = Entry(entry.key_span, value) if value is not entry.value else entry
        return replace(node, entries=entries) if changed else node
    if isinstance(node, SeqValue):
        items = tuple(_replace_identity(i, old, new) for i in node.items)
        if any(a is not b for a, b in zip(items, node.items)):
            return replace(node, items=items)
    return node


class Positions:
    """ast positions (1-based rows, UTF-8 byte columns) as ruff's 1-based character columns."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        # Rows as ast counts them: not at the other breaks of str.splitlines (a form feed).
        self.lines = re.split(r"\r\n|\r|\n", text)
        # Rows (1-based) holding non-ASCII text, where byte and character columns differ.
        self.wide = {i + 1 for i, line in enumerate(self.lines) if not line.isascii()} \
            if not text.isascii() else set()

    def column(self, row: int, offset: int) -> int:
        if row not in self.wide:
            return offset + 1
        line = self.lines[row - 1]
        return len(line.encode("utf-8")[:offset].decode("utf-8", "replace")) + 1

    def span(self, node: ast.AST) -> Optional[Span]:
        try:
            row: int = node.lineno  # type: ignore[attr-defined]
            start: int = node.col_offset  # type: ignore[attr-defined]
            end_row: int = node.end_lineno or row  # type: ignore[attr-defined]
            end = node.end_col_offset  # type: ignore[attr-defined]
        except AttributeError:
            return None
        if end is None:
            end = start
        if not self.wide:
            return Span(self.file, row, start + 1, end_row, end + 1)
        return Span(self.file, row, self.column(row, start), end_row, self.column(end_row, end))


ReadBase = Callable[[str, Span], Optional[Namespace]]


class Evaluator:
    """Runs one module. `base_lookup` answers `{{_base_.x}}` references; `read_base` loads
    the module a lazy config imports inside `with read_base():`."""

    def __init__(self, positions: Positions, namespace: Namespace,
                 base_refs: frozenset[tuple[int, int]] = frozenset(),
                 base_lookup: Optional[BaseLookup] = None,
                 read_base: Optional[ReadBase] = None) -> None:
        self.positions = positions
        self.namespace = namespace
        self.base_refs = base_refs  # (row, column) of rewritten {{_base_.x}} references
        self.base_lookup = base_lookup
        self.read_base = read_base
        # Where each name is read (IL206), and strings that hold a quoted {{_base_.x}} (IL205).
        self.references: dict[str, list[Span]] = {}
        self.quoted_base_refs: list[Span] = []
        self.assignments: dict[str, Span] = {}  # top-level name -> where it is last bound
        self.imported: list[str] = []  # names a `read_base` import bound
        # A lazy config (`with read_base()`, or imports of non-builtin modules): imported
        # objects stay in the config, and inheritance is Python's (config.py, _is_lazy_import).
        self.lazy = False

    def span(self, node: ast.AST) -> Optional[Span]:
        return self.positions.span(node)

    def unknown(self, node: ast.AST, why: str) -> Unknown:
        return Unknown(self.span(node), why)

    # -- expressions ----------------------------------------------------------------------
    def eval(self, node: ast.expr) -> Node:
        method = getattr(self, f"_eval_{type(node).__name__}", None)
        if method is None:
            return self.unknown(node, f"{type(node).__name__} expression")
        result: Node = method(node)
        return result

    def _eval_Constant(self, node: ast.Constant) -> Node:
        span = self.span(node)
        value = node.value
        if value is Ellipsis:
            return Unknown(span, "...")
        if isinstance(value, str) and span is not None:
            if (span.row, span.column) in self.base_refs:
                path = value.strip("{} \t").split(".")[1:]
                if self.base_lookup is None:
                    return Unknown(span, "value from a _base_ file")
                return self.base_lookup(path, span)
            if QUOTED_BASE_REF.search(value):
                self.quoted_base_refs.append(span)
        return Scalar(span, value)

    def _eval_JoinedStr(self, node: ast.JoinedStr) -> Node:
        if all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in node.values):
            return Scalar(self.span(node), "".join(v.value for v in node.values  # type: ignore
                                                   if isinstance(v, ast.Constant)))
        return self.unknown(node, "f-string")

    def _eval_Name(self, node: ast.Name) -> Node:
        value = self.namespace.get(node.id)
        span = self.span(node)
        if span is not None:
            self.references.setdefault(node.id, []).append(span)
        if value is None:
            return self.unknown(node, f"name '{node.id}'")
        return value

    def _eval_UnaryOp(self, node: ast.UnaryOp) -> Node:
        operand = self.eval(node.operand)
        if isinstance(node.op, ast.Not):
            truth = truthiness(operand)
            return Scalar(self.span(node), not truth) if truth is not None else \
                self.unknown(node, "operation on an unknown value")
        op = UNARY_OPS.get(type(node.op))
        if op is not None and isinstance(operand, Scalar) and \
                isinstance(operand.value, (int, float, complex)):
            try:
                return Scalar(self.span(node), op(operand.value))
            except TypeError:
                pass
        return self.unknown(node, "operation on an unknown value")

    def _eval_BinOp(self, node: ast.BinOp) -> Node:
        return self._binary(node, BINARY_OPS.get(type(node.op)), self.eval(node.left),
                            self.eval(node.right))

    def _binary(self, node: ast.AST, op: Optional[Callable[[Any, Any], Any]], left: Node,
                right: Node) -> Node:
        if op is None:
            return self.unknown(node, "operator")
        if isinstance(left, Scalar) and isinstance(right, Scalar):
            if op is operator.pow and isinstance(right.value, (int, float)) and \
                    abs(right.value) > 1000:
                return self.unknown(node, "large power")
            if op is operator.mul and any(isinstance(v.value, (str, bytes)) for v in
                                          (left, right)):
                return self.unknown(node, "repeated string")
            try:
                return Scalar(self.span(node), op(left.value, right.value))
            except Exception:  # what the runtime would raise is not ours to report here
                return self.unknown(node, "operation that raises")
        if isinstance(left, SeqValue) and isinstance(right, SeqValue) and op is operator.add \
                and left.kind == right.kind:
            return SeqValue(self.span(node), left.items + right.items, left.kind)
        return self.unknown(node, "operation on an unknown value")

    def _eval_List(self, node: ast.List) -> Node:
        return self._sequence(node, node.elts, "list")

    def _eval_Tuple(self, node: ast.Tuple) -> Node:
        return self._sequence(node, node.elts, "tuple")

    def _sequence(self, node: ast.AST, elements: list[ast.expr],
                  kind: Literal["list", "tuple"]) -> Node:
        items: list[Node] = []
        for element in elements:
            if isinstance(element, ast.Starred):
                inner = self.eval(element.value)
                if not isinstance(inner, SeqValue):
                    return self.unknown(node, "unpacking an unknown sequence")
                items += inner.items
            else:
                items.append(self.eval(element))
        return SeqValue(self.span(node), tuple(items), kind)

    def _eval_Dict(self, node: ast.Dict) -> Node:
        entries: dict[Any, Entry] = {}
        is_open = False
        for key_node, value_node in zip(node.keys, node.values):
            if key_node is None:  # {**spread}
                inner = self.eval(value_node)
                if isinstance(inner, DictValue):
                    entries.update(inner.entries)
                    is_open |= inner.open
                else:
                    # Keys written before may be overwritten by the unknown mapping.
                    entries, is_open = {}, True
                continue
            key = self.eval(key_node)
            if not isinstance(key, Scalar) or _unhashable(key.value):
                return self.unknown(node, "dict with an unknown key")
            entries.pop(key.value, None)
            entries[key.value] = Entry(self.span(key_node), self.eval(value_node))
        return DictValue(self.span(node), entries, is_open)

    def _eval_Call(self, node: ast.Call) -> Node:
        func = node.func
        if isinstance(func, ast.Name) and func.id == "dict" and "dict" not in \
                self.namespace.values:
            return self._dict_call(node)
        callee = self.eval(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
        if isinstance(callee, ClassRef):
            return Unknown(self.span(node), f"call to {callee.qualname}()")
        return self.unknown(node, f"call to {dotted(func) or 'a function'}()")

    def _dict_call(self, node: ast.Call) -> Node:
        entries: dict[Any, Entry] = {}
        is_open = False
        for arg in node.args:
            inner = self.eval(arg) if not isinstance(arg, ast.Starred) else None
            if isinstance(inner, DictValue):
                entries.update(inner.entries)
                is_open |= inner.open
            else:
                return self.unknown(node, "dict() of an unknown value")
        for keyword in node.keywords:
            if keyword.arg is not None:
                entries[keyword.arg] = Entry(self._keyword_span(keyword),
                                             self.eval(keyword.value))
                continue
            inner = self.eval(keyword.value)  # **mapping
            if isinstance(inner, DictValue):
                entries.update(inner.entries)
                is_open |= inner.open
            else:
                is_open = True
        return DictValue(self.span(node), entries, is_open)

    def _keyword_span(self, keyword: ast.keyword) -> Optional[Span]:
        """The span of the keyword's name (`std` in `std=0.01`)."""
        span = self.span(keyword)
        if span is None or keyword.arg is None:
            return span
        return Span(span.file, span.row, span.column, span.row, span.column + len(keyword.arg))

    def _eval_Subscript(self, node: ast.Subscript) -> Node:
        container = self.eval(node.value)
        index = node.slice
        if isinstance(index, ast.Slice) or type(index).__name__ == "ExtSlice":
            return self.unknown(node, "slice")
        if type(index).__name__ == "Index":  # Python 3.8 style
            index = index.value  # type: ignore[attr-defined]
        found = _lookup(container, self.eval(index))
        return found if found is not None else self.unknown(node, "subscript of unknown value")

    def _eval_Attribute(self, node: ast.Attribute) -> Node:
        owner = self.eval(node.value)
        if isinstance(owner, ClassRef):
            return ClassRef(self.span(node), owner.qualname, node.attr)
        if isinstance(owner, DictValue):  # ConfigDict attribute access
            found = owner.get(node.attr)
            if found is not None:
                return found
        return self.unknown(node, f"attribute '{node.attr}'")

    # -- statements -------------------------------------------------------------------------
    def run_module(self, module: ast.Module) -> None:
        for statement in module.body:
            self.run_statement(statement)

    def run_statement(self, statement: ast.stmt) -> None:
        if isinstance(statement, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == "_base_" for t in statement.targets):
                # The runtime removes `_base_ = ...` before running the file
                # (RemoveAssignFromAST) and binds `_base_` to the merged bases instead.
                return
            value = self.eval(statement.value)
            for target in statement.targets:
                self.assign(target, value)
        elif isinstance(statement, ast.AnnAssign):
            if statement.value is not None:
                self.assign(statement.target, self.eval(statement.value))
        elif isinstance(statement, ast.AugAssign):
            left = self.eval(statement.target)
            value = self._binary(statement, BINARY_OPS.get(type(statement.op)), left,
                                 self.eval(statement.value))
            if isinstance(left, SeqValue) and left.kind == "list":
                self.namespace.replace_everywhere(left, value)  # `+=` extends a list in place
            self.assign(statement.target, value)
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            self._run_import(statement)
        elif isinstance(statement, ast.Delete):
            for target in statement.targets:
                self._delete(target)
        elif isinstance(statement, ast.Expr):
            if not self._run_method_call(statement.value):
                self._invalidate_receiver(statement.value)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # Functions are dropped from the config (config.py, `_file2dict`).
            self.namespace.bind(statement.name, FUNCTION)
        elif isinstance(statement, ast.ClassDef):
            self.namespace.bind(statement.name, self.unknown(statement, "class"))
        elif isinstance(statement, ast.With) and self._is_read_base(statement):
            self._run_read_base(statement)
        elif isinstance(statement, (ast.Pass, ast.Assert)):
            pass
        else:
            # if/for/while/with/try: whatever they bind or change is unknown (we do not pick
            # branches).
            for name in _bound_names(statement):
                self._forget(name, statement)

    def _forget(self, name: str, where: ast.AST) -> None:
        old = self.namespace.get(name)
        unknown = self.unknown(where, "changed in a block")
        if isinstance(old, (DictValue, SeqValue)):
            self.namespace.replace_everywhere(old, unknown)
        self.namespace.bind(name, unknown)

    def _run_import(self, node: Union[ast.Import, ast.ImportFrom]) -> None:
        self.lazy |= _makes_lazy(node)
        span = self.span(node)
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                self.namespace.bind(bound, ClassRef(span, "", alias.name if alias.asname
                                                    else bound, is_module=True))
            return
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                continue
            self.namespace.bind(alias.asname or alias.name, ClassRef(span, module, alias.name))

    def assign(self, target: ast.expr, value: Node) -> None:
        if isinstance(target, ast.Name):
            self.namespace.bind(target.id, value)
            span = self.span(target)
            if span is not None:
                self.assignments[target.id] = span
        elif isinstance(target, (ast.Tuple, ast.List)):
            elements = target.elts
            if isinstance(value, SeqValue) and len(value.items) == len(elements) and not any(
                    isinstance(e, ast.Starred) for e in elements):
                for element, item in zip(elements, value.items):
                    self.assign(element, item)
            else:
                for name in _target_names(target):
                    self.namespace.bind(name, self.unknown(target, "unpacking"))
        elif isinstance(target, (ast.Subscript, ast.Attribute)):
            self._assign_into(target, value)

    def _key(self, target: Union[ast.Subscript, ast.Attribute]) -> tuple[Node, Optional[Span]]:
        if isinstance(target, ast.Attribute):
            span = self.span(target)
            if span is not None:  # the attribute name is the last len(attr) characters
                span = Span(span.file, span.end_row, span.end_column - len(target.attr),
                            span.end_row, span.end_column)
            return Scalar(span, target.attr), span
        index = target.slice
        if isinstance(index, ast.Slice) or type(index).__name__ == "ExtSlice":
            return Unknown(None, "slice"), None
        if type(index).__name__ == "Index":  # Python 3.8 style
            index = index.value  # type: ignore[attr-defined]
        return self.eval(index), self.span(index)

    def _assign_into(self, target: Union[ast.Subscript, ast.Attribute], value: Node) -> None:
        """`x['k'] = v` / `x.k = v`: rebuild x's dict with the key set, everywhere it is used."""
        key, key_span = self._key(target)
        container = self.eval(target.value)
        if not isinstance(key, Scalar) or _unhashable(key.value):
            self._invalidate_receiver(target)
            return
        if isinstance(container, DictValue):
            entries = dict(container.entries)
            entries[key.value] = Entry(key_span, value)
            self.namespace.replace_everywhere(container, replace(container, entries=entries))
        elif isinstance(container, SeqValue) and isinstance(key.value, int) and \
                -len(container.items) <= key.value < len(container.items):
            items = list(container.items)
            items[key.value] = value
            self.namespace.replace_everywhere(container, replace(container, items=tuple(items)))
        else:
            self._invalidate_receiver(target)

    def _delete(self, target: ast.expr) -> None:
        """`del x`, `del x['k']`, `del _base_.k`."""
        if isinstance(target, ast.Name):
            self.namespace.delete(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._delete(element)
        elif isinstance(target, (ast.Subscript, ast.Attribute)):
            key, _ = self._key(target)
            container = self.eval(target.value)
            if isinstance(container, DictValue) and isinstance(key, Scalar) and \
                    not _unhashable(key.value):
                self.namespace.replace_everywhere(container, container.without(key.value))
            else:
                self._invalidate_receiver(target)

    def _invalidate_receiver(self, expr: ast.expr) -> None:
        """A call like `model.foo(...)` may change what it is called on: forget that value."""
        receiver: Optional[ast.expr] = None
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
            receiver = expr.func.value
        elif isinstance(expr, (ast.Subscript, ast.Attribute)):
            receiver = expr.value
        if receiver is None:
            return
        value = self.eval(receiver)
        if isinstance(value, (DictValue, SeqValue)):
            self.namespace.replace_everywhere(value, Unknown(value.span, "changed in place"))

    # -- lazy configs and method calls --------------------------------------------------------
    @staticmethod
    def _is_read_base(statement: ast.With) -> bool:
        item = statement.items[0].context_expr if statement.items else None
        return isinstance(item, ast.Call) and dotted(item.func) in (
            "read_base", "mmengine.config.read_base")

    def _run_read_base(self, statement: ast.With) -> None:
        """`with read_base(): from .base import *`: Python import semantics on config modules."""
        self.lazy = True
        for small in statement.body:
            if not isinstance(small, ast.ImportFrom) or small.module is None:
                continue
            module = "." * small.level + small.module
            span = self.span(small)
            base = self.read_base(module, span) if self.read_base and span else None
            for alias in small.names:
                if alias.name == "*":
                    if base is not None:
                        for name, value in base.items():
                            if not name.startswith("_"):
                                self.namespace.bind(name, value)
                                self.imported.append(name)
                    continue
                found = base.get(alias.name) if base is not None else None
                self.imported.append(alias.asname or alias.name)
                self.namespace.bind(alias.asname or alias.name,
                                    found if found is not None else
                                    Unknown(span, f"'{alias.name}' from {module}"))

    def _is_config_dict(self, node: DictValue) -> bool:
        """Whether the runtime has this dict as a ConfigDict: a merged one, or one reached
        through `_base_` or a `read_base` import (a dict the file writes is a plain dict)."""
        if node.config_dict:
            return True
        roots = [self.namespace.get(name) for name in ("_base_", *self.imported)]
        stack = [r for r in roots if r is not None]
        while stack:
            current = stack.pop()
            if current is node:
                return True
            if isinstance(current, DictValue):
                stack += [e.value for e in current.entries.values()]
            elif isinstance(current, SeqValue):
                stack += current.items
        return False

    def _run_method_call(self, expr: ast.expr) -> bool:
        """`x.update(...)`, `x.merge(...)`, `x.pop(k)`, `x.append(...)`, `x.extend(...)`."""
        if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute)):
            return False
        method = expr.func.attr
        receiver = self.eval(expr.func.value)
        if method in ("update", "merge") and isinstance(receiver, DictValue):
            other = self._dict_call(expr)
            if not isinstance(other, DictValue):
                return False
            merged = (config_merge(other, receiver) if method == "merge"
                      else dict_update(receiver, other, self._is_config_dict(receiver)))
            self.namespace.replace_everywhere(receiver, merged)
            return True
        if method == "pop" and isinstance(receiver, DictValue) and expr.args:
            key = self.eval(expr.args[0])
            if not isinstance(key, Scalar) or _unhashable(key.value):
                return False
            self.namespace.replace_everywhere(receiver, receiver.without(key.value))
            return True
        if method in ("append", "extend") and isinstance(receiver, SeqValue) and \
                receiver.kind == "list" and len(expr.args) == 1:
            arg = self.eval(expr.args[0])
            if method == "append":
                items = receiver.items + (arg,)
            elif isinstance(arg, SeqValue):
                items = receiver.items + arg.items
            else:
                return False
            self.namespace.replace_everywhere(receiver, replace(receiver, items=items))
            return True
        return False


STDLIB = frozenset(getattr(sys, "stdlib_module_names", ()) or (
    "os", "os.path", "sys", "math", "copy", "re", "json", "random", "time", "datetime",
    "functools", "itertools", "collections", "pathlib", "typing"))


def _makes_lazy(node: Union[ast.Import, ast.ImportFrom]) -> bool:
    """Whether this import makes a config lazy: relative, or of a non-builtin module."""
    if isinstance(node, ast.ImportFrom):
        if node.level:
            return True
        module = node.module
        if module is None or module == "mmengine" or module.startswith("mmengine.config"):
            return False
        return module.split(".")[0] not in STDLIB
    return any(a.name.split(".")[0] not in STDLIB for a in node.names)


def _unhashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return True
    return False


def _lookup(container: Node, key: Node) -> Optional[Node]:
    if not isinstance(key, Scalar):
        return None
    if isinstance(container, DictValue):
        return container.get(key.value)
    if isinstance(container, SeqValue) and isinstance(key.value, int) and \
            not isinstance(key.value, bool) and -len(container.items) <= key.value < \
            len(container.items):
        return container.items[key.value]
    if isinstance(container, Scalar) and isinstance(container.value, str) and \
            isinstance(key.value, int):
        try:
            return Scalar(None, container.value[key.value])
        except IndexError:
            return None
    return None


def dotted(node: Optional[ast.AST]) -> Optional[str]:
    """`a.b.c` for a name or a chain of attributes on one; None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        left = dotted(node.value)
        return f"{left}.{node.attr}" if left else None
    return None


def _target_names(target: ast.AST) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for e in target.elts for n in _target_names(e)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []


def _root_name(node: ast.AST) -> Optional[str]:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _bound_names(statement: ast.stmt) -> list[str]:
    """Names a block may bind or change in place (conservatively: every root it touches)."""
    names: list[str] = []
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.append(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.alias):
            names.append((node.asname or node.name).split(".")[0])
        elif isinstance(node, (ast.Subscript, ast.Attribute)) and \
                isinstance(node.ctx, (ast.Store, ast.Del)):
            root = _root_name(node)
            if root:
                names.append(root)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            root = _root_name(node.func.value)
            if root:
                names.append(root)
    return list(dict.fromkeys(names))
