"""The static evaluator: libcst expressions and module statements to value trees.

It runs a config module's top-level statements the way `exec` would, but only for what it
can see: literals, `dict()` calls, displays, names bound earlier, arithmetic on known numbers
and strings, subscripts, attribute access on dicts (ConfigDict), and the in-place forms real
configs use (`model['backbone']['init_cfg'] = ...`). Everything else is Unknown.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from typing import Any, Optional, Union

import libcst as cst
from libcst.metadata import CodeRange

from ..values import (
    ClassRef,
    DictValue,
    Entry,
    Node,
    PyObject,
    Scalar,
    SeqValue,
    Span,
    Unknown,
)

BINARY_OPS: dict[type[cst.BaseBinaryOp], Callable[[Any, Any], Any]] = {
    cst.Add: operator.add, cst.Subtract: operator.sub, cst.Multiply: operator.mul,
    cst.Divide: operator.truediv, cst.FloorDivide: operator.floordiv, cst.Modulo: operator.mod,
    cst.Power: operator.pow,
}
AUGMENTED_OPS: dict[type[cst.BaseAugOp], Callable[[Any, Any], Any]] = {
    cst.AddAssign: operator.add, cst.SubtractAssign: operator.sub,
    cst.MultiplyAssign: operator.mul, cst.DivideAssign: operator.truediv,
    cst.FloorDivideAssign: operator.floordiv, cst.ModuloAssign: operator.mod,
    cst.PowerAssign: operator.pow,
}
# A reference `{{_base_.x}}` is rewritten to the string literal "{_base_.x}" before parsing
# (same length, so positions hold); the evaluator turns such strings into BaseRef lookups.
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


def python_string(node: Union[cst.SimpleString, cst.ConcatenatedString]) -> Optional[str]:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    left = node.left
    right = node.right
    if isinstance(left, cst.FormattedString) or isinstance(right, cst.FormattedString):
        return None
    a = python_string(left)
    b = python_string(right)
    return a + b if a is not None and b is not None else None


class Evaluator:
    def __init__(self, file: str, positions: Mapping[cst.CSTNode, CodeRange],
                 namespace: Namespace, base_refs: frozenset[tuple[int, int]] = frozenset(),
                 base_lookup: Optional[BaseLookup] = None,
                 base_attr: Optional[Node] = None) -> None:
        self.file = file
        self.positions = positions
        self.namespace = namespace
        self.base_refs = base_refs  # (row, column) of rewritten {{_base_.x}} references
        self.base_lookup = base_lookup
        self.base_attr = base_attr  # the value `_base_` stands for in `_base_.x` access

    def span(self, node: cst.CSTNode) -> Optional[Span]:
        pos = self.positions.get(node)
        if pos is None:
            return None
        return Span(self.file, pos.start.line, pos.start.column + 1,
                    pos.end.line, pos.end.column + 1)

    def unknown(self, node: cst.CSTNode, why: str) -> Unknown:
        return Unknown(self.span(node), why)

    # -- expressions ----------------------------------------------------------------------
    def eval(self, node: cst.BaseExpression) -> Node:
        method = getattr(self, f"_eval_{type(node).__name__}", None)
        if method is None:
            return self.unknown(node, f"{type(node).__name__} expression")
        result: Node = method(node)
        return result

    def _eval_SimpleString(self, node: cst.SimpleString) -> Node:
        span = self.span(node)
        value = node.evaluated_value
        if span and (span.row, span.column) in self.base_refs and isinstance(value, str):
            path = value.strip("{} \t").split(".")[1:]
            if self.base_lookup is None:
                return Unknown(span, "value from a _base_ file")
            return self.base_lookup(path, span)
        return Scalar(span, value)

    def _eval_ConcatenatedString(self, node: cst.ConcatenatedString) -> Node:
        value = python_string(node)
        return Scalar(self.span(node), value) if value is not None else \
            self.unknown(node, "f-string")

    def _eval_FormattedString(self, node: cst.FormattedString) -> Node:
        if all(isinstance(p, cst.FormattedStringText) for p in node.parts):
            text = "".join(p.value for p in node.parts if isinstance(p, cst.FormattedStringText))
            return Scalar(self.span(node), text.replace("{{", "{").replace("}}", "}"))
        return self.unknown(node, "f-string")

    def _eval_Integer(self, node: cst.Integer) -> Node:
        return Scalar(self.span(node), node.evaluated_value)

    def _eval_Float(self, node: cst.Float) -> Node:
        return Scalar(self.span(node), node.evaluated_value)

    def _eval_Imaginary(self, node: cst.Imaginary) -> Node:
        return Scalar(self.span(node), node.evaluated_value)

    def _eval_Name(self, node: cst.Name) -> Node:
        constants = {"True": True, "False": False, "None": None}
        if node.value in constants and node.value not in self.namespace.values:
            return Scalar(self.span(node), constants[node.value])
        value = self.namespace.get(node.value)
        if value is None:
            return self.unknown(node, f"name '{node.value}'")
        return value

    def _eval_UnaryOperation(self, node: cst.UnaryOperation) -> Node:
        operand = self.eval(node.expression)
        if isinstance(operand, Scalar) and isinstance(operand.value, (int, float, complex)):
            ops: dict[type[cst.BaseUnaryOp], Callable[[Any], Any]] = {
                cst.Minus: operator.neg, cst.Plus: operator.pos, cst.BitInvert: operator.invert}
            op = ops.get(type(node.operator))
            if op is not None:
                try:
                    return Scalar(self.span(node), op(operand.value))
                except TypeError:
                    pass
        if isinstance(node.operator, cst.Not):
            truth = _truth(operand)
            if truth is not None:
                return Scalar(self.span(node), not truth)
        return self.unknown(node, "operation on an unknown value")

    def _eval_BinaryOperation(self, node: cst.BinaryOperation) -> Node:
        op = BINARY_OPS.get(type(node.operator))
        return self._binary(node, op, self.eval(node.left), self.eval(node.right))

    def _binary(self, node: cst.CSTNode, op: Optional[Callable[[Any, Any], Any]], left: Node,
                right: Node) -> Node:
        if op is None:
            return self.unknown(node, "operator")
        if isinstance(left, Scalar) and isinstance(right, Scalar):
            if op is operator.pow and isinstance(right.value, (int, float)) and \
                    abs(right.value) > 1000:
                return self.unknown(node, "large power")
            try:
                return Scalar(self.span(node), op(left.value, right.value))
            except Exception:  # what the runtime would raise is not ours to report here
                return self.unknown(node, "operation that raises")
        if isinstance(left, SeqValue) and isinstance(right, SeqValue) and op is operator.add \
                and left.kind == right.kind:
            return SeqValue(self.span(node), left.items + right.items, left.kind)
        return self.unknown(node, "operation on an unknown value")

    def _eval_List(self, node: cst.List) -> Node:
        return self._sequence(node, node.elements, "list")

    def _eval_Tuple(self, node: cst.Tuple) -> Node:
        return self._sequence(node, node.elements, "tuple")

    def _sequence(self, node: cst.CSTNode, elements: Any, kind: str) -> Node:
        items: list[Node] = []
        for element in elements:
            if isinstance(element, cst.StarredElement):
                inner = self.eval(element.value)
                if not isinstance(inner, SeqValue):
                    return self.unknown(node, "unpacking an unknown sequence")
                items += inner.items
            else:
                items.append(self.eval(element.value))
        return SeqValue(self.span(node), tuple(items), kind)

    def _eval_Dict(self, node: cst.Dict) -> Node:
        entries: dict[Any, Entry] = {}
        is_open = False
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                inner = self.eval(element.value)
                if isinstance(inner, DictValue):
                    entries.update(inner.entries)
                    is_open |= inner.open
                else:
                    # Keys written before may be overwritten by the unknown mapping.
                    entries, is_open = {}, True
                continue
            assert isinstance(element, cst.DictElement)
            key = self.eval(element.key)
            if not isinstance(key, Scalar) or _unhashable(key.value):
                return self.unknown(node, "dict with an unknown key")
            entries.pop(key.value, None)
            entries[key.value] = Entry(self.span(element.key), self.eval(element.value))
        return DictValue(self.span(node), entries, is_open)

    def _eval_Call(self, node: cst.Call) -> Node:
        func = node.func
        if isinstance(func, cst.Name) and func.value == "dict" and "dict" not in \
                self.namespace.values:
            return self._dict_call(node)
        callee = self.eval(func) if isinstance(func, (cst.Name, cst.Attribute)) else None
        name = _dotted(func) or "a call"
        if isinstance(callee, ClassRef):
            return Unknown(self.span(node), f"call to {callee.qualname}()")
        return self.unknown(node, f"call to {name}()")

    def _dict_call(self, node: cst.Call) -> Node:
        entries: dict[Any, Entry] = {}
        is_open = False
        for arg in node.args:
            if arg.keyword is not None:
                entries[arg.keyword.value] = Entry(self.span(arg.keyword), self.eval(arg.value))
            elif arg.star == "**":
                inner = self.eval(arg.value)
                if isinstance(inner, DictValue):
                    entries.update(inner.entries)
                    is_open |= inner.open
                else:
                    is_open = True
            else:
                inner = self.eval(arg.value)
                if isinstance(inner, DictValue) and not arg.star:
                    entries.update(inner.entries)
                    is_open |= inner.open
                else:
                    return self.unknown(node, "dict() of an unknown value")
        return DictValue(self.span(node), entries, is_open)

    def _eval_Subscript(self, node: cst.Subscript) -> Node:
        container = self.eval(node.value)
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return self.unknown(node, "slice")
        key = self.eval(node.slice[0].slice.value)
        found = _lookup(container, key)
        return found if found is not None else self.unknown(node, "subscript of unknown value")

    def _eval_Attribute(self, node: cst.Attribute) -> Node:
        if isinstance(node.value, cst.Name) and node.value.value == "_base_" and \
                "_base_" not in self.namespace.values:
            if self.base_attr is None:
                return self.unknown(node, "value from a _base_ file")
            found = _lookup(self.base_attr, Scalar(None, node.attr.value))
            return found if found is not None else self.unknown(node, "value from a _base_ file")
        owner = self.eval(node.value)
        if isinstance(owner, ClassRef):
            return ClassRef(self.span(node), owner.qualname, node.attr.value)
        if isinstance(owner, DictValue):  # ConfigDict attribute access
            found = owner.get(node.attr.value)
            if found is not None:
                return found
        return self.unknown(node, f"attribute '{node.attr.value}'")

    # -- statements -------------------------------------------------------------------------
    def run_module(self, module: cst.Module) -> None:
        for statement in module.body:
            self.run_statement(statement)

    def run_statement(self, statement: cst.CSTNode) -> None:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                self._run_small(small)
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            self.namespace.bind(statement.name.value, self.unknown(statement, "definition"))
        else:
            # if/for/while/with/try: whatever they bind is unknown (we do not pick branches).
            for name in _bound_names(statement):
                self.namespace.bind(name, self.unknown(statement, "bound in a block"))

    def _run_small(self, small: cst.BaseSmallStatement) -> None:
        if isinstance(small, cst.Assign):
            value = self.eval(small.value)
            for target in small.targets:
                self.assign(target.target, value)
        elif isinstance(small, cst.AnnAssign) and small.value is not None:
            self.assign(small.target, self.eval(small.value))
        elif isinstance(small, cst.AugAssign):
            left = self.eval(small.target)
            value = self._binary(small, AUGMENTED_OPS.get(type(small.operator)), left,
                                 self.eval(small.value))
            if isinstance(left, SeqValue) and left.kind == "list":
                self.namespace.replace_everywhere(left, value)  # `+=` extends a list in place
            self.assign(small.target, value)
        elif isinstance(small, (cst.Import, cst.ImportFrom)):
            self._run_import(small)
        elif isinstance(small, cst.Del):
            for name in _target_names(small.target):
                self.namespace.delete(name)
        elif isinstance(small, cst.Expr):
            self._invalidate_receiver(small.value)

    def _run_import(self, node: Union[cst.Import, cst.ImportFrom]) -> None:
        if isinstance(node, cst.Import):
            for alias in node.names:
                dotted = _dotted(alias.name) or ""
                bound = _alias_name(alias) or dotted.split(".")[0]
                self.namespace.bind(bound, ClassRef(self.span(node), "",
                                                    dotted if alias.asname else bound))
            return
        module = "." * len(node.relative) + (_dotted(node.module) or "" if node.module else "")
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = _dotted(alias.name) or ""
            bound = _alias_name(alias) or name
            self.namespace.bind(bound, ClassRef(self.span(node), module, name))

    def assign(self, target: cst.BaseExpression, value: Node) -> None:
        if isinstance(target, cst.Name):
            self.namespace.bind(target.value, value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            if isinstance(value, SeqValue) and len(value.items) == len(elements) and not any(
                    isinstance(e, cst.StarredElement) for e in elements):
                for element, item in zip(elements, value.items):
                    self.assign(element.value, item)
            else:
                for name in _target_names(target):
                    self.namespace.bind(name, self.unknown(target, "unpacking"))
        elif isinstance(target, (cst.Subscript, cst.Attribute)):
            self._assign_into(target, value)

    def _assign_into(self, target: Union[cst.Subscript, cst.Attribute], value: Node) -> None:
        """`x['k'] = v` / `x.k = v`: rebuild x's dict with the key set, everywhere it is used."""
        if isinstance(target, cst.Attribute):
            key: Node = Scalar(self.span(target.attr), target.attr.value)
            key_span = self.span(target.attr)
        else:
            if len(target.slice) != 1 or not isinstance(target.slice[0].slice, cst.Index):
                self._invalidate_receiver(target)
                return
            key = self.eval(target.slice[0].slice.value)
            key_span = self.span(target.slice[0].slice.value)
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

    def _invalidate_receiver(self, expr: cst.BaseExpression) -> None:
        """A call like `model.update(...)` may change what it is called on: forget that value."""
        receiver: Optional[cst.BaseExpression] = None
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
            receiver = expr.func.value
        elif isinstance(expr, (cst.Subscript, cst.Attribute)):
            receiver = expr.value
        if receiver is None:
            return
        value = self.eval(receiver)
        if isinstance(value, (DictValue, SeqValue)):
            self.namespace.replace_everywhere(value, Unknown(value.span, "changed in place"))


