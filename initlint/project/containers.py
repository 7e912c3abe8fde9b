"""Where a model source builds module containers (`nn.Sequential(...)`, `nn.ModuleList()` and
what is appended to it, `nn.ModuleDict({...})`), the modules built into each, and which class
ends up holding it: what IL110 needs to tell that `init_weights()` never reaches a module.

Read flow-insensitively, one function at a time: a local list or container collects every
element any statement adds to it. A container whose children may leave it (unpacked with `*`,
iterated, indexed into an attribute, passed to a call) is not recorded; an element that is not
a call (or a name bound only to calls) is left out. Whether a callee is a plain torch container
and what each element's class is, the index decides (`callee` is as written).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Optional, Union

from ..config.evaluator import Evaluator, Positions, dotted
from ..values import Node, Span
from .syntax import is_self, self_attribute, touches_other_init

CONTAINER_NAMES = ("Sequential", "ModuleList", "ModuleDict")
# Methods that put modules into a list or container: the argument that holds them, and whether
# it is one module (False) or a collection of them (True).
ADDERS = {
    "append": (0, False),
    "insert": (1, False),
    "add_module": (1, False),
    "extend": (0, True),
    "update": (0, True),
}
Function = Union[ast.FunctionDef, ast.AsyncFunctionDef]
HARMLESS = ("len", "isinstance", "print", "str", "repr")  # calls that read, not move


@dataclass(frozen=True)
class Element:
    """A module built into a container: `Foo(...)` as written, its `init_cfg` keyword."""

    callee: str
    span: Optional[Span]
    init_cfg: Optional[Node]  # None: no `init_cfg=` keyword (the class default applies)


@dataclass(frozen=True)
class ContainerSite:
    """One container call; `held`: the classes that end up holding it with what it holds (the
    class whose method builds it, or for a module function, each class whose methods call it
    with the elements its parameters stand for)."""

    callee: str
    span: Optional[Span]
    function: str  # 'Class.method' or 'function'
    held: tuple[tuple[str, tuple[Element, ...]], ...] = ()
    # The function that builds it reaches another module's init_weights or init_cfg (calls
    # one, reads one): more than BaseModule's walk may initialise what it holds.
    touches_other_init: bool = False


@dataclass
class _Pending:
    callee: str
    span: Optional[Span]
    cls: Optional[str]
    function: Function
    elements: list[tuple[Element, Optional[str]]] = field(default_factory=list)  # (e, param)
    touches_other_init: bool = False


def find_containers(
    tree: ast.Module, positions: Positions, evaluator: Evaluator
) -> list[ContainerSite]:
    # Only code whose text names a container is read (most functions build none).
    def names_one(node: ast.stmt) -> bool:
        lines = positions.lines[node.lineno - 1 : node.end_lineno or node.lineno]
        return any(name in line for line in lines for name in CONTAINER_NAMES)

    finder = _Finder(positions, evaluator)
    for statement in tree.body:
        if not names_one(statement):
            continue
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            finder.function(statement, None)
        elif isinstance(statement, ast.ClassDef):
            methods = [
                s for s in statement.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
            ]
            finder.attribute_elements = _AttributeElements(methods, positions)
            for method in methods:
                if names_one(method):
                    finder.function(method, statement.name)
    return finder.sites(tree) if finder.pending else []


class _AttributeElements:
    """`self.x = nn.ModuleList()` in one method and `self.x.append(...)` in another: what the
    methods of one class add to each of its attributes (read on first use)."""

    def __init__(self, methods: list[Function], positions: Positions) -> None:
        self.methods = methods
        self.positions = positions
        self._adds: dict[str, list[ast.expr]] = {}

    def of(self, attribute: str) -> list[ast.expr]:
        if attribute not in self._adds:
            found = self._adds[attribute] = []
            # Only methods whose text adds to it: `self.x.append(`, `self.x[k] = `.
            written = (f"self.{attribute}[", *(f"self.{attribute}.{a}(" for a in ADDERS))
            for method in self.methods:
                lines = self.positions.lines[method.lineno - 1 : method.end_lineno]
                if not any(w in line for line in lines for w in written):
                    continue
                for node in ast.walk(method):
                    target = _mutated(node)
                    if target is not None and self_attribute(target[0]) == attribute:
                        found.extend(target[1])
        return self._adds[attribute]


class _Finder:
    def __init__(self, positions: Positions, evaluator: Evaluator) -> None:
        self.positions = positions
        self.evaluator = evaluator
        self.pending: list[_Pending] = []
        self.attribute_elements = _AttributeElements([], positions)

    def function(self, function: Function, cls: Optional[str]) -> None:
        scope = _Scope(function)
        params = [
            a.arg
            for a in [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]
        ]
        for call in scope.calls:
            if _container_name(call) is None:
                continue
            fate = scope.fate(call)
            if fate is None:
                continue  # its children may leave it, or it is not held
            site = _Pending(
                dotted(call.func) or "",
                self.positions.span(call),
                cls,
                function,
                touches_other_init=scope.touches_other_init,
            )
            for expr in self._element_exprs(call, fate, scope):
                for element_call in scope.calls_of(expr):
                    callee = dotted(element_call.func)
                    if callee is None:
                        continue
                    keyword = next((k for k in element_call.keywords if k.arg == "init_cfg"), None)
                    init_cfg = self.evaluator.eval(keyword.value) if keyword else None
                    element = Element(callee, self.positions.span(element_call), init_cfg)
                    param = callee if callee in params and not scope.assigned(callee) else None
                    site.elements.append((element, param))
            if site.elements:
                self.pending.append(site)

    def _element_exprs(self, call: ast.Call, fate: _Fate, scope: _Scope) -> Iterator[ast.expr]:
        yield from _arguments(call, scope)
        for handle in fate.handles:
            if isinstance(handle, str):
                yield from scope.adds.get(handle, ())
            else:
                yield from self.attribute_elements.of(handle.attr)

    def sites(self, tree: ast.Module) -> list[ContainerSite]:
        # Calls from methods, to bind parameters and find who calls a module function.
        calls = (
            _calls_by_caller(tree)
            if any(
                site.cls is None or any(param for _, param in site.elements)
                for site in self.pending
            )
            else []
        )
        out = []
        for site in self.pending:
            name = site.function.name
            touches = site.touches_other_init
            held: list[tuple[str, tuple[Element, ...]]] = []
            if site.cls is not None:  # a method: its class holds it
                bound = [e for e, param in site.elements if param is None]
                bound += _bind(site, calls, site.cls, f"self.{name}")
                held.append((site.cls, tuple(bound)))
            else:  # a module function: the classes whose methods call it
                for caller in sorted({c for c, callee, _ in calls if callee == name}):
                    bound = [e for e, param in site.elements if param is None]
                    bound += _bind(site, calls, caller, name)
                    held.append((caller, tuple(bound)))
            out.append(
                ContainerSite(
                    site.callee,
                    site.span,
                    f"{site.cls}.{name}" if site.cls else name,
                    tuple(h for h in held if h[1]),
                    touches,
                )
            )
        return [s for s in out if s.held]


def _bind(
    site: _Pending, calls: list[tuple[str, str, ast.Call]], caller: str, callee: str
) -> list[Element]:
    """The elements a parameter stands for (`block(...)` where `block` is a parameter): the
    class each call of the function from `caller`'s methods passes for it."""
    args = site.function.args
    positional = [a.arg for a in [*args.posonlyargs, *args.args]]
    if site.cls is not None:
        positional = positional[1:]  # self
    out: list[Element] = []
    for element, param in site.elements:
        if param is None:
            continue
        for cls, name, call in calls:
            if cls != caller or name != callee:
                continue
            passed = next((k.value for k in call.keywords if k.arg == param), None)
            if passed is None and param in positional and positional.index(param) < len(call.args):
                passed = call.args[positional.index(param)]
            written = dotted(passed) if passed is not None else None
            if written is not None:
                out.append(Element(written, element.span, element.init_cfg))
    return out