def _truth(node: Node) -> Optional[bool]:
    from ..values import truthiness

    return truthiness(node)


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
        found = container.get(key.value)
        if found is None and container.open:
            return None
        return found
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


def _dotted(node: Optional[cst.CSTNode]) -> Optional[str]:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        left = _dotted(node.value)
        return f"{left}.{node.attr.value}" if left else None
    return None


def _alias_name(alias: cst.ImportAlias) -> Optional[str]:
    """The name `import x as y` binds (y), if any."""
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return None


def _target_names(target: cst.CSTNode) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for e in target.elements for n in _target_names(e.value)]
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return []


class _BindingCollector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: list[str] = []

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.names += _target_names(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.names += _target_names(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.names += _target_names(node.target)

    def visit_For(self, node: cst.For) -> None:
        self.names += _target_names(node.target)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self.names += _target_names(node.asname.name)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.names.append(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.names.append(node.name.value)
        return False

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if node.asname is not None:
            self.names += _target_names(node.asname.name)
        else:
            self.names.append((_dotted(node.name) or "").split(".")[0])

    def visit_Call(self, node: cst.Call) -> None:
        # `x.update(...)` inside a block may change x.
        if isinstance(node.func, cst.Attribute):
            root = node.func.value
            while isinstance(root, (cst.Attribute, cst.Subscript)):
                root = root.value
            if isinstance(root, cst.Name):
                self.names.append(root.value)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        root: cst.BaseExpression = node
        while isinstance(root, (cst.Attribute, cst.Subscript)):
            root = root.value
        if isinstance(root, cst.Name):
            self.names.append(root.value)


def _bound_names(statement: cst.CSTNode) -> list[str]:
    collector = _BindingCollector()
    statement.visit(collector)
    return list(dict.fromkeys(n for n in collector.names if n))


__all__ = ["Evaluator", "Namespace", "PyObject"]