def _calls_by_caller(tree: ast.Module) -> list[tuple[str, str, ast.Call]]:
    """(class, callee as written, call) of every call in the methods of the module's classes."""
    out = []
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef):
            for node in ast.walk(statement):
                if isinstance(node, ast.Call):
                    name = dotted(node.func)
                    if name:
                        out.append((statement.name, name, node))
    return out


@dataclass(frozen=True)
class _SelfAttr:
    attr: str


Handle = Union[str, _SelfAttr]  # a local name, or `self.x`


@dataclass
class _Fate:
    handles: list[Handle]  # the names it is bound to


class _Scope:
    """One function's statements, read without regard to their order."""

    def __init__(self, function: Function) -> None:
        self.function = function
        self.parents: dict[int, ast.AST] = {}
        self.calls: list[ast.Call] = []
        self.bindings: dict[str, list[ast.expr]] = {}  # local name -> every value assigned
        self.adds: dict[str, list[ast.expr]] = {}  # local name -> what is added to it
        self.loads: dict[str, list[ast.Name]] = {}
        self.touches_other_init = False
        for node in ast.walk(function):
            for child in ast.iter_child_nodes(node):
                self.parents[id(child)] = node
            if isinstance(node, ast.Call):
                self.calls.append(node)
            self.touches_other_init |= touches_other_init(node)
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.bindings.setdefault(target.id, []).append(node.value)
            elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
                self.adds.setdefault(node.target.id, []).extend(_collection(node.value))
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                self.loads.setdefault(node.id, []).append(node)
            mutated = _mutated(node)
            if mutated is not None and isinstance(mutated[0], ast.Name):
                self.adds.setdefault(mutated[0].id, []).extend(mutated[1])

    def assigned(self, name: str) -> bool:
        return name in self.bindings

    def fate(self, call: ast.Call, seen: Optional[set[str]] = None) -> Optional[_Fate]:
        """The names a container is bound to, when it is held (stored on `self`, returned,
        added to a held list or container) and its children cannot leave it."""
        seen = set() if seen is None else seen
        parent = self.parents.get(id(call))
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
            target = parent.targets[0]
            if isinstance(target, ast.Name):
                return _Fate([target.id]) if self._name_is_held(target.id, seen) else None
            attr = self_attribute(target)
            return _Fate([_SelfAttr(attr)]) if attr is not None else None
        return _Fate([]) if self._expr_is_held(call, seen) else None

    def _expr_is_held(self, expr: ast.expr, seen: set[str]) -> bool:
        parent = self.parents.get(id(expr))
        if isinstance(parent, ast.Return):
            return True
        if isinstance(parent, ast.Assign) and expr is parent.value:
            if any(self_attribute(t) is not None for t in parent.targets):
                return True
            names = [t.id for t in parent.targets if isinstance(t, ast.Name)]
            return bool(names) and all(self._name_is_held(n, seen) for n in names)
        if isinstance(parent, (ast.List, ast.Tuple)):
            grand = self.parents.get(id(parent))
            if isinstance(grand, ast.Assign) and parent is grand.value:
                names = [t.id for t in grand.targets if isinstance(t, ast.Name)]
                return bool(names) and all(self._name_is_held(n, seen) for n in names)
            return False
        if (
            isinstance(parent, ast.Call)
            and _container_name(parent) is not None
            and expr in parent.args
        ):
            return self.fate(parent, seen) is not None  # a container in a held container
        if isinstance(parent, ast.Call) and expr in parent.args:
            name = dotted(parent.func) or ""
            if name in ("self.add_module", "self.__setattr__") or (
                name == "setattr" and parent.args and is_self(parent.args[0])
            ):
                return True
            receiver = parent.func.value if isinstance(parent.func, ast.Attribute) else None
            if isinstance(parent.func, ast.Attribute) and parent.func.attr in ADDERS:
                if isinstance(receiver, ast.Name):
                    return self._name_is_held(receiver.id, seen)
                return receiver is not None and self_attribute(receiver) is not None
        return False

    def _name_is_held(self, name: str, seen: set[str]) -> bool:
        """Every use of a local that holds a container (or a list of modules) keeps its
        children in it, and something held holds it."""
        if name in seen:
            return False
        seen.add(name)
        held = False
        is_container = any(
            isinstance(v, ast.Call) and _container_name(v) is not None
            for v in self.bindings.get(name, ())
        )
        for load in self.loads.get(name, ()):
            parent = self.parents.get(id(load))
            if isinstance(parent, ast.Subscript) and isinstance(parent.ctx, ast.Store):
                continue  # name[key] = module: adds to it
            if isinstance(parent, ast.Attribute):
                if parent.attr in ADDERS and isinstance(self.parents.get(id(parent)), ast.Call):
                    continue  # name.append(...): adds to it
                if parent.attr in ("children", "modules", "named_children", "named_modules"):
                    return False
                continue  # reads an attribute (`name.out_channels`)
            consumer = self.parents.get(id(parent)) if isinstance(parent, ast.Starred) else parent
            if (
                isinstance(consumer, ast.Call)
                and _container_name(consumer) is not None
                and (load in consumer.args or parent in consumer.args)
            ):
                if is_container:
                    return False  # its children move into another container
                held |= self.fate(consumer, seen) is not None  # nn.Sequential(*name)
                continue
            if (
                isinstance(parent, ast.Call)
                and load in parent.args
                and dotted(parent.func) in HARMLESS
            ):
                continue
            if isinstance(
                parent,
                (ast.Starred, ast.Subscript, ast.For, ast.comprehension, ast.Call, ast.keyword),
            ) and not self._expr_is_held(load, seen):
                return False  # its children may leave it
            held |= self._expr_is_held(load, seen)
        return held

    def calls_of(self, expr: ast.expr) -> Iterator[ast.Call]:
        """The calls an element expression stands for: itself, a conditional's branches, or
        every value assigned to a local name (each must be a call)."""
        if isinstance(expr, ast.Call):
            yield expr
        elif isinstance(expr, ast.IfExp):
            yield from self.calls_of(expr.body)
            yield from self.calls_of(expr.orelse)
        elif isinstance(expr, ast.Name) and self._only_an_element(expr.id):
            values = self.bindings.get(expr.id, [])
            if values and all(
                isinstance(v, ast.Call) and _container_name(v) is None for v in values
            ):
                for value in values:
                    assert isinstance(value, ast.Call)
                    yield value

    def _only_an_element(self, name: str) -> bool:
        """The module a local holds is not also stored elsewhere (`self.x = conv`), where
        init_weights() would reach it."""
        for load in self.loads.get(name, ()):
            parent = self.parents.get(id(load))
            if isinstance(parent, ast.Attribute):
                continue
            if isinstance(parent, (ast.List, ast.Tuple)) or (
                isinstance(parent, ast.Call)
                and load in parent.args
                and (
                    _container_name(parent) is not None
                    or (
                        isinstance(parent.func, ast.Attribute)
                        and parent.func.attr in ADDERS
                        and not is_self(parent.func.value)
                    )
                )
            ):
                continue
            return False
        return True


def _arguments(call: ast.Call, scope: _Scope) -> Iterator[ast.expr]:
    """The modules a container call is given."""
    for arg in call.args:
        if isinstance(arg, ast.Starred):
            if isinstance(arg.value, ast.Name):
                yield from _local_collection(arg.value.id, scope)
            else:
                yield from _collection(arg.value)  # nn.Sequential(*[Block() for ...])
        elif _container_name(call) == "Sequential":
            yield arg
        elif isinstance(arg, ast.Name):
            yield from _local_collection(arg.id, scope)
        else:
            yield from _collection(arg)


def _local_collection(name: str, scope: _Scope) -> Iterator[ast.expr]:
    for value in scope.bindings.get(name, []):
        yield from _collection(value)
    yield from scope.adds.get(name, ())


def _collection(expr: ast.expr) -> list[ast.expr]:
    """The items of a list, tuple or dict display or comprehension (the values of a dict)."""
    if isinstance(expr, (ast.List, ast.Tuple)):
        return [e for e in expr.elts if not isinstance(e, ast.Starred)]
    if isinstance(expr, ast.Dict):
        return list(expr.values)
    if isinstance(expr, (ast.ListComp, ast.GeneratorExp)):
        return [expr.elt]
    if isinstance(expr, ast.DictComp):
        return [expr.value]
    return []


def _mutated(node: ast.AST) -> Optional[tuple[ast.expr, list[ast.expr]]]:
    """`x.append(m)`, `x.extend([...])`, `x.add_module(n, m)`, `x[k] = m`: x and what it gets."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ADDERS
    ):
        index, many = ADDERS[node.func.attr]
        if len(node.args) > index:
            arg = node.args[index]
            return node.func.value, (_collection(arg) if many else [arg])
        return None
    if (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Subscript)
    ):
        return node.targets[0].value, [node.value]
    return None


def _container_name(call: ast.Call) -> Optional[str]:
    name = dotted(call.func)
    last = name.rsplit(".", 1)[-1] if name else None
    return last if last in CONTAINER_NAMES else None
